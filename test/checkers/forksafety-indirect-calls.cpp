// RUN: %check_clang_tidy %s forksafety-unsafe-call-in-child %t -- -- -nostdinc -isystem %mocks

// Calls through function pointers and virtual calls: what can be resolved is
// followed, the rest cannot be verified.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

void start(pthread_t *thread, void *(*work)(void *)) {
  pthread_create(thread, nullptr, work, nullptr);
}

static void log_child() { puts("child"); }
static void reset_signals() {}

static void (*logger)() = log_child;          // Only ever log_child.
static void (*changing)() = reset_signals;    // Assigned again below.
static void (*escaping)() = reset_signals;    // Its address is taken.
void (*const resetter)() = reset_signals;     // Const: no one can change it.

void configure(void (**slot)()) {
  changing = log_child;
  *slot = log_child;
}
void expose() { configure(&escaping); }

struct Task {
  virtual ~Task() = default;
  virtual void run() { write(1, "task\n", 5); }
};
struct Printer final : Task {
  void run() override { printf("printing\n"); }
};
struct Plain : Task {
  void run() override {}
};

void children(void (*callback)(), Task &task, Printer &printer) {
  if (fork() == 0) {
    logger();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'log_child' in the child of a fork is not async-signal-safe: it calls 'puts'
    resetter();
    changing();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: cannot verify that 'changing' is async-signal-safe: it is called through a pointer
    escaping();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: cannot verify that 'escaping' is async-signal-safe: it is called through a pointer
    callback();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: cannot verify that 'callback' is async-signal-safe: it is called through a pointer
    printer.run();
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: call to 'Printer::run' in the child of a fork is not async-signal-safe: it calls 'printf'
    task.run();
// CHECK-MESSAGES: :[[@LINE-1]]:10: warning: cannot verify that 'Task::run' is async-signal-safe: the object's dynamic type decides what it calls
    task.Task::run();
    Plain plain;
    plain.run();
    _exit(0);
  }
}
