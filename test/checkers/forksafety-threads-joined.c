// A fork after the program joined every thread it created is safe: the
// handles are followed from pthread_create to pthread_join on every path to
// the fork. A detached thread, a handle reused before its join, or a join
// some path skips leaves a thread that may still run.
// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=DETACHED %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DDETACHED
// RUN: %check_clang_tidy --check-suffix=ONE-PATH %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DONE_PATH
// RUN: %check_clang_tidy --check-suffix=REUSED %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DREUSED
// RUN: %check_clang_tidy --check-suffix=SOME %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DSOME_ELEMENTS
// RUN: %check_clang_tidy --check-suffix=BREAK %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DBREAK
// RUN: %check_clang_tidy --check-suffix=LOST %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DLOST
// RUN: %check_clang_tidy --check-suffix=INSIDE %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DINSIDE
// RUN: %check_clang_tidy --check-suffix=SKIPPED %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DSKIPPED

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define WORKERS 4

static void *work(void *arg) { return arg; }

static void run_child(const char *what) {
  if (fork() == 0) {
    puts(what);
    _exit(0);
  }
}

// Must not warn: each function joins what it created before the fork.
static void joined_scalar(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  pthread_join(thread, 0);
}

static void joined_array(void) {
  pthread_t threads[WORKERS];
  for (int i = 0; i < WORKERS; ++i)
    pthread_create(&threads[i], 0, work, 0);
  for (int i = 0; i < WORKERS; ++i)
    pthread_join(threads[i], 0);
}

// The same count, not a constant: the loops name the same elements.
static void joined_counted(int count) {
  pthread_t threads[64];
  for (int i = 0; i < count; i++)
    pthread_create(&threads[i], 0, work, 0);
  for (int i = 0; i < count; i++)
    pthread_join(threads[i], 0);
}

// Handles in globals, created and joined by different functions.
static pthread_t g_workers[WORKERS];
static pthread_t g_logger;
static void start_pool(void) {
  for (int i = 0; i < WORKERS; ++i)
    pthread_create(&g_workers[i], 0, work, 0);
  pthread_create(&g_logger, 0, work, 0);
}
static void stop_pool(void) {
  pthread_join(g_logger, 0);
  for (unsigned i = 0; i < sizeof g_workers / sizeof g_workers[0]; ++i)
    pthread_join(g_workers[i], 0);
}

struct server {
  pthread_t listener;
};
static void serve(struct server *s) { (void)s; }
static void run_server(void) {
  struct server s;
  pthread_create(&s.listener, 0, work, 0);
  serve(&s);
  pthread_join(s.listener, 0);
}

#if defined(DETACHED)
static void detached(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  pthread_detach(thread);
}
#elif defined(ONE_PATH)
static void joined_on_one_path(int wait) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  if (wait)
    pthread_join(thread, 0);
}
#elif defined(REUSED)
// The first thread's handle is overwritten: only the second is joined.
static void reused_handle(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  pthread_create(&thread, 0, work, 0);
  pthread_join(thread, 0);
}
#elif defined(SOME_ELEMENTS)
static void joins_fewer(void) {
  pthread_t threads[WORKERS];
  for (int i = 0; i < WORKERS; ++i)
    pthread_create(&threads[i], 0, work, 0);
  for (int i = 0; i < WORKERS - 1; ++i)
    pthread_join(threads[i], 0);
}
#elif defined(BREAK)
static void stops_early(int n) {
  pthread_t threads[WORKERS];
  for (int i = 0; i < WORKERS; ++i)
    pthread_create(&threads[i], 0, work, 0);
  for (int i = 0; i < WORKERS; ++i) {
    if (i == n)
      break;
    pthread_join(threads[i], 0);
  }
}
#elif defined(SKIPPED)
// The join loop runs only when asked: the other path skips it.
static void joins_if_asked(int wait) {
  pthread_t threads[WORKERS];
  for (int i = 0; i < WORKERS; ++i)
    pthread_create(&threads[i], 0, work, 0);
  if (wait)
    for (int i = 0; i < WORKERS; ++i)
      pthread_join(threads[i], 0);
}
#elif defined(LOST)
// The handle is gone when the function returns: nobody can join it.
static void forgets(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
}
#endif

int main(int argc, char **argv) {
  (void)argv;
  joined_scalar();
  joined_array();
  joined_counted(argc);
  start_pool();
  stop_pool();
  run_server();
#if defined(INSIDE)
  // A fork between the creation and the join.
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  run_child("inside");
  pthread_join(thread, 0);
#elif defined(DETACHED)
  detached();
#elif defined(ONE_PATH)
  joined_on_one_path(argc > 1);
#elif defined(REUSED)
  reused_handle();
#elif defined(SOME_ELEMENTS)
  joins_fewer();
#elif defined(BREAK)
  stops_early(argc);
#elif defined(SKIPPED)
  joins_if_asked(argc > 1);
#elif defined(LOST)
  forgets();
#endif
  run_child("after");
  return 0;
}
// CHECK-MESSAGES-DETACHED: :24:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-ONE-PATH: :24:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-REUSED: :24:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-SOME: :24:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-BREAK: :24:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-LOST: :24:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-INSIDE: :24:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-SKIPPED: :24:7: warning: child of 'fork' may run program code
