// A C++ example of statements, run after the function created a thread,
// with a helper `configure` that is not async-signal-safe.
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

static void configure() { setenv("LANG", "C", 1); }

int example() {
  pthread_t thread;
  pthread_create(&thread, nullptr, work, nullptr);
@SNIPPET@
  return 0;
}
