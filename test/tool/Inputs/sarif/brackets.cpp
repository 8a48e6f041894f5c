#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

struct Table {
  int operator[](int I) const {
    printf("%d\n", I);
    return I;
  }
};

static void *work(void *Arg) { return Arg; }

int main() {
  pthread_t Thread;
  pthread_create(&Thread, 0, work, 0);
  if (fork() == 0) {
    Table T;
    T[1];
    _exit(0);
  }
  return 0;
}
