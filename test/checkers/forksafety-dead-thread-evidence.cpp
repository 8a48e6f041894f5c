// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -std=c++17 -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=LIVE %s forksafety-fork-in-threaded-program %t -- -- -std=c++17 -nostdinc -isystem %mocks -DLIVE
// RUN: %check_clang_tidy --check-suffix=UNSEEN %s forksafety-fork-in-threaded-program %t -- -- -std=c++17 -nostdinc -isystem %mocks -DUNSEEN

// Thread creation is evidence only in code that can run: not in a template
// never instantiated, nor in a function of internal linkage that nothing
// calls, takes the address of or runs from an initializer, directly or
// through another such function.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

template <typename T> void start_pool(T *arg) {
  pthread_t thread;
  pthread_create(&thread, 0, work, arg);
}

static void start_workers(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
}

// Only a function that itself never runs calls start_workers.
static void unused_setup(void) { start_workers(); }

// Only a function that never runs, and a table only it reads, take the
// addresses of these.
static void start_indexer(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
}
static void start_cleaner(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
}
static void (*const startup_table[])(void) = {start_cleaner};
void register_startup(void (*)(void));
static void unused_registration(void) {
  register_startup(start_indexer);
  register_startup(startup_table[0]);
}

namespace {
void unused_in_anonymous_namespace() {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
}
} // namespace

void library_call_without_definition(void);

int main() {
#ifdef LIVE
  start_workers();
#endif
  library_call_without_definition();
  if (fork() == 0) {
// CHECK-MESSAGES-LIVE: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES-LIVE: :23:3: note: threads are created here
// A call without a definition is no thread creation: the note says what is
// known.
// CHECK-MESSAGES-UNSEEN: :[[@LINE-5]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES-UNSEEN: :[[@LINE-7]]:3: note: the thread state after this call is unknown: no definition of the function is visible
    printf("child\n");
    _exit(0);
  }
#ifdef UNSEEN
  start_workers(); // Threads, but only after the fork.
#endif
  return 0;
}
