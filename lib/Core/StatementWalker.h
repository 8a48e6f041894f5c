//===- StatementWalker.h - The statements a body writes ---------*- C++ -*-===//
//
// A walk over the statements of one function body, in the order and with
// the nesting the AST's visitor gives them when it leaves implicit code
// aside: lambda and block bodies are walked, a for-range loop by what is
// written, an initializer list in its written form, and the expressions
// written in types (array bounds, typeof, decltype). It costs a fraction
// of the visitor's walk, and the analyses that look at every use of a
// variable in a body run it for most functions. Template arguments and
// the parameters of function types are not walked: they hold no use of a
// body's variables that matters to them.
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_STATEMENTWALKER_H
#define FORKSAFETY_CORE_STATEMENTWALKER_H

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/AST/TypeLoc.h"

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
        walkDeclaration(*D);
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
      // The written form, with its designators; the other adds implicit
      // values.
      const InitListExpr *Written =
          Init->isSemanticForm() && Init->getSyntacticForm()
              ? Init->getSyntacticForm()
              : Init;
      for (const Stmt *Child : Written->children())
        walk(Child);
    } else if (const auto *Selection = dyn_cast<GenericSelectionExpr>(&S)) {
      if (Selection->isExprPredicate())
        walk(Selection->getControllingExpr());
      else
        walkType(Selection->getControllingType());
      for (GenericSelectionExpr::ConstAssociation Association :
           Selection->associations()) {
        walkType(Association.getTypeSourceInfo());
        walk(Association.getAssociationExpr());
      }
    } else {
      walkType(writtenType(S));
      for (const Stmt *Child : S.children())
        walk(Child);
    }
  }

  /// The type \p S names as written, whose expressions come before its
  /// children.
  static const clang::TypeSourceInfo *writtenType(const clang::Stmt &S) {
    using namespace clang;
    if (const auto *Cast = dyn_cast<ExplicitCastExpr>(&S))
      return Cast->getTypeInfoAsWritten();
    if (const auto *Trait = dyn_cast<UnaryExprOrTypeTraitExpr>(&S))
      return Trait->isArgumentType() ? Trait->getArgumentTypeInfo() : nullptr;
    if (const auto *Literal = dyn_cast<CompoundLiteralExpr>(&S))
      return Literal->getTypeSourceInfo();
    if (const auto *Argument = dyn_cast<VAArgExpr>(&S))
      return Argument->getWrittenTypeInfo();
    if (const auto *Offset = dyn_cast<OffsetOfExpr>(&S))
      return Offset->getTypeSourceInfo();
    if (const auto *New = dyn_cast<CXXNewExpr>(&S))
      return New->getAllocatedTypeSourceInfo();
    if (const auto *Temporary = dyn_cast<CXXTemporaryObjectExpr>(&S))
      return Temporary->getTypeSourceInfo();
    return nullptr;
  }

  void walkType(const clang::TypeSourceInfo *Info) {
    if (Info)
      walkType(Info->getTypeLoc());
  }

  /// The expressions written in a type: array bounds, typeof and decltype.
  void walkType(clang::TypeLoc Type) {
    using namespace clang;
    if (Type.isNull())
      return;
    if (auto Array = Type.getAs<ArrayTypeLoc>()) {
      walkType(Array.getElementLoc());
      walk(Array.getSizeExpr());
    } else if (auto Of = Type.getAs<TypeOfExprTypeLoc>()) {
      walk(Of.getUnderlyingExpr());
    } else if (auto OfType = Type.getAs<TypeOfTypeLoc>()) {
      walkType(OfType.getUnmodifiedTInfo());
    } else if (auto Declared = Type.getAs<DecltypeTypeLoc>()) {
      walk(Declared.getTypePtr()->getUnderlyingExpr());
    } else if (!Type.getAs<TemplateSpecializationTypeLoc>()) {
      // Pointers, references, parentheses, qualifiers, attributes and
      // elaborated names: what they wrap. A function type: its result.
      walkType(Type.getNextTypeLoc());
    }
  }

  void walkDeclaration(const clang::Decl &D) {
    using namespace clang;
    if (const auto *Var = dyn_cast<VarDecl>(&D)) {
      walkVariable(*Var);
    } else if (const auto *Name = dyn_cast<TypedefNameDecl>(&D)) {
      walkType(Name->getTypeSourceInfo());
    } else if (const auto *Assertion = dyn_cast<StaticAssertDecl>(&D)) {
      walk(Assertion->getAssertExpr());
      walk(Assertion->getMessage());
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
    walkType(Var.getTypeSourceInfo());
    if (!Var.isCXXForRangeDecl())
      walk(Var.getInit());
  }

  std::vector<const clang::Stmt *> Enclosing;
  bool Stopped = false;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_STATEMENTWALKER_H
