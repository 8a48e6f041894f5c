#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t log_lock;

int write_line(int fd, const char *line, int locked) {
  if (locked == 1)
    pthread_mutex_lock(&log_lock);
  int written = write(fd, line, 1);
  if (locked == 1)
    pthread_mutex_unlock(&log_lock);
  return written;
}

int open_file(const char *path, char **error) {
  if (error != NULL) {
    *error = malloc(64);
    snprintf(*error, 64, "cannot open %s", path);
  }
  return -1;
}

int log_line(const char *line, int locked) {
  return write_line(2, line, locked);
}
