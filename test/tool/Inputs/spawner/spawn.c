#include <unistd.h>

typedef void (*child_main)(void *data);

/* Returns the child's pid in the parent; the child runs proc, which the
   callers decide. */
pid_t spawn_process(child_main proc, void *data) {
  pid_t pid = fork();
  switch (pid) {
  case -1:
    return -1;
  case 0:
    proc(data);
    break;
  default:
    break;
  }
  return pid;
}

pid_t spawn_helper(child_main proc) { return spawn_process(proc, 0); }
