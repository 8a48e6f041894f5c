// RUN: %check_clang_tidy --check-suffix=OTHER %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DOTHER_FILE
// RUN: %check_clang_tidy --check-suffix=HERE %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks

// The initializers of globals run before main: what they call may have
// started threads by the time main forks. A constructor defined in another
// file is a call whose effect is unknown here, and the note names the global
// it initializes; one defined here is followed (must not warn: it starts no
// thread, so the daemon's fork comes before the first one). The whole
// program resolves the call (test/tool/global-initializers.test, with
// Inputs/initializers/objects.cpp, which also defines a pool whose
// constructor starts a thread).

#include <pthread.h>
#include <unistd.h>

struct Registry {
  Registry();
  int entries = 0;
};
struct Pool {
  Pool();
};

#ifndef OTHER_FILE
Registry::Registry() { entries = 1; }
#endif

Registry registry;
#ifdef WITH_POOL
Pool pool;
#endif

static void *serve(void *arg) { return arg; }

int main() {
  if (fork() > 0)
    _exit(0);
// CHECK-MESSAGES-OTHER: :[[@LINE-2]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES-OTHER: :28:10: note: the thread state after this call is unknown: no definition of the function is visible
// CHECK-MESSAGES-OTHER: :[[@LINE+5]]:3: note: the child returns from 'main' without calling exec
  setsid();
  pthread_t worker;
  pthread_create(&worker, nullptr, serve, nullptr);
  pthread_join(worker, nullptr);
  return 0;
}
