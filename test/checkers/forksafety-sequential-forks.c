// RUN: %check_clang_tidy %s forksafety-* %t -- -- -nostdinc -isystem %mocks
// The forks of one function whose children fall through into the code after
// them: each child keeps what it knows about its own fork's result there.

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
void start_workers(void) {
  pthread_t thread;
  pthread_create(&thread, 0, worker, 0);
}

//===--- Must warn ---------------------------------------------------------===//

// The first child knows that 'first' is 0 and skips the first 'puts'; it
// does not know which way 'second' goes.
void two_children_fall_through(int fd) {
  pid_t first = fork();
  if (first == 0)
    close(fd);
  pid_t second = fork();
  if (second == 0)
    close(fd + 1);
  if (first > 0)
    puts("parent of the first child");
  if (second == 0)
    puts("second child");
  if (second > 0)
    waitpid(second, 0, 0);
}
// CHECK-MESSAGES: :22:17: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :25:3: note: the child falls through into code the parent also runs
// CHECK-MESSAGES: :31:5: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :25:18: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :28:7: note: the child falls through into code the parent also runs
// CHECK-MESSAGES: :29:5: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]

// The first child exits before the 'puts' calls; the second does not.
void tested_again_later(int fd) {
  pid_t pid = fork();
  if (pid == 0)
    close(fd);
  if (fork() == 0)
    close(fd + 1);
  if (pid > 0)
    puts("parent only");
  if (pid == 0)
    _exit(0);
  puts("neither the first child nor its child");
}
// CHECK-MESSAGES: :49:7: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :51:7: note: the child falls through into code the parent also runs
// CHECK-MESSAGES: :52:5: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :55:3: warning: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :49:7: note: child process created by 'fork' here

// Both children run the loop after the forks.
void loop_after_the_forks(int fd, int n) {
  if (fork() == 0)
    close(fd);
  if (fork() == 0)
    close(fd + 1);
  for (int i = 0; i < n; ++i)
    if (i == 3)
      printf("%d\n", i);
  _exit(0);
}
// CHECK-MESSAGES: :66:7: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :68:7: note: the child falls through into code the parent also runs
// CHECK-MESSAGES: :72:7: note: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :68:7: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :70:8: note: the child falls through into code the parent also runs
// CHECK-MESSAGES: :72:7: note: the child calls 'printf', which is not async-signal-safe

// A child that loops back may run the fork again, as a parent.
void forks_in_a_loop(int n) {
  for (int i = 0; i < n; ++i) {
    pid_t pid = fork();
    if (pid == 0)
      continue;
    if (pid > 0)
      puts("parent");
  }
}
// CHECK-MESSAGES: :87:17: warning: child of 'fork' may run
// CHECK-MESSAGES: :14:3: note: threads are created here
// CHECK-MESSAGES: :86:3: note: the child loops back into code the parent also runs
// CHECK-MESSAGES: :91:7: note: call to 'puts' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]

//===--- Must not warn -----------------------------------------------------===//

// Each child ends before the parent's code starts.
void children_exit_at_once(int fd) {
  pid_t first = fork();
  if (first == 0)
    _exit(close(fd));
  pid_t second = fork();
  if (second == 0)
    _exit(close(fd + 1));
  if (first > 0 && second > 0)
    printf("two children\n");
}

// The child knows which way the second test of its fork's result goes.
void joined_but_tested_again(int fd) {
  pid_t pid = fork();
  if (pid == 0)
    close(fd);
  if (pid != 0) {
    printf("parent\n");
    waitpid(pid, 0, 0);
    return;
  }
  _exit(0);
}

// Sequential children that exec at once.
void spawn_two(char *const argv[]) {
  if (fork() == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
  if (fork() == 0) {
    execv(argv[1], argv);
    _exit(127);
  }
  printf("spawned\n");
}
