// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=MOVED %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DMOVED
// RUN: %check_clang_tidy --check-suffix=FIRST-ONLY %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DFIRST_ONLY

// Threads kept in structures reached through local pointers that keep
// pointing where they were initialised to: an allocated structure, or the
// element `jobs + i` (or `&jobs[i]`) of a counted loop. A path that ends in
// a function that does not return (die() when a creation or a join fails)
// never gets back to the caller.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

struct job {
  pthread_t tid;
  int index;
};

void *calloc(unsigned long count, unsigned long size);
void free(void *block);
void die(const char *message) __attribute__((noreturn));

static void *work(void *arg) { return arg; }

static void run_allocated(void) {
  struct job *job;
  (job) = calloc(1, sizeof(*job));
  int err = pthread_create(&job->tid, 0, work, job);
  if (err)
    die("cannot start");
  if (pthread_join(job->tid, 0))
    die("cannot join");
  free(job);
}

static void run_elements(int count) {
  struct job *jobs = calloc(count, sizeof(*jobs));
  for (int i = 0; i < count; i++) {
    struct job *job = jobs + i;
    job->index = i;
    if (pthread_create(&job->tid, 0, work, job))
      die("cannot start");
  }
  for (int i = 0; i < count; i++) {
    struct job *job = &jobs[i];
    if (pthread_join(job->tid, 0))
      die("cannot join");
  }
  free(jobs);
}

#ifdef MOVED
// The pointer moves on before the join: it joins another structure.
static void run_moved(void) {
  struct job *job = calloc(2, sizeof(*job));
  pthread_create(&job->tid, 0, work, job);
  job++;
  pthread_join(job->tid, 0);
}
#endif

#ifdef FIRST_ONLY
// Joins the first element only.
static void run_first_only(int count) {
  struct job *jobs = calloc(count, sizeof(*jobs));
  for (int i = 0; i < count; i++) {
    struct job *job = jobs + i;
    pthread_create(&job->tid, 0, work, job);
  }
  for (int i = 0; i < count; i++) {
    struct job *job = jobs + i;
    if (i == 0)
      pthread_join(job->tid, 0);
  }
}
#endif

int main(int argc, char **argv) {
  (void)argv;
  run_allocated();
  run_elements(argc);
#ifdef MOVED
  run_moved();
#endif
#ifdef FIRST_ONLY
  run_first_only(argc);
#endif
  if (fork() == 0) {
    // CHECK-MESSAGES-MOVED: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-MOVED: :57:3: note: threads are created here
    // CHECK-MESSAGES-FIRST-ONLY: :[[@LINE-3]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-FIRST-ONLY: :69:5: note: threads are created here
    printf("child\n");
    _exit(0);
  }
  return 0;
}
