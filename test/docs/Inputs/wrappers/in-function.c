// A C example of statements, run after the function created a thread.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

int example(int fd, const char *path, char *const argv[], char *const envp[]) {
  pthread_t thread;
  pthread_create(&thread, NULL, work, NULL);
@SNIPPET@
  return 0;
}
