#include <unistd.h>

#include "child.h"

// Never returns. Without a path to run, the child ends without exec.
void run_child(const char *path) {
  char *const argv[] = {(char *)path, 0};
  if (path)
    execv(path, argv);
  _exit(127);
}
