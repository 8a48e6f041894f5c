#include <unistd.h>

#include "child.h"

void start_workers(void);

int main(int argc, char **argv) {
  start_workers();
  pid_t pid = fork();
  if (pid == 0) {
    log_child("starting");
    run_child(argv[1]);
  }
  return 0;
}
