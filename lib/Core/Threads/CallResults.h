//===- CallResults.h - Branches on whether a call succeeded ----*- C++ -*-===//
//
// pthread_create returns 0 once the thread runs and an error number, with
// no thread, when it cannot start one; wrappers such as start_job() return
// 0 or -1 the same way. A branch taken when such a call returned another
// value is a path on which the call made no thread. This finds, in one
// function, the branches that test a call's result against 0: directly,
// through `!`, comparisons with constants and __builtin_expect, or through
// a local variable that holds nothing else (`int err = start(); if (err)`),
// and the ways of a switch on one (`case 0:`, another case, the default).
//
// It also finds the branches that test a local variable whose address the
// function never lets out, against 0 or another constant, and the
// statements that write one: a thread created while `offset != 0` (or
// `mode == 2`) held is not on a later path where `offset == 0` (`mode !=
// 2`), when nothing wrote it in between.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_THREADS_CALLRESULTS_H
#define FORKSAFETY_CORE_THREADS_CALLRESULTS_H

#include "clang/AST/Type.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace clang {
class ASTContext;
class CFG;
class CFGBlock;
class Decl;
class Expr;
class Stmt;
class VarDecl;
} // namespace clang

namespace forksafety {

class CallResultTests {
public:
  CallResultTests(clang::ASTContext &Ctx, const clang::Decl &Function,
                  const clang::CFG &Graph);

  /// Whether some branch tests the result of \p Call.
  bool isTested(const clang::Stmt *Call) const { return Tested.contains(Call); }

  /// The call known to have returned a value other than 0 when control
  /// goes from \p From to \p To; null if none.
  const clang::Expr *failedOn(const clang::CFGBlock &From,
                              const clang::CFGBlock &To) const;
  /// The call known to have returned 0 when control goes from \p From to
  /// \p To; null if none. \p Holder is the local variable that holds its
  /// result there, or null when the branch tests the call itself.
  const clang::Expr *zeroOn(const clang::CFGBlock &From,
                            const clang::CFGBlock &To,
                            const clang::VarDecl *&Holder) const;

  /// A comparison of a variable with a constant other than a test against
  /// 0, one of two kinds to which the others come down: `x != 3` fails
  /// where `x == 3` holds, and `x >= 3` is `x > 2`.
  struct Comparison {
    bool Equal;
    int64_t Constant;
    /// Whether the comparison converts the variable to an unsigned type.
    bool Unsigned;

    friend bool operator==(const Comparison &L, const Comparison &R) {
      return L.Equal == R.Equal && L.Constant == R.Constant &&
             L.Unsigned == R.Unsigned;
    }
    /// Its name among the facts of its variable.
    std::string name() const;
    /// Whether it holds once the variable of type \p Type is set to
    /// \p Value; none when the conversions make that unclear.
    std::optional<bool> holdsFor(int64_t Value, clang::QualType Type,
                                 const clang::ASTContext &Ctx) const;
  };

  /// The values the cases of a switch on a variable test, as the switch
  /// sees them (converted to unsigned or not), sorted.
  struct SwitchValues {
    std::vector<int64_t> Cases;
    bool Unsigned = false;
  };

  /// What control going one way of a branch tells of a local variable.
  struct VarTest {
    const clang::VarDecl *Var = nullptr;
    /// Whether it is not 0, if the way tells.
    std::optional<bool> NonZero;
    /// A comparison with a constant, and whether it holds on the way.
    std::optional<Comparison> Compared;
    bool Holds = false;
    /// On a way of a switch on the variable: the values its cases test, and
    /// the way's own case, none on the way no case takes.
    const SwitchValues *Switch = nullptr;
    std::optional<int64_t> Case;
  };
  /// What a way that tells \p Test implies of another test of the same
  /// variable: whether \p Other holds or, when \p Other is none, whether
  /// the variable is not 0; none when the way leaves both possible. `mode
  /// == 2` implies `mode > 1` and `mode != 0`; `n != 0` implies nothing of
  /// `n > 0`. A comparison made on the variable converted to unsigned and
  /// one made on its own value say nothing of each other.
  static std::optional<bool> implies(const VarTest &Test,
                                     const std::optional<Comparison> &Other,
                                     const clang::ASTContext &Ctx);

