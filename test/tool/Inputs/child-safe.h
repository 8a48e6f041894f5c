#include <string.h>
#include <unistd.h>

#define CHILD_LOG(msg) write(2, msg, strlen(msg))

void log_child(const char *msg);
void run_child(const char *path);
