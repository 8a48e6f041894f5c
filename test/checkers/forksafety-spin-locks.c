// RUN: %check_clang_tidy %s forksafety-unsafe-call-in-child %t -- -- -nostdinc -isystem %mocks

// A loop that waits on an atomic exchange, test-and-set or a
// compare-and-swap expecting a constant is a spin lock: if another thread
// held it at the fork, the child waits forever.

#include <pthread.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
void start_workers(pthread_t *thread) { pthread_create(thread, 0, worker, 0); }

static int g_lock;
static char g_flag;
static int g_count;

struct queue {
  int locked;
  int items;
};

static void spin_lock(void) {
  while (__sync_lock_test_and_set(&g_lock, 1))
    ;
}

static void spin_unlock(void) { __sync_lock_release(&g_lock); }

static void queue_lock(struct queue *q) {
  while (!__sync_bool_compare_and_swap(&q->locked, 0, 1))
    ;
}

static void wait_expected(void) {
  int expected = 0;
  while (!__atomic_compare_exchange_n(&g_lock, &expected, 1, 1,
                                      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
    expected = 0;
}

void child_takes_spin_locks(struct queue *q) {
  if (fork() == 0) {
    spin_lock();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'spin_lock' in the child of a fork is not async-signal-safe: it waits for the spin lock 'g_lock' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :23:10: note: 'spin_lock' waits for the spin lock 'g_lock' here
// CHECK-MESSAGES: :42:7: note: child process created by 'fork' here
    spin_unlock();
    queue_lock(q);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'queue_lock' in the child of a fork is not async-signal-safe: it waits for the spin lock 'q->locked' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :30:11: note: 'queue_lock' waits for the spin lock 'q->locked' here
// CHECK-MESSAGES: :42:7: note: child process created by 'fork' here
    wait_expected();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'wait_expected' in the child of a fork is not async-signal-safe: it waits for the spin lock 'g_lock' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :36:11: note: 'wait_expected' waits for the spin lock 'g_lock' here
// CHECK-MESSAGES: :42:7: note: child process created by 'fork' here
    while (__atomic_test_and_set(&g_flag, __ATOMIC_ACQUIRE)) {
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: waiting for the spin lock 'g_flag' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :42:7: note: child process created by 'fork' here
    }
    _exit(0);
  }
}

// A futex-style mutex reached through a pointer, as GLib's
// g_mutex_lock_slowpath waits on mutex->i[0]: the lock is named as the
// code spells it.
struct futex_mutex {
  int state[2];
};

static struct futex_mutex g_mutex;

static void futex_lock(struct futex_mutex *m) {
  while (__atomic_exchange_n(&m->state[0], 2, __ATOMIC_ACQUIRE) != 0)
    ;
}

void child_takes_futex(void) {
  if (fork() == 0) {
    futex_lock(&g_mutex);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'futex_lock' in the child of a fork is not async-signal-safe: it waits for the spin lock 'm->state' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :[[@LINE-8]]:10: note: 'futex_lock' waits for the spin lock 'm->state' here
// CHECK-MESSAGES: :[[@LINE-4]]:7: note: child process created by 'fork' here
    _exit(0);
  }
}

// Must not warn: a lock-free update retries with the value it read and
// always ends in a child; a try-lock does not wait; a flag in a local
// variable no other thread can hold; releasing a lock; draining a flag
// with an exchange that stores "clear", which ends when no other thread sets
// it again.
static void count_up(void) {
  int old;
  do {
    old = g_count;
  } while (!__sync_bool_compare_and_swap(&g_count, old, old + 1));
}

static int try_lock(void) { return __sync_lock_test_and_set(&g_lock, 1) == 0; }

static void local_flag(void) {
  int busy = 0;
  while (__sync_lock_test_and_set(&busy, 1))
    busy = 0;
}

static int g_pending;

static void drain_pending(void) {
  while (__sync_lock_test_and_set(&g_pending, 0))
    write(1, "p", 1);
}

void child_without_spin_locks(void) {
  if (fork() == 0) {
    count_up();
    if (try_lock())
      spin_unlock();
    local_flag();
    drain_pending();
    _exit(0);
  }
}
