//===- ForkValue.h - Conditions on a fork's result -------------*- C++ -*-===//
//
// Evaluates branch conditions under one outcome of a fork: in the child the
// result is 0, in the parent a positive pid, on failure -1. The result may be
// tested directly (fork() == 0), through variables that hold it, or through
// what a path knows of other variables (VarFact).
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_CHILDPATHS_FORKVALUE_H
#define FORKSAFETY_CORE_CHILDPATHS_FORKVALUE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace clang {
class ASTContext;
class ConditionalOperator;
class Expr;
class QualType;
class VarDecl;
} // namespace clang

namespace forksafety {

/// Names a place that may hold the fork's result: a variable (pid), a
/// member reached from one (cmd.pid, cmd->pid, this->pid), what a pointer
/// variable points to (*out), or an element of an array chosen by a local
/// variable or a literal (pids[i], pids[0]).
using StorageKey = llvm::SmallVector<const void *, 3>;

/// The key of the place \p E designates, if it is one the analysis tracks.
std::optional<StorageKey> storageKeyOf(const clang::Expr *E);

/// Calls \p Visit with each place inside \p Base that the braced
/// initializer \p Init gives a value, and that value: the fields of
/// structures (`{.pid = fork()}` gives Base's pid the call), the member of
/// a union it initializes, and the elements of arrays, at any depth.
void forEachInitializedPlace(
    const StorageKey &Base, const clang::Expr &Init,
    llvm::function_ref<void(const StorageKey &, const clang::Expr &)> Visit);

/// Where \p Key first selects an element of an array (`pids[i]`,
/// `pids[0]`): the key up to there names the array.
std::optional<size_t> firstElementStep(const StorageKey &Key);

/// Whether \p Key selects an element by the value of \p Var: writing Var
/// makes the key name another element.
bool isIndexedBy(const StorageKey &Key, const clang::VarDecl &Var);

/// An inclusive range of integer values.
struct ValueRange {
  int64_t Lo;
  int64_t Hi;

  friend bool operator==(const ValueRange &L, const ValueRange &R) {
    return L.Lo == R.Lo && L.Hi == R.Hi;
  }
  friend bool operator<(const ValueRange &L, const ValueRange &R) {
    return L.Lo < R.Lo || (L.Lo == R.Lo && L.Hi < R.Hi);
  }
};

/// What a path knows of a variable's value: that it lies in Value or, when
/// Excluded, that it is not Value.Lo (then Value.Lo == Value.Hi). "Not zero"
/// is no range: it says nothing of the sign.
struct VarFact {
  const clang::VarDecl *Var;
  ValueRange Value;
  bool Excluded = false;

  friend bool operator==(const VarFact &L, const VarFact &R) {
    return L.Var == R.Var && L.Value == R.Value && L.Excluded == R.Excluded;
  }
  friend bool operator<(const VarFact &L, const VarFact &R) {
    if (L.Var != R.Var)
      return L.Var < R.Var;
    if (!(L.Value == R.Value))
      return L.Value < R.Value;
    return L.Excluded < R.Excluded;
  }
};

/// A test of one variable against a constant (`v`, `!v`, `v == C`,
/// `v != C`), and what each way it goes tells of the variable.
struct VarTest {
  VarFact IfTrue;
  VarFact IfFalse;
};

/// \p Cond as a test of a local variable or parameter, if it is one and its
/// constant fits the variable's type.
std::optional<VarTest> simpleTest(const clang::Expr *Cond,
                                  clang::ASTContext &Ctx);

/// True if every value of \p Value can be stored in a \p Type.
bool fitsIn(clang::QualType Type, ValueRange Value, clang::ASTContext &Ctx);

/// True if an arm of \p Choice is \p Call, or a ?: one of whose arms is.
bool hasArmLeadingTo(const clang::ConditionalOperator &Choice,
                     const clang::Expr *Call);

enum class ForkOutcome { Child, Parent, Failure };

ValueRange rangeOf(ForkOutcome Outcome);

class ForkValueEvaluator {
public:
  /// \p ForkCall may be null (no fork result to track); \p Vars are the
  /// places that hold the fork's result on the current path and \p Facts
  /// what it knows of other variables. \p ForkArmTaken says that the path
  /// went through the fork call as the arm of a ?:, which then yields the
  /// fork's result.
  ForkValueEvaluator(clang::ASTContext &Ctx, const clang::Expr *ForkCall,
                     ValueRange Outcome, llvm::ArrayRef<StorageKey> Vars,
                     llvm::ArrayRef<VarFact> Facts = {},
                     bool ForkArmTaken = false)
      : Ctx(Ctx), ForkCall(ForkCall), Outcome(Outcome), Vars(Vars),
        Facts(Facts), ForkArmTaken(ForkArmTaken) {}

  /// The range of values \p E may take, if known.
  std::optional<ValueRange> evaluate(const clang::Expr *E) const;
  /// Whether \p E is true, false or unknown.
  std::optional<bool> evaluateCondition(const clang::Expr *E) const;
  /// True if \p E yields the fork's result: the call itself, a place that
  /// holds it, or an assignment of either.
  bool yieldsForkResult(const clang::Expr *E) const;

private:
  std::optional<ValueRange> evaluateBinary(const clang::Expr *E) const;
  /// The fact the path knows of the variable \p E names, if any.
  const VarFact *factOf(const clang::Expr *E) const;
  /// True if \p VarSide is known to differ from \p Other.
  bool knownToDiffer(const clang::Expr *VarSide,
                     const clang::Expr *Other) const;

  clang::ASTContext &Ctx;
  const clang::Expr *ForkCall;
  ValueRange Outcome;
  llvm::ArrayRef<StorageKey> Vars;
  llvm::ArrayRef<VarFact> Facts;
  bool ForkArmTaken;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_FORKVALUE_H
