// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=CAST %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DCAST
// RUN: %check_clang_tidy --check-suffix=COMPLEMENT %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DCOMPLEMENT

// An unsigned variable compared with the largest value of its type, written
// (unsigned long)-1 or ~0UL: `len < limit` holds for 0 too, so a thread
// started while len was 0 still runs there. `len > 0` rules 0 out.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }
static unsigned long length(void) { return (unsigned long)(getpid() % 8); }

int main(void) {
  pthread_t thread;
  unsigned long len = length();
  if (len == 0)
    pthread_create(&thread, 0, work, 0);
#if defined(CAST)
  if (len < (unsigned long)-1) {
#elif defined(COMPLEMENT)
  if (len < ~0UL) {
#else
  if (len > 0) {
#endif
    if (fork() == 0) {
      // CHECK-MESSAGES-CAST: :[[@LINE-1]]:9: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
      // CHECK-MESSAGES-CAST: :20:5: note: threads are created here
      // CHECK-MESSAGES-COMPLEMENT: :[[@LINE-3]]:9: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
      // CHECK-MESSAGES-COMPLEMENT: :20:5: note: threads are created here
      printf("child\n");
      _exit(1);
    }
  }
  return 0;
}
