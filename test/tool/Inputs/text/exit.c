#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

// exit runs the program's atexit handlers: both checks report the call.
int main(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  if (fork() == 0)
    exit(1);
  return 0;
}
