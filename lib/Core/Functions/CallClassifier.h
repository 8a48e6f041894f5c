//===- CallClassifier.h - What a CFG element does in a child ---*- C++ -*-===//

#ifndef FORKSAFETY_CORE_FUNCTIONS_CALLCLASSIFIER_H
#define FORKSAFETY_CORE_FUNCTIONS_CALLCLASSIFIER_H

#include "Core/AnalysisOptions.h"
#include "Core/Functions/CallTargets.h"
#include "Core/Functions/Operation.h"
#include "Core/Functions/SpinLocks.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"

#include <utility>

namespace clang {
class ASTContext;
class CallExpr;
class CFGElement;
class Expr;
class FunctionDecl;
class Stmt;
} // namespace clang

namespace forksafety {

/// What one CFG element means for a child path.
struct ClassifiedElement {
  enum EffectKind {
    NoEffect,       ///< Async-signal-safe (or no call at all).
    Unsafe,         ///< Op is not async-signal-safe or cannot be verified.
    Exec,           ///< An exec call: the path counts as exec'ing.
    ExecPathSearch, ///< An exec call that searches PATH (see Op).
    CallsDefined,   ///< A call into Callee, defined in the TU: follow it.
    Unreachable,    ///< A failed assertion: no path goes through it.
  };
  EffectKind Effect = NoEffect;
  Operation Op;
  clang::SourceLocation Loc;
  /// For CallsDefined, the callee's definition; for Unsafe, a program
  /// function the translation unit declares but does not define.
  const clang::FunctionDecl *Callee = nullptr;
  /// The call expression; null for implicit operations.
  const clang::CallExpr *Call = nullptr;
  /// An Unsafe operation that only takes malloc's locks.
  bool OnlyAllocates = false;
  /// An Unsafe call of a thin system-call wrapper, on a Linux target; with
  /// Callee, the C library's wrapper of that name, if the program defines
  /// the function nowhere.
  bool SystemCall = false;
  /// A call with NoEffect that a vfork child still may not make.
  bool ForbiddenAfterVfork = false;
};

class CallClassifier {
public:
  CallClassifier(clang::ASTContext &Ctx, const AnalysisOptions &Opts);

  /// Classifies \p Element; the child path solver applies the rules of a
  /// child (ChildRules) to the events recorded from it.
  ClassifiedElement classify(const clang::CFGElement &Element) const;

  /// A short name for diagnostics: "f", "Widget::draw", "lambda".
  static std::string displayName(const clang::FunctionDecl &FD);

private:
  /// What \p Element does, before the refinements classify() adds.
  ClassifiedElement classifyElement(const clang::CFGElement &Element) const;
  /// Marks an unsafe operation that only allocates, takes locks, or is a
  /// thin system-call wrapper.
  void refineUnsafe(ClassifiedElement &Result) const;
  /// Whether a vfork child may not make \p Call, which a fork child may.
  bool forbiddenAfterVfork(const clang::CallExpr &Call) const;
  ClassifiedElement classifyStmt(const clang::Stmt &S) const;
  ClassifiedElement classifyCall(const clang::FunctionDecl &FD,
                                 OperationKind Kind, std::string Subject,
                                 clang::SourceLocation Loc) const;
  /// What a call of \p FD does, with neither a place nor a subject.
  ClassifiedElement classifyCallee(const clang::FunctionDecl &FD,
                                   OperationKind Kind) const;
  bool isDeclaredSafeByUser(const clang::FunctionDecl &FD) const;
  /// Whether \p FD has the name of a thin system-call wrapper of the C
  /// library, on a Linux target.
  bool isLinuxSystemCallOnLinux(const clang::FunctionDecl &FD) const;
  bool isCompilerIntrinsic(const clang::FunctionDecl &FD) const;

  clang::ASTContext &Ctx;
  llvm::StringSet<> UserSafeNames;
  /// Resolves indirect calls; indexes the translation unit on first use.
  mutable CallTargets Targets;
  /// Indexes the loops' conditions on first use.
  mutable SpinLocks Locks;
  /// What classifyCall found for a callee and kind of operation, without
  /// the place and the subject: it depends on the callee alone, and large
  /// functions call the same few many times.
  mutable llvm::DenseMap<std::pair<const clang::FunctionDecl *, unsigned>,
                         ClassifiedElement>
      CallVerdicts;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_FUNCTIONS_CALLCLASSIFIER_H
