// RUN: %check_clang_tidy %s forksafety-unsafe-call-in-child %t -- -- -O2 -D_FORTIFY_SOURCE=2 -D_GNU_SOURCE
// The real glibc headers, with their _FORTIFY_SOURCE inline wrappers and
// errno macro: safe functions stay safe through them.

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

int run(const char *path, char *const argv[], int out) {
  pthread_t thread;
  pthread_create(&thread, NULL, work, NULL);
  char buffer[64];
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return -1;
  }
  if (pid == 0) {
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    memcpy(buffer, path, strlen(path) < 63 ? strlen(path) + 1 : 63);
    int fd = open("/dev/null", O_RDONLY);
    if (fd >= 0 && read(fd, buffer, sizeof buffer) < 0)
      _exit(3);
    dup2(out, STDOUT_FILENO);
    execv(path, argv);
    snprintf(buffer, sizeof buffer, "%d", errno);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'snprintf' in the child of a fork is not async-signal-safe
    write(STDERR_FILENO, buffer, strlen(buffer));
    _exit(errno == ENOENT ? 127 : 126);
  }
  int status;
  waitpid(pid, &status, 0);
  return WEXITSTATUS(status);
}
