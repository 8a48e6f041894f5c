// A daemon that starts a worker thread that runs until it exits, then loads
// plugins that call back into its API (it is linked with -rdynamic).
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

void host_log(const char *message) { fprintf(stderr, "%s\n", message); }

static void *collect(void *arg) { return arg; }

int main(int argc, char **argv) {
  pthread_t worker;
  pthread_create(&worker, 0, collect, 0);
  void *plugin = dlopen(argc > 1 ? argv[1] : "./plugin.so", RTLD_NOW);
  void (*run)(void) = plugin ? (void (*)(void))dlsym(plugin, "plugin_run") : 0;
  if (run)
    run();
  return 0;
}
