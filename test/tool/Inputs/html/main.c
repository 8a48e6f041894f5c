#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

void *serve(void *);

static void report_status(int workers) {
  if (workers < 2 && fork() == 0) {
    fprintf(stderr, "<%d> workers & no spare\n", workers);
    _exit(1);
  }
}

static void run_tool(char **argv) {
  if (fork() == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
}

int main(int argc, char **argv) {
  pthread_t worker;
  pthread_create(&worker, 0, serve, 0);
  report_status(argc);
  run_tool(argv);
  return 0;
}
