#include <unistd.h>

#include "child.h"

void log_child(const char *msg) {
  CHILD_LOG(msg);
}

// Never returns. Without a path to run, the child ends without exec, so
// the work it did before calling this ran as program code in the child.
void run_child(const char *path) {
  char *const argv[] = {(char *)path, 0};
  if (path)
    execv(path, argv);
  _exit(127);
}
