// Minimal <sys/prctl.h> for the forksafety tests.
#pragma once
#define PR_SET_PDEATHSIG 1
#ifdef __cplusplus
extern "C" {
#endif
int prctl(int option, ...);
#ifdef __cplusplus
}
#endif
