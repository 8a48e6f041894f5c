// A library the programs share. Its threads start through direct calls,
// through a table of commands, or only while one function runs.
#include <pthread.h>

static void *hash_entries(void *arg) { return arg; }

static void load_index(void) {
  pthread_t thread;
  pthread_create(&thread, 0, hash_entries, 0);
}

void open_index(void) { load_index(); }

static void show_status(void) {}

// Its functions may run in the programs that read the table.
struct command {
  const char *name;
  void (*run)(void);
};
static const struct command commands[] = {{"status", show_status},
                                          {"index", load_index}};

void run_command(const char *name) {
  for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); ++i)
    if (commands[i].name[0] == name[0])
      commands[i].run();
}

void report_progress(void);

// Its threads are joined before it returns: they run only while it runs.
void hash_in_parallel(void) {
  pthread_t thread;
  pthread_create(&thread, 0, hash_entries, 0);
  report_progress();
  pthread_join(thread, 0);
}
