#include <pthread.h>
#include <unistd.h>

pthread_mutex_t registry_lock;

static void *serve(void *arg) { return arg; }
static void lock_registry(void) { pthread_mutex_lock(&registry_lock); }
static void unlock_registry(void) { pthread_mutex_unlock(&registry_lock); }

void install_fork_handlers(void) {
  pthread_atfork(lock_registry, unlock_registry, unlock_registry);
}

void start_workers(void) {
  pthread_t worker;
  pthread_create(&worker, 0, serve, 0);
  pthread_detach(worker);
}

// Nothing calls it: no main runs this fork.
void restart_self(char **argv) {
  if (fork() == 0)
    execv(argv[0], argv);
}
