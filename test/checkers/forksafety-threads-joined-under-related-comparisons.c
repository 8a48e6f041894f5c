// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=SERVER %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DWIDER_FIRST
// RUN: %check_clang_tidy --check-suffix=WORKERS %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DNOT_ZERO_FIRST
// RUN: %check_clang_tidy --check-suffix=WORKERS %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DUNSIGNED_FIRST
// RUN: %check_clang_tidy --check-suffix=LEVEL %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DLOWER_LEVEL

// Threads created under one comparison of a local variable with a constant
// and joined under another comparison of it that the first implies: on the
// path that skips the join the second failed, so the first did too and no
// thread was created. `mode == 2` implies `mode > 1` and `mode != 0`;
// `n > 0` implies `n != 0`; `level >= 3` implies `level > 0`. The other
// way round tells nothing (`mode > 1` may hold for 3, `n != 0` for -1),
// nor does a comparison made on the variable converted to unsigned (`n >
// 2u` holds for -1), nor a lower bound below the one tested (`level >= 0`
// may hold where `level > 0` fails).

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int read_mode(void);
int count_workers(void);
int read_level(void);

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

int main(void) {
  run_server();
  run_workers();
  run_logger();
  run_monitor();
  if (fork() == 0) {
    // CHECK-MESSAGES-SERVER: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-SERVER: :35:5: note: threads are created here
    // CHECK-MESSAGES-WORKERS: :[[@LINE-3]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-WORKERS: :54:5: note: threads are created here
    // CHECK-MESSAGES-LEVEL: :[[@LINE-5]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-LEVEL: :82:5: note: threads are created here
    printf("child\n");
    _exit(0);
  }
  return 0;
}

int read_mode(void) { return 2; }
int count_workers(void) { return 4; }
int read_level(void) { return 3; }
