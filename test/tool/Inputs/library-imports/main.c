#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "compat.h"

static void *work(void *arg) { return arg; }

int main(void) {
  pthread_t worker;
  pthread_create(&worker, 0, work, 0);
  pthread_join(worker, 0);
  double load[1];
  int loaded = getloadavg(load, 1);
  if (fork() == 0) {
    printf("%d\n", loaded);
    _exit(0);
  }
  return 0;
}