  /// Whether the comparisons \p Known, each with whether it holds, leave
  /// \p Var only 0 (false) or rule 0 out (true); none when they leave both
  /// possible: `x > -1` and `!(x > 0)` leave only 0.
  static std::optional<bool>
  nonZeroGiven(const clang::VarDecl &Var,
               llvm::ArrayRef<std::pair<Comparison, bool>> Known,
               const clang::ASTContext &Ctx);

  /// What the way from \p From to \p To tells of a local variable, none
  /// if nothing.
  std::optional<VarTest> varTestOn(const clang::CFGBlock &From,
                                   const clang::CFGBlock &To) const;

  /// The comparisons the branches make of \p Var.
  llvm::ArrayRef<Comparison> comparisonsOf(const clang::VarDecl &Var) const;

  /// Whether a path from \p Block, which may be the block itself, reaches
  /// a branch that tests \p Var: the only place what an earlier test told
  /// of it is asked again.
  bool testedFrom(const clang::VarDecl &Var,
                  const clang::CFGBlock &Block) const;

  /// The tested variable, or the variable that holds a tested call's
  /// result, that \p S writes or declares, if any; \p Value is the value
  /// written, when it is a constant. \p Stored, if given, gets the value
  /// a plain assignment or an initializer stores, without parentheses and
  /// implicit casts.
  const clang::VarDecl *writes(const clang::Stmt &S,
                               std::optional<int64_t> &Value,
                               const clang::Expr **Stored = nullptr) const;

  /// Whether \p Value is the integer constant 0.
  static bool isZero(const clang::Expr &Value, clang::ASTContext &Ctx);

private:
  class Builder;

  struct Branch {
    const clang::Expr *Call;
    bool FailedIfTrue;
    /// Whether the way on which the call did not fail leaves only 0, and
    /// nothing but the call wrote the value tested.
    bool ZeroOtherwise;
    const clang::VarDecl *Holder;
  };
  struct VarBranch {
    const clang::VarDecl *Var;
    bool NonZeroIfTrue;
    /// Whether the way that does not rule 0 out leaves only 0.
    bool ZeroOtherwise;
    std::optional<Comparison> Compared;
    bool ComparedIfTrue = false;
  };
  llvm::DenseMap<const clang::CFGBlock *, Branch> Branches;
  llvm::DenseSet<const clang::Stmt *> Tested;
  llvm::DenseMap<const clang::CFGBlock *, VarBranch> VarBranches;
  llvm::DenseSet<const clang::VarDecl *> TestedVars;
  /// The variables that hold a call's result its branches test.
  llvm::DenseSet<const clang::VarDecl *> ResultHolders;
  llvm::DenseMap<const clang::VarDecl *, llvm::SmallVector<Comparison, 2>>
      Comparisons;
  /// A switch on a call's result or a variable: on which of its ways the
  /// value is known not to be 0 (true) or to be 0 (false), and, for a
  /// variable, the case each way takes and the way no case takes.
  struct SwitchTest {
    const clang::Expr *Call;
    const clang::VarDecl *Var;
    /// Whether nothing but Call wrote the value the switch tests, and the
    /// variable that holds it, if any.
    bool OnlyCall;
    const clang::VarDecl *Holder;
    llvm::SmallDenseMap<const clang::CFGBlock *, bool, 4> NonZeroOn;
    llvm::SmallDenseMap<const clang::CFGBlock *, int64_t, 4> CaseOn;
    const clang::CFGBlock *NoCase = nullptr;
    /// Set when the cases' values are known; its address is what tests of
    /// the variable on the switch's ways refer to (SwitchTests is filled
    /// once, by the constructor).
    std::optional<SwitchValues> Values;
  };
  llvm::DenseMap<const clang::CFGBlock *, SwitchTest> SwitchTests;
  const clang::CFG &Graph;
  /// For each variable asked of, the blocks from which one of its tests may
  /// be reached, by block id.
  mutable llvm::DenseMap<const clang::VarDecl *, llvm::BitVector> TestAheadOf;
  /// Whether the value a switch at the end of \p From tests is known not
  /// to be 0 on the way to \p To; null if unknown.
  const bool *switchWay(const clang::CFGBlock &From,
                        const clang::CFGBlock &To) const;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_THREADS_CALLRESULTS_H
