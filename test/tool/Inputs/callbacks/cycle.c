#include <stdio.h>
#include <unistd.h>

#include "spawn.h"

static void worker_cycle(void *data) {
  for (;;)
    write(1, data, 1);
}

static void cache_cycle(void *data) {
  write(1, data, 1);
  _exit(0);
}

void start_workers(void) {
  spawn_process(worker_cycle, 0, 0);
  spawn_process(cache_cycle, 0, 1);
}

void respawn(int slot) {
  spawn_process(processes[slot].proc, processes[slot].data, slot);
}
