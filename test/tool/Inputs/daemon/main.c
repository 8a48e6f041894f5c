#include <stdio.h>
#include <unistd.h>

void load_config(void);
void start_workers(void);

// The classic daemon: fork before the workers start. Exported, other files
// could call it; the whole program shows whether they do.
#ifdef EXPORTED
void daemonize(void) {
#else
static void daemonize(void) {
#endif
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
