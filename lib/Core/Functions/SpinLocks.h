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

#include <optional>
#include <string>

namespace clang {
class ASTContext;
class Stmt;
} // namespace clang

namespace forksafety {

/// If \p S is the atomic operation by which a loop waits for a lock that
/// other threads may hold (not one in a local variable), the lock's name.
std::optional<std::string> spinLockAcquiredBy(const clang::Stmt &S,
                                              clang::ASTContext &Ctx);

} // namespace forksafety

#endif // FORKSAFETY_CORE_FUNCTIONS_SPINLOCKS_H
