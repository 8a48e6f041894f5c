// A C example of statements that test the result of a fork, `pid`, made
// after the function created a thread, with the ends of a pipe.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

int example(const char *path, char *const argv[], char *const envp[]) {
  pthread_t thread;
  pthread_create(&thread, NULL, work, NULL);
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0)
    return -1;
  pid_t pid = fork();
@SNIPPET@
  return 0;
}
