//===- ExprValues.cpp - Values expressions are known to have --------------===//

#include "Core/ExprValues.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/Builtins.h"

using namespace clang;

namespace forksafety {

std::optional<int64_t> integerConstant(const Expr *E, ASTContext &Ctx) {
  E = E->IgnoreParenCasts();
  if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E))
    return 0;
  if (E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  Expr::EvalResult Result;
  if (!E->EvaluateAsInt(Result, Ctx) ||
      Result.Val.getInt().getSignificantBits() > 64)
    return std::nullopt;
  return Result.Val.getInt().getExtValue();
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

} // namespace forksafety
