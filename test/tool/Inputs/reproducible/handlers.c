#include <unistd.h>

typedef void (*handler)(int);

static void on_hup(int sig) { (void)sig; }
static void on_int(int sig) { (void)sig; }
static void on_term(int sig) { (void)sig; }
static void on_usr1(int sig) { (void)sig; }
static void on_usr2(int sig) { (void)sig; }
static void on_chld(int sig) { (void)sig; }

handler table[] = {on_hup, on_int, on_term, on_usr1, on_usr2, on_chld};

int spawn(const char *path) {
  char *const argv[] = {(char *)path, 0};
  pid_t pid = fork();
  if (pid == 0) {
    execv(path, argv);
    _exit(127);
  }
  return pid;
}
