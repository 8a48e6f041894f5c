#include <stdio.h>
#include <unistd.h>

#include "async.h"

int main(int argc, char **argv) {
  apply_filter(argc > 1 ? argv[1] : 0);
  pid_t pid = fork();
  if (pid)
    _exit(0);
  printf("daemon\n");
  return 0;
}
