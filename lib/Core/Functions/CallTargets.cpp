//===- CallTargets.cpp - Resolving indirect and virtual calls -------------===//

#include "Core/Functions/CallTargets.h"

#include "Core/ClangCompat.h"
#include "Core/Functions/LibraryModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

namespace forksafety {

using namespace clang;

namespace {

const VarDecl *pointerVariable(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Deref = dyn_cast<UnaryOperator>(E);
      Deref && Deref->getOpcode() == UO_Deref)
    E = Deref->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<VarDecl>(Ref->getDecl());
  return nullptr;
}

const FunctionDecl *namedFunction(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *AddressOf = dyn_cast<UnaryOperator>(E);
      AddressOf && AddressOf->getOpcode() == UO_AddrOf)
    E = AddressOf->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<FunctionDecl>(Ref->getDecl());
  return nullptr;
}

/// Records what every function-pointer variable is given.
class WriteCollector : public TypeSkippingVisitor<WriteCollector> {
public:
  using Map =
      llvm::DenseMap<const VarDecl *, std::pair<const FunctionDecl *, bool>>;
  /// \p Library, if given: the code of libraries' headers is left out.
  WriteCollector(Map &Writes, const SourceManager *Library)
      : Writes(Writes), Library(Library) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(Decl *D) {
    if (D && Library && holdsNoProgramCode(*D, *Library))
      return true;
    return TypeSkippingVisitor::TraverseDecl(D);
  }

  bool VisitVarDecl(VarDecl *Var) {
    if (Var->getInit())
      write(Var, Var->getInit());
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *Binary) {
    if (Binary->isAssignmentOp())
      if (const VarDecl *Var = pointerVariable(Binary->getLHS()))
        write(Var,
              Binary->getOpcode() == BO_Assign ? Binary->getRHS() : nullptr);
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *Unary) {
    // Through its address, a variable can be written anywhere.
    if (Unary->getOpcode() == UO_AddrOf)
      if (const auto *Ref =
              dyn_cast<DeclRefExpr>(Unary->getSubExpr()->IgnoreParens()))
        if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
          Writes[Var].second = true;
    return true;
  }

private:
  void write(const VarDecl *Var, const Expr *Value) {
    auto &[Only, Unknown] = Writes[Var];
    const FunctionDecl *Function = Value ? namedFunction(Value) : nullptr;
    if (!Function ||
        (Only && Only->getCanonicalDecl() != Function->getCanonicalDecl()))
      Unknown = true;
    else
      Only = Function;
  }
  Map &Writes;
  const SourceManager *Library;
};

} // namespace

void CallTargets::indexPointerWrites(Coverage Wanted) {
  WriteCollector::Map Found;
  WriteCollector(Found, Wanted == Coverage::ProgramCode
                            ? &Ctx.getSourceManager()
                            : nullptr)
      .TraverseAST(Ctx);
  Writes.clear();
  for (const auto &[Var, Write] : Found)
    Writes[Var] = PointerWrites{Write.first, Write.second};
  Indexed = Wanted;
}

const FunctionDecl *CallTargets::resolveIndirect(const CallExpr &Call) {
  const VarDecl *Var = pointerVariable(Call.getCallee());
  if (!Var || isa<ParmVarDecl>(Var))
    return nullptr;
  // Other translation units may write a variable they can name.
  bool OnlyHere = !Var->isExternallyVisible() ||
                  Var->getType().isConstQualified() ||
                  Var->getType()->getPointeeType().isConstQualified();
  if (!OnlyHere)
    return nullptr;
  // A library's header cannot name a variable the program declares: the
  // program's code holds all that writes it.
  Coverage Wanted = isLibraryCodeToSkip(*Var, Ctx.getSourceManager())
                        ? Coverage::WholeUnit
                        : Coverage::ProgramCode;
  if (Indexed < Wanted)
    indexPointerWrites(Wanted);
  auto It = Writes.find(Var);
  if (It == Writes.end() || It->second.Unknown || !It->second.Only)
    return nullptr;
  const FunctionDecl *Target = It->second.Only;
  const FunctionDecl *Definition = nullptr;
  return Target->hasBody(Definition) ? Definition : Target;
}

std::optional<const FunctionDecl *>
CallTargets::resolveVirtual(const CallExpr &Call) const {
  const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
  const CXXMethodDecl *Method = Member ? Member->getMethodDecl() : nullptr;
  if (!Method || !Method->isVirtual())
    return std::nullopt;
  const auto *Callee =
      dyn_cast<MemberExpr>(Member->getCallee()->IgnoreParens());
  if (Callee && Callee->hasQualifier())
    return Method; // Base::f() does not dispatch.
  const Expr *Object = Member->getImplicitObjectArgument();
  if (const CXXMethodDecl *Final =
          Object ? Method->getDevirtualizedMethod(Object,
                                                  Ctx.getLangOpts().AppleKext)
                 : nullptr)
    return Final;
  return nullptr;
}

} // namespace forksafety
