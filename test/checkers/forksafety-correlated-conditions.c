// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks

// The tests that chose a fork call hold on its child's paths until the tested
// variable is written, and so does a value computed from the fork's result
// and stored: later tests of either are decided on each path.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define NULL ((void *)0)

static void *worker(void *arg) { return arg; }
void start_workers(void) {
  pthread_t thread;
  pthread_create(&thread, 0, worker, 0);
}

//===--- Must warn ---------------------------------------------------------===//

// Only the child of fork calls the hook; pid holds the result of either call,
// so neither child returns.
void hook_in_fork_child_only(void (*hook)(void)) {
  pid_t pid = hook ? fork() : vfork();
// CHECK-MESSAGES: :[[@LINE-1]]:22: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :16:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+3]]:7: note: cannot verify that 'hook' is async-signal-safe: it is called through a pointer [forksafety-unsafe-call-in-child]
  if (pid == 0) {
    if (hook)
      hook();
    _exit(1);
  }
}

// Nonzero says nothing of the sign.
void nonzero_has_no_sign(int mode) {
  if (mode != 0) {
    pid_t pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:17: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :16:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+5]]:9: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    if (pid == 0) {
      if (mode == 0)
        printf("never\n");
      if (mode < 0)
        printf("negative\n");
      _exit(0);
    }
  }
}

// The stored value is overwritten by one the fork's result does not decide.
void stored_then_reassigned(int fd) {
  pid_t pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :16:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+6]]:3: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE+6]]:1: note: the child also returns from 'stored_then_reassigned' without calling exec
  int child = pid == 0;
  child = fd > 2;
  if (child)
    _exit(1);
  printf("parent\n");
}

static void clear(int *flag) { *flag = 0; }

// A variable whose address is taken may change where the walk does not see.
void address_taken(int verbose) {
  if (verbose) {
    pid_t pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:17: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :16:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+4]]:9: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    if (pid == 0) {
      clear(&verbose);
      if (!verbose)
        printf("quiet\n");
      _exit(0);
    }
  }
}

// The test no longer holds when the fork runs. (Written with a constant,
// the parameter would be a flag holding that constant in the child.)
void written_before_fork(int verbose) {
  if (verbose) {
    verbose = verbose > 1;
    pid_t pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:17: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :16:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+3]]:9: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    if (pid == 0) {
      if (verbose)
        printf("verbose\n");
      _exit(0);
    }
  }
}

// Both children go on in the code the parent also runs, recorded once for
// both forks: only the first prints there.
void shared_tail(int verbose, int fd) {
  pid_t pid;
  if (verbose)
    pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:11: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :16:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+6]]:7: note: the child falls through into code the parent also runs
// CHECK-MESSAGES: :[[@LINE+6]]:5: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  else
    pid = fork();
  if (pid == 0)
    close(fd);
  if (pid == 0 && verbose)
    printf("child\n");
  if (pid == 0)
    _exit(0);
}

//===--- Must not warn -----------------------------------------------------===//

// The vfork child knows that verbose is 0.
void choice_in_conditional(int verbose) {
  pid_t pid = verbose ? fork() : vfork();
  if (pid == 0) {
    if (verbose == 0)
      _exit(0);
    write(2, "child\n", 6);
    _exit(0);
  }
}

void choice_in_if_else(void (*hook)(void)) {
  pid_t pid;
  if (hook != NULL)
    pid = vfork();
  else
    pid = fork();
  if (pid == 0) {
    if (hook == NULL)
      write(2, "child\n", 6);
    _exit(1);
  }
}

// Calls and tests written in macros: the statements that chose the fork are
// found all the same.
#define SPAWN_WITH(call) (call)
#define FORK_NOW() fork()
#define CHOOSE_FORK(hook, pid)                                                 \
  do {                                                                         \
    if ((hook) != NULL)                                                        \
      pid = vfork();                                                           \
    else                                                                       \
      pid = fork();                                                            \
  } while (0)

void choice_in_macro_arguments(void (*hook)(void)) {
  pid_t pid;
  if (hook != NULL)
    pid = SPAWN_WITH(vfork());
  else
    pid = FORK_NOW();
  if (pid == 0) {
    if (hook == NULL)
      write(2, "child\n", 6);
    _exit(1);
  }
}

void choice_in_one_macro(void (*hook)(void)) {
  pid_t pid;
  CHOOSE_FORK(hook, pid);
  if (pid == 0) {
    if (hook == NULL)
      write(2, "child\n", 6);
    _exit(1);
  }
}

void choice_by_constant(int mode) {
  pid_t pid;
  if (mode == 2)
    pid = vfork();
  else if (mode != 3)
    pid = fork();
  else
    return;
  if (pid == 0) {
    if (mode != 2)
      write(2, "child\n", 6);
    _exit(1);
  }
}

void choice_expected(int verbose) {
  pid_t pid;
  if (__builtin_expect(!verbose, 1))
    pid = vfork();
  else
    pid = fork();
  if (pid == 0) {
    if (verbose)
      write(2, "child\n", 6);
    _exit(1);
  }
}

void stored_result(void) {
  pid_t pid = fork();
  int child = pid == 0;
  if (child) {
    _exit(1);
  }
  printf("parent\n");
}

void stored_result_expected(void) {
  pid_t pid = fork();
  int child = __builtin_expect(pid == 0, 0);
  if (__builtin_expect(child, 0))
    _exit(1);
  printf("parent\n");
}

void stored_result_chosen(void) {
  pid_t pid = fork();
  int role = pid == 0 ? 2 : pid > 0 ? 1 : 0;
  switch (role) {
  case 2:
    _exit(1);
  case 1:
    printf("parent\n");
    break;
  default:
    perror("fork");
  }
}

// The child leaves the code only it runs with the stored value.
void stored_result_in_continuation(int fd) {
  pid_t pid = fork();
  int child = pid == 0;
  if (pid == 0)
    close(fd);
  if (child)
    _exit(0);
  printf("parent\n");
}

void stored_result_in_loop(int n) {
  pid_t pid = fork();
  int child = pid == 0;
  for (int i = 0; i < n; i++) {
    if (child)
      continue;
    printf("parent %d\n", i);
  }
  if (child)
    _exit(0);
}

void fork_in_loop(int tries) {
  int in_child = 0;
  while (tries-- > 0) {
    pid_t pid = fork();
    in_child = pid == 0;
    if (in_child)
      break;
    in_child = !in_child;
    in_child = !in_child;
    printf("parent\n");
  }
  if (in_child)
    _exit(0);
  printf("done\n");
}
