#include "pool.h"

#define WORKERS 4

pthread_t logger;
static pthread_t workers[WORKERS];

static void *work(void *arg) { return arg; }

void start_workers(void) {
  pthread_create(&logger, 0, work, 0);
  for (int i = 0; i < WORKERS; ++i)
    pthread_create(&workers[i], 0, work, 0);
}

// Joins the workers, not the logger.
void stop_workers(void) {
  for (int i = 0; i < WORKERS; ++i)
    pthread_join(workers[i], 0);
}
