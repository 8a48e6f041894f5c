// A library that forks and takes nothing from a host but the C library.
#include <stdio.h>
#include <unistd.h>

void loner_run(void) {
  if (fork() == 0) {
    fputs("child\n", stdout);
    execlp("true", "true", (char *)0);
    _exit(127);
  }
}
