#include <pthread.h>

pthread_mutex_t registry_lock;

static void lock_registry(void) { pthread_mutex_lock(&registry_lock); }
static void unlock_registry(void) { pthread_mutex_unlock(&registry_lock); }

void install_fork_handlers(void) {
  pthread_atfork(lock_registry, unlock_registry, unlock_registry);
}
