// A daemon with global objects: their constructors run before main, in
// code another file defines.
#include <pthread.h>
#include <unistd.h>

struct Registry {
  Registry();
};
struct Pool {
  Pool();
};

Registry registry;
#ifdef WITH_POOL
Pool pool;
#endif

static void *serve(void *arg) { return arg; }

int main() {
  if (fork() > 0) // The daemon's fork: no thread yet, unless a pool runs.
    _exit(0);
  setsid();
  pthread_t worker;
  pthread_create(&worker, nullptr, serve, nullptr);
  pthread_join(worker, nullptr);
  return 0;
}
