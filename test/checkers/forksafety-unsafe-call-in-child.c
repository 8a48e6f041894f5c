// RUN: %check_clang_tidy %s forksafety-unsafe-call-in-child %t -- -- -nostdinc -isystem %mocks

#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
void start_workers(void) {
  pthread_t thread;
  pthread_create(&thread, 0, worker, 0);
}

void serve_forever(void);
static void become_worker(void) { setenv("ROLE", "worker", 1); }
static void configure(void) { become_worker(); }
static void log_and_serve(void) { serve_forever(); }

//===--- Must warn ---------------------------------------------------------===//

void direct_calls(char *const argv[]) {
  pid_t pid = fork();
  if (pid == 0) {
    printf("child %d\n", getpid());
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE-4]]:15: note: child process created by 'fork' here
    char *copy = malloc(16);
// CHECK-MESSAGES: :[[@LINE-1]]:18: warning: call to 'malloc' in the child of a fork is not async-signal-safe
    free(copy);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'free' in the child of a fork is not async-signal-safe
    execv(argv[0], argv);
    _exit(127);
  }
}

void after_failed_exec(char *const argv[]) {
  if (fork() == 0) {
    execvp(argv[0], argv);
    fprintf(stderr, "exec failed: %s\n", strerror(errno));
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'fprintf' in the child of a fork is not async-signal-safe
// CHECK-MESSAGES: :[[@LINE-2]]:42: warning: call to 'strerror' in the child of a fork is not async-signal-safe
    exit(127);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'exit' in the child of a fork is not async-signal-safe; use '_exit' [forksafety-unsafe-call-in-child]
// CHECK-FIXES: {{^}}    _exit(127);{{$}}
  }
}

void through_callees(void) {
  if (fork() == 0) {
    configure();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'configure' in the child of a fork is not async-signal-safe: it calls 'setenv'
// CHECK-MESSAGES: :20:31: note: 'configure' calls 'become_worker' here
// CHECK-MESSAGES: :19:35: note: 'become_worker' calls 'setenv' here
// CHECK-MESSAGES: :[[@LINE-5]]:7: note: child process created by 'fork' here
    log_and_serve();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: cannot verify that 'log_and_serve' is async-signal-safe: it calls 'serve_forever' (no definition is visible)
// CHECK-MESSAGES: :21:35: note: 'log_and_serve' calls 'serve_forever' here
    serve_forever();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: cannot verify that 'serve_forever' is async-signal-safe: no definition is visible
    _exit(0);
  }
}

void through_pointer(void (*callback)(void)) {
  if (fork() == 0) {
    callback();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: cannot verify that 'callback' is async-signal-safe: it is called through a pointer
    _exit(0);
  }
}

void statements_after_fork_test_nothing(void) {
  pid_t pid = fork();
  puts("both processes print this");
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'puts' in the child of a fork is not async-signal-safe
  if (pid == 0)
    _exit(0);
}

void vfork_child(int fd, char *const argv[]) {
  if (vfork() == 0) {
    close(fd);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'close' in the child of a vfork is not allowed: only exec functions and '_exit' may be called there
    execv(argv[0], argv);
    _exit(errno == ENOENT ? 127 : 126);
  }
}

static int depth;
static void recurse(void) {
  if (depth-- > 0)
    recurse();
  puts("deep");
}

void recursive_helper(void) {
  if (fork() == 0) {
    recurse();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'recurse' in the child of a fork is not async-signal-safe: it calls 'puts'
    _exit(0);
  }
}

void daemon_child(void) {
  if (daemon(0, 0) == -1)
    return;
  printf("daemonized\n");
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'printf' in the child of a fork is not async-signal-safe
}

void unverifiable_then_unsafe(void);
static void log_message(const char *format, ...) {
  unverifiable_then_unsafe();
  char line[128];
  va_list args;
  va_start(args, format);
  vsnprintf(line, sizeof line, format, args);
  va_end(args);
}

void reports_what_is_known_unsafe(void) {
  if (fork() == 0) {
    log_message("child %d", 1);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'log_message' in the child of a fork is not async-signal-safe: it calls 'vsnprintf'
    _exit(0);
  }
}

//===--- Must not warn -----------------------------------------------------===//

static void safe_helper(int fd) { write(fd, "x", 1); }

void safe_child(int fds[2], char *const argv[]) {
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return;
  }
  if (pid > 0) {
    printf("parent %d\n", pid);
    waitpid(pid, 0, 0);
    return;
  }
  close(fds[0]);
  dup2(fds[1], 1);
  safe_helper(1);
  if (strlen(argv[0]) == 0)
    _exit(2);
  execve(argv[0], argv, 0);
  execvp(argv[0], argv); // PATH search: only with ReportExecpFunctions.
  _exit(errno == ENOENT ? 127 : 126);
}

void code_after_child_exits(void) {
  if (fork() == 0)
    _exit(0);
  printf("parent only\n");
}

void without_fork(void) { printf("no fork here\n"); }
