// RUN: %check_clang_tidy %s forksafety-* %t
// A program that never creates a thread may do anything in the child of a
// fork; this test uses the real system headers and expects no diagnostic.

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  pid_t pid = fork();
  if (pid == 0) {
    printf("child of a single-threaded program\n");
    char *copy = malloc(16);
    free(copy);
    exit(0);
  }
  return argc > 1 ? 0 : 1;
}
