// Minimal <pthread.h> for the forksafety tests.
#pragma once
typedef unsigned long pthread_t;
typedef struct { int opaque; } pthread_mutex_t;
#ifdef __cplusplus
extern "C" {
#endif
int pthread_create(pthread_t *thread, const void *attr,
                   void *(*start)(void *), void *arg);
int pthread_join(pthread_t thread, void **result);
int pthread_detach(pthread_t thread);
int pthread_mutex_lock(pthread_mutex_t *mutex);
int pthread_mutex_unlock(pthread_mutex_t *mutex);
int pthread_atfork(void (*prepare)(void), void (*parent)(void),
                   void (*child)(void));
#ifdef __cplusplus
}
#endif
