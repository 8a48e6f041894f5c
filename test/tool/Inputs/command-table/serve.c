// Serves with a thread it leaves running.
#include <pthread.h>

#include "commands.h"

static void *listen_for_clients(void *arg) { return arg; }

int cmd_serve(int argc, char **argv) {
  pthread_t listener;
  pthread_create(&listener, 0, listen_for_clients, argv);
  pthread_detach(listener);
  return argc;
}
