// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=FIRST %s forksafety-* %t -- -- -nostdinc -isystem %mocks -DFIRST

// A test of a parameter on either side of `&&` or `||` keeps the paths it
// rules out: the part of the condition a block evaluates is the one its
// branch tests.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }
static int verbose;

static void after_fork(int in_child, char **argv) {
#ifdef FIRST
  if (in_child || verbose) printf("started\n");
#else
  if (verbose && !in_child)
    printf("started a child\n");
  if (!verbose || in_child)
    ;
  else
    printf("started one more\n");
#endif
  if (in_child) {
    execv(argv[0], argv);
    _exit(127);
  }
}

int main(int argc, char **argv) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  verbose = argc > 2;
  pid_t pid = fork();
  if (pid == 0)
    // CHECK-MESSAGES-FIRST: :[[@LINE+2]]:5: warning: call to 'after_fork' in the child of a fork is not async-signal-safe: it calls 'printf' [forksafety-unsafe-call-in-child]
    // CHECK-MESSAGES-FIRST: :17:28: note: 'after_fork' calls 'printf' here
    after_fork(1, argv);
  else
    after_fork(0, argv);
  return 0;
}
