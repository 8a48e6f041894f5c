#include <pthread.h>

static void *work(void *arg) { return arg; }

// Nothing calls it.
void unused_pool(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
}
