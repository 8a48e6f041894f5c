#include <unistd.h>

pid_t xfork(void);

// A wrapper of a wrapper that no other file calls.
pid_t fork_again(void) { return xfork(); }
