// Minimal <threads.h> for the forksafety tests.
#pragma once
typedef unsigned long thrd_t;
typedef int (*thrd_start_t)(void *);
int thrd_create(thrd_t *thread, thrd_start_t start, void *arg);
