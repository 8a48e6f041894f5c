#include <stdio.h>
#include <unistd.h>

#include "spawn.h"

int spawn_hook(const char *path) {
  pid_t pid = fork();
  if (pid == 0) {
    printf("running %s\n", path);
    execl(path, path, (char *)0);
    _exit(127);
  }
  return pid < 0 ? -1 : 0;
}
