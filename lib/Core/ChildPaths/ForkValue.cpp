//===- ForkValue.cpp - Conditions on a fork's result ----------------------===//

#include "Core/ChildPaths/ForkValue.h"

#include "Core/Functions/FunctionTable.h"
#include "Core/Functions/LibraryModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/Builtins.h"
#include "llvm/ADT/STLExtras.h"

#include <limits>

namespace forksafety {

using namespace clang;

namespace {

// Stands for "what the pointer points to" and for "this" in storage keys.
const char DerefTag = 0;
const char ThisTag = 0;

constexpr int64_t MaxPid = std::numeric_limits<int32_t>::max();

ValueRange exactly(int64_t V) { return {V, V}; }

ValueRange truth(bool B) { return exactly(B ? 1 : 0); }

std::optional<bool> truthOf(ValueRange R) {
  if (R.Lo == 0 && R.Hi == 0)
    return false;
  if (R.Lo > 0 || R.Hi < 0)
    return true;
  return std::nullopt;
}

std::optional<bool> compare(BinaryOperatorKind Op, ValueRange L, ValueRange R) {
  switch (Op) {
  case BO_LT:
    if (L.Hi < R.Lo)
      return true;
    if (L.Lo >= R.Hi)
      return false;
    return std::nullopt;
  case BO_GT:
    return compare(BO_LT, R, L);
  case BO_LE:
    if (L.Hi <= R.Lo)
      return true;
    if (L.Lo > R.Hi)
      return false;
    return std::nullopt;
  case BO_GE:
    return compare(BO_LE, R, L);
  case BO_EQ:
    if (L.Lo == L.Hi && R.Lo == R.Hi && L.Lo == R.Lo)
      return true;
    if (L.Hi < R.Lo || R.Hi < L.Lo)
      return false;
    return std::nullopt;
  case BO_NE:
    if (std::optional<bool> Eq = compare(BO_EQ, L, R))
      return !*Eq;
    return std::nullopt;
  default:
    return std::nullopt;
  }
}

/// The argument whose value a __builtin_expect call passes through.
const Expr *expectedValue(const CallExpr &Call) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || Call.getNumArgs() == 0)
    return nullptr;
  unsigned Builtin = Callee->getBuiltinID();
  if (Builtin == Builtin::BI__builtin_expect ||
      Builtin == Builtin::BI__builtin_expect_with_probability)
    return Call.getArg(0);
  return nullptr;
}

/// An exec returns only when it fails, with -1.
bool isExec(const CallExpr &Call) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || !hasCLibraryName(*Callee))
    return false;
  LibraryFunctionKind Kind =
      classifyLibraryFunction(canonicalLibraryName(Callee->getName()));
  return Kind == LibraryFunctionKind::Exec ||
         Kind == LibraryFunctionKind::ExecPathSearch;
}

} // namespace

std::optional<StorageKey> storageKeyOf(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
      return StorageKey{Var};
    return std::nullopt;
  }
  if (isa<CXXThisExpr>(E))
    return StorageKey{&ThisTag};
  if (const auto *Member = dyn_cast<MemberExpr>(E)) {
    const auto *Field = dyn_cast<FieldDecl>(Member->getMemberDecl());
    std::optional<StorageKey> Base = storageKeyOf(Member->getBase());
    if (!Field || !Base)
      return std::nullopt;
    if (Member->isArrow())
      Base->push_back(&DerefTag);
    Base->push_back(Field);
    return Base;
  }
  if (const auto *Unary = dyn_cast<UnaryOperator>(E);
      Unary && Unary->getOpcode() == UO_Deref) {
    std::optional<StorageKey> Base = storageKeyOf(Unary->getSubExpr());
    if (Base)
      Base->push_back(&DerefTag);
    return Base;
  }
  return std::nullopt;
}

ValueRange rangeOf(ForkOutcome Outcome) {
  switch (Outcome) {
  case ForkOutcome::Child:
    return exactly(0);
  case ForkOutcome::Parent:
    return {1, MaxPid};
  case ForkOutcome::Failure:
    return exactly(-1);
  }
  return exactly(0);
}

bool ForkValueEvaluator::yieldsForkResult(const Expr *E) const {
  E = E->IgnoreParenCasts();
  if (ForkCall && E == ForkCall->IgnoreParenCasts())
    return true;
  if (const auto *Assign = dyn_cast<BinaryOperator>(E))
    return Assign->getOpcode() == BO_Assign &&
           yieldsForkResult(Assign->getRHS());
  if (Vars.empty())
    return false;
  std::optional<StorageKey> Key = storageKeyOf(E);
  return Key && llvm::is_contained(Vars, *Key);
}

std::optional<ValueRange> ForkValueEvaluator::evaluate(const Expr *E) const {
  E = E->IgnoreParenCasts();
  if (yieldsForkResult(E))
    return Outcome;
  if (const auto *Unary = dyn_cast<UnaryOperator>(E)) {
    if (Unary->getOpcode() == UO_LNot) {
      if (std::optional<bool> B = evaluateCondition(Unary->getSubExpr()))
        return truth(!*B);
      return std::nullopt;
    }
    if (Unary->getOpcode() == UO_Minus) {
      std::optional<ValueRange> R = evaluate(Unary->getSubExpr());
      if (R && R->Lo > std::numeric_limits<int64_t>::min())
        return ValueRange{-R->Hi, -R->Lo};
      return std::nullopt;
    }
  }
  if (isa<BinaryOperator>(E))
    return evaluateBinary(E);
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (const Expr *Passed = expectedValue(*Call))
      return evaluate(Passed);
    if (isExec(*Call))
      return exactly(-1);
  }
  if (E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  Expr::EvalResult Result;
  if (E->EvaluateAsInt(Result, Ctx))
    return exactly(Result.Val.getInt().getExtValue());
  return std::nullopt;
}

std::optional<ValueRange>
ForkValueEvaluator::evaluateBinary(const Expr *E) const {
  const auto *Binary = cast<BinaryOperator>(E);
  BinaryOperatorKind Op = Binary->getOpcode();
  if (Op == BO_LAnd || Op == BO_LOr) {
    std::optional<bool> L = evaluateCondition(Binary->getLHS());
    std::optional<bool> R = evaluateCondition(Binary->getRHS());
    bool Absorbing = Op == BO_LOr;
    if ((L && *L == Absorbing) || (R && *R == Absorbing))
      return truth(Absorbing);
    if (L && R)
      return truth(!Absorbing);
    return std::nullopt;
  }
  if (Op == BO_Comma)
    return evaluate(Binary->getRHS());
  if (!Binary->isComparisonOp())
    return std::nullopt;
  std::optional<ValueRange> L = evaluate(Binary->getLHS());
  std::optional<ValueRange> R = evaluate(Binary->getRHS());
  if (!L || !R)
    return std::nullopt;
  if (std::optional<bool> B = compare(Op, *L, *R))
    return truth(*B);
  return std::nullopt;
}

std::optional<bool> ForkValueEvaluator::evaluateCondition(const Expr *E) const {
  if (std::optional<ValueRange> R = evaluate(E))
    return truthOf(*R);
  return std::nullopt;
}

} // namespace forksafety
