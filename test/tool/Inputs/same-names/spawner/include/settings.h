#include <stdio.h>

// The spawner's settings, under the same name: it logs before exec.
static inline void before_exec(void) { printf("exec\n"); }
