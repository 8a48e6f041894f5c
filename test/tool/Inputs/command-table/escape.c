// Keeps cmd_gc's address where a table does not: anything may call it.
#include "commands.h"

int (*gc_later)(int, char **);

void collect_later(void) { gc_later = cmd_gc; }
