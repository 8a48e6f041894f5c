#include <pthread.h>

static void *work(void *arg) { return arg; }

void daemonize(void);

void start_workers(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
#ifdef RESTART
  daemonize();
#endif
}

void start_log_thread(void) { start_workers(); }
