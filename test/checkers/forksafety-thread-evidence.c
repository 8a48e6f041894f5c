// C thread creation functions.
// RUN: %check_clang_tidy --check-suffix=C11 %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DC11_THREADS
// RUN: %check_clang_tidy --check-suffix=GLIB %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DGLIB_THREADS

#include <glib.h>
#include <threads.h>
#include <unistd.h>

static int run(void *arg) { return arg != 0; }
static void *run_glib(void *arg) { return arg; }

void start(void) {
#if defined(C11_THREADS)
  thrd_t thread;
  thrd_create(&thread, run, 0);
#else
  g_thread_new("worker", run_glib, 0);
#endif
}

int snapshot(void) {
  if (fork() == 0)
    write(1, "x", 1);
  return 0;
}
// CHECK-MESSAGES-C11: :22:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-C11: :15:3: note: threads are created here
// CHECK-MESSAGES-GLIB: :22:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-GLIB: :17:3: note: threads are created here

