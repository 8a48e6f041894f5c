// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=WRITTEN %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DWRITTEN
// RUN: %check_clang_tidy --check-suffix=ESCAPES %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DESCAPES
// RUN: %check_clang_tidy --check-suffix=ESCAPES %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DESCAPES -DSTEPPED_LATER
// RUN: %check_clang_tidy --check-suffix=OPPOSITE %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DOPPOSITE
// RUN: %check_clang_tidy --check-suffix=RESET %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DRESET
// RUN: %check_clang_tidy --check-suffix=THRESHOLD %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DTHRESHOLD
// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DPOSITIVE
// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DAT_MOST_ZERO

// A thread created only when a local variable is not 0, and joined only
// when it is not 0 either: on the path that skips the join the variable is
// 0, so the thread was never created, as long as nothing wrote the
// variable in between. Only the function's own statements may write it:
// not once its address is passed on, whatever the function does with it
// afterwards (`offset++`). A flag set once the thread runs
// (`started = 1`) tells the same. A test that fails for some values other
// than 0 (`offset > 100`) does not tell that the variable is 0; for an
// unsigned variable, `offset > 0` does, and so does `!(offset <= 0)`.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

struct loader {
  pthread_t tid;
  unsigned long offset;
};

unsigned long find_offset(int count);
void update(unsigned long *offset);
void die(const char *message) __attribute__((noreturn));

static void *load(void *arg) { return arg; }

static void read_index(int count) {
  unsigned long offset = 0;
  struct loader loader;
  if (count > 1) {
    offset = find_offset(count);
    if (offset) {
      loader.offset = offset;
      if (pthread_create(&loader.tid, 0, load, &loader))
        die("cannot start");
    }
  }
#ifdef WRITTEN
  offset = 0;
#endif
#ifdef ESCAPES
  update(&offset);
#endif
#if defined(OPPOSITE)
  if (!offset) {
#elif defined(THRESHOLD)
  if (offset > 100) {
#elif defined(POSITIVE)
  if (offset > 0) {
#elif defined(AT_MOST_ZERO)
  if (!(offset <= 0)) {
#else
  if (offset) {
#endif
    if (pthread_join(loader.tid, 0))
      die("cannot join");
  } else {
    load(&loader);
  }
#ifdef STEPPED_LATER
  offset++;
#endif
}

static void run_listener(void) {
  pthread_t listener;
  int started = 0;
  if (pthread_create(&listener, 0, load, 0))
    goto cleanup;
  started = 1;
#ifdef RESET
  started = 0;
#endif
cleanup:
  if (started)
    pthread_join(listener, 0);
}

int main(int argc, char **argv) {
  (void)argv;
  read_index(argc);
  run_listener();
  if (fork() == 0) {
    // CHECK-MESSAGES-WRITTEN: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-WRITTEN: :43:11: note: threads are created here
    // CHECK-MESSAGES-ESCAPES: :[[@LINE-3]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-ESCAPES: :43:11: note: threads are created here
    // CHECK-MESSAGES-OPPOSITE: :[[@LINE-5]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-OPPOSITE: :43:11: note: threads are created here
    // CHECK-MESSAGES-RESET: :[[@LINE-7]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-RESET: :77:7: note: threads are created here
    // CHECK-MESSAGES-THRESHOLD: :[[@LINE-9]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-THRESHOLD: :43:11: note: threads are created here
    printf("child\n");
    _exit(0);
  }
  return 0;
}

unsigned long find_offset(int count) { return count > 2 ? 64 : 0; }
void update(unsigned long *offset) { *offset = 0; }
