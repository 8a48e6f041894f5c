// RUN: %check_clang_tidy --check-suffix=DEFAULT %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=LISTED %s forksafety-fork-in-threaded-program %t -- \
// RUN:   -config="{CheckOptions: {forksafety-fork-in-threaded-program.ThreadCreationFunctions: 'other_pool; start_pool'}}" \
// RUN:   -- -nostdinc -isystem %mocks

#include <unistd.h>

// Starts worker threads; its definition is in another library.
void start_pool(int threads);

int main(void) {
  start_pool(4);
  if (fork() == 0) {
// CHECK-MESSAGES-LISTED: :[[@LINE-1]]:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-LISTED: :[[@LINE-3]]:3: note: threads are created here
// CHECK-MESSAGES-LISTED: :[[@LINE+3]]:3: note: the child returns from 'main' without calling exec
    write(1, "child\n", 6);
  }
  return 0;
}
