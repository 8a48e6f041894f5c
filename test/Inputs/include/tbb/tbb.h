// Minimal oneTBB for the forksafety tests: definitions live in versioned
// internal namespaces, as in oneTBB.
#pragma once
namespace tbb {
namespace detail {
namespace d1 {
template <typename Index, typename Body>
void parallel_for(Index first, Index last, const Body &body) {}
class task_group {
public:
  template <typename F> void run(F &&f) {}
  void wait();
};
} // namespace d1
} // namespace detail
using detail::d1::parallel_for;
using detail::d1::task_group;
} // namespace tbb
