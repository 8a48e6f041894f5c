// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -std=c++17 -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=LAMBDA %s forksafety-fork-in-threaded-program %t -- -- -std=c++17 -nostdinc -isystem %mocks -DLAMBDA

// A flag set once the thread runs ties it to the join that tests the flag,
// unless a lambda may write the flag when it runs, out of sight of the
// function's own statements.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

static void run_listener(bool restart) {
  pthread_t listener;
  bool started = false;
  if (pthread_create(&listener, nullptr, work, nullptr) == 0)
    started = true;
#ifdef LAMBDA
  auto forget = [&] { started = false; };
  if (restart)
    forget();
#else
  (void)restart;
#endif
  if (started)
    pthread_join(listener, nullptr);
}

int main(int argc, char **) {
  run_listener(argc > 1);
  if (fork() == 0) {
    // CHECK-MESSAGES-LAMBDA: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-LAMBDA: :17:7: note: threads are created here
    printf("child\n");
    _exit(0);
  }
  return 0;
}
