// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks -std=c++17
// RUN: %check_clang_tidy --check-suffix=REPLACED %s forksafety-* %t -- -- -nostdinc -isystem %mocks -std=c++17 -DREPLACED
// RUN: %check_clang_tidy --check-suffix=USER-ASSIGNMENT %s forksafety-* %t -- -- -nostdinc -isystem %mocks -std=c++17 -DUSER_ASSIGNMENT

// In C++, a fork's result given by list initialization (`Proc p{fork(),
// 3};`, `Proc{fork(), 1}`, a base's fields first) is held in the field,
// and a trivial copy, by construction or by operator=, holds it where the
// original did. An object assigned another value, or assigned through a
// user's operator=, no longer tells the child's way.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

struct Proc {
  pid_t pid;
  int fd;
};

struct Tagged {
  int tag;
};

struct Worker : Tagged {
  pid_t pid;
};

struct Owner {
  pid_t pid;
  Owner &operator=(const Owner &) {
    pid = 0;
    return *this;
  }
};

int main(int, char **argv) {
  pthread_t thread;
  pthread_create(&thread, nullptr, work, nullptr);

  // Must not warn: each child reaches exec or _exit.
  Proc listed{fork(), 3};
  if (listed.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  Proc constructed = listed;
  if (constructed.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  Proc assigned;
  assigned = Proc{fork(), 1};
  if (assigned.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  Proc source{fork(), 2};
  assigned = source;
  if (assigned.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  Worker derived{{7}, fork()};
  if (derived.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

#ifdef REPLACED
  // CHECK-MESSAGES-REPLACED: :[[@LINE+4]]:14: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
  // CHECK-MESSAGES-REPLACED: :40:3: note: threads are created here
  // CHECK-MESSAGES-REPLACED: :103:3: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  // CHECK-MESSAGES-REPLACED: :104:3: note: the child also returns from 'main' without calling exec
  Proc stale{fork(), 3};
  stale = Proc{getpid(), 3};
  if (stale.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
#endif

#ifdef USER_ASSIGNMENT
  // CHECK-MESSAGES-USER-ASSIGNMENT: :[[@LINE+5]]:15: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
  // CHECK-MESSAGES-USER-ASSIGNMENT: :40:3: note: threads are created here
  // CHECK-MESSAGES-USER-ASSIGNMENT: :103:3: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  // CHECK-MESSAGES-USER-ASSIGNMENT: :104:3: note: the child also returns from 'main' without calling exec
  Owner owner;
  owner.pid = fork();
  Owner copy;
  copy = owner;
  if (copy.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
#endif

  printf("started\n");
  return 0;
}
