#include <pthread.h>

struct async {
  pthread_t tid;
  int out;
};

/* 0 once the thread runs; -1, with no thread, when it cannot start. */
int start_async(struct async *async);
int finish_async(struct async *async);
int apply_filter(const char *cmd);
