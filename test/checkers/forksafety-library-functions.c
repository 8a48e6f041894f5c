// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks -I %mocks/fastlib

// A function declared in a system header is the library's: a call to it
// starts no thread unless the thread-creation tables say so, and in a child
// it is a library call, not a call whose definition is missing. That holds
// when the program declares it again in its own header (a portability
// header, a prototype an old version of the library lacked), and for a
// header under a system directory that a -I flag finds, as pkg-config's
// -I/usr/include/libfastjson finds <json.h>: the compiler calls that one a
// user header.

#include "fastlib.h"
#include <pthread.h>
#include <tlslib.h>
#include <unistd.h>

// The program's own declarations of a library's functions.
int tls_library_init(void);
const char *tls_error_string(int code);

static void *worker(void *arg) { return arg; }

int main(int argc, char **argv) {
  tls_library_init();
  fastlib_set_option(1);
  // Must not warn: the libraries' calls start no thread, so the daemon's
  // fork comes before the first thread.
  if (fork() > 0)
    _exit(0);
  setsid();
  pthread_t thread;
  pthread_create(&thread, 0, worker, 0);
  if (fork() == 0) {
    tls_error_string(argc);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'tls_error_string' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE-3]]:7: note: child process created by 'fork' here
    fastlib_version();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'fastlib_version' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE-6]]:7: note: child process created by 'fork' here
    execv(argv[0], argv);
    _exit(127);
  }
  return argc;
}
