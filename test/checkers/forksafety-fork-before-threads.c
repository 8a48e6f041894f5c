// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks

// A fork that can only run before the program creates its first thread is
// safe. With main in the translation unit, the paths from main to the fork
// are followed through the forking function's callers; whenever they leave
// the translation unit (a caller or a callee defined elsewhere), threads may
// exist.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
static void start_workers(void) {
  pthread_t thread;
  pthread_create(&thread, 0, worker, 0);
}

// Must not warn: forks before any thread exists.
static void daemonize(void) {
  pid_t pid = fork();
  if (pid > 0)
    _exit(0);
  setsid();
  printf("daemon started\n");
}

// Called once threads exist.
static void spawn_helper(void) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: call to 'printf' in the child of a fork
    printf("helper\n");
    _exit(0);
  }
}

// Other translation units may call it at any time.
void exported_fork(void) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: call to 'puts' in the child of a fork
    puts("exported");
    _exit(0);
  }
}

// Its second call comes after the loop started the workers.
static void in_loop(void) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: call to 'puts' in the child of a fork
    puts("loop");
    _exit(0);
  }
}

// Its address escapes: it may run at any time, even though main's only
// direct use of it comes before the workers start.
static void as_callback(void) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: call to 'puts' in the child of a fork
    puts("callback");
    _exit(0);
  }
}
void register_callback(void (*callback)(void));

void load_plugins(void);

int main(int argc, char **argv) {
  as_callback();
  daemonize();
  register_callback(as_callback);
  // Defined in another translation unit: it may create threads.
  load_plugins();
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: call to 'puts' in the child of a fork
    puts("after load_plugins");
    _exit(0);
  }
  for (int i = 0; i < argc; ++i) {
    in_loop();
    start_workers();
  }
  spawn_helper();
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: call to 'puts' in the child of a fork
    puts(argv[0]);
    _exit(0);
  }
  return 0;
}
