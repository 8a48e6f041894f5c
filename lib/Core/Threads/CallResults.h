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
// It also finds the branches that test a local variable against 0 whose
// address the function never lets out, and the statements that write one:
// a thread created while `offset != 0` held is not on a later path where
// `offset == 0`, when nothing wrote it in between.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_THREADS_CALLRESULTS_H
#define FORKSAFETY_CORE_THREADS_CALLRESULTS_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <optional>

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

  /// The local variable known to be 0 (\p NonZero false) or not when
  /// control goes from \p From to \p To; null if none.
  const clang::VarDecl *varTestOn(const clang::CFGBlock &From,
                                  const clang::CFGBlock &To,
                                  bool &NonZero) const;

  /// The tested variable \p S writes or declares, if any; \p NonZero tells
  /// whether the value written is 0, when it is a constant.
  const clang::VarDecl *writes(const clang::Stmt &S,
                               std::optional<bool> &NonZero) const;

  /// Whether \p Value is the integer constant 0.
  static bool isZero(const clang::Expr &Value, clang::ASTContext &Ctx);

private:
  struct Branch {
    const clang::Expr *Call;
    bool FailedIfTrue;
  };
  struct VarBranch {
    const clang::VarDecl *Var;
    bool NonZeroIfTrue;
    /// Whether the way that does not rule 0 out leaves only 0.
    bool ZeroOtherwise;
  };
  llvm::DenseMap<const clang::CFGBlock *, Branch> Branches;
  llvm::DenseSet<const clang::Stmt *> Tested;
  llvm::DenseMap<const clang::CFGBlock *, VarBranch> VarBranches;
  llvm::DenseSet<const clang::VarDecl *> TestedVars;
  /// A switch on a call's result or a variable: on which of its ways the
  /// value is known not to be 0 (true) or to be 0 (false).
  struct SwitchTest {
    const clang::Expr *Call;
    const clang::VarDecl *Var;
    llvm::SmallDenseMap<const clang::CFGBlock *, bool, 4> NonZeroOn;
  };
  llvm::DenseMap<const clang::CFGBlock *, SwitchTest> SwitchTests;
  /// Whether the value a switch at the end of \p From tests is known not
  /// to be 0 on the way to \p To; null if unknown.
  const bool *switchWay(const clang::CFGBlock &From,
                        const clang::CFGBlock &To) const;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_THREADS_CALLRESULTS_H
