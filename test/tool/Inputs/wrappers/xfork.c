#include <stdio.h>
#include <unistd.h>

// Forks; on failure logs and still returns fork's result.
pid_t xfork(void) {
  pid_t pid = fork();
  if (pid < 0)
    perror("fork");
  return pid;
}
