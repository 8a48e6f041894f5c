#include <stdio.h>
#include <unistd.h>

int main(void) {
  if (fork() == 0) {
    printf("the program never starts its thread pool\n");
    _exit(0);
  }
  return 0;
}
