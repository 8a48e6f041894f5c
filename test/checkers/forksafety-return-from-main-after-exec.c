// RUN: %check_clang_tidy %s forksafety-unsafe-call-in-child %t -- -- -nostdinc -isystem %mocks

// Returning from main runs exit: atexit handlers and stdio's flush of
// buffers the child copied from its parent. After a failed exec that is
// what a call to exit does, and is reported the same way. A child that
// returns without trying exec goes on running program code, which
// forksafety-fork-in-threaded-program reports.

#include <pthread.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

int main(int argc, char **argv) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);

  pid_t pid = fork();
  if (pid == 0) {
    execv(argv[0], argv);
    return 127;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: return from 'main' in the child of a fork is not async-signal-safe; use '_exit' [forksafety-unsafe-call-in-child]
  }

  if (fork() == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  if (fork() == 0)
    return 1;

  // The child of a failed exec falls through into what the parent runs.
  if (fork() == 0)
    execv(argv[0], argv);
  return argc > 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: return from 'main' in the child of a fork is not async-signal-safe; use '_exit' [forksafety-unsafe-call-in-child]
}
