// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=PARENT %s forksafety-* %t -- -- -nostdinc -isystem %mocks -DPARENT

// A helper told by a parameter whether it runs in the child, whose `if`
// has no else: the way out of the test returns at once, and a child that
// passes 1 never takes it.

#include <pthread.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

static void after_fork(int in_child, char **argv) {
  if (in_child) {
    execv(argv[0], argv);
    _exit(127);
  }
}

int main(int argc, char **argv) {
  (void)argc;
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  // CHECK-MESSAGES-PARENT: :[[@LINE+2]]:15: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
  // CHECK-MESSAGES-PARENT: :[[@LINE-2]]:3: note: threads are created here
  pid_t pid = fork();
  if (pid == 0)
#ifdef PARENT
    after_fork(0, argv);
#else
    after_fork(1, argv);
#endif
  // CHECK-MESSAGES-PARENT: :[[@LINE+1]]:3: note: the child returns from 'main' without calling exec
  return 0;
}
