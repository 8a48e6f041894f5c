// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks

#include <pthread.h>
#include <pty.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
void start_workers(void) {
  pthread_t thread;
  pthread_create(&thread, 0, worker, 0);
}

void serve_forever(void);
static void become_worker(void) { setenv("ROLE", "worker", 1); }

//===--- Must warn ---------------------------------------------------------===//

void unsafe_call_before_exit(void) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: the child calls 'printf', which is not async-signal-safe
    printf("child\n");
    _exit(0);
  }
}

int snapshot(void) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+3]]:3: note: the child returns from 'snapshot' without calling exec
    write(1, "x", 1);
  }
  return 0;
}

void falls_through(int fd) {
  pid_t pid = fork();
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+5]]:3: note: the child falls through into code the parent also runs
// CHECK-MESSAGES: :[[@LINE+5]]:3: note: the child calls 'fprintf', which is not async-signal-safe
  if (pid == 0) {
    close(fd);
  }
  close(fd + 1);
  fprintf(stderr, "done\n");
}

void loops_back(int listener) {
  for (;;) {
    int fd = listener + 1;
    if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE-5]]:3: note: the child loops back into code the parent also runs
      write(fd, "hello", 5);
      continue;
    }
    puts("forked");
  }
}
// The note about the unsafe call comes after the one about looping back.
// CHECK-MESSAGES: :[[@LINE-4]]:5: note: the child calls 'puts', which is not async-signal-safe

void calls_exit(const char *path, char *const argv[]) {
  if (!fork()) {
// CHECK-MESSAGES: :[[@LINE-1]]:8: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: the child calls 'exit', which runs atexit handlers and flushes stdio
    exit(1);
  }
}

void switch_on_fork(void) {
  switch (fork()) {
// CHECK-MESSAGES: :[[@LINE-1]]:11: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+6]]:5: note: the child calls 'become_worker', which is not async-signal-safe
// CHECK-MESSAGES: :18:35: note: 'become_worker' calls 'setenv' here
  case -1:
    perror("fork");
    return;
  case 0:
    become_worker();
    _exit(0);
  default:
    printf("parent\n");
  }
}

void assigned_in_condition(void) {
  pid_t pid;
  if ((pid = fork()) == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:14: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: the child calls 'serve_forever', which cannot be verified to be async-signal-safe
    serve_forever();
    _exit(0);
  }
  waitpid(pid, 0, 0);
}

void parent_in_then_branch(void) {
  if (fork()) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+4]]:5: note: the child calls 'malloc', which is not async-signal-safe
    puts("parent or error");
    return;
  } else {
    malloc(16);
    _exit(0);
  }
}

void daemonizes(void) {
  if (daemon(0, 0) < 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'daemon' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+4]]:3: note: the child calls 'serve_forever', which cannot be verified to be async-signal-safe
    perror("daemon");
    exit(1);
  }
  serve_forever();
}

void vfork_child_closes(int fd, char *const argv[]) {
  pid_t pid = vfork();
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: child of 'vfork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:5: note: the child calls 'close', which a vfork child may not do
  if (pid == 0) {
    close(fd);
    if (argv[0])
      execv(argv[0], argv);
    _exit(127);
  }
}

void unsafe_work_in_endless_loop(void) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:7: note: the child calls 'printf', which is not async-signal-safe
    for (;;)
      printf("tick\n");
  }
}

static void die(const char *why) {
  write(2, why, 4);
  _exit(1);
}

void unsafe_work_then_helper_that_exits(const char *path) {
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: the child calls 'getenv', which is not async-signal-safe
    getenv("PATH");
    if (path)
      execl(path, path, (char *)0);
    die("exec");
  }
}

void expected_child_result(void) {
  if (__builtin_expect(fork() != 0, 1))
    return;
// CHECK-MESSAGES: :[[@LINE-2]]:24: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+1]]:3: note: the child calls 'puts', which is not async-signal-safe
  puts("child");
  _exit(0);
}

void pty_child(void) {
  int master;
  pid_t pid = forkpty(&master, 0, 0, 0);
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: child of 'forkpty' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:5: note: the child calls 'getenv', which is not async-signal-safe
  if (pid == 0) {
    getenv("TERM");
    _exit(0);
  }
}

