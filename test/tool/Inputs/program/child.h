#include <stdio.h>

#define CHILD_LOG(msg) fprintf(stderr, "%s\n", msg)

void log_child(const char *msg);
void run_child(const char *path);
