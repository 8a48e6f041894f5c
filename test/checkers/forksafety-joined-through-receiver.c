// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=LEAK %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DLEAK

// C APIs keep a thread in a structure their functions take as their first
// argument: start_async(&job) creates it, finish_async(&job) joins it. The
// structure is followed like the object of a member function, through
// pointers passed on to other such functions.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

struct async {
  pthread_t tid;
  int fd;
};

static void *run_thread(void *arg) { return arg; }

int start_async(struct async *async) {
  async->fd = 0;
  return pthread_create(&async->tid, 0, run_thread, async);
}

int finish_async(struct async *async) { return pthread_join(async->tid, 0); }

// Forwards its receiver.
static int wait_job(struct async *job) { return finish_async(job); }

// Moves its pointer: the structure it joins is not the one it was given.
static int wait_next(struct async *job) {
  ++job;
  return finish_async(job);
}

static void filter(void) {
  struct async first, second;
  start_async(&first);
  start_async(&second);
  finish_async(&first);
#ifdef LEAK
  wait_next(&second);
#else
  wait_job(&second);
#endif
}

int main(void) {
  filter();
  if (fork() == 0) {
// CHECK-MESSAGES-LEAK: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES-LEAK: :22:10: note: threads are created here
    printf("child\n");
    _exit(0);
  }
  return 0;
}
