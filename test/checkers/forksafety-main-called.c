// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks

// A child that calls main, by name or through its address, runs all that
// main does: main's paths are recorded whenever its own file calls it.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
static int (*entry)(int, char **);

int main(int argc, char **argv) {
  if (argc > 3)
    return 0;
  pthread_t thread;
  pthread_create(&thread, 0, worker, 0);
  entry = main;
  if (fork() == 0) {
    main(argc + 1, argv);
    _exit(0);
  }
  if (fork() == 0) {
    entry(argc + 1, argv);
    _exit(0);
  }
  printf("parent\n");
  return 0;
}

// CHECK-MESSAGES: :19:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :17:3: note: threads are created here
// CHECK-MESSAGES: :20:5: note: call to 'main' in the child of a fork is not async-signal-safe: it calls 'printf' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :27:3: note: 'main' calls 'printf' here
// CHECK-MESSAGES: :20:5: note: 'main' calls 'main' here
// CHECK-MESSAGES: :27:3: note: 'main' calls 'printf' here
// CHECK-MESSAGES: :23:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :17:3: note: threads are created here
// CHECK-MESSAGES: :24:5: note: call to 'main' in the child of a fork is not async-signal-safe: it calls 'printf' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :27:3: note: 'main' calls 'printf' here
// CHECK-MESSAGES: :20:5: note: 'main' calls 'main' here
// CHECK-MESSAGES: :27:3: note: 'main' calls 'printf' here
