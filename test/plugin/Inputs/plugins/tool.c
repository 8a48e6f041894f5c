// A threaded executable that exports nothing (no -rdynamic) and, built
// without PIE, holds a copy of the C library's stdout.
#include <pthread.h>
#include <stdio.h>

static void *work(void *arg) { return arg; }

int main(void) {
  pthread_t worker;
  pthread_create(&worker, 0, work, 0);
  fputs("tool\n", stdout);
  pthread_join(worker, 0);
  return 0;
}
