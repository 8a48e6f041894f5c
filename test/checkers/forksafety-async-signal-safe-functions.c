// RUN: %check_clang_tidy --check-suffix=DEFAULT %s forksafety-unsafe-call-in-child %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=DECLARED %s forksafety-unsafe-call-in-child %t -- \
// RUN:   -config="{CheckOptions: {forksafety-unsafe-call-in-child.AsyncSignalSafeFunctions: 'log_raw;reset_signals'}}" \
// RUN:   -- -nostdinc -isystem %mocks

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

// Defined in another file; both only call write and sigaction.
void log_raw(const char *message);
void reset_signals(void);

void spawn(char *const argv[], pthread_t *thread, void *(*work)(void *)) {
  pthread_create(thread, 0, work, 0);
  if (fork() == 0) {
    reset_signals();
// CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:5: warning: cannot verify that 'reset_signals' is async-signal-safe: no definition is visible
    execv(argv[0], argv);
    log_raw("exec failed");
// CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:5: warning: cannot verify that 'log_raw' is async-signal-safe: no definition is visible
    printf("still reported\n");
// CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:5: warning: call to 'printf' in the child of a fork is not async-signal-safe
// CHECK-MESSAGES-DECLARED: :[[@LINE-2]]:5: warning: call to 'printf' in the child of a fork is not async-signal-safe
    _exit(127);
  }
}
