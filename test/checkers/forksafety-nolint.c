// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

void spawn(pthread_t *thread, void *(*work)(void *)) {
  pthread_create(thread, 0, work, 0);
  if (fork() == 0) { // NOLINT(forksafety-fork-in-threaded-program)
    printf("suppressed\n"); // NOLINT(forksafety-unsafe-call-in-child)
    // NOLINTNEXTLINE(forksafety-*)
    printf("suppressed too\n");
    puts("reported");
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'puts' in the child of a fork is not async-signal-safe
    _exit(0);
  }
}
