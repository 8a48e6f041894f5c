// RUN: %check_clang_tidy --check-suffix=DEFAULT %s forksafety-unsafe-call-in-child %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=SHALLOW %s forksafety-unsafe-call-in-child %t -- \
// RUN:   -config="{CheckOptions: {forksafety-unsafe-call-in-child.MaxCallDepth: 1}}" \
// RUN:   -- -nostdinc -isystem %mocks

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void innermost(void) { puts("deep"); }
static void middle(void) { innermost(); }
static void outer(void) { middle(); }

void spawn(pthread_t *thread, void *(*work)(void *)) {
  pthread_create(thread, 0, work, 0);
  if (fork() == 0) {
    outer();
// CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:5: warning: call to 'outer' in the child of a fork is not async-signal-safe: it calls 'puts'
// CHECK-MESSAGES-DEFAULT: :12:27: note: 'outer' calls 'middle' here
// CHECK-MESSAGES-DEFAULT: :11:28: note: 'middle' calls 'innermost' here
// CHECK-MESSAGES-DEFAULT: :10:31: note: 'innermost' calls 'puts' here
// CHECK-MESSAGES-SHALLOW: :[[@LINE-5]]:5: warning: cannot verify that 'outer' is async-signal-safe: it calls 'middle' (the call depth limit of 1 is reached)
// CHECK-MESSAGES-SHALLOW: :12:27: note: 'outer' calls 'middle' here
    _exit(0);
  }
}
