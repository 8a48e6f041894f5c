#include <unistd.h>

#include "settings.h"

void spawn(const char *path) {
  char *const argv[] = {(char *)path, 0};
  if (fork() == 0) {
    before_exec();
    execv(path, argv);
    _exit(127);
  }
}
