#include "pool.hpp"

static void work() {}

void Pool::start() {
  for (int i = 0; i < 4; ++i)
    Threads.emplace_back(work);
}

void Pool::stop() {
  for (std::thread &thread : Threads)
    thread.join();
}
