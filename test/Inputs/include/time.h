// Minimal <time.h> timers for the forksafety tests, as glibc declares them.
#pragma once
enum { SIGEV_SIGNAL = 0, SIGEV_NONE, SIGEV_THREAD };
#define SIGEV_THREAD SIGEV_THREAD
struct sigevent {
  int sigev_notify;
  void (*sigev_notify_function)(int);
};
typedef int clockid_t;
typedef void *timer_t;
#ifdef __cplusplus
extern "C" {
#endif
int timer_create(clockid_t clock, struct sigevent *event, timer_t *timer);
#ifdef __cplusplus
}
#endif
