// Goes on in the background, in a child that returns into the program.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

static int daemonize(void) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid)
    _exit(0);
  setsid();
  printf("collecting in the background\n");
  return 0;
}

int cmd_gc(int argc, char **argv) {
  if (argc > 2 && daemonize() < 0)
    return 1;
  return argv[0] != 0;
}

// Its subcommands are in a table of its own, a local one.
static int maintenance_run(int argc, char **argv) {
  return daemonize() < 0 || argc < 0 || !argv;
}

int cmd_maintenance(int argc, char **argv) {
  struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
  } subcommands[] = {{"run", maintenance_run}};
  if (argc > 2 && !strcmp(argv[2], subcommands[0].name))
    return subcommands[0].run(argc, argv);
  return 1;
}
