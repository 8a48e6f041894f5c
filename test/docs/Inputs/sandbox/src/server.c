#include <pthread.h>

#include "spawn.h"

static void *serve(void *arg) { return arg; }

int main(int argc, char **argv) {
  pthread_t server;
  pthread_create(&server, 0, serve, 0);
  return argc > 1 ? spawn_hook(argv[1]) : 0;
}
