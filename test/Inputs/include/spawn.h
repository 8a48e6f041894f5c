// Minimal <spawn.h> for the forksafety tests.
#pragma once
#include <unistd.h>
int posix_spawn(pid_t *pid, const char *path, const void *file_actions,
                const void *attrp, char *const argv[], char *const envp[]);
