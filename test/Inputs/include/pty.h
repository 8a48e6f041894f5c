// Minimal <pty.h> for the forksafety tests.
#pragma once
#include <unistd.h>
pid_t forkpty(int *amaster, char *name, const void *termp, const void *winp);
