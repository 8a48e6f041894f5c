// Joins the threads it starts before it daemonizes, and never reads the
// command table whose functions start threads.
#include <stdlib.h>

void daemonize(void);
void hash_in_parallel(void);
void start_refresher(void);

static void refresh_at_exit(void) { start_refresher(); }

int main(void) {
  hash_in_parallel();
  daemonize();
  atexit(refresh_at_exit);
  return 0;
}
