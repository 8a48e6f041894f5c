// A library's header in a directory of its own under the system headers,
// found with -I as pkg-config's flags find them, for the forksafety tests.
#pragma once
#ifdef __cplusplus
extern "C" {
#endif
void fastlib_set_option(int option);
const char *fastlib_version(void);
#ifdef __cplusplus
}
#endif
