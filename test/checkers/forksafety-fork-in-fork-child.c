// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks

// The child of a fork has one thread, the one that forked: a fork that runs
// only in such a child, on every path to it, runs where no other thread
// does, unless the child started one since. The first fork is reported for
// what its child does, the second fork among it; the second is not a fork
// site of its own.

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

// The classic daemon: the first child forks again, and only the grandchild
// goes on. `pid < 0` and `pid > 0` both failing leave only the child.
static void daemonize(void) {
  pid_t pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE+161]]:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+12]]:1: note: the child returns from 'daemonize' without calling exec
  if (pid < 0)
    _exit(1);
  if (pid > 0)
    _exit(0);
  setsid();
  pid = fork();
  if (pid < 0)
    _exit(1);
  if (pid != 0)
    _exit(0);
  chdir("/");
}

static void switch_on_fork(void) {
  switch (fork()) {
// CHECK-MESSAGES: :[[@LINE-1]]:11: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE+143]]:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+9]]:5: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  case -1:
    _exit(1);
  case 0:
    break;
  default:
    _exit(0);
  }
  if (fork() == 0)
    puts("grandchild");
  _exit(0);
}

// The result assigned in the condition that tests it.
static void assign_in_condition(void) {
  pid_t pid;
  if ((pid = fork()) < 0)
// CHECK-MESSAGES: :[[@LINE-1]]:14: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE+124]]:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+5]]:5: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    _exit(1);
  else if (pid != 0)
    _exit(0);
  if ((pid = fork()) == 0)
    puts("grandchild");
  _exit(0);
}

// daemon() returns 0 in its child, the parent having exited inside it.
static void after_daemon(void) {
  if (daemon(0, 0) != 0)
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'daemon' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE+110]]:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+3]]:5: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    _exit(1);
  if (fork() == 0)
    puts("grandchild");
  _exit(0);
}

// Must warn: the child starts a thread before it forks again.
static void thread_in_child(void) {
  pid_t pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE+98]]:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+10]]:7: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE+3]]:5: note: call to 'pthread_create' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  if (pid == 0) {
    pthread_t t;
    pthread_create(&t, NULL, work, NULL);
    pid_t again = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:19: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE-3]]:5: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:7: note: the child calls 'puts', which is not async-signal-safe
    if (again == 0)
      puts("grandchild");
    _exit(0);
  }
}

// Must warn: when the first fork fails, the process that forks again is the
// threaded one.
static void failure_goes_on(void) {
  pid_t pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE+77]]:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+8]]:5: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  if (pid > 0)
    _exit(0);
  pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE+71]]:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:5: note: the child calls 'puts', which is not async-signal-safe
  if (pid == 0)
    puts("child");
  _exit(0);
}

// Must warn: the parent reaches the second fork too.
static void both_reach(void) {
  pid_t pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE+60]]:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+4]]:3: note: the child falls through into code the parent also runs
// CHECK-MESSAGES: :[[@LINE+8]]:5: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  if (pid == 0)
    setsid();
  pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE+53]]:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:5: note: the child calls 'puts', which is not async-signal-safe
  if (pid == 0)
    puts("child");
  _exit(0);
}

// Must warn: another fork ran between the first and the test of its
// result, after the first child started a thread.
static void tested_after_another_fork(void) {
  pid_t pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE+41]]:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+15]]:5: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE+2]]:3: note: call to 'pthread_create' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  pthread_t helper;
  pthread_create(&helper, NULL, work, NULL);
  fork();
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE-3]]:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+8]]:5: note: the child calls 'puts', which is not async-signal-safe
  if (pid != 0)
    _exit(0);
  pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE-9]]:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:5: note: the child calls 'puts', which is not async-signal-safe
  if (pid == 0)
    puts("child");
  _exit(0);
}

// Must warn: the child of vfork shares its parent's memory, which the
// parent's other threads go on changing.
static void after_vfork(void) {
  pid_t pid = vfork();
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: child of 'vfork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE+16]]:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+9]]:5: note: call to 'puts' in the child of a vfork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE+3]]:9: note: call to 'fork' in the child of a vfork is not allowed: only exec functions and '_exit' may be called there [forksafety-unsafe-call-in-child]
  if (pid != 0)
    return;
  pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE+9]]:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:5: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  if (pid == 0)
    puts("child");
  _exit(0);
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  daemonize();
  switch_on_fork();
  assign_in_condition();
  after_daemon();
  thread_in_child();
  failure_goes_on();
  both_reach();
  tested_after_another_fork();
  after_vfork();
  return 0;
}
