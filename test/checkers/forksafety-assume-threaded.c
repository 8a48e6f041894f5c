// RUN: %check_clang_tidy --check-suffix=DEFAULT %s forksafety-* %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=ASSUMED %s forksafety-* %t -- \
// RUN:   -config="{CheckOptions: {AssumeThreaded: true}}" -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=ASSUMED %s forksafety-* %t -- \
// RUN:   -config="{CheckOptions: {forksafety-fork-in-threaded-program.AssumeThreaded: true, forksafety-unsafe-call-in-child.AssumeThreaded: true}}" -- -nostdinc -isystem %mocks
// Each check reads its own options, also when both run.
// RUN: %check_clang_tidy --check-suffix=UNSAFE-ONLY %s forksafety-* %t -- \
// RUN:   -config="{CheckOptions: {forksafety-unsafe-call-in-child.AssumeThreaded: true}}" -- -nostdinc -isystem %mocks

// A library whose threads are created elsewhere: nothing here creates one,
// so the checks only report when told to assume threads.

#include <stdio.h>
#include <unistd.h>

void library_spawn(void) {
  if (fork() == 0) {
// CHECK-MESSAGES-ASSUMED: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES-ASSUMED: :[[@LINE+1]]:5: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    printf("child\n");
// CHECK-MESSAGES-UNSAFE-ONLY: :[[@LINE-1]]:5: warning: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    _exit(0);
  }
}
