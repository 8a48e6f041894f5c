// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks -std=c++17

// C++ ways to keep or lose what a child's path knows: a bool holding a test
// of the fork's result, nullptr tests, bool parameters; a reference or a
// lambda that may change the variable where the walk does not look.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
void start_workers() {
  pthread_t thread;
  pthread_create(&thread, nullptr, worker, nullptr);
}

//===--- Must warn ---------------------------------------------------------===//

void changed_through_reference() {
  bool child = fork() == 0;
// CHECK-MESSAGES: :[[@LINE-1]]:16: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+6]]:3: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE+6]]:1: note: the child also returns from 'changed_through_reference' without calling exec
  bool &alias = child;
  alias = false;
  if (child)
    _exit(0);
  printf("parent\n");
}

void changed_by_lambda() {
  bool child = fork() == 0;
// CHECK-MESSAGES: :[[@LINE-1]]:16: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+6]]:3: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE+6]]:1: note: the child also returns from 'changed_by_lambda' without calling exec
  auto forget = [&] { child = false; };
  forget();
  if (child)
    _exit(0);
  printf("parent\n");
}

//===--- Must not warn -----------------------------------------------------===//

void stored_bool() {
  bool child = fork() == 0;
  if (child)
    _exit(0);
  printf("parent\n");
}

void quiet_child_is_vfork(bool quiet) {
  pid_t pid = quiet ? vfork() : fork();
  if (pid == 0) {
    if (!quiet)
      write(2, "child\n", 6);
    _exit(1);
  }
}

static void log_if(bool verbose, const char *what) {
  if (verbose)
    printf("%s\n", what);
}

void quiet_helper() {
  if (fork() == 0) {
    log_if(false, "child");
    _exit(1);
  }
}
