// Minimal <stdio.h> for the forksafety tests.
#pragma once
#include <stddef.h>
typedef struct FILE FILE;
#ifdef __cplusplus
extern "C" {
#endif
extern FILE *stderr;
int printf(const char *format, ...);
int fprintf(FILE *stream, const char *format, ...);
int snprintf(char *buf, unsigned long size, const char *format, ...);
int vsnprintf(char *buf, unsigned long size, const char *format, __builtin_va_list args);
int puts(const char *s);
void perror(const char *s);
#ifdef __cplusplus
}
#endif
