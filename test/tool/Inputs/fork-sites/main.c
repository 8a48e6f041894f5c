#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

void start_workers(void);
void install_fork_handlers(void);
extern pthread_mutex_t registry_lock;

static void *work(void *arg) { return arg; }

static void daemonize(void) {
  if (fork() > 0)
    _exit(0);
  setsid();
}

static void checksum_files(void) {
  pthread_t helper;
  pthread_create(&helper, 0, work, 0);
  pthread_join(helper, 0);
}

static void archive_logs(void) {
  if (fork() == 0) {
    printf("archiving\n");
    _exit(0);
  }
}

static void spawn_tool(char **argv) {
  if (fork() == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
}

static void run_child(int fd, char **argv) {
  if (fork() == 0) {
    dup2(fd, 1);
    close(fd);
    execv(argv[0], argv);
    _exit(127);
  }
}

static void touch_registry(void) {
  if (fork() == 0) {
    pthread_mutex_lock(&registry_lock);
    pthread_mutex_unlock(&registry_lock);
    _exit(0);
  }
}

static void log_crash(void) {
  if (fork() == 0) {
    printf("crashed\n");
    _exit(1);
  }
}

static void detach_child(void) {
  if (fork() == 0)
    setsid();
}

int main(int argc, char **argv) {
  (void)argc;
  daemonize();
  checksum_files();
  archive_logs();
  install_fork_handlers();
  start_workers();
  spawn_tool(argv);
  run_child(2, argv);
  touch_registry();
  log_crash();
  detach_child();
  return 0;
}
