// Minimal Boost.Asio thread pool for the forksafety tests.
#pragma once
namespace boost {
namespace asio {
class thread_pool {
public:
  thread_pool();
  explicit thread_pool(unsigned long threads);
  ~thread_pool();
  void join();
};
} // namespace asio
} // namespace boost
