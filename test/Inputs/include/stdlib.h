// Minimal <stdlib.h> for the forksafety tests.
#pragma once
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
__attribute__((noreturn)) void exit(int status);
__attribute__((noreturn)) void abort(void);
void *malloc(unsigned long size);
void free(void *p);
int atexit(void (*function)(void));
char *getenv(const char *name);
int setenv(const char *name, const char *value, int overwrite);
#ifdef __cplusplus
}
#endif
