// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=SERVER %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DWIDER_FIRST
// RUN: %check_clang_tidy --check-suffix=WORKERS %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DNOT_ZERO_FIRST
// RUN: %check_clang_tidy --check-suffix=WORKERS %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DUNSIGNED_FIRST
// RUN: %check_clang_tidy --check-suffix=LEVEL %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DLOWER_LEVEL
// RUN: %check_clang_tidy --check-suffix=MACHINE %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DOTHER_CASE
// RUN: %check_clang_tidy --check-suffix=READER %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DWIDER_START

// Threads created under one comparison of a local variable with a constant
// and joined under another comparison of it that the first implies: on the
// path that skips the join the second failed, so the first did too and no
// thread was created. `mode == 2` implies `mode > 1` and `mode != 0`;
// `n > 0` implies `n != 0`; `level >= 3` implies `level > 0`. The other
// way round tells nothing (`mode > 1` may hold for 3, `n != 0` for -1),
// nor does a comparison made on the variable converted to unsigned (`n >
// 2u` holds for -1), nor a lower bound below the one tested (`level >= 0`
// may hold where `level > 0` fails).
//
// The ways of a switch on the variable tell the same: a case's way that
// the variable holds its value (`case 2:`, so `state == 2` and `state > 1`
// hold), the way no case takes that it holds none of the cases' values
// (`mode == 2` fails there when a case of 2 exists, `mode > 1` need not).

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int read_mode(void);
int count_workers(void);
int read_level(void);
int read_state(void);

static void *serve(void *arg) { return arg; }

static void run_server(void) {
  pthread_t server;
  int mode = read_mode();
#ifdef WIDER_FIRST
  if (mode > 1)
#else
  if (mode == 2)
#endif
    pthread_create(&server, 0, serve, 0);
#ifdef WIDER_FIRST
  if (mode == 2)
#else
  if (mode > 1)
#endif
    pthread_join(server, 0);
}

static void run_workers(void) {
  pthread_t worker;
  int n = count_workers();
#if defined(NOT_ZERO_FIRST)
  if (n != 0)
#elif defined(UNSIGNED_FIRST)
  if (n > 2u)
#else
  if (n > 0)
#endif
    pthread_create(&worker, 0, serve, 0);
#if defined(NOT_ZERO_FIRST)
  if (n > 0)
#elif defined(UNSIGNED_FIRST)
  if (n > 1)
#else
  if (n)
#endif
    pthread_join(worker, 0);
}

static void run_logger(void) {
  pthread_t logger;
  int mode = read_mode();
  if (mode == 2)
    pthread_create(&logger, 0, serve, 0);
  if (mode != 0)
    pthread_join(logger, 0);
}

static void run_monitor(void) {
  pthread_t monitor;
  int level = read_level();
#ifdef LOWER_LEVEL
  if (level >= 0)
#else
  if (level >= 3)
#endif
    pthread_create(&monitor, 0, serve, 0);
  if (level > 0)
    pthread_join(monitor, 0);
}

static void run_machine(void) {
  pthread_t machine;
  int state = read_state();
  switch (state) {
#ifdef OTHER_CASE
  case 3:
#else
  case 2:
#endif
    pthread_create(&machine, 0, serve, 0);
    break;
  case 5:
    break;
  }
  if (state > 1 && state < 3)
    pthread_join(machine, 0);
}

static void run_reader(void) {
  pthread_t reader;
  int mode = read_mode();
#ifdef WIDER_START
  if (mode > 1)
#else
  if (mode == 2)
#endif
    pthread_create(&reader, 0, serve, 0);
  switch (mode) {
  case 2:
  case 4:
    pthread_join(reader, 0);
    break;
  default:
    break;
  }
}

int main(void) {
  run_server();
  run_workers();
  run_logger();
  run_monitor();
  run_machine();
  run_reader();
  if (fork() == 0) {
    // CHECK-MESSAGES-SERVER: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-SERVER: :43:5: note: threads are created here
    // CHECK-MESSAGES-WORKERS: :[[@LINE-3]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-WORKERS: :62:5: note: threads are created here
    // CHECK-MESSAGES-LEVEL: :[[@LINE-5]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-LEVEL: :90:5: note: threads are created here
    // CHECK-MESSAGES-MACHINE: :[[@LINE-7]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-MACHINE: :104:5: note: threads are created here
    // CHECK-MESSAGES-READER: :[[@LINE-9]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-READER: :121:5: note: threads are created here
    printf("child\n");
    _exit(0);
  }
  return 0;
}

int read_mode(void) { return 2; }
int count_workers(void) { return 4; }
int read_level(void) { return 3; }
int read_state(void) { return 2; }
