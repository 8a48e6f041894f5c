#include <stdio.h>
#include <unistd.h>

// A program without threads: its fork is safe whatever the child does.
int main(void) {
  if (fork() == 0)
    printf("child\n");
  return 0;
}
