#include <unistd.h>

#include "spawn.h"

struct process processes[4];

void spawn_process(child_main proc, void *data, int slot) {
  if (fork() == 0) {
    proc(data);
    _exit(2);
  }
  processes[slot].proc = proc;
  processes[slot].data = data;
}
