#include <stdio.h>

static inline void log_child(const char *msg) {
  fprintf(stderr, "%s\n", msg);
}

void run_child(const char *path);
