// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks

// A master that forks workers, which then start their thread pools: the
// threads exist only in the children, which never return to the master's
// code, so they are no evidence at the master's later forks.

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *serve(void *arg) { return arg; }

static void start_pool(void) {
  pthread_t thread;
  pthread_create(&thread, 0, serve, 0);
  pthread_detach(thread);
}

static void worker_loop(void) {
  for (;;)
    sleep(1);
}

// The child starts its pool and never returns.
static pid_t spawn_worker(void) {
  pid_t pid = fork();
  if (pid == 0) {
    start_pool();
    worker_loop();
    exit(0);
  }
  return pid;
}

int main(int argc, char **argv) {
  for (int i = 0; i < argc; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      start_pool();
      worker_loop();
      exit(0);
    }
    printf("started %d\n", (int)pid);
  }
  for (int i = 0; i < argc; ++i)
    printf("started %d\n", (int)spawn_worker());
  if (fork() == 0) {
    printf("logger\n");
    _exit(0);
  }
  return argv[0] == 0;
}
