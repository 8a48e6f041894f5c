// RUN: %check_clang_tidy --check-suffix=POSIX %s forksafety-unsafe-call-in-child %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=POSIX %s forksafety-unsafe-call-in-child %t -- \
// RUN:   -config="{CheckOptions: {LibcProfile: posix}}" -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=GLIBC %s forksafety-unsafe-call-in-child %t -- \
// RUN:   -config="{CheckOptions: {forksafety-unsafe-call-in-child.LibcProfile: glibc}}" -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=GLIBC %s forksafety-unsafe-call-in-child %t -- \
// RUN:   -config="{CheckOptions: {LibcProfile: glibc}}" -- -nostdinc -isystem %mocks
// An unknown profile is reported and the default is used.
// RUN: %clang_tidy --load=%plugin --checks='-*,forksafety-unsafe-call-in-child' \
// RUN:   -config="{CheckOptions: {LibcProfile: musl}}" %s -- -nostdinc -isystem %mocks 2>&1 \
// RUN:   | FileCheck %s --check-prefix=INVALID
// INVALID: warning: invalid configuration value 'musl' for option 'LibcProfile'
// INVALID: warning: call to 'malloc' in the child of a fork is not async-signal-safe

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void spawn(pthread_t *thread, void *(*work)(void *), char *const argv[]) {
  pthread_create(thread, 0, work, 0);
  if (fork() == 0) {
    char *copy = malloc(64);
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:18: warning: call to 'malloc' in the child of a fork is not async-signal-safe
    free(copy);
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:5: warning: call to 'free' in the child of a fork is not async-signal-safe
    printf("stdio locks are not reset\n");
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:5: warning: call to 'printf' in the child of a fork is not async-signal-safe
// CHECK-MESSAGES-GLIBC: :[[@LINE-2]]:5: warning: call to 'printf' in the child of a fork is not async-signal-safe
    execv(argv[0], argv);
    _exit(127);
  }
  // glibc's _Fork does not reset malloc's locks.
  if (_Fork() == 0) {
    malloc(8);
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:5: warning: call to 'malloc' in the child of a fork is not async-signal-safe
// CHECK-MESSAGES-GLIBC: :[[@LINE-2]]:5: warning: call to 'malloc' in the child of a fork is not async-signal-safe
    _exit(0);
  }
}
