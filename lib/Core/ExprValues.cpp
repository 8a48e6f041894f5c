//===- ExprValues.cpp - Values expressions are known to have --------------===//

#include "Core/ExprValues.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/Builtins.h"

using namespace clang;

namespace forksafety {

namespace {

std::optional<int64_t> within64Bits(const llvm::APSInt &Value) {
  if (Value.getSignificantBits() > 64)
    return std::nullopt;
  return Value.getExtValue();
}

/// Whether \p E reads a variable that no constant expression may read: the
/// evaluator would set up, search and fail, for every test of a local.
bool readsMutableVariable(const Expr *E) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Var && !Var->isConstexpr() && !Var->getType()->isReferenceType() &&
         !Var->getType().isConstQualified();
}

} // namespace

std::optional<int64_t> integerConstant(const Expr *E, ASTContext &Ctx) {
  E = E->IgnoreParenCasts();
  if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E))
    return 0;
  if (E->isValueDependent() || E->isTypeDependent() || readsMutableVariable(E))
    return std::nullopt;
  if (const auto *Literal = dyn_cast<IntegerLiteral>(E))
    return within64Bits(
        llvm::APSInt(Literal->getValue(),
                     Literal->getType()->isUnsignedIntegerOrEnumerationType()));
  Expr::EvalResult Result;
  if (!E->EvaluateAsInt(Result, Ctx))
    return std::nullopt;
  return within64Bits(Result.Val.getInt());
}

const Expr *expectedValue(const Expr *E) {
  const auto *Call = dyn_cast<CallExpr>(E);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || Call->getNumArgs() == 0)
    return nullptr;
  unsigned Builtin = Callee->getBuiltinID();
  return Builtin == Builtin::BI__builtin_expect ||
                 Builtin == Builtin::BI__builtin_expect_with_probability
             ? Call->getArg(0)
             : nullptr;
}

const InitListExpr *bracedInitializer(const Expr &E) {
  const Expr *Value = E.IgnoreImplicit()->IgnoreParens();
  if (const auto *Literal = dyn_cast<CompoundLiteralExpr>(Value))
    Value = Literal->getInitializer()->IgnoreImplicit();
  else if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(Value))
    Value = Cast->getSubExpr()->IgnoreImplicit();
  const auto *List = dyn_cast<InitListExpr>(Value);
  if (!List)
    return nullptr;
  return List->isSemanticForm() ? List : List->getSemanticForm();
}

void forEachFieldInitializer(
    const InitListExpr &List,
    llvm::function_ref<void(const FieldDecl &, const Expr &)> Visit) {
  const RecordDecl *Record = List.getType()->getAsRecordDecl();
  if (!Record)
    return;
  if (Record->isUnion()) {
    if (const FieldDecl *Member = List.getInitializedFieldInUnion();
        Member && List.getNumInits() == 1)
      Visit(*Member, *List.getInit(0));
    return;
  }
  unsigned Index = 0;
  if (const auto *Class = dyn_cast<CXXRecordDecl>(Record))
    Index = Class->getNumBases();
  for (const FieldDecl *Field : Record->fields()) {
    if (Index >= List.getNumInits())
      break;
    if (Field->isUnnamedBitField())
      continue;
    Visit(*Field, *List.getInit(Index++));
  }
}

} // namespace forksafety
