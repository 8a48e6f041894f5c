// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks

// A function that returns its fork's result is a fork wrapper, whose calls
// are fork sites, only if its child may return: a child that runs a server
// loop, which ends the process with exit and never leaves, never comes back
// to the caller. Its fork is reported for what its child does, and the
// caller's code after the call runs only in the parent.

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

static void serve(void) {
  for (;;) {
    if (getpid() == 1)
      exit(0);
    sleep(1);
  }
}

static void run(void) { serve(); }

pid_t start_server(void) {
  pid_t pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE+17]]:3: note: threads are created here
  if (pid < 0) {
    perror("fork");
    exit(1);
  } else if (pid == 0) {
    run();
// CHECK-MESSAGES: :[[@LINE-1]]:5: note: call to 'run' in the child of a fork is not async-signal-safe: it calls 'exit' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE-12]]:25: note: 'run' calls 'serve' here
// CHECK-MESSAGES: :[[@LINE-18]]:7: note: 'serve' calls 'exit' here
  } else if (pid > 0) {
    printf("started %d\n", (int)pid);
  }
  return pid;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  // Must not warn: only the parent returns from start_server.
  start_server();
  printf("parent\n");
  return 0;
}
