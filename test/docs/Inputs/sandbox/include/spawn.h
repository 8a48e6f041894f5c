// Runs a hook program in a child process.
int spawn_hook(const char *path);
