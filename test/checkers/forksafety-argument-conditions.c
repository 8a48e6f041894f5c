// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks

// A helper that does unsafe work only for some values of a parameter is
// followed, at each call, only on the paths its arguments allow: an error
// message formatted only when the error-out pointer is not null, a lock
// taken only when a flag is set.

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
void start_workers(pthread_t *thread) { pthread_create(thread, 0, worker, 0); }

static pthread_mutex_t log_lock;

static int open_file(const char *path, char **error) {
  if (error) {
    *error = malloc(64);
    snprintf(*error, 64, "cannot open %s", path);
  }
  return -1;
}

static int open_file_early_out(const char *path, char **error) {
  if (error == NULL)
    return -1;
  *error = malloc(64);
  return -1;
}

static void write_line(int fd, const char *line, int locked) {
  if (locked == 1)
    pthread_mutex_lock(&log_lock);
  write(fd, line, 1);
  if (locked == 1)
    pthread_mutex_unlock(&log_lock);
}

static void log_line(const char *line, int locked) {
  write_line(2, line, locked);
}

static void log_expected(const char *line, int locked) {
  if (__builtin_expect(!locked, 1))
    return;
  pthread_mutex_lock(&log_lock);
}

// The flag is overwritten before it is tested: its argument says nothing.
static void write_overwritten(int locked) {
  locked = locked + 1;
  if (locked == 1)
    pthread_mutex_lock(&log_lock);
}

static void walk(int depth, int locked) {
  if (locked)
    pthread_mutex_lock(&log_lock);
  if (depth > 0)
    walk(depth - 1, locked);
}

void child_with_error_out(void) {
  char *error;
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :14:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:5: note: call to 'open_file' in the child of a fork is not async-signal-safe: it calls 'malloc' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :20:14: note: 'open_file' calls 'malloc' here
    open_file("/etc/passwd", &error);
    open_file_early_out("/etc/passwd", &error);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'open_file_early_out' in the child of a fork is not async-signal-safe: it calls 'malloc' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :29:12: note: 'open_file_early_out' calls 'malloc' here
// CHECK-MESSAGES: :[[@LINE-9]]:7: note: child process created by 'fork' here
    _exit(1);
  }
}

void child_with_lock(int locked) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :14:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+3]]:5: note: call to 'log_line' in the child of a fork is not async-signal-safe: it calls 'pthread_mutex_lock' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :42:3: note: 'log_line' calls 'write_line' here
// CHECK-MESSAGES: :35:5: note: 'write_line' calls 'pthread_mutex_lock' here
    log_line("child", 1);
    log_line("child", locked);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'log_line' in the child of a fork is not async-signal-safe: it calls 'pthread_mutex_lock' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :42:3: note: 'log_line' calls 'write_line' here
// CHECK-MESSAGES: :35:5: note: 'write_line' calls 'pthread_mutex_lock' here
// CHECK-MESSAGES: :[[@LINE-11]]:7: note: child process created by 'fork' here
    write_overwritten(0);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'write_overwritten' in the child of a fork is not async-signal-safe: it calls 'pthread_mutex_lock' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :55:5: note: 'write_overwritten' calls 'pthread_mutex_lock' here
// CHECK-MESSAGES: :[[@LINE-15]]:7: note: child process created by 'fork' here
    log_expected("child", 2);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'log_expected' in the child of a fork is not async-signal-safe: it calls 'pthread_mutex_lock' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :48:3: note: 'log_expected' calls 'pthread_mutex_lock' here
// CHECK-MESSAGES: :[[@LINE-19]]:7: note: child process created by 'fork' here
    walk(3, 1);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'walk' in the child of a fork is not async-signal-safe: it calls 'pthread_mutex_lock' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :60:5: note: 'walk' calls 'pthread_mutex_lock' here
// CHECK-MESSAGES: :[[@LINE-23]]:7: note: child process created by 'fork' here
    _exit(1);
  }
}

// Must not warn: the arguments rule out every unsafe path.
void child_without_error_out(void) {
  if (fork() == 0) {
    open_file("/etc/passwd", NULL);
    open_file("/etc/passwd", 0);
    open_file_early_out("/etc/passwd", NULL);
    _exit(1);
  }
}

void child_without_lock(void) {
  if (fork() == 0) {
    write_line(2, "child", 0);
    write_line(2, "child", 2);
    log_line("child", 0);
    log_expected("child", 0);
    walk(3, 0);
    _exit(1);
  }
}

// A switch on a parameter with one case is no true-or-false branch.
static void lock_by_mode(int mode) {
  switch (mode) {
  case 0:
    pthread_mutex_lock(&log_lock);
    break;
  }
}

void child_with_mode(void) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :14:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:5: note: call to 'lock_by_mode' in the child of a fork is not async-signal-safe: it calls 'pthread_mutex_lock' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE-10]]:5: note: 'lock_by_mode' calls 'pthread_mutex_lock' here
    lock_by_mode(0);
    _exit(1);
  }
}
