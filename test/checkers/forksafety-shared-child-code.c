// RUN: %check_clang_tidy %s forksafety-unsafe-call-in-child %t -- -- -nostdinc -isystem %mocks

// Code that the children of two forks share is reported once, with the
// first of the forks.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

int main(int argc, char **argv) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  pid_t pid;
  if (argc > 2)
    pid = fork();
  else
    pid = fork();
  if (pid == 0) {
    printf("child\n");
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    // CHECK-MESSAGES: :17:11: note: child process created by 'fork' here
    execv(argv[0], argv);
    _exit(127);
  }
  return 0;
}
