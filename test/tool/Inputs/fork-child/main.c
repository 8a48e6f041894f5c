#include <pthread.h>
#include <stdio.h>

void daemonize(void);

static void *work(void *arg) { return arg; }

int main(void) {
  pthread_t worker;
  pthread_create(&worker, 0, work, 0);
  daemonize();
  printf("serving\n");
  return 0;
}
