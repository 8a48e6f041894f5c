// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks

// A function that returns fork's result is fork-like at its call sites, and
// so is a function that returns such a wrapper's result. The wrapper itself
// is not reported for returning in the child.

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
void start_workers(pthread_t *thread) { pthread_create(thread, 0, worker, 0); }

pid_t logged_fork(const char *purpose) {
  pid_t pid = fork();
  if (pid == -1)
    fprintf(stderr, "cannot fork for %s\n", purpose);
  return pid;
}

static pid_t background_fork(void) { return logged_fork("background"); }

void run(char *const argv[]) {
  if (logged_fork("run") == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'logged_fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :13:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: call to 'setenv' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    setenv("MODE", "child", 1);
    if (argv[0])
      execv(argv[0], argv);
    _exit(127);
  }
}

void snapshot(void) {
  pid_t child = background_fork();
// CHECK-MESSAGES: :[[@LINE-1]]:17: warning: child of 'background_fork' may run program code
// CHECK-MESSAGES: :13:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:5: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  if (child == 0) {
    puts("saving");
    _exit(0);
  }
}

// Must not warn: the wrapped child execs at once.
void run_safely(char *const argv[]) {
  if (logged_fork("safe") != 0)
    return;
  execv(argv[0], argv);
  _exit(127);
}
