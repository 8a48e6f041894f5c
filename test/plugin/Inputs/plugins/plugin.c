// A plugin that runs a command in a forked child and logs through its host.
#include <stdio.h>
#include <unistd.h>

void host_log(const char *message);

void plugin_run(void) {
  if (fork() == 0) {
    char line[64];
    snprintf(line, sizeof(line), "pid %d", (int)getpid());
    execlp("true", "true", (char *)0);
    _exit(127);
  }
  host_log("plugin started");
}
