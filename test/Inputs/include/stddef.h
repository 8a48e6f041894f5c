// Minimal <stddef.h> for the forksafety tests.
#pragma once
#ifndef NULL
#ifdef __cplusplus
#define NULL nullptr
#else
#define NULL ((void *)0)
#endif
#endif
