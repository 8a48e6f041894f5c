// A C example of file-scope code in a program that creates a thread.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

void start_worker(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, work, NULL);
}

@SNIPPET@
