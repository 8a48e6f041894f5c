#include <pthread.h>
#include <unistd.h>

extern pthread_mutex_t registry_lock;
extern pthread_mutex_t other_lock;
void install_fork_handlers(void);

static void *work(void *arg) { return arg; }

int main(void) {
  install_fork_handlers();
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  if (fork() == 0) {
    pthread_mutex_lock(&registry_lock);
    pthread_mutex_unlock(&registry_lock);
    pthread_mutex_lock(&other_lock);
    _exit(0);
  }
  return 0;
}
