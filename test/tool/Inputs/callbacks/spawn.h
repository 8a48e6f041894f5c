typedef void (*child_main)(void *data);

struct process {
  child_main proc;
  void *data;
};

extern struct process processes[4];

void spawn_process(child_main proc, void *data, int slot);
void start_workers(void);
void respawn(int slot);
