#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

void start(pthread_t *thread, void *(*body)(void *)) {
  pthread_create(thread, 0, body, 0);
  if (fork() == 0) {
    char *const argv[] = {"/bin/true", 0};
    execv(argv[0], argv);
    exit(127);
  }
}
