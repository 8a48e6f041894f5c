#include "pool.hpp"
#include <cstdio>
#include <unistd.h>

int main() {
  Pool pool, other;
  pool.start();
#ifdef STOP_OTHER
  other.stop();
#else
  pool.stop();
#endif
  if (fork() == 0) {
    std::puts("child");
    _exit(0);
  }
}
