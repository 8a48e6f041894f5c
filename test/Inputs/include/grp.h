// Minimal <grp.h> for the forksafety tests.
#pragma once
typedef unsigned long size_t;
typedef unsigned gid_t;
struct group;
#ifdef __cplusplus
extern "C" {
#endif
int setgroups(size_t size, const gid_t *list);
struct group *getgrnam(const char *name);
#ifdef __cplusplus
}
#endif
