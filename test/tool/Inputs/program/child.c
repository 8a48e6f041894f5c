#include <unistd.h>

#include "child.h"

void log_child(const char *msg) {
  CHILD_LOG(msg);
}

// Never returns: the child ends here whatever happens.
void run_child(const char *path) {
  char *const argv[] = {(char *)path, 0};
  execv(path, argv);
  _exit(127);
}
