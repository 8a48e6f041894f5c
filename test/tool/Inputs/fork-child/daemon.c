#include <stdlib.h>
#include <unistd.h>

// The first child forks again and exits; the grandchild returns to main.
// Only the first fork runs where main's worker runs.
void daemonize(void) {
  pid_t pid = fork();
  if (pid < 0)
    _exit(1);
  if (pid > 0)
    _exit(0);
  setsid();
  pid = fork();
  if (pid < 0)
    _exit(1);
  if (pid > 0)
    _exit(0);
#ifdef WORKER_IN_CHILD
  extern void start_helper(void);
  start_helper();
  if (fork() == 0)
    _exit(0);
#endif
}
