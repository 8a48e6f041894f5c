// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks

// One cause gives one warning. When the fork check reports a child, an
// unsafe call its notes name is shown in that note's place, with its own
// message, check name and steps, not as a second warning repeating them.

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
void start_workers(pthread_t *thread) { pthread_create(thread, 0, worker, 0); }

static void log_line(const char *line) { fprintf(stderr, "%s", line); }

void logs_then_returns(void) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :13:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+3]]:5: note: call to 'log_line' in the child of a fork is not async-signal-safe: it calls 'fprintf' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :15:42: note: 'log_line' calls 'fprintf' here
// CHECK-MESSAGES: :[[@LINE+3]]:1: note: the child also returns from 'logs_then_returns' without calling exec
    log_line("child");
  }
}

// A call with a fix-it stays a warning of its own: clang-tidy's --fix
// applies the fixes of warnings.
void exits(void) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :13:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+4]]:5: note: the child calls 'exit', which runs atexit handlers and flushes stdio
// CHECK-MESSAGES: :[[@LINE+3]]:5: warning: call to 'exit' in the child of a fork is not async-signal-safe; use '_exit' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE-5]]:7: note: child process created by 'fork' here
// CHECK-FIXES: {{^}}    _exit(1);{{$}}
    exit(1);
  }
}

// A suppressed fork finding takes none of its calls along.
void reports_calls_alone(void) {
  if (fork() == 0) { // NOLINT(forksafety-fork-in-threaded-program)
    puts("reported alone");
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE-3]]:7: note: child process created by 'fork' here
    _exit(0);
  }
}

// A suppressed call is not folded: the fork finding still names it.
void reviewed_call(void) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :13:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:5: note: the child calls 'puts', which is not async-signal-safe
// CHECK-MESSAGES: :[[@LINE+2]]:5: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    puts("reviewed"); // NOLINT(forksafety-unsafe-call-in-child)
    printf("folded\n");
    _exit(0);
  }
}

// A comment on the line where a macro is used suppresses what it expands
// to, in every front end.
#define LOG_CHILD(message) puts(message)

void logs_through_a_macro(void) {
  if (fork() == 0) { // NOLINT(forksafety-fork-in-threaded-program)
    LOG_CHILD("reviewed"); // NOLINT(forksafety-unsafe-call-in-child)
    _exit(0);
  }
}

//===--- Must not warn twice ----------------------------------------------===//

// A child whose only reason is one call gives exactly one warning, the
// fork's.
void one_warning(void) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :13:41: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: call to 'sysconf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    sysconf(_SC_OPEN_MAX);
    _exit(0);
  }
}
