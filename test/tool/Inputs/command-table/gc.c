// Goes on in the background, in a child that returns into the program.
#include <stdio.h>
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
