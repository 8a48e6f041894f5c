// A third-party library's header, installed among the system headers, for
// the forksafety tests.
#pragma once
#ifdef __cplusplus
extern "C" {
#endif
int tls_library_init(void);
const char *tls_error_string(int code);
#ifdef __cplusplus
}
#endif
