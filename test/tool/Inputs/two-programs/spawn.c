// Forks of the library, each run by some of the programs.
#include <stdio.h>
#include <unistd.h>

void daemonize(void) {
  if (fork() == 0) {
    printf("daemon\n");
    return;
  }
  _exit(0);
}

void start_pager(void) {
  if (fork() == 0) {
    printf("pager\n");
    _exit(0);
  }
}

void start_refresher(void) {
  if (fork() == 0) {
    printf("refresher\n");
    _exit(0);
  }
}

// Runs while the hashing threads run.
void report_progress(void) {
  if (fork() == 0) {
    printf("progress\n");
    _exit(0);
  }
}
