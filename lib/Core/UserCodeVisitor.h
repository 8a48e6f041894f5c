//===- UserCodeVisitor.h - Walks the code outside system headers -*- C++
//-*-===//

#ifndef FORKSAFETY_CORE_USERCODEVISITOR_H
#define FORKSAFETY_CORE_USERCODEVISITOR_H

#include "Core/ClangCompat.h"
#include "Core/Functions/LibraryModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclObjC.h"
#include "llvm/ADT/STLExtras.h"

#include <vector>

namespace forksafety {

/// A RecursiveASTVisitor over the user code of a translation unit (not the
/// system headers, not types), including template instantiations, that
/// knows the function, method, lambda or block each statement is in.
template <typename Derived>
class UserCodeVisitor : public TypeSkippingVisitor<Derived> {
  using Base = TypeSkippingVisitor<Derived>;

public:
  explicit UserCodeVisitor(const clang::SourceManager &SM) : SM(SM) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(clang::Decl *D) {
    if (!D)
      return true;
    if (holdsNoProgramCode(*D, SM))
      return true;
    bool IsFunction = false;
    if (const auto *FD = clang::dyn_cast<clang::FunctionDecl>(D))
      IsFunction = FD->doesThisDeclarationHaveABody();
    else
      IsFunction = clang::isa<clang::BlockDecl, clang::ObjCMethodDecl>(D);
    if (!IsFunction)
      return Base::TraverseDecl(D);
    Functions.push_back(D);
    bool Result = Base::TraverseDecl(D);
    Functions.pop_back();
    return Result;
  }

  bool TraverseLambdaExpr(clang::LambdaExpr *Lambda) {
    Functions.push_back(Lambda->getCallOperator());
    bool Result = Base::TraverseLambdaExpr(Lambda);
    Functions.pop_back();
    return Result;
  }

protected:
  /// The innermost function, method, lambda or block being walked, or null
  /// outside any (a global initializer).
  const clang::Decl *currentFunction() const {
    return Functions.empty() ? nullptr : Functions.back();
  }

  /// The innermost function declared as one (not a method, lambda or
  /// block) being walked, or null.
  const clang::FunctionDecl *enclosingPlainFunction() const {
    for (const clang::Decl *D : llvm::reverse(Functions))
      if (D->getKind() == clang::Decl::Function)
        return clang::cast<clang::FunctionDecl>(D);
    return nullptr;
  }

  const clang::SourceManager &SM;

private:
  std::vector<const clang::Decl *> Functions;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_USERCODEVISITOR_H
