#include "async.h"

int apply_filter(const char *cmd) {
  struct async async;
  async.out = cmd ? 1 : -1;
  if (start_async(&async))
    return 0;
  return finish_async(&async) == 0;
}
