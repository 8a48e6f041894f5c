// C++ threads joined before a fork: std::thread::join, std::jthread going
// out of scope, containers of threads joined by a loop over every element,
// and pools whose member functions start and join them.
// RUN: %check_clang_tidy %s forksafety-fork-in-threaded-program %t -- -- -std=c++20
// RUN: %check_clang_tidy --check-suffix=DETACHED %s forksafety-fork-in-threaded-program %t -- -- -std=c++20 -DDETACHED
// RUN: %check_clang_tidy --check-suffix=OTHER-POOL %s forksafety-fork-in-threaded-program %t -- -- -std=c++20 -DOTHER_POOL
// RUN: %check_clang_tidy --check-suffix=SOME %s forksafety-fork-in-threaded-program %t -- -- -std=c++20 -DSOME
// RUN: %check_clang_tidy --check-suffix=OUTLIVES %s forksafety-fork-in-threaded-program %t -- -- -std=c++20 -DOUTLIVES

#include <cstdio>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

static void work() {}

static void run_child() {
  if (fork() == 0) {
    std::puts("child");
    _exit(0);
  }
}

// Must not warn: everything is joined before the fork.
static void joined_thread() {
  std::thread worker(work);
  worker.join();
}

static void scoped_jthread() {
  std::jthread worker(work);
}

static void joined_vector() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(work);
  threads.push_back(std::thread(work));
  std::thread extra(work);
  threads.push_back(std::move(extra));
  for (auto &thread : threads)
    if (thread.joinable())
      thread.join();
}

static void scoped_jthreads() {
  std::vector<std::jthread> threads;
  threads.emplace_back(work);
}

class Pool {
public:
  void start() {
    for (int i = 0; i < 4; ++i)
      Threads.emplace_back(work);
  }
  void stop() {
    for (std::thread &thread : Threads)
      thread.join();
  }

private:
  std::vector<std::thread> Threads;
};

// Joins its workers when it goes out of scope.
class ScopedWorkers {
public:
  ScopedWorkers() : First(work) {}
  ~ScopedWorkers() { First.join(); }

private:
  std::thread First;
};

static void pool_started_and_stopped() {
  Pool pool;
  pool.start();
  pool.stop();
}

static void scoped_workers() { ScopedWorkers workers; }

#if defined(DETACHED)
static void detached() {
  std::vector<std::thread> threads;
  threads.emplace_back(work);
  for (auto &thread : threads)
    thread.detach();
}
#elif defined(OTHER_POOL)
static void stops_another_pool() {
  Pool started, stopped;
  started.start();
  stopped.stop();
}
#elif defined(SOME)
static void joins_the_first() {
  std::vector<std::thread> threads;
  threads.emplace_back(work);
  threads.emplace_back(work);
  threads[0].join();
  threads[1].detach();
}
#elif defined(OUTLIVES)
// Joined only when the program ends.
static std::jthread Background;
static void outlives() { Background = std::jthread(work); }
#endif

int main() {
  joined_thread();
  scoped_jthread();
  joined_vector();
  scoped_jthreads();
  pool_started_and_stopped();
  scoped_workers();
#if defined(DETACHED)
  detached();
#elif defined(OTHER_POOL)
  stops_another_pool();
#elif defined(SOME)
  joins_the_first();
#elif defined(OUTLIVES)
  outlives();
#endif
  run_child();
}
// CHECK-MESSAGES-DETACHED: :19:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-OTHER-POOL: :19:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-SOME: :19:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-OUTLIVES: :19:7: warning: child of 'fork' may run program code
