// RUN: %check_clang_tidy --check-suffix=LINUX %s forksafety-* %t -- -- -nostdinc -isystem %mocks --target=x86_64-unknown-linux-gnu
// RUN: %check_clang_tidy --check-suffix=POSIX %s forksafety-* %t -- \
// RUN:   -config="{CheckOptions: {LibcProfile: posix}}" -- -nostdinc -isystem %mocks --target=x86_64-unknown-linux-gnu
// RUN: %check_clang_tidy --check-suffix=OTHER-NAME %s forksafety-* %t -- -- -nostdinc -isystem %mocks --target=x86_64-unknown-linux-gnu -DOTHER_NAME

// The C library exports functions its headers do not always declare
// (glibc's pivot_root, or gettid before 2.30), and programs declare them
// by hand. Defined nowhere in the program, a function with C linkage and a
// name the tables know as the C library's is the library's: its call
// starts no thread, and in a child it is a library call (here a thin
// system-call wrapper, which the linux profile allows) rather than a call
// whose definition is missing. Any other function defined nowhere may
// still have started threads.

#include <pthread.h>
#include <unistd.h>

int pivot_root(const char *new_root, const char *put_old);
int enter_jail(const char *new_root, const char *put_old);

static void *worker(void *arg) { return arg; }

int main(int argc, char **argv) {
#ifdef OTHER_NAME
  enter_jail(".", "old");
#else
  pivot_root(".", "old");
#endif
  // Must not warn but with OTHER_NAME: the daemon's fork comes before the
  // first thread.
  if (fork() > 0)
// CHECK-MESSAGES-OTHER-NAME: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES-OTHER-NAME: :[[@LINE-8]]:3: note: the thread state after this call is unknown: no definition of the function is visible
// CHECK-MESSAGES-OTHER-NAME: :[[@LINE+13]]:3: note: the child returns from 'main' without calling exec
    _exit(0);
  setsid();
  pthread_t thread;
  pthread_create(&thread, 0, worker, 0);
// CHECK-MESSAGES-OTHER-NAME: :[[@LINE-1]]:3: note: call to 'pthread_create' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  if (fork() == 0) {
    pivot_root(".", "old");
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:5: warning: call to 'pivot_root' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES-POSIX: :[[@LINE-3]]:7: note: child process created by 'fork' here
    execv(argv[0], argv);
    _exit(127);
  }
  return 0;
}
