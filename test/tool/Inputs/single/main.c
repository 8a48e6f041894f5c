#include <stdio.h>
#include <unistd.h>

void report(const char *what);

int main(void) {
  if (fork() == 0) {
    report("child");
    printf("no threads exist, so this is fine\n");
    _exit(0);
  }
  return 0;
}
