// Minimal <glib.h> for the forksafety tests.
#pragma once
typedef struct GThread GThread;
typedef void *(*GThreadFunc)(void *);
GThread *g_thread_new(const char *name, GThreadFunc func, void *data);
