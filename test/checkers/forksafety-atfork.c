// RUN: %check_clang_tidy %s forksafety-unsafe-call-in-child %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=NOTES %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks

// The pthread_atfork protocol: a mutex that the prepare handler locks and
// the parent and child handlers unlock is in a known state in the child, so
// locking and unlocking it there is safe. Other unsafe calls still are not.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t registry_lock;
static pthread_mutex_t cache_lock;
static pthread_mutex_t stats_lock;

static void prepare(void) {
  pthread_mutex_lock(&registry_lock);
  pthread_mutex_lock(&stats_lock);
}
static void in_parent(void) {
  pthread_mutex_unlock(&registry_lock);
  pthread_mutex_unlock(&stats_lock);
}
// Forgets stats_lock: it stays locked in the child.
static void in_child(void) { pthread_mutex_unlock(&registry_lock); }

static void *work(void *arg) { return arg; }

void start(void) {
  pthread_atfork(prepare, in_parent, in_child);
  pthread_t thread;
  pthread_create(&thread, 0, work, 0);
}

static void register_child(void) {
  pthread_mutex_lock(&registry_lock);
  pthread_mutex_unlock(&registry_lock);
}

void spawn(void) {
  if (fork() == 0) {
    // Must not warn: the handlers keep registry_lock usable.
    pthread_mutex_lock(&registry_lock);
    pthread_mutex_unlock(&registry_lock);
    register_child();

    pthread_mutex_lock(&cache_lock);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'pthread_mutex_lock' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    pthread_mutex_lock(&stats_lock);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'pthread_mutex_lock' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    printf("child\n");
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'printf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    _exit(0);
  }
}
// The child goes on running program code; the notes say why the uses of
// registry_lock in spawn() are not reported.
// CHECK-MESSAGES-NOTES: :41:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-NOTES: :32:3: note: threads are created here
// CHECK-MESSAGES-NOTES: :47:5: note: the child calls 'pthread_mutex_lock', which is not async-signal-safe
// CHECK-MESSAGES-NOTES: :43:5: note: 'pthread_mutex_lock' on 'registry_lock' is safe in the child: the fork handler 'prepare' registered with pthread_atfork locks it before the fork
// CHECK-MESSAGES-NOTES: :44:5: note: 'pthread_mutex_unlock' on 'registry_lock' is safe in the child: the fork handler 'prepare' registered with pthread_atfork locks it before the fork
