// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks

// A finding names the worst reason on the path: work known to lock or
// allocate, then work that cannot be verified, then functions merely not on
// the async-signal-safe list. Notes list the other distinct reasons.

#include <pthread.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
void start_workers(pthread_t *thread) { pthread_create(thread, 0, worker, 0); }

static void report(const char *what) {
  long max = sysconf(_SC_OPEN_MAX);
  syslog(LOG_ERR, "%s %ld", what, max);
}

void helper_that_logs(void) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :13:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:5: note: call to 'report' in the child of a fork is not async-signal-safe: it calls 'syslog' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :17:3: note: 'report' calls 'syslog' here
    report("child");
    _exit(1);
  }
}

void callback_after_harmless_call(void (*hook)(void)) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :13:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+3]]:5: note: cannot verify that 'hook' is async-signal-safe: it is called through a pointer [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: call to 'sysconf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    sysconf(_SC_OPEN_MAX);
    hook();
    _exit(0);
  }
}

void locks_after_callback(void (*hook)(void)) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :13:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+3]]:5: note: call to 'setenv' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: cannot verify that 'hook' is async-signal-safe: it is called through a pointer [forksafety-unsafe-call-in-child]
    hook();
    setenv("MODE", "child", 1);
    _exit(0);
  }
}
