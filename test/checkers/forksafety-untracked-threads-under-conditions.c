// RUN: %check_clang_tidy --check-suffix=DETACHED %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DDETACHED
// RUN: %check_clang_tidy --check-suffix=REPLACED %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DREPLACED
// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks

// Threads that can no longer be joined (detached, or replaced in their
// handle) are kept together, and what is known of a variable holds for
// them only if it held for each: a logger started only when `workers` is
// not 0 does not take a worker detached on every path off the path where
// `workers` is 0.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }
static int setting(void) { return (int)(getpid() % 8); }

int main(void) {
  pthread_t logger, worker;
  int background = setting();
  int workers = setting();
  if (background) {
    pthread_create(&logger, 0, work, 0);
    pthread_detach(logger);
    if (workers == 0)
      return 1;
  }
#if defined(DETACHED)
  pthread_create(&worker, 0, work, 0);
  pthread_detach(worker);
#elif defined(REPLACED)
  pthread_create(&worker, 0, work, 0);
  // The first worker can no longer be joined.
  pthread_create(&worker, 0, work, 0);
  pthread_join(worker, 0);
#endif
  if (workers == 0) {
    if (fork() == 0) {
      // CHECK-MESSAGES-DETACHED: :[[@LINE-1]]:9: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
      // CHECK-MESSAGES-DETACHED: :29:3: note: threads are created here
      // CHECK-MESSAGES-REPLACED: :[[@LINE-3]]:9: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
      // CHECK-MESSAGES-REPLACED: :32:3: note: threads are created here
      printf("child\n");
      _exit(1);
    }
  }
  return 0;
}
