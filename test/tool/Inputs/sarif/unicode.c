#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

int main(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  if (fork() == 0) {
    /* é😀 */ puts("child");
    /* ü */ exit(1);
  }
  return 0;
}
