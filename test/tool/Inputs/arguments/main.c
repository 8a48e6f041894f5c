#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

int write_line(int fd, const char *line, int locked);
int open_file(const char *path, char **error);
int log_line(const char *line, int locked);

static void *work(void *arg) { return arg; }

int main(void) {
  pthread_t thread;
  char *error;
  pthread_create(&thread, 0, work, 0);
  if (fork() == 0) {
    write_line(2, "child", 0);
    open_file("/bin/true", NULL);
    log_line("child", 0);
    log_line("child", 1);
    open_file("/bin/true", &error);
    _exit(1);
  }
  return 0;
}