void new_fork_function(void) {
  if (_Fork() != 0)
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of '_Fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+2]]:1: note: the child returns from 'new_fork_function' without calling exec
    return;
}

//===--- Must not warn -----------------------------------------------------===//

void execs_at_once(char *const argv[]) {
  if (fork() == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
}

void only_safe_calls(int fds[2]) {
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], 1);
    write(1, "ok\n", 3);
    _exit(0);
  }
}

int parent_and_error_branches(char *const argv[]) {
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return -1;
  }
  if (pid > 0) {
    printf("started %d\n", pid);
    return pid;
  }
  execvp(argv[0], argv);
  perror("execvp"); // After a failed exec: reported by unsafe-call-in-child.
  _exit(127);
}

static void exec_or_die(char *const argv[]) {
  execv(argv[0], argv);
  _exit(127);
}

void helper_always_execs(char *const argv[]) {
  if (fork() == 0)
    exec_or_die(argv);
  puts("parent");
}

void retries_failed_fork(char *const argv[]) {
  pid_t pid;
  while ((pid = fork()) == -1)
    sleep(1);
  if (pid != 0)
    return;
  execve(argv[0], argv, 0);
  _exit(127);
}

void switch_on_pid(char *const argv[]) {
  pid_t pid = fork();
  switch (pid) {
  case -1:
    perror("fork");
    break;
  case 0:
    execv(argv[0], argv);
    _exit(127);
  default:
    printf("child %d\n", pid);
  }
}

void child_always_exits_then_parent_code(void) {
  pid_t pid = fork();
  if (pid == 0) {
    write(2, "child\n", 6);
    _exit(0);
  }
  printf("only the parent gets here\n");
}

void safe_loop_in_child(int fd) {
  if (fork() == 0) {
    for (;;)
      write(fd, "tick", 4);
  }
}

void spawns(char *const argv[]) {
  pid_t pid;
  posix_spawn(&pid, argv[0], 0, 0, argv, 0);
  printf("spawned %d\n", pid);
}

void result_compared_first(char *const argv[]) {
  pid_t pid = fork();
  if (-1 == pid || 0 < pid)
    return;
  execv(argv[0], argv);
  _exit(127);
}

struct child_process {
  pid_t pid;
};

void result_in_member(struct child_process *cmd, char *const argv[]) {
  cmd->pid = fork();
  if (!cmd->pid) {
    execv(argv[0], argv);
    _exit(127);
  }
  printf("parent only: %d\n", cmd->pid);
}

void result_through_pointer(pid_t *out, char *const argv[]) {
  *out = fork();
  if (*out != 0)
    return;
  execv(argv[0], argv);
  _exit(127);
}

void result_in_local_struct(char *const argv[]) {
  struct child_process child;
  child.pid = fork();
  if (child.pid > 0 || child.pid < 0)
    return;
  execv(argv[0], argv);
  _exit(127);
}

// Work before an exec that every path reaches is reported by
// forksafety-unsafe-call-in-child alone: the child does not go on.
void formats_then_execs(char *const argv[]) {
  if (fork() == 0) {
    char name[32];
    snprintf(name, sizeof name, "%s", argv[0]);
    execv(argv[0], argv);
    _exit(127);
  }
}

void closes_descriptors_then_execs(int max_fd, char *const argv[]) {
  if (fork() == 0) {
    setenv("MODE", "child", 1);
    for (int fd = 3; fd < max_fd; fd++)
      close(fd);
    execv(argv[0], argv);
    _exit(127);
  }
}

void exec_reports_only_failure(char *const argv[]) {
  if (fork() == 0) {
    if (execvp(argv[0], argv) == 0)
      printf("never reached: exec returns only when it fails\n");
    _exit(127);
  }
}

static void prepare_and_exec(char *const argv[]) {
  setenv("MODE", "child", 1);
  exec_or_die(argv);
}

void exec_inside_a_helper(char *const argv[]) {
  if (fork() == 0)
    prepare_and_exec(argv);
}

void unlikely_child(char *const argv[]) {
  pid_t pid = fork();
  if (__builtin_expect(pid == 0, 0)) {
    execv(argv[0], argv);
    _exit(127);
  }
  printf("parent only: %d\n", pid);
}
