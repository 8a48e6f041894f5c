#include <pthread.h>

#include "spawn.h"

static void *work(void *arg) { return arg; }

int main(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  start_workers();
  respawn(1);
  return 0;
}
