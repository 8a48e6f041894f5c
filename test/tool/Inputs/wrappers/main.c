#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

pid_t xfork(void);
pid_t spawn_worker(void);

static void *work(void *arg) { return arg; }

int main(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  if (xfork() == 0) {
    printf("child of xfork\n");
    _exit(0);
  }
  pid_t pid = spawn_worker();
  if (pid == 0) {
    char *const argv[] = {"/bin/true", 0};
    execv(argv[0], argv);
    _exit(127);
  }
  return 0;
}
