//===- CallIndex.h - Calls between the functions of a TU -------*- C++ -*-===//

#ifndef FORKSAFETY_CORE_CALLINDEX_H
#define FORKSAFETY_CORE_CALLINDEX_H

#include "Core/UserCodeVisitor.h"

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseSet.h"

#include <vector>

namespace forksafety {

inline const clang::FunctionDecl *canonical(const clang::FunctionDecl *FD) {
  return FD ? FD->getCanonicalDecl() : nullptr;
}

/// Indexes the calls between the functions of the translation unit.
class CallIndexer : public UserCodeVisitor<CallIndexer> {
public:
  explicit CallIndexer(const clang::SourceManager &SM) : UserCodeVisitor(SM) {}

  bool VisitFunctionDecl(clang::FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext())
      Definitions.push_back(FD);
    return true;
  }

  bool VisitLambdaExpr(clang::LambdaExpr *Lambda) {
    if (!Lambda->getCallOperator()->isDependentContext())
      Definitions.push_back(Lambda->getCallOperator());
    // A lambda may be called from anywhere its object goes.
    AddressTaken.insert(canonical(Lambda->getCallOperator()));
    return true;
  }

  bool VisitCallExpr(clang::CallExpr *Call) {
    if (const clang::FunctionDecl *Callee = Call->getDirectCallee()) {
      // A call from a block or an Objective-C method is not followed: its
      // callee may run at any time.
      if (const auto *Caller =
              clang::dyn_cast_or_null<clang::FunctionDecl>(currentFunction()))
        Calls.push_back({Caller, Call, canonical(Callee)});
      else if (currentFunction())
        AddressTaken.insert(canonical(Callee));
      else
        Initializers.insert(canonical(Callee));
    }
    if (const auto *Ref = clang::dyn_cast<clang::DeclRefExpr>(
            Call->getCallee()->IgnoreParenImpCasts()))
      DirectCallees.insert(Ref);
    return true;
  }

  // A constructor runs like a called function.
  bool VisitCXXConstructExpr(clang::CXXConstructExpr *Construct) {
    const auto *Caller =
        clang::dyn_cast_or_null<clang::FunctionDecl>(currentFunction());
    if (!Construct->getConstructor())
      return true;
    if (Caller)
      Calls.push_back(
          {Caller, Construct, canonical(Construct->getConstructor())});
    else if (!currentFunction())
      Initializers.insert(canonical(Construct->getConstructor()));
    return true;
  }

  // A function named anywhere but as a direct callee (its address passed as
  // a callback, stored...) may be called from anywhere. Calls are visited
  // before their callee expressions, so DirectCallees is complete here.
  bool VisitDeclRefExpr(clang::DeclRefExpr *Ref) {
    if (const auto *FD = clang::dyn_cast<clang::FunctionDecl>(Ref->getDecl());
        FD && !DirectCallees.contains(Ref))
      AddressTaken.insert(canonical(FD));
    return true;
  }

  struct Call {
    const clang::FunctionDecl *Caller;
    const clang::Expr *Expr; ///< A call or a construction.
    const clang::FunctionDecl *Callee;
  };
  std::vector<Call> Calls;
  /// The functions with a body, in the order they are defined.
  std::vector<const clang::FunctionDecl *> Definitions;
  llvm::DenseSet<const clang::FunctionDecl *> AddressTaken;
  /// Functions and constructors the initializers of globals call: they run
  /// before main.
  llvm::DenseSet<const clang::FunctionDecl *> Initializers;

private:
  llvm::DenseSet<const clang::DeclRefExpr *> DirectCallees;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CALLINDEX_H
