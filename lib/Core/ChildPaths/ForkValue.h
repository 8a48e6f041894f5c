//===- ForkValue.h - Conditions on a fork's result -------------*- C++ -*-===//
//
// Evaluates branch conditions under one outcome of a fork: in the child the
// result is 0, in the parent a positive pid, on failure -1. The result may be
// tested directly (fork() == 0) or through variables that hold it.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_CHILDPATHS_FORKVALUE_H
#define FORKSAFETY_CORE_CHILDPATHS_FORKVALUE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace clang {
class ASTContext;
class Expr;
} // namespace clang

namespace forksafety {

/// Names a place that may hold the fork's result: a variable (pid), a
/// member reached from one (cmd.pid, cmd->pid, this->pid) or what a pointer
/// variable points to (*out).
using StorageKey = llvm::SmallVector<const void *, 3>;

/// The key of the place \p E designates, if it is one the analysis tracks.
std::optional<StorageKey> storageKeyOf(const clang::Expr *E);

/// An inclusive range of integer values.
struct ValueRange {
  int64_t Lo;
  int64_t Hi;
};

enum class ForkOutcome { Child, Parent, Failure };

ValueRange rangeOf(ForkOutcome Outcome);

class ForkValueEvaluator {
public:
  /// \p ForkCall may be null (no fork result to track); \p Vars are the
  /// places that hold the fork's result on the current path.
  ForkValueEvaluator(clang::ASTContext &Ctx, const clang::Expr *ForkCall,
                     ValueRange Outcome, llvm::ArrayRef<StorageKey> Vars)
      : Ctx(Ctx), ForkCall(ForkCall), Outcome(Outcome), Vars(Vars) {}

  /// The range of values \p E may take, if known.
  std::optional<ValueRange> evaluate(const clang::Expr *E) const;
  /// Whether \p E is true, false or unknown.
  std::optional<bool> evaluateCondition(const clang::Expr *E) const;
  /// True if \p E yields the fork's result: the call itself, a place that
  /// holds it, or an assignment of either.
  bool yieldsForkResult(const clang::Expr *E) const;

private:
  std::optional<ValueRange> evaluateBinary(const clang::Expr *E) const;

  clang::ASTContext &Ctx;
  const clang::Expr *ForkCall;
  ValueRange Outcome;
  llvm::ArrayRef<StorageKey> Vars;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_FORKVALUE_H
