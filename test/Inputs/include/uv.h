// Minimal libuv threads for the forksafety tests.
#pragma once
#ifdef __cplusplus
extern "C" {
#endif
typedef unsigned long uv_thread_t;
int uv_thread_create(uv_thread_t *tid, void (*entry)(void *), void *arg);
#ifdef __cplusplus
}
#endif
