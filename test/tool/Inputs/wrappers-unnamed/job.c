#include <unistd.h>

// A fork wrapper whose name and type do not tell: the units that call it
// learn it only from this one.
int start_job(void) { return fork(); }
