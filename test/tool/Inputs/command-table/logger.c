// Starts a logging thread, then runs the one command its arguments name.
#include <pthread.h>
#include <string.h>

#include "commands.h"

struct command {
  const char *name;
  int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
    {"gc", cmd_gc},
};

static void *write_log(void *arg) { return arg; }

int main(int argc, char **argv) {
  pthread_t logger;
  pthread_create(&logger, 0, write_log, 0);
  pthread_detach(logger);
  if (argc > 1 && !strcmp(argv[1], commands[0].name))
    return commands[0].run(argc, argv);
  return 1;
}
