#include <stdio.h>

void report(const char *what) { printf("%s\n", what); }
