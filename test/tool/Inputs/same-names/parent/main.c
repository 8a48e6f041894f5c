#include <pthread.h>

#include "settings.h"

void spawn(const char *path);

static void *work(void *arg) { return arg; }

int main(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  before_exec();
  spawn("/bin/true");
  return 0;
}
