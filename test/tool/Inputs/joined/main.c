#include "pool.h"
#include <stdio.h>
#include <unistd.h>

int main(void) {
  start_workers();
#ifndef NO_STOP
  stop_workers();
#endif
#ifndef LEAVE_LOGGER
  pthread_join(logger, 0);
#endif
  if (fork() == 0) {
    printf("child\n");
    _exit(0);
  }
  return 0;
}
