#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

// A double fork: the child forks the grandchild that runs the program and
// exits. The grandchild's printf runs in both children: one finding, with
// the first fork; the second runs where only the thread that forked runs.
int main(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  if (fork() == 0) {
    if (fork() == 0) {
      printf("starting\n");
      execl("/bin/true", "true", (char *)0);
      _exit(127);
    }
    _exit(0);
  }
  return 0;
}
