//===- StatementWalker.h - The statements a body writes ---------*- C++ -*-===//
//
// A walk over the statements of one function body, in the order and with
// the nesting the AST's visitor gives them when it leaves implicit code
// aside: lambda and block bodies are walked, a for-range loop by what is
// written, both forms of an initializer list. It costs a fraction of the
// visitor's walk, which also looks at types and declarations, and the
// analyses that look at every use of a variable in a body run it for most
// functions.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_STATEMENTWALKER_H
#define FORKSAFETY_CORE_STATEMENTWALKER_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

#include <vector>

namespace forksafety {

/// Calls Derived::visitStatement with each statement before those below
/// it, and Derived::visitVariable with each variable the body declares
/// before its initializer.
template <typename Derived> class StatementWalker {
public:
  void walk(const clang::Stmt *S) {
    if (!S || Stopped)
      return;
    Enclosing.push_back(S);
    derived().visitStatement(*S);
    walkChildren(*S);
    Enclosing.pop_back();
  }

protected:
  void visitStatement(const clang::Stmt &) {}
  void visitVariable(const clang::VarDecl &) {}
  /// Ends the walk: nothing more is visited.
  void stop() { Stopped = true; }

  /// The statement around \p S, the one being visited, parentheses aside.
  const clang::Stmt *parentOf(const clang::Stmt &S) const {
    for (auto It = Enclosing.rbegin(); It != Enclosing.rend(); ++It)
      if (*It != &S && !llvm::isa<clang::ParenExpr>(*It))
        return *It;
    return nullptr;
  }

private:
  Derived &derived() { return static_cast<Derived &>(*this); }

  void walkChildren(const clang::Stmt &S) {
    using namespace clang;
    if (const auto *Decls = dyn_cast<DeclStmt>(&S)) {
      for (const Decl *D : Decls->decls())
        if (const auto *Var = dyn_cast<VarDecl>(D))
          walkVariable(*Var);
    } else if (const auto *Lambda = dyn_cast<LambdaExpr>(&S)) {
      walkCaptures(*Lambda);
      walk(Lambda->getBody());
    } else if (const auto *Block = dyn_cast<BlockExpr>(&S)) {
      walk(Block->getBody());
      for (const BlockDecl::Capture &Capture :
           Block->getBlockDecl()->captures())
        walk(Capture.getCopyExpr());
    } else if (const auto *Range = dyn_cast<CXXForRangeStmt>(&S)) {
      walk(Range->getInit());
      walk(Range->getLoopVarStmt());
      walk(Range->getRangeInit());
      walk(Range->getBody());
    } else if (const auto *Pseudo = dyn_cast<PseudoObjectExpr>(&S)) {
      walk(Pseudo->getSyntacticForm());
      for (const Expr *Semantic : Pseudo->semantics()) {
        if (const auto *Opaque = dyn_cast<OpaqueValueExpr>(Semantic))
          Semantic = Opaque->getSourceExpr();
        walk(Semantic);
      }
    } else if (const auto *Init = dyn_cast<InitListExpr>(&S)) {
      // Designators are in the written form, implicit values in the other.
      bool Semantic = Init->isSemanticForm();
      for (const InitListExpr *Form :
           {Semantic ? Init->getSyntacticForm() : Init,
            Semantic ? Init : Init->getSemanticForm()})
        if (Form)
          for (const Stmt *Child : Form->children())
            walk(Child);
    } else {
      for (const Stmt *Child : S.children())
        walk(Child);
    }
  }

  void walkCaptures(const clang::LambdaExpr &Lambda) {
    for (unsigned I = 0, N = Lambda.capture_size(); I != N; ++I) {
      const clang::LambdaCapture *Capture = Lambda.capture_begin() + I;
      if (!Capture->isExplicit())
        continue;
      if (!Lambda.isInitCapture(Capture))
        walk(Lambda.capture_init_begin()[I]);
      else if (const auto *Var =
                   llvm::dyn_cast<clang::VarDecl>(Capture->getCapturedVar()))
        walkVariable(*Var);
    }
  }

  /// A for-range loop's variable is set by implicit code.
  void walkVariable(const clang::VarDecl &Var) {
    derived().visitVariable(Var);
    if (!Var.isCXXForRangeDecl())
      walk(Var.getInit());
  }

  std::vector<const clang::Stmt *> Enclosing;
  bool Stopped = false;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_STATEMENTWALKER_H
