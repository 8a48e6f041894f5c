// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks

// A failed assert() ends the process through the C library's assertion
// handler; like the compiler's static analyzer, the checks take the
// assertion to hold, so the handler is neither unsafe work nor a path on
// which the child goes on.

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
void start_workers(pthread_t *thread) { pthread_create(thread, 0, worker, 0); }

static void close_checked(int fd) {
  assert(fd > 2);
  close(fd);
}

void asserts_before_exec(int fd, char *const argv[]) {
  if (fork() == 0) {
    close_checked(fd);
    assert(argv[0] != 0);
    execv(argv[0], argv);
    _exit(127);
  }
}

// Work before an assertion that fails is still work on the other paths.
void asserts_after_unsafe_work(int fd) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :14:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    puts("child");
    assert(fd > 2);
    _exit(0);
  }
}
