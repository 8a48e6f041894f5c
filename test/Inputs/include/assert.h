// Minimal <assert.h> for the forksafety tests, as glibc spells it.
#pragma once
#ifdef __cplusplus
extern "C" {
#endif
__attribute__((noreturn)) void __assert_fail(const char *assertion,
                                             const char *file, unsigned line,
                                             const char *function);
#ifdef __cplusplus
}
#endif
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))
#endif
