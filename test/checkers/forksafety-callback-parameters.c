// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks

// A call through a parameter calls what the callers pass there: a helper
// given a callback is followed into it, and so is a static function that
// forks, when every call to it passes a known function.

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
void start_workers(pthread_t *thread) { pthread_create(thread, 0, worker, 0); }

typedef void (*child_main)(void *data);

static void run_quietly(void *data) {
  write(1, data, 1);
  _exit(0);
}
static void run_logging(void *data) {
  printf("child %p\n", data);
  _exit(0);
}
static void return_at_once(void *data) { (void)data; }

static void call_it(child_main proc, void *data) { proc(data); }

void spawn_logging(void) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :13:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+3]]:5: note: call to 'call_it' in the child of a fork is not async-signal-safe: it calls 'printf' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :27:52: note: 'call_it' calls 'run_logging' here
// CHECK-MESSAGES: :22:3: note: 'run_logging' calls 'printf' here
    call_it(run_logging, 0);
    _exit(1);
  }
}

// Every call passes one of these, and one of them logs.
static void spawn_any(child_main proc) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :13:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:5: note: call to 'run_logging' in the child of a fork is not async-signal-safe: it calls 'printf' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :22:3: note: 'run_logging' calls 'printf' here
    proc(0);
    _exit(1);
  }
}

// Its address is taken: anything may be passed.
static void spawn_unknown(child_main proc) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :13:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: cannot verify that 'proc' is async-signal-safe: it is called through a pointer [forksafety-unsafe-call-in-child]
    proc(0);
    _exit(1);
  }
}
void (*spawner)(child_main) = spawn_unknown;

// Must not warn: what is called is async-signal-safe.
void spawn_quietly(void) {
  if (fork() == 0) {
    call_it(run_quietly, 0);
    _exit(1);
  }
}

static void spawn_careful(child_main proc, void *data) {
  if (fork() == 0) {
    if (proc)
      proc(data);
    _exit(1);
  }
}

void start(void) {
  spawn_any(run_quietly);
  spawn_any(run_logging);
  spawn_careful(run_quietly, 0);
  spawn_careful(return_at_once, 0);
  spawn_careful(NULL, 0);
}

// A static spawn function returns the child's pid, but its child runs what
// the callers pass, and none of that returns: it is no fork wrapper, and the
// callers' code after the call is the parent's.
static pid_t spawn_pid(child_main proc) {
  pid_t pid = fork();
  if (pid == 0)
    proc(0);
  return pid;
}

void start_pool(void) {
  pid_t pid = spawn_pid(run_quietly);
  printf("started %d\n", (int)pid);
}
