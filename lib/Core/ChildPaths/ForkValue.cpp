//===- ForkValue.cpp - Conditions on a fork's result ----------------------===//

#include "Core/ChildPaths/ForkValue.h"

#include "Core/ExprValues.h"
#include "Core/Functions/FunctionTable.h"
#include "Core/Functions/LibraryModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/Builtins.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <limits>

namespace forksafety {

using namespace clang;

namespace {

// Stands for "what the pointer points to" and for "this" in storage keys.
const char DerefTag = 0;
const char ThisTag = 0;
// Stand for an element of an array, chosen by the local variable or by the
// integer literal that follows in the key.
const char VarIndexTag = 0;
const char LiteralIndexTag = 0;

/// The steps that name the element at \p Index of an array.
StorageKey literalIndexSteps(uint64_t Index) {
  // The key only compares the index, never reads through it.
  return StorageKey{
      &LiteralIndexTag,
      reinterpret_cast<const void *>( // NOLINT(performance-no-int-to-ptr)
          uintptr_t(Index))};
}

/// The steps that name the element \p Subscript selects in its base, if
/// its index is a local variable or an integer literal.
std::optional<StorageKey> elementSteps(const ArraySubscriptExpr &Subscript) {
  const Expr *Index = Subscript.getIdx()->IgnoreParenImpCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(Index))
    if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
        Var && Var->hasLocalStorage())
      return StorageKey{&VarIndexTag, Var};
  if (const auto *Literal = dyn_cast<IntegerLiteral>(Index);
      Literal && Literal->getValue().getActiveBits() < 32)
    return literalIndexSteps(Literal->getValue().getZExtValue());
  return std::nullopt;
}

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

/// The local variable or parameter \p E names, through parentheses and
/// implicit conversions.
const VarDecl *localVarOf(const Expr *E) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Var && Var->hasLocalStorage() ? Var : nullptr;
}

} // namespace

std::optional<VarTest> simpleTest(const Expr *Cond, ASTContext &Ctx) {
  const Expr *E = Cond->IgnoreParenImpCasts();
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const Expr *Passed = expectedValue(Call))
      return simpleTest(Passed, Ctx);
  if (const auto *Not = dyn_cast<UnaryOperator>(E);
      Not && Not->getOpcode() == UO_LNot) {
    std::optional<VarTest> Test = simpleTest(Not->getSubExpr(), Ctx);
    if (Test)
      std::swap(Test->IfTrue, Test->IfFalse);
    return Test;
  }
  const VarDecl *Var = nullptr;
  int64_t Constant = 0;
  bool Equal = false;
  if (const auto *Compare = dyn_cast<BinaryOperator>(E)) {
    if (!Compare->isEqualityOp())
      return std::nullopt;
    Equal = Compare->getOpcode() == BO_EQ;
    const Expr *Other = Compare->getRHS();
    Var = localVarOf(Compare->getLHS());
    if (!Var) {
      Var = localVarOf(Compare->getRHS());
      Other = Compare->getLHS();
    }
    std::optional<int64_t> Value =
        Var ? integerConstant(Other, Ctx) : std::nullopt;
    if (!Value)
      return std::nullopt;
    Constant = *Value;
  } else {
    Var = localVarOf(E);
  }
  if (!Var || !fitsIn(Var->getType(), {Constant, Constant}, Ctx))
    return std::nullopt;
  VarFact Is{Var, {Constant, Constant}, false};
  VarFact IsNot{Var, {Constant, Constant}, true};
  if (Equal)
    return VarTest{Is, IsNot};
  return VarTest{IsNot, Is};
}

bool fitsIn(QualType Type, ValueRange Value, ASTContext &Ctx) {
  if (Type->isPointerType())
    return Value.Lo >= 0;
  if (!Type->isIntegralOrEnumerationType())
    return false;
  unsigned Width = Ctx.getIntWidth(Type);
  bool Signed = Type->isSignedIntegerOrEnumerationType();
  if (Width >= 64)
    return Signed || Value.Lo >= 0;
  int64_t Min = Signed ? -(int64_t(1) << (Width - 1)) : 0;
  int64_t Max = Signed ? (int64_t(1) << (Width - 1)) - 1
                       : static_cast<int64_t>((uint64_t(1) << Width) - 1);
  return Value.Lo >= Min && Value.Hi <= Max;
}

bool hasArmLeadingTo(const ConditionalOperator &Choice, const Expr *Call) {
  for (const Expr *Arm : {Choice.getTrueExpr(), Choice.getFalseExpr()}) {
    Arm = Arm->IgnoreParenCasts();
    if (Arm == Call->IgnoreParenCasts())
      return true;
    if (const auto *Inner = dyn_cast<ConditionalOperator>(Arm))
      if (hasArmLeadingTo(*Inner, Call))
        return true;
  }
  return false;
}

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
  // Elements of arrays only: through a pointer, `p[0]` is also `*p`.
  if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(E);
      Subscript &&
      Subscript->getBase()->IgnoreParenImpCasts()->getType()->isArrayType()) {
    std::optional<StorageKey> Base = storageKeyOf(Subscript->getBase());
    std::optional<StorageKey> Element = elementSteps(*Subscript);
    if (!Base || !Element)
      return std::nullopt;
    Base->append(Element->begin(), Element->end());
    return Base;
  }
  return std::nullopt;
}

