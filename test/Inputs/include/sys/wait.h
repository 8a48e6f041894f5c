// Minimal <sys/wait.h> for the forksafety tests.
#pragma once
#include <unistd.h>
pid_t waitpid(pid_t pid, int *status, int options);
