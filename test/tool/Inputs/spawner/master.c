#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

typedef void (*child_main)(void *data);
pid_t spawn_process(child_main proc, void *data);
pid_t spawn_helper(child_main proc);

static void worker_cycle(void *data) {
  for (;;)
    write(1, data, 1);
}

static void helper_cycle(void *data) {
  write(1, data, 1);
  _exit(0);
}

static void *work(void *arg) { return arg; }

int main(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  pid_t worker = spawn_process(worker_cycle, 0);
  printf("started worker %d\n", (int)worker);
  pid_t helper = spawn_helper(helper_cycle);
  printf("started helper %d\n", (int)helper);
  return 0;
}
