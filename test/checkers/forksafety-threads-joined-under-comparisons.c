// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DMIRRORED
// RUN: %check_clang_tidy --check-suffix=OTHER %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DOTHER_VALUE
// RUN: %check_clang_tidy --check-suffix=OTHER %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DWRITTEN
// RUN: %check_clang_tidy --check-suffix=OTHER %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DCHANGED
// RUN: %check_clang_tidy --check-suffix=OTHER %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DESCAPES
// RUN: %check_clang_tidy --check-suffix=WORKERS %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DLOWER_BOUND
// RUN: %check_clang_tidy --check-suffix=STATE %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DNARROW

// Threads created only when a local variable compares a certain way with a
// constant other than 0, and joined only when the same comparison holds:
// on the path that skips the join the comparison failed, so no thread was
// created, as long as nothing wrote the variable in between. `n >= 2` is
// `n > 1`, and `2 == mode` is `mode == 2`. A different comparison
// (`mode == 3`, `n > 2`), a write of an unknown value, or a variable whose
// address is passed on tells nothing. A constant written tells how it
// compares (`state = RUNNING` where `state == RUNNING` is tested), if the
// variable's type holds it as written.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int read_mode(void);
int count_workers(void);
void configure(int *mode);

static void *serve(void *arg) { return arg; }

static void run_server(void) {
  pthread_t server;
  int mode = read_mode();
  if (mode == 2)
    pthread_create(&server, 0, serve, 0);
#ifdef WRITTEN
  mode = read_mode();
#endif
#ifdef CHANGED
  mode = 3;
#endif
#ifdef ESCAPES
  configure(&mode);
#endif
#if defined(OTHER_VALUE)
  if (mode == 3)
#elif defined(MIRRORED)
  if (2 == mode)
#else
  if (mode == 2)
#endif
    pthread_join(server, 0);
}

static void run_workers(void) {
  pthread_t workers[8];
  int n = count_workers();
  if (n > 1)
    for (int i = 0; i < 8; ++i)
      pthread_create(&workers[i], 0, serve, 0);
#if defined(LOWER_BOUND)
  if (n > 2)
#else
  if (n >= 2)
#endif
    for (int i = 0; i < 8; ++i)
      pthread_join(workers[i], 0);
}

enum { STOPPED = 1, RUNNING = 2 };

static void run_listener(int wanted) {
  pthread_t listener;
#ifdef NARROW
  unsigned char state = STOPPED;
#else
  int state = STOPPED;
#endif
  if (wanted) {
    pthread_create(&listener, 0, serve, 0);
#ifdef NARROW
    state = 256 + RUNNING; // Stored as RUNNING: not followed.
#else
    state = RUNNING;
#endif
  }
  if (state == RUNNING)
    pthread_join(listener, 0);
}

int main(int argc, char **argv) {
  (void)argv;
  run_server();
  run_workers();
  run_listener(argc > 1);
  if (fork() == 0) {
    // CHECK-MESSAGES-OTHER: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-OTHER: :34:5: note: threads are created here
    // CHECK-MESSAGES-WORKERS: :[[@LINE-3]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-WORKERS: :59:7: note: threads are created here
    // CHECK-MESSAGES-STATE: :[[@LINE-5]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-STATE: :79:5: note: threads are created here
    printf("child\n");
    _exit(0);
  }
  return 0;
}

int read_mode(void) { return 2; }
int count_workers(void) { return 4; }
void configure(int *mode) { *mode = 3; }
