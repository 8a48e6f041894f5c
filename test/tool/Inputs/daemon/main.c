#include <stdio.h>
#include <unistd.h>

void load_config(void);
void start_workers(void);

// The classic daemon: fork before the workers start.
static void daemonize(void) {
  pid_t pid = fork();
  if (pid > 0)
    _exit(0);
  setsid();
  printf("daemon started\n");
}

int main(void) {
  load_config();
  daemonize();
  start_workers();
  return 0;
}
