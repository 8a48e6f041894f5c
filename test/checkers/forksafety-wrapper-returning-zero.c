// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=FALLS %s forksafety-* %t -- -- -nostdinc -isystem %mocks -DFALLS

// A fork wrapper whose child returns the literal 0 gives its caller what
// fork gave the child, as one that returns the fork's result does: the
// caller's child is followed from the call, and the wrapper's child is not
// said to return from it.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

static pid_t checked_fork(void) {
  pid_t pid = fork();
  if (pid == 0)
    return 0;
  if (pid < 0)
    perror("fork");
  return pid;
}

int main(int argc, char **argv) {
  (void)argc;
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  // CHECK-MESSAGES-FALLS: :[[@LINE+2]]:17: warning: child of 'checked_fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
  // CHECK-MESSAGES-FALLS: :[[@LINE-2]]:3: note: threads are created here
  pid_t child = checked_fork();
  if (child == 0) {
#ifdef FALLS
    // CHECK-MESSAGES-FALLS: :[[@LINE+1]]:5: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    printf("child\n");
#else
    execv(argv[0], argv);
#endif
    _exit(127);
  }
  printf("parent\n");
  return 0;
}
