// The constructors of the globals: the registry starts no thread, the pool
// starts one that it never joins.
#include <pthread.h>

struct Registry {
  Registry();
  int entries = 0;
};
struct Pool {
  Pool();
};

Registry::Registry() { entries = 1; }

static void *run(void *arg) { return arg; }

Pool::Pool() {
  pthread_t thread;
  pthread_create(&thread, nullptr, run, nullptr);
  pthread_detach(thread);
}
