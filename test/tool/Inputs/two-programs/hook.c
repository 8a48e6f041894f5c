// Runs a command from the table, which may start threads, and forks from a
// callback that may run at any time.
#include <stdlib.h>

void run_command(const char *name);
void start_refresher(void);

static void refresh_at_exit(void) { start_refresher(); }

int main(int argc, char **argv) {
  atexit(refresh_at_exit);
  run_command(argc > 1 ? argv[1] : "status");
  return 0;
}
