// RUN: %check_clang_tidy --check-suffix=POSIX %s forksafety-unsafe-call-in-child %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=GLIBC %s forksafety-unsafe-call-in-child %t -- \
// RUN:   -config="{CheckOptions: {LibcProfile: glibc}}" -- -nostdinc -isystem %mocks

// new and delete call malloc and free: glibc's fork makes them usable in the
// child; throwing also unwinds, which takes the dynamic loader's lock.

#include <pthread.h>
#include <unistd.h>

void spawn(pthread_t *thread, void *(*work)(void *)) {
  pthread_create(thread, nullptr, work, nullptr);
  if (fork() == 0) {
    int *value = new int(1);
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:18: warning: allocation with 'new' in the child of a fork is not async-signal-safe
    delete value;
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:5: warning: deallocation with 'delete' in the child of a fork is not async-signal-safe
    throw 1;
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:5: warning: throwing an exception in the child of a fork is not async-signal-safe
// CHECK-MESSAGES-GLIBC: :[[@LINE-2]]:5: warning: throwing an exception in the child of a fork is not async-signal-safe
  }
}
