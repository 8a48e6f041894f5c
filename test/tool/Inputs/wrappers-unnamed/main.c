#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int start_job(void);

static void *work(void *arg) { return arg; }

int main(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  if (start_job() == 0) {
    printf("child of start_job\n");
    _exit(0);
  }
  return 0;
}
