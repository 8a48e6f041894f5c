// RUN: %check_clang_tidy --check-suffix=DEFAULT %s forksafety-unsafe-call-in-child %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=REPORTED %s forksafety-unsafe-call-in-child %t -- \
// RUN:   -config="{CheckOptions: {forksafety-unsafe-call-in-child.ReportExecpFunctions: true}}" \
// RUN:   -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=DEFAULT %s forksafety-fork-in-threaded-program %t -- \
// RUN:   -config="{CheckOptions: {forksafety-unsafe-call-in-child.ReportExecpFunctions: true}}" \
// RUN:   -- -nostdinc -isystem %mocks

#include <pthread.h>
#include <unistd.h>

void spawn(char *const argv[], pthread_t *thread, void *(*work)(void *)) {
  pthread_create(thread, 0, work, 0);
  if (fork() == 0) {
    execvp(argv[0], argv);
// CHECK-MESSAGES-REPORTED: :[[@LINE-1]]:5: warning: call to 'execvp' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES-REPORTED: :[[@LINE-2]]:5: note: 'execvp' searches PATH, which may allocate; resolve the path before the fork and call 'execve'
    execlp("sh", "sh", "-c", "true", (char *)0);
// CHECK-MESSAGES-REPORTED: :[[@LINE-1]]:5: warning: call to 'execlp' in the child of a fork is not async-signal-safe
    execv(argv[0], argv);
    _exit(127);
  }
}
