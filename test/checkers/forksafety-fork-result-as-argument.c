// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=CHILD %s forksafety-* %t -- -- -nostdinc -isystem %mocks -DCHILD

// A fork's result passed to a helper, or a flag computed from it, is known
// in the child: 0, and the flag's value there. The helper is followed only
// on the paths that value takes.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

static void after_fork(pid_t pid, char **argv) {
  if (pid == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
  printf("started %d\n", (int)pid);
}

static void child_or_parent(int in_child, char **argv) {
  if (!in_child) {
    printf("parent\n");
    return;
  }
#ifdef CHILD
  printf("child\n");
#endif
  execv(argv[0], argv);
  _exit(127);
}

int main(int argc, char **argv) {
  (void)argc;
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  pid_t pid = fork();
  after_fork(pid, argv);
  pid = fork();
  if (pid < 0)
    return 1;
  int in_child = pid == 0;
  // CHECK-MESSAGES-CHILD: :[[@LINE+2]]:3: warning: call to 'child_or_parent' in the child of a fork is not async-signal-safe: it calls 'printf' [forksafety-unsafe-call-in-child]
  // CHECK-MESSAGES-CHILD: :28:3: note: 'child_or_parent' calls 'printf' here
  child_or_parent(in_child, argv);
  return 0;
}
