// Minimal <sys/resource.h> for the forksafety tests.
#pragma once
struct rlimit {
  unsigned long rlim_cur, rlim_max;
};
#define RLIMIT_NOFILE 7
#ifdef __cplusplus
extern "C" {
#endif
int getrlimit(int resource, struct rlimit *limit);
int setrlimit(int resource, const struct rlimit *limit);
#ifdef __cplusplus
}
#endif
