//===- SpinLocks.h - Hand-rolled spin locks --------------------*- C++ -*-===//
//
// A spin lock is a loop around an atomic read-modify-write that repeats until
// it sees the lock free: `while (atomic_flag_test_and_set(&f))`,
// `while (lock.exchange(true))`, `while (!__sync_bool_compare_and_swap(&l,
// 0, 1))`. In the child of a fork, a lock another thread held at the fork is
// never released, and the loop never ends. A compare-and-swap loop that
// retries with the value it just read (a lock-free update) always ends in a
// child, where no other thread exists, and is not a lock.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_FUNCTIONS_SPINLOCKS_H
#define FORKSAFETY_CORE_FUNCTIONS_SPINLOCKS_H

#include "llvm/ADT/DenseMap.h"

#include <memory>
#include <optional>
#include <string>

namespace clang {
class ASTContext;
class Stmt;
} // namespace clang

namespace forksafety {

/// The spin locks of one translation unit. The loops' conditions are
/// indexed once, when the first atomic operation is asked about.
class SpinLocks {
public:
  explicit SpinLocks(clang::ASTContext &Ctx);
  ~SpinLocks();

  /// If \p S is the atomic operation by which a loop waits for a lock that
  /// other threads may hold (not one in a local variable), the lock's name.
  std::optional<std::string> acquiredBy(const clang::Stmt &S);

private:
  /// By expression: the loop it is the condition of, and whether the loop
  /// repeats while it is true.
  using LoopTests =
      llvm::DenseMap<const clang::Stmt *, std::pair<const clang::Stmt *, bool>>;

  clang::ASTContext &Ctx;
  std::unique_ptr<LoopTests> Tests;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_FUNCTIONS_SPINLOCKS_H
