// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks -I %mocks/fastlib

// Build systems find a library's headers with -I flags into the system
// directories (pkg-config's -I/usr/include/libfastjson), and the compiler
// then calls them user headers. A header under a directory the compiler
// searches for system headers is still the library's: its functions are
// not the program's, defined in some other file.

#include "fastlib.h"
#include <pthread.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }

int main(int argc, char **argv) {
  fastlib_set_option(1);
  // Must not warn: the library's call starts no thread, so the daemon's
  // fork comes before the first thread.
  if (fork() > 0)
    _exit(0);
  setsid();
  pthread_t thread;
  pthread_create(&thread, 0, worker, 0);
  if (fork() == 0) {
    fastlib_version();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'fastlib_version' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE-3]]:7: note: child process created by 'fork' here
    execv(argv[0], argv);
    _exit(127);
  }
  return argc;
}
