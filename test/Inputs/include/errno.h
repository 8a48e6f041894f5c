// Minimal <errno.h> for the forksafety tests.
#pragma once
#ifdef __cplusplus
extern "C" {
#endif
int *__errno_location(void);
#ifdef __cplusplus
}
#endif
#define errno (*__errno_location())
#define ENOENT 2
