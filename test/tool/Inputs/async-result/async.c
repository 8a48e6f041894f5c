#include "async.h"

static void *run_filter(void *arg) { return arg; }

int start_async(struct async *async) {
  if (async->out < 0)
    return -1;
  int err = pthread_create(&async->tid, 0, run_filter, async);
  if (err)
    goto error;
  return 0;
error:
  async->out = -1;
  return -1;
}

int finish_async(struct async *async) { return pthread_join(async->tid, 0); }
