// RUN: %check_clang_tidy %s forksafety-unsafe-call-in-child %t -- -- -std=c++17

// Spin locks over the C++ library's atomics, with the real system headers:
// atomic_flag::test_and_set, atomic<bool>::exchange, and compare_exchange
// that expects the lock free again after each failure. A compare-exchange
// loop that retries with the value it read is a lock-free update, not a
// lock.

#include <atomic>
#include <thread>
#include <unistd.h>

std::atomic_flag flag = ATOMIC_FLAG_INIT;
std::atomic<bool> locked{false};
std::atomic<int> counter{0};

struct Spin {
  std::atomic<bool> busy{false};
  void lock() {
    bool expected = false;
    while (!busy.compare_exchange_weak(expected, true))
      expected = false;
  }
};
Spin spin;

void lock_flag() {
  while (flag.test_and_set(std::memory_order_acquire)) {
  }
}

void lock_bool() {
  while (locked.exchange(true)) {
  }
}

void count_up() {
  int old = counter.load();
  while (!counter.compare_exchange_weak(old, old + 1)) {
  }
}

int main() {
  std::thread worker([] {});
  if (fork() == 0) {
    lock_flag();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'lock_flag' in the child of a fork is not async-signal-safe: it waits for the spin lock 'flag' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :28:10: note: 'lock_flag' waits for the spin lock 'flag' here
// CHECK-MESSAGES: :45:7: note: child process created by 'fork' here
    lock_bool();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'lock_bool' in the child of a fork is not async-signal-safe: it waits for the spin lock 'locked' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :33:10: note: 'lock_bool' waits for the spin lock 'locked' here
// CHECK-MESSAGES: :45:7: note: child process created by 'fork' here
    spin.lock();
// CHECK-MESSAGES: :[[@LINE-1]]:10: warning: call to 'Spin::lock' in the child of a fork is not async-signal-safe: it waits for the spin lock 'busy' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :21:13: note: 'Spin::lock' waits for the spin lock 'busy' here
// CHECK-MESSAGES: :45:7: note: child process created by 'fork' here
    count_up();
    counter.fetch_add(1);
    _exit(0);
  }
  worker.join();
}

// Must not warn: an exchange that stores "clear" drains a flag; in a child no
// other thread sets it again, so the loop ends.
std::atomic<bool> pending{false};

void child_drains() {
  std::thread worker([] {});
  if (fork() == 0) {
    while (pending.exchange(false)) {
    }
    _exit(0);
  }
  worker.join();
}
