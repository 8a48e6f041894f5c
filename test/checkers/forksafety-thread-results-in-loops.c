// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=CLEANUP %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DCLEANUP

// A branch on whether a call in a loop started its thread: a later pass
// over the call may make what it made ambiguous (the threads of earlier
// iterations run on), and the branches already passed are looked at
// again. A retry loop that joins what it started leaves nothing running;
// a loop that leaves for its cleanup when the second creation fails
// leaves the first thread running there.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }
static int workers(void) { return 2 + (int)(getpid() % 4); }

int main(void) {
  pthread_t threads[8];
#ifdef CLEANUP
  int count = workers();
  for (int i = 0; i < count; i++)
    if (pthread_create(&threads[i], 0, work, 0) != 0)
      goto fail;
  for (int i = 0; i < count; i++)
    pthread_join(threads[i], 0);
  return 0;
fail:
#else
  for (int tries = 0; tries < workers(); tries++) {
    if (pthread_create(&threads[0], 0, work, 0) == 0) {
      pthread_join(threads[0], 0);
      break;
    }
  }
#endif
  if (fork() == 0) {
    // CHECK-MESSAGES-CLEANUP: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
    // CHECK-MESSAGES-CLEANUP: :23:9: note: threads are created here
    printf("child\n");
    _exit(1);
  }
  return 1;
}
