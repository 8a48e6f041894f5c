// Minimal <string.h> for the forksafety tests.
#pragma once
#ifdef __cplusplus
extern "C" {
#endif
unsigned long strlen(const char *s);
void *memcpy(void *dst, const void *src, unsigned long n);
char *strerror(int errnum);
int strcmp(const char *a, const char *b);
#ifdef __cplusplus
}
#endif
