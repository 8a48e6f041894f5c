// Minimal <threads.h> for the forksafety tests.
#pragma once
typedef unsigned long thrd_t;
typedef int (*thrd_start_t)(void *);
enum { thrd_success = 0, thrd_nomem = 1, thrd_timedout = 2, thrd_busy = 3,
       thrd_error = 4 };
int thrd_create(thrd_t *thread, thrd_start_t start, void *arg);
int thrd_join(thrd_t thread, int *result);
