// Minimal <syslog.h> for the forksafety tests.
#pragma once
#define LOG_ERR 3
#ifdef __cplusplus
extern "C" {
#endif
void syslog(int priority, const char *format, ...);
#ifdef __cplusplus
}
#endif
