#include <unistd.h>

pid_t xfork(void);

// A wrapper of a wrapper, in a third file.
pid_t spawn_worker(void) { return xfork(); }