void forEachInitializedPlace(
    const StorageKey &Base, const Expr &Init,
    llvm::function_ref<void(const StorageKey &, const Expr &)> Visit) {
  const InitListExpr *List = bracedInitializer(Init);
  if (!List)
    return;
  auto Place = [&](llvm::ArrayRef<const void *> Steps, const Expr &Value) {
    StorageKey Key = Base;
    Key.append(Steps.begin(), Steps.end());
    Visit(Key, Value);
    forEachInitializedPlace(Key, Value, Visit);
  };
  if (List->getType()->isConstantArrayType()) {
    for (unsigned I = 0; I < List->getNumInits(); ++I)
      Place(literalIndexSteps(I), *List->getInit(I));
    return;
  }
  forEachFieldInitializer(*List,
                          [&](const FieldDecl &Field, const Expr &Value) {
                            Place({&Field}, Value);
                          });
}

std::optional<size_t> firstElementStep(const StorageKey &Key) {
  for (size_t I = 0; I + 1 < Key.size(); ++I)
    if (Key[I] == &VarIndexTag || Key[I] == &LiteralIndexTag)
      return I;
  return std::nullopt;
}

bool isIndexedBy(const StorageKey &Key, const VarDecl &Var) {
  for (size_t I = 0; I + 1 < Key.size(); ++I)
    if (Key[I] == &VarIndexTag && Key[I + 1] == &Var)
      return true;
  return false;
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
  if (const auto *Choice = dyn_cast<ConditionalOperator>(E)) {
    // The path went through the arm that called fork: no other arm ran.
    if (ForkArmTaken && ForkCall && hasArmLeadingTo(*Choice, ForkCall))
      return true;
    if (std::optional<bool> Taken = evaluateCondition(Choice->getCond()))
      return yieldsForkResult(*Taken ? Choice->getTrueExpr()
                                     : Choice->getFalseExpr());
    return yieldsForkResult(Choice->getTrueExpr()) &&
           yieldsForkResult(Choice->getFalseExpr());
  }
  if (Vars.empty())
    return false;
  std::optional<StorageKey> Key = storageKeyOf(E);
  return Key && llvm::is_contained(Vars, *Key);
}

std::optional<ValueRange> ForkValueEvaluator::evaluate(const Expr *E) const {
  E = E->IgnoreParenCasts();
  if (yieldsForkResult(E))
    return Outcome;
  if (const VarFact *Fact = factOf(E)) {
    if (!Fact->Excluded)
      return Fact->Value;
    return std::nullopt;
  }
  if (const auto *Choice = dyn_cast<ConditionalOperator>(E)) {
    if (std::optional<bool> Taken = evaluateCondition(Choice->getCond()))
      return evaluate(*Taken ? Choice->getTrueExpr() : Choice->getFalseExpr());
    std::optional<ValueRange> L = evaluate(Choice->getTrueExpr());
    std::optional<ValueRange> R =
        L ? evaluate(Choice->getFalseExpr()) : std::nullopt;
    if (L && R)
      return ValueRange{std::min(L->Lo, R->Lo), std::max(L->Hi, R->Hi)};
    return std::nullopt;
  }
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
    if (const Expr *Passed = expectedValue(Call))
      return evaluate(Passed);
    if (isExec(*Call))
      return exactly(-1);
  }
  if (std::optional<int64_t> Constant = integerConstant(E, Ctx))
    return exactly(*Constant);
  return std::nullopt;
}

const VarFact *ForkValueEvaluator::factOf(const Expr *E) const {
  if (Facts.empty())
    return nullptr;
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
  if (!Ref)
    return nullptr;
  for (const VarFact &Fact : Facts)
    if (Fact.Var == Ref->getDecl())
      return &Fact;
  return nullptr;
}

bool ForkValueEvaluator::knownToDiffer(const Expr *VarSide,
                                       const Expr *Other) const {
  const VarFact *Fact = factOf(VarSide);
  if (!Fact || !Fact->Excluded)
    return false;
  std::optional<ValueRange> Value = evaluate(Other);
  return Value && Value->Lo == Value->Hi && Value->Lo == Fact->Value.Lo;
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
  if (Binary->isEqualityOp() &&
      (knownToDiffer(Binary->getLHS(), Binary->getRHS()) ||
       knownToDiffer(Binary->getRHS(), Binary->getLHS())))
    return truth(Op == BO_NE);
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
  if (const VarFact *Fact = factOf(E);
      Fact && Fact->Excluded && Fact->Value.Lo == 0)
    return true;
  return std::nullopt;
}

} // namespace forksafety
