// Searches with worker threads, which it joins before it returns.
#include <pthread.h>

#include "commands.h"

static pthread_t workers[4];

static void *scan(void *arg) { return arg; }

static void start_workers(char **argv) {
  for (int i = 0; i < 4; ++i)
    pthread_create(&workers[i], 0, scan, argv);
}

static void wait_workers(void) {
  for (int i = 0; i < 4; ++i)
    pthread_join(workers[i], 0);
}

int cmd_search(int argc, char **argv) {
  start_workers(argv);
  wait_workers();
  return argc;
}
