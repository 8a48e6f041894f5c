// A small threaded server that runs hooks in child processes, with the fork
// mistakes forksafety reports. Try:
//   clang-tidy-19 --load=build/lib/libForkSafetyTidyModule.so \
//     --checks='-*,forksafety-*' examples/worker_pool.c --

#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void *serve_requests(void *arg) {
  (void)arg;
  return NULL;
}

static void set_child_environment(const char *hook) {
  setenv("HOOK_NAME", hook, 1);
}

// Runs a hook program and waits for it.
int run_hook(const char *hook, char *const argv[]) {
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return -1;
  }
  if (pid == 0) {
    set_child_environment(hook);
    printf("running %s\n", hook);
    execvp(argv[0], argv);
    fprintf(stderr, "cannot run %s: %s\n", hook, strerror(errno));
    exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  return status;
}

// Writes a snapshot from a child process while the parent goes on serving.
void snapshot_in_background(int fd) {
  if (fork() == 0) {
    write(fd, "snapshot\n", 9);
  }
}

// Correct: only async-signal-safe calls between fork and exec.
int run_checked(const char *path, char *const argv[], int out) {
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out, STDOUT_FILENO);
    execv(path, argv);
    _exit(127);
  }
  return pid;
}

int main(int argc, char **argv) {
  pthread_t server;
  pthread_create(&server, NULL, serve_requests, NULL);
  snapshot_in_background(1);
  return run_hook("post-start", argv + 1) + run_checked(argv[0], argv, argc);
}
