// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=SOMETIMES %s forksafety-* %t -- -- -nostdinc -isystem %mocks -DSOMETIMES
// RUN: %check_clang_tidy --check-suffix=THREE-VALUES %s forksafety-* %t -- -- -nostdinc -isystem %mocks -DTHREE_VALUES
// RUN: %check_clang_tidy --check-suffix=COUNTED %s forksafety-* %t -- -- -nostdinc -isystem %mocks -DCOUNTED
// RUN: %check_clang_tidy --check-suffix=ADDRESS %s forksafety-* %t -- -- -nostdinc -isystem %mocks -DADDRESS

// A local flag set on the way tells the branches that test it later which
// way the child goes: a flag is a variable a branch tests and that is only
// ever given one of two constants, by its initializer or by assignments;
// a helper the flag is passed to follows it too.
// The value a flag holds at the fork counts too, when every path to the
// fork stored the same one. A variable given more values, counted, or
// whose address is taken is no flag: both ways of its tests stay open.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

// Must not warn: the child always reaches exec or _exit.
static int spawn(char **argv) {
  int in_child = 0;
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0)
    in_child = 1;
  if (in_child) {
    execv(argv[0], argv);
    _exit(127);
  }
  printf("started %d\n", (int)pid);
  return 0;
}

// Must not warn: the parent sets the flag, which was clear at the fork.
static int spawn_from_parent(char **argv) {
  int is_parent = 0;
  pid_t pid = fork();
  if (pid > 0)
    is_parent = 1;
  if (!is_parent) {
    execv(argv[0], argv);
    _exit(127);
  }
  printf("started %d\n", (int)pid);
  return 0;
}

// Must not warn: a switch tests the flag.
static int spawn_quietly(char **argv) {
  _Bool parent = 1;
  pid_t pid = fork();
  if (pid == 0)
    parent = 0;
  switch (parent) {
  case 0:
    execv(argv[0], argv);
    _exit(127);
  default:
    break;
  }
  puts("spawned");
  return pid < 0 ? -1 : 0;
}

// Must not warn: the helper is passed the flag.
static void exec_in_child(int in_child, char **argv) {
  if (in_child) {
    execv(argv[0], argv);
    _exit(127);
  }
}

static int spawn_through_helper(char **argv) {
  int in_child = 0;
  pid_t pid = fork();
  if (pid == 0)
    in_child = 1;
  exec_in_child(in_child, argv);
  puts("spawned");
  return pid < 0 ? -1 : 0;
}

#if defined(ADDRESS)
static void reset_unless_asked(int *role, char **argv) {
  if (!argv[1])
    *role = 0;
}
#endif

// Must warn in each variant: a child may skip exec and reach puts.
static int spawn_unsure(char **argv) {
  int role = 0;
  pid_t pid = fork();
#if defined(SOMETIMES)
  if (pid == 0 && argv[1])
    role = 1;
#elif defined(THREE_VALUES)
  if (pid == 0)
    role = argv[1] ? 2 : 1;
  if (argv[2])
    role = 3;
#elif defined(COUNTED)
  if (pid == 0)
    ++role;
  if (argv[1])
    ++role;
#elif defined(ADDRESS)
  if (pid == 0)
    role = 1;
  reset_unless_asked(&role, argv);
#else
  if (pid == 0)
    role = 1;
#endif
  if (role == 1) {
    execv(argv[0], argv);
    _exit(127);
  }
  puts("spawned");
  return pid < 0 ? -1 : 0;
}

int main(int argc, char **argv) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  if (argc > 4)
    return spawn_through_helper(argv);
  if (argc > 3)
    return spawn_from_parent(argv);
  if (argc > 2)
    return spawn_quietly(argv);
  if (argc > 1)
    return spawn_unsure(argv);
  return spawn(argv);
}

// The child with argv[1] set execs; the other falls through.
// CHECK-MESSAGES-SOMETIMES: :96:15: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES-SOMETIMES: :128:3: note: threads are created here
// CHECK-MESSAGES-SOMETIMES: :118:7: note: the child falls through into code the parent also runs
// CHECK-MESSAGES-SOMETIMES: :122:3: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]

// role takes three values: it is no flag.
// CHECK-MESSAGES-THREE-VALUES: :96:15: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES-THREE-VALUES: :128:3: note: threads are created here
// CHECK-MESSAGES-THREE-VALUES: :103:7: note: the child falls through into code the parent also runs
// CHECK-MESSAGES-THREE-VALUES: :122:3: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]

// A counter is no flag.
// CHECK-MESSAGES-COUNTED: :96:15: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES-COUNTED: :128:3: note: threads are created here
// CHECK-MESSAGES-COUNTED: :108:7: note: the child falls through into code the parent also runs
// CHECK-MESSAGES-COUNTED: :122:3: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]

// A callee given its address may change it.
// CHECK-MESSAGES-ADDRESS: :96:15: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES-ADDRESS: :128:3: note: threads are created here
// CHECK-MESSAGES-ADDRESS: :113:3: note: the child falls through into code the parent also runs
// CHECK-MESSAGES-ADDRESS: :122:3: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
