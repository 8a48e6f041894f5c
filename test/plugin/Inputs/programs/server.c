// A program that starts worker threads, then runs hooks in forked children.
#include <pthread.h>

void run_hook(const char *hook);

static void *serve(void *arg) { return arg; }

int main(int argc, char **argv) {
  pthread_t worker;
  pthread_create(&worker, 0, serve, 0);
  run_hook(argc > 1 ? argv[1] : "true");
  pthread_join(worker, 0);
  return 0;
}
