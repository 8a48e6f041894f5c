// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=MOVED %s forksafety-* %t -- -- -nostdinc -isystem %mocks -DMOVED

// A fork's result kept in an array, at an index that is a local variable
// or a literal, is known there until the index or an element is written:
// a pool of workers that each exec, and the first of two children.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

struct worker {
  pid_t pid;
  int fd;
};

int main(int argc, char **argv) {
  (void)argc;
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);

  pid_t pids[4];
  for (int i = 0; i < 4; i++) {
    pids[i] = fork();
    if (pids[i] == 0) {
      execv(argv[0], argv);
      _exit(127);
    }
  }

  struct worker workers[2];
  workers[0].pid = fork();
  if (workers[0].pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  int n = 0;
  // CHECK-MESSAGES-MOVED: :[[@LINE+4]]:13: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
  // CHECK-MESSAGES-MOVED: :22:3: note: threads are created here
  // CHECK-MESSAGES-MOVED: :54:3: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  // CHECK-MESSAGES-MOVED: :55:3: note: the child also returns from 'main' without calling exec
  pids[n] = fork();
#ifdef MOVED
  // pids[n] names another element now.
  n++;
#endif
  if (pids[n] == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
  printf("started\n");
  return 0;
}
