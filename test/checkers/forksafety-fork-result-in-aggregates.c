// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=OVERWRITTEN %s forksafety-* %t -- -- -nostdinc -isystem %mocks -DOVERWRITTEN
// RUN: %check_clang_tidy --check-suffix=OTHER-ELEMENT %s forksafety-* %t -- -- -nostdinc -isystem %mocks -DOTHER_ELEMENT
// RUN: %check_clang_tidy --check-suffix=UNION %s forksafety-* %t -- -- -nostdinc -isystem %mocks -DUNION
// RUN: %check_clang_tidy --check-suffix=COPY-OF-OTHER %s forksafety-* %t -- -- -nostdinc -isystem %mocks -DCOPY_OF_OTHER

// A fork's result given to a field or an element by a braced initializer
// is held there, as it is after an assignment: `{.pid = fork()}`, by
// position, nested, in an array, in a union's member, and in a compound
// literal assigned later. Unnamed bit-fields take no value. A structure
// copied whole (`struct proc q = p;`, `k = j;`, `{"worker", p}`) holds it
// where the original did. Overwriting the field, testing another element, reading a union
// member other than the one written, or copying a structure that does not
// hold it leaves the child's way open.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

struct proc {
  pid_t pid;
  int fd;
};

struct job {
  const char *name;
  unsigned : 3;
  struct proc proc;
};

union slot {
  pid_t pid;
  long raw;
};

int main(int argc, char **argv) {
  (void)argc;
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);

  // Must not warn: each child reaches exec or _exit.
  struct proc designated = {.pid = fork(), .fd = 3};
  if (designated.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  struct proc positional = {fork(), 4};
  if (positional.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  struct job nested = {.name = "worker", .proc = {.pid = fork()}};
  if (nested.proc.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  struct job after_bit_field = {"worker", {fork(), 5}};
  if (after_bit_field.proc.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  pid_t pair[2] = {-1, fork()};
  if (pair[1] == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  union slot written = {.pid = fork()};
  if (written.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  struct proc assigned;
  assigned = (struct proc){.fd = 1, .pid = fork()};
  if (assigned.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  struct proc original;
  original.pid = fork();
  struct proc copied = original;
  if (copied.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  struct job from;
  from.proc.pid = fork();
  struct job to;
  to = from;
  if (to.proc.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

  struct proc inner;
  inner.pid = fork();
  struct job wrapped = {"worker", inner};
  if (wrapped.proc.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }

#ifdef OVERWRITTEN
  // CHECK-MESSAGES-OVERWRITTEN: :[[@LINE+4]]:32: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
  // CHECK-MESSAGES-OVERWRITTEN: :41:3: note: threads are created here
  // CHECK-MESSAGES-OVERWRITTEN: :163:3: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  // CHECK-MESSAGES-OVERWRITTEN: :164:3: note: the child also returns from 'main' without calling exec
  struct proc reused = {.pid = fork()};
  reused.pid = getpid();
  if (reused.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
#endif

#ifdef OTHER_ELEMENT
  // CHECK-MESSAGES-OTHER-ELEMENT: :[[@LINE+4]]:21: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
  // CHECK-MESSAGES-OTHER-ELEMENT: :41:3: note: threads are created here
  // CHECK-MESSAGES-OTHER-ELEMENT: :163:3: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  // CHECK-MESSAGES-OTHER-ELEMENT: :164:3: note: the child also returns from 'main' without calling exec
  pid_t first[2] = {fork(), -1};
  if (first[1] == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
#endif

#ifdef UNION
  // CHECK-MESSAGES-UNION: :[[@LINE+4]]:26: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
  // CHECK-MESSAGES-UNION: :41:3: note: threads are created here
  // CHECK-MESSAGES-UNION: :163:3: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  // CHECK-MESSAGES-UNION: :164:3: note: the child also returns from 'main' without calling exec
  union slot s = {.pid = fork()};
  if (s.raw == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
#endif

#ifdef COPY_OF_OTHER
  // CHECK-MESSAGES-COPY-OF-OTHER: :[[@LINE+5]]:14: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
  // CHECK-MESSAGES-COPY-OF-OTHER: :41:3: note: threads are created here
  // CHECK-MESSAGES-COPY-OF-OTHER: :163:3: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
  // CHECK-MESSAGES-COPY-OF-OTHER: :164:3: note: the child also returns from 'main' without calling exec
  struct proc other = {.pid = getpid()};
  other.fd = fork();
  struct proc copy = other;
  if (copy.pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
#endif

  printf("started\n");
  return 0;
}
