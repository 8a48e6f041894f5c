// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=CREATED %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DCREATED
// RUN: %check_clang_tidy --check-suffix=DEFAULT %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DDEFAULT

// A switch on a call's result or on a local variable tells, on each of its
// ways, whether the value is 0: on a case of 0 it is, on a case of another
// value it is not, and on the default it is not when a case of 0 exists.
// A switch of one case has two ways, like an `if`, but the first is its
// case and the second its default, whatever the case's value.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }
static int workers(void) { return (int)(getpid() % 8); }

static void start(void) {
  pthread_t thread;
#if defined(CREATED)
  // On success the thread runs on: nothing joins it.
  switch (pthread_create(&thread, 0, work, 0)) {
  case 0:
    break;
  default:
    return;
  }
#elif defined(DEFAULT)
  // Where the count is 4, the thread runs and the switch takes its default.
  int count = workers();
  if (count > 3)
    pthread_create(&thread, 0, work, 0);
  switch (count) {
  case 7:
    pthread_join(thread, 0);
    return;
  default:
    break;
  }
#else
  // Joined where it was created; where it was not, there is none.
  switch (pthread_create(&thread, 0, work, 0)) {
  case 0:
    pthread_join(thread, 0);
    break;
  default:
    break;
  }
  int count = workers();
  if (count != 0)
    pthread_create(&thread, 0, work, 0);
  switch (count) {
  case 0:
    break;
  default:
    pthread_join(thread, 0);
    break;
  }
#endif
}

int main(void) {
  start();
  if (fork() == 0) {
    // CHECK-MESSAGES-CREATED: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-CREATED: :22:11: note: threads are created here
    // CHECK-MESSAGES-DEFAULT: :[[@LINE-3]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-DEFAULT: :32:5: note: threads are created here
    printf("child\n");
    _exit(0);
  }
  return 0;
}
