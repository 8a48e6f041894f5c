#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

static void log_line(const char *line) { fprintf(stderr, "%s\n", line); }

// Three unsafe calls before exec: one warning each, the fork shown once.
static void run(const char *path) {
  pid_t pid = fork();
  if (pid == 0) {
    log_line(path);
    printf("running %s\n", path);
    execl(path, path, (char *)0);
    exit(127);
  }
}

// A child that calls sysconf and returns: one cause, reported by both
// checks, shown as one warning.
static long probe(void) {
  pid_t pid = fork();
  if (pid == 0) {
    long n = sysconf(_SC_OPEN_MAX);
    return n;
  }
  return 0;
}

// A child that goes on, with an unsafe call before exec on another path.
static void spawn(const char *path, int direct) {
  if (fork() == 0) {
    if (direct) {
      printf("exec %s\n", path);
      execl(path, path, (char *)0);
      _exit(127);
    }
    log_line(path);
  }
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
  run("/bin/true");
  spawn("/bin/true", 1);
  return (int)probe();
}
