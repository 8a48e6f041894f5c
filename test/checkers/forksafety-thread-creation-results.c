// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=ON-SUCCESS %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DRETURN_ON_SUCCESS
// RUN: %check_clang_tidy --check-suffix=HALF-STARTED %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DHALF_STARTED
// RUN: %check_clang_tidy --check-suffix=OVERWRITTEN %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DOVERWRITTEN

// pthread_create returns 0 once the thread runs, and an error number, with
// no thread, when it cannot start one. A branch taken when it (or a
// function that returns 0 only with the thread running) returned another
// value leaves no thread behind: these helpers return early on failure and
// join on success, so no thread runs at the fork.

#include <pthread.h>
#include <stdio.h>
#include <threads.h>
#include <unistd.h>

struct job {
  pthread_t tid;
  int fd;
};

static void *work(void *arg) { return arg; }
static int work_c11(void *arg) { return arg != 0; }

// 0 with the thread running; -1, with none, when it cannot start.
static int start_job(struct job *job) {
  if (job->fd < 0)
    return -1;
  int err = pthread_create(&job->tid, 0, work, job);
  if (err)
    goto error;
  return 0;
error:
  job->fd = -1;
  return -1;
}

static int finish_job(struct job *job) { return pthread_join(job->tid, 0); }

static void run_job(int fd) {
  struct job job;
  job.fd = fd;
  if (start_job(&job))
    return;
  finish_job(&job);
}

static void run_job_unlikely(int fd) {
  struct job job;
  job.fd = fd;
  if (__builtin_expect(start_job(&job) < 0, 0))
    return;
  finish_job(&job);
}

static void run_job_status(int fd) {
  struct job job;
  int status = 0;
  job.fd = fd;
  status = start_job(&job);
  if (status != 0)
    return;
  finish_job(&job);
}

static void run_thread(void) {
  pthread_t thread;
  if (pthread_create(&thread, 0, work, 0) != 0)
    return;
  pthread_join(thread, 0);
}

static void run_thread_assigned(void) {
  pthread_t thread;
  int err;
  if ((err = pthread_create(&thread, 0, work, 0)))
    return;
  pthread_join(thread, 0);
}

static void run_thread_c11(void) {
  thrd_t thread;
  if (thrd_create(&thread, work_c11, 0) != thrd_success)
    return;
  thrd_join(thread, 0);
}

#ifdef RETURN_ON_SUCCESS
// Returns when the thread did start: it still runs.
static void leave_job(int fd) {
  struct job job;
  job.fd = fd;
  if (start_job(&job) == 0)
    return;
  finish_job(&job);
}
#endif

#ifdef HALF_STARTED
// Fails after starting its first thread, which keeps running.
static int start_pair(struct job *first, struct job *second) {
  if (pthread_create(&first->tid, 0, work, first))
    return -1;
  if (pthread_create(&second->tid, 0, work, second))
    return -1;
  return 0;
}

static void run_pair(void) {
  struct job first, second;
  if (start_pair(&first, &second))
    return;
  finish_job(&first);
  finish_job(&second);
}
#endif

#ifdef OVERWRITTEN
// The status tested is not the one of the call that made the thread.
static void run_job_overwritten(int fd) {
  struct job job;
  int status;
  job.fd = fd;
  status = start_job(&job);
  status = fd;
  if (status)
    return;
  finish_job(&job);
}
#endif

int main(int argc, char **argv) {
  (void)argv;
  run_job(argc);
  run_job_unlikely(argc);
  run_job_status(argc);
  run_thread();
  run_thread_assigned();
  run_thread_c11();
#ifdef RETURN_ON_SUCCESS
  leave_job(argc);
#endif
#ifdef HALF_STARTED
  run_pair();
#endif
#ifdef OVERWRITTEN
  run_job_overwritten(argc);
#endif
  if (fork() == 0) {
    // CHECK-MESSAGES-ON-SUCCESS: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-ON-SUCCESS: :29:13: note: threads are created here
    // CHECK-MESSAGES-HALF-STARTED: :[[@LINE-3]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-HALF-STARTED: :102:7: note: threads are created here
    // CHECK-MESSAGES-OVERWRITTEN: :[[@LINE-5]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-OVERWRITTEN: :29:13: note: threads are created here
    printf("child\n");
    _exit(0);
  }
  return 0;
}
