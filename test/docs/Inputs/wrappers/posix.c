// Declarations for a C example of file-scope code; it creates its threads
// itself, if any.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void write_state(int state);
void *work(void *arg);

@SNIPPET@
