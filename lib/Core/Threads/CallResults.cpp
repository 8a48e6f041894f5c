//===- CallResults.cpp - Branches on whether a call succeeded -------------===//

#include "Core/Threads/CallResults.h"

#include "Core/ExprValues.h"
#include "Core/StatementWalker.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/Builtins.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <algorithm>
#include <initializer_list>
#include <limits>
#include <optional>
#include <vector>

using namespace clang;

namespace forksafety {

namespace {

/// A test of Tested against 0: on which way of the branch it is not 0, and
/// whether it is 0 on the other way (`x > 3` false leaves x anything up to
/// 3; `x != 0` false leaves only 0).
struct ZeroTest {
  const Expr *Tested;
  bool NonZeroIfTrue;
  bool ZeroOtherwise;
};

/// `X op C` with a constant C: whether its being true rules 0 out (else its
/// being false does); none for other operators.
std::optional<bool> excludesZeroIfTrue(BinaryOperatorKind Op, int64_t C) {
  switch (Op) {
  case BO_EQ:
    return C != 0;
  case BO_NE:
    return C == 0;
  case BO_LT:
    return C <= 0;
  case BO_GT:
    return C >= 0;
  case BO_LE:
    return C < 0;
  case BO_GE:
    return C > 0;
  default:
    return std::nullopt;
  }
}

/// The value of the constant operand \p Side of a comparison, converted as
/// the comparison converts it: `(unsigned)-1` and SIZE_MAX are large, not
/// -1, where an unsigned value is compared.
std::optional<int64_t> comparedConstant(const Expr *Side, ASTContext &Ctx) {
  // Most sides are variables: integerConstant turns them away without
  // clang's evaluator, which the conversion then needs for constants.
  if (!integerConstant(Side, Ctx))
    return std::nullopt;
  Expr::EvalResult Result;
  if (!Side->EvaluateAsInt(Result, Ctx))
    return std::nullopt;
  const llvm::APSInt &Value = Result.Val.getInt();
  if (Value.isUnsigned())
    return Value.getActiveBits() > 63 ? std::numeric_limits<int64_t>::max()
                                      : int64_t(Value.getZExtValue());
  if (Value.getSignificantBits() > 64)
    return std::nullopt;
  return Value.getSExtValue();
}

/// A condition as a test of Tested against a constant, Tested on the left:
/// `x` is `x != 0`, and `!` turns the operator round.
struct ConstantTest {
  const Expr *Tested;
  BinaryOperatorKind Op;
  int64_t Constant;
  /// Whether the comparison converts Tested to an unsigned type.
  bool Unsigned;
};

std::optional<ConstantTest> constantTest(const Expr *Cond, ASTContext &Ctx) {
  const Expr *E = Cond->IgnoreParenImpCasts();
  if (const Expr *Expected = expectedValue(E))
    return constantTest(Expected, Ctx);
  if (const auto *Not = dyn_cast<UnaryOperator>(E);
      Not && Not->getOpcode() == UO_LNot) {
    std::optional<ConstantTest> Test = constantTest(Not->getSubExpr(), Ctx);
    if (Test)
      Test->Op = BinaryOperator::negateComparisonOp(Test->Op);
    return Test;
  }
  const auto *Compare = dyn_cast<BinaryOperator>(E);
  if (!Compare || !Compare->isComparisonOp())
    return ConstantTest{E, BO_NE, 0, false};
  // `<=>` yields no truth value: neither test reads one.
  if (Compare->getOpcode() == BO_Cmp)
    return std::nullopt;
  BinaryOperatorKind Op = Compare->getOpcode();
  const Expr *Tested = Compare->getLHS();
  std::optional<int64_t> C = comparedConstant(Compare->getRHS(), Ctx);
  if (!C) {
    Tested = Compare->getRHS();
    C = comparedConstant(Compare->getLHS(), Ctx);
    Op = BinaryOperator::reverseComparisonOp(Op);
  }
  if (!C)
    return std::nullopt;
  return ConstantTest{
      Tested->IgnoreParenImpCasts(), Op, *C,
      Compare->getLHS()->getType()->isUnsignedIntegerOrEnumerationType()};
}

std::optional<ZeroTest> zeroTest(const ConstantTest &Test) {
  auto [Tested, Op, C, Unsigned] = Test;
  std::optional<bool> IfTrue = excludesZeroIfTrue(Op, C);
  if (!IfTrue)
    return std::nullopt;
  bool Equality = C == 0 && (Op == BO_EQ || Op == BO_NE);
  bool Positive = C == 0 && (Op == BO_GT || Op == BO_LE) &&
                  Tested->getType()->isUnsignedIntegerOrEnumerationType();
  return ZeroTest{Tested, *IfTrue, Equality || Positive};
}

/// A test as a Comparison, and whether it holds when the branch is taken.
struct ComparisonTest {
  CallResultTests::Comparison Compared;
  bool HoldsIfTrue;
};

std::optional<ComparisonTest> comparisonTest(const ConstantTest &Test) {
  BinaryOperatorKind Op = Test.Op;
  int64_t C = Test.Constant;
  bool Unsigned = Test.Unsigned;
  // An unsigned constant above INT64_MAX is read as INT64_MAX: not told
  // apart from others.
  if (Unsigned && C == std::numeric_limits<int64_t>::max())
    return std::nullopt;
  int64_t Lowest = Unsigned ? 0 : std::numeric_limits<int64_t>::min();
  switch (Op) {
  case BO_EQ:
  case BO_NE:
    // Against 0, the test of a ZeroTest.
    if (C == 0)
      return std::nullopt;
    return ComparisonTest{{true, C, Unsigned}, Op == BO_EQ};
  case BO_GT:
  case BO_LE:
    return ComparisonTest{{false, C, Unsigned}, Op == BO_GT};
  case BO_GE:
  case BO_LT:
    if (C == Lowest)
      return std::nullopt; // Always true, or never.
    return ComparisonTest{{false, C - 1, Unsigned}, Op == BO_GE};
  default:
    return std::nullopt;
  }
}

const VarDecl *variableOf(const Expr *E) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

/// The variable \p E assigns, when it is `var = value`: a test of it is a
/// test of the variable too (`(pid = fork()) < 0`).
const VarDecl *assignedVariable(const Expr *E) {
  const auto *Assign = dyn_cast<BinaryOperator>(E);
  return Assign && Assign->getOpcode() == BO_Assign
             ? variableOf(Assign->getLHS()->IgnoreParens())
             : nullptr;
}

/// The variable a test of \p E tests: \p E itself, or the one it assigns.
const VarDecl *testedVariable(const Expr *E) {
  if (const VarDecl *Var = variableOf(E))
    return Var;
  return assignedVariable(E);
}

/// Whether \p Type, an integral type, holds \p Value as written: a value
/// stored in a narrower type, or a negative one in an unsigned type, is
/// another value once stored.
bool holdsAsWritten(int64_t Value, QualType Type, const ASTContext &Ctx) {
  llvm::APSInt Written(llvm::APInt(64, static_cast<uint64_t>(Value),
                                   /*isSigned=*/true),
                       /*isUnsigned=*/false);
  unsigned Width = Ctx.getIntWidth(Type);
  return Type->isSignedIntegerOrEnumerationType()
             ? Written.isSignedIntN(Width)
             : Value >= 0 && Written.isIntN(Width);
}

/// What the ways out of a switch tell of its value: whether it is 0 (a
/// case of 0, a case of another value, and the way no case takes, the
/// default or what follows the switch, when a case of 0 exists), and which
/// case each way takes. None when cases are ranges.
struct SwitchWays {
  llvm::SmallDenseMap<const CFGBlock *, bool, 4> NonZeroOn;
  llvm::SmallDenseMap<const CFGBlock *, int64_t, 4> CaseOn;
  const CFGBlock *NoCase = nullptr;
  /// The cases' values, sorted, as the switch compares them; none when a
  /// value as written is not one it compares (`case -1` of an unsigned).
  std::optional<CallResultTests::SwitchValues> Values;
};

std::optional<SwitchWays> switchWays(const CFGBlock &Block, ASTContext &Ctx) {
  SwitchWays Ways;
  llvm::SmallPtrSet<const CFGBlock *, 4> Seen, Repeated;
  const auto *Switch = dyn_cast_or_null<SwitchStmt>(Block.getTerminatorStmt());
  QualType Compared = Switch ? Switch->getCond()->getType() : QualType();
  bool Unsigned =
      !Compared.isNull() && Compared->isUnsignedIntegerOrEnumerationType();
  bool ValuesKnown = !Compared.isNull() &&
                     Compared->isIntegralOrEnumerationType() &&
                     Ctx.getIntWidth(Compared) <= 64;
  std::vector<int64_t> Cases;
  bool ZeroCase = false;
  for (const CFGBlock::AdjacentBlock &Succ : Block.succs()) {
    const CFGBlock *Target = Succ.getReachableBlock();
    if (!Target)
      continue;
    if (!Seen.insert(Target).second)
      Repeated.insert(Target);
    const auto *Case = dyn_cast_or_null<CaseStmt>(Target->getLabel());
    if (!Case) {
      Ways.NoCase = Target;
      continue;
    }
    std::optional<int64_t> Value =
        Case->getRHS() ? std::nullopt : integerConstant(Case->getLHS(), Ctx);
    if (!Value)
      return std::nullopt;
    ZeroCase |= *Value == 0;
    Ways.NonZeroOn[Target] = *Value != 0;
    Ways.CaseOn[Target] = *Value;
    Cases.push_back(*Value);
    // integerConstant reads the value as written, before its conversion.
    ValuesKnown = ValuesKnown && holdsAsWritten(*Value, Compared, Ctx);
  }
  if (Ways.NoCase && ZeroCase)
    Ways.NonZeroOn[Ways.NoCase] = true;
  // A block reached by two labels tells neither value.
  for (const CFGBlock *Target : Repeated) {
    Ways.NonZeroOn.erase(Target);
    Ways.CaseOn.erase(Target);
    if (Target == Ways.NoCase)
      Ways.NoCase = nullptr;
  }
  if (ValuesKnown) {
    llvm::sort(Cases);
    Cases.erase(std::unique(Cases.begin(), Cases.end()), Cases.end());
    Ways.Values = CallResultTests::SwitchValues{std::move(Cases), Unsigned};
  }
  return Ways;
}

/// The local variables that hold the result of one call and nothing else
/// but 0: a test of one is a test of that call's result.
class ResultVariables : public StatementWalker<ResultVariables> {
public:
  /// Looks at the uses of \p Candidates only.
  ResultVariables(ASTContext &Ctx, const Stmt &Body,
                  const llvm::DenseSet<const VarDecl *> &Candidates)
      : Ctx(Ctx), Candidates(Candidates) {
    walk(&Body);
  }

  const Expr *callHeldBy(const VarDecl *Var) const {
    auto It = Held.find(Var);
    return It == Held.end() || It->second.Other ||
                   !Var->getType()->isIntegralOrEnumerationType()
               ? nullptr
               : It->second.Call;
  }

  /// Whether \p Var is set to a constant somewhere.
  bool setToConstant(const VarDecl *Var) const {
    auto It = Held.find(Var);
    return It != Held.end() && It->second.Constant;
  }

  /// Whether only the function's own statements read and write \p Var.
  bool staysLocal(const VarDecl *Var) const {
    auto It = Held.find(Var);
    return isTracked(Var) && (It == Held.end() || !It->second.Escapes);
  }

  static bool isTracked(const VarDecl *Var) {
    return Var->hasLocalStorage() && !isa<ParmVarDecl>(Var) &&
           !Var->getType()->isReferenceType() &&
           (Var->getType()->isIntegralOrEnumerationType() ||
            Var->getType()->isPointerType());
  }

  void visitVariable(const VarDecl &Var) {
    if (Candidates.contains(&Var) && Var.getInit())
      written(&Var, *Var.getInit());
  }

  void visitStatement(const Stmt &S) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(&S))
      visitReference(*Ref);
  }

private:
  void visitReference(const DeclRefExpr &Ref) {
    const auto *Var = dyn_cast<VarDecl>(Ref.getDecl());
    if (!Var || !Candidates.contains(Var))
      return;
    if (Ref.refersToEnclosingVariableOrCapture()) {
      // A lambda or block reads or writes it when it runs, elsewhere.
      Held[Var].Other = Held[Var].Escapes = true;
      return;
    }
    const Stmt *Parent = parentOf(Ref);
    if (const auto *Cast = dyn_cast_or_null<ImplicitCastExpr>(Parent);
        Cast && Cast->getCastKind() == CK_LValueToRValue)
      return;
    const auto *Assign = dyn_cast_or_null<BinaryOperator>(Parent);
    if (Assign && Assign->getOpcode() == BO_Assign &&
        Assign->getLHS()->IgnoreParens() == &Ref) {
      written(Var, *Assign->getRHS());
      return;
    }
    const auto *Step = dyn_cast_or_null<UnaryOperator>(Parent);
    Writes &W = Held[Var];
    W.Other = true;
    // Its address, a reference, a capture: others may write it, whatever
    // the function's later statements do with it.
    W.Escapes |= !(Assign && Assign->isCompoundAssignmentOp() &&
                   Assign->getLHS()->IgnoreParens() == &Ref) &&
                 !(Step && Step->isIncrementDecrementOp());
  }

  struct Writes {
    const Expr *Call = nullptr;
    bool Other = false;
    bool Escapes = false;
    bool Constant = false;
  };

  void written(const VarDecl *Var, const Expr &Value) {
    Writes &W = Held[Var];
    W.Constant |= integerConstant(&Value, Ctx).has_value();
    const Expr *E = Value.IgnoreParenImpCasts();
    if (isa<CallExpr>(E) && !W.Call)
      W.Call = E;
    else if (!CallResultTests::isZero(Value, Ctx))
      W.Other = true;
  }

  ASTContext &Ctx;
  const llvm::DenseSet<const VarDecl *> &Candidates;
  llvm::DenseMap<const VarDecl *, Writes> Held;
};

} // namespace

bool CallResultTests::isZero(const Expr &Value, ASTContext &Ctx) {
  std::optional<int64_t> C = integerConstant(&Value, Ctx);
  return C && *C == 0;
}

namespace {

/// The values a variable of up to 64 bits may hold, seen as it is or
/// converted to unsigned: disjoint closed intervals in increasing order.
/// __int128 holds the bounds of both views.
class ValueSet {
public:
  using Bound = __int128;

  static ValueSet all(bool Unsigned) {
    return ValueSet({{lowest(Unsigned), Highest}});
  }
  /// The values for which \p Compared holds (\p Holds) or fails.
  static ValueSet where(const CallResultTests::Comparison &Compared,
                        bool Holds) {
    Bound Low = lowest(Compared.Unsigned), C = Compared.Constant;
    if (Compared.Equal)
      return Holds ? ValueSet({{C, C}})
                   : ValueSet({{Low, C - 1}, {C + 1, Highest}});
    return Holds ? ValueSet({{C + 1, Highest}}) : ValueSet({{Low, C}});
  }
  /// The values, seen as signed or as unsigned, that are not 0
  /// (\p NonZero) or are.
  static ValueSet whereNonZero(bool Unsigned, bool NonZero) {
    return NonZero ? ValueSet({{lowest(Unsigned), -1}, {1, Highest}})
                   : ValueSet({{0, 0}});
  }
  /// The values on the way of a switch that takes \p Case, or no case.
  static ValueSet switched(const CallResultTests::SwitchValues &Switch,
                           std::optional<int64_t> Case) {
    if (Case)
      return ValueSet({{*Case, *Case}});
    ValueSet Others;
    Bound Low = lowest(Switch.Unsigned);
    for (int64_t Value : Switch.Cases) {
      if (Low < Value)
        Others.Ranges.push_back({Low, Bound(Value) - 1});
      Low = Bound(Value) + 1;
    }
    if (Low <= Highest)
      Others.Ranges.push_back({Low, Highest});
    return Others;
  }

  ValueSet intersect(const ValueSet &Other) const {
    ValueSet Both;
    for (const Range &A : Ranges)
      for (const Range &B : Other.Ranges)
        if (std::max(A.Low, B.Low) <= std::min(A.High, B.High))
          Both.Ranges.push_back(
              {std::max(A.Low, B.Low), std::min(A.High, B.High)});
    return Both;
  }
  bool empty() const { return Ranges.empty(); }

private:
  struct Range {
    Bound Low, High;
  };
  static constexpr Bound Highest = (Bound(1) << 64) - 1;
  static Bound lowest(bool Unsigned) {
    return Unsigned ? 0 : -(Bound(1) << 63);
  }
  ValueSet() = default;
  explicit ValueSet(std::initializer_list<Range> Given) {
    for (const Range &R : Given)
      if (R.Low <= R.High)
        Ranges.push_back(R);
  }
  llvm::SmallVector<Range, 2> Ranges;
};

} // namespace

std::optional<bool>
CallResultTests::implies(const VarTest &Test,
                         const std::optional<Comparison> &Other,
                         const ASTContext &Ctx) {
  QualType Type = Test.Var->getType();
  if (!Type->isIntegralOrEnumerationType() || Ctx.getIntWidth(Type) > 64)
    return std::nullopt; // Its values do not fit the sets.
  // Zero is zero in both views; a comparison tells only of its own.
  bool Unsigned = Other           ? Other->Unsigned
                  : Test.Compared ? Test.Compared->Unsigned
                                  : Test.Switch && Test.Switch->Unsigned;
  bool Told = false;
  ValueSet Known = ValueSet::all(Unsigned);
  if (Test.NonZero) {
    Known = Known.intersect(ValueSet::whereNonZero(Unsigned, *Test.NonZero));
    Told = true;
  }
  if (Test.Compared && Test.Compared->Unsigned == Unsigned) {
    Known = Known.intersect(ValueSet::where(*Test.Compared, Test.Holds));
    Told = true;
  }
  if (Test.Switch && Test.Switch->Unsigned == Unsigned) {
    Known = Known.intersect(ValueSet::switched(*Test.Switch, Test.Case));
    Told = true;
  }
  if (!Told || Known.empty())
    return std::nullopt;
  auto Possible = [&](bool Holds) {
    return !Known
                .intersect(Other ? ValueSet::where(*Other, Holds)
                                 : ValueSet::whereNonZero(Unsigned, Holds))
                .empty();
  };
  bool MayHold = Possible(true), MayFail = Possible(false);
  if (MayHold == MayFail)
    return std::nullopt;
  return MayHold;
}

std::optional<bool>
CallResultTests::nonZeroGiven(const VarDecl &Var,
                              llvm::ArrayRef<std::pair<Comparison, bool>> Known,
                              const ASTContext &Ctx) {
  QualType Type = Var.getType();
  if (!Type->isIntegralOrEnumerationType() || Ctx.getIntWidth(Type) > 64)
    return std::nullopt;
  // Zero is zero in both views; each comparison narrows its own.
  std::optional<bool> NonZero;
  for (bool Unsigned : {false, true}) {
    ValueSet Values = ValueSet::all(Unsigned);
    bool Told = false;
    for (const auto &[Compared, Holds] : Known)
      if (Compared.Unsigned == Unsigned) {
        Values = Values.intersect(ValueSet::where(Compared, Holds));
        Told = true;
      }
    if (!Told || Values.empty())
      continue;
    bool MayBeZero =
        !Values.intersect(ValueSet::whereNonZero(Unsigned, false)).empty();
    bool MayBeOther =
        !Values.intersect(ValueSet::whereNonZero(Unsigned, true)).empty();
    if (MayBeZero != MayBeOther)
      NonZero = MayBeOther;
  }
  return NonZero;
}

std::string CallResultTests::Comparison::name() const {
  return (Equal ? "==" : ">") + std::string(Unsigned ? "u" : "") +
         std::to_string(Constant);
}

std::optional<bool>
CallResultTests::Comparison::holdsFor(int64_t Value, QualType Type,
                                      const ASTContext &Ctx) const {
  // The variable keeps the value as written only if its type holds it.
  if (!Type->isIntegralOrEnumerationType() || !holdsAsWritten(Value, Type, Ctx))
    return std::nullopt;
  if (Unsigned && Value < 0)
    return std::nullopt; // Converted to a large value.
  if (Equal)
    return Value == Constant;
  return Unsigned
             ? static_cast<uint64_t>(Value) > static_cast<uint64_t>(Constant)
             : Value > Constant;
}

llvm::ArrayRef<CallResultTests::Comparison>
CallResultTests::comparisonsOf(const VarDecl &Var) const {
  auto It = Comparisons.find(&Var);
  return It == Comparisons.end() ? llvm::ArrayRef<Comparison>()
                                 : llvm::ArrayRef<Comparison>(It->second);
}

/// Finds a function's tests in named steps: the branches and switches that
/// test a value, the variables they may tell of, then what each branch and
/// each switch tells.
class CallResultTests::Builder {
public:
  Builder(CallResultTests &Out, ASTContext &Ctx) : Out(Out), Ctx(Ctx) {}

  void findTests(const CFG &Graph) {
    for (const CFGBlock *Block : Graph) {
      if (!Block)
        continue;
      if (const auto *Switch =
              dyn_cast_or_null<SwitchStmt>(Block->getTerminatorStmt())) {
        if (const Expr *Cond = Switch->getCond()) {
          Switches.emplace_back(Block, Cond->IgnoreParenImpCasts());
          consider(Switches.back().second);
        }
        continue;
      }
      if (Block->succ_size() != 2)
        continue;
      const Expr *Cond = Block->getLastCondition();
      std::optional<ConstantTest> Constant =
          Cond ? constantTest(Cond, Ctx) : std::nullopt;
      std::optional<ZeroTest> Test =
          Constant ? zeroTest(*Constant) : std::nullopt;
      if (!Test)
        continue;
      Tests.push_back({Block, *Test, *Constant});
      consider(Test->Tested);
    }
  }

  void findVariables(const Decl &Function) {
    if (!Candidates.empty() && Function.getBody())
      Variables.emplace(Ctx, *Function.getBody(), Candidates);
  }

  void recordBranches() {
    for (const auto &[Block, Test, Constant] : Tests) {
      const VarDecl *Var = nullptr;
      bool OnlyCall = false;
      const VarDecl *Holder = nullptr;
      if (const Expr *Call = subjectOf(Test.Tested, Var, OnlyCall, Holder)) {
        Out.Branches[Block] = {Call, Test.NonZeroIfTrue,
                               Test.ZeroOtherwise && OnlyCall, Holder};
        Out.Tested.insert(Call);
      }
      if (Var)
        recordVarBranch(*Block, *Var, Test, Constant);
    }
  }

  void recordSwitches() {
    for (const auto &[Block, Tested] : Switches) {
      const VarDecl *Var = nullptr;
      bool OnlyCall = false;
      const VarDecl *Holder = nullptr;
      const Expr *Call = subjectOf(Tested, Var, OnlyCall, Holder);
      if (!Call && !Var)
        continue;
      std::optional<SwitchWays> Ways = switchWays(*Block, Ctx);
      if (!Ways || Ways->NonZeroOn.empty())
        continue;
      if (Call)
        Out.Tested.insert(Call);
      if (Var)
        Out.TestedVars.insert(Var);
      Out.SwitchTests[Block] = {Call,
                                Var,
                                OnlyCall,
                                Holder,
                                std::move(Ways->NonZeroOn),
                                std::move(Ways->CaseOn),
                                Ways->NoCase,
                                std::move(Ways->Values)};
    }
  }

private:
  struct BlockTest {
    const CFGBlock *Block;
    ZeroTest Zero;
    ConstantTest Constant;
  };

  void consider(const Expr *Tested) {
    if (const VarDecl *Var = testedVariable(Tested);
        Var && ResultVariables::isTracked(Var)) {
      Candidates.insert(Var);
      ++TestsOf[Var];
    }
  }

  /// What a test is of: a call, or a variable that holds one's result; and
  /// a variable that tells of threads, when it is tested again or set to a
  /// constant later. OnlyCall: whether the call alone gave the value
  /// tested, not the 0 a variable that holds its result may also be set to.
  const Expr *subjectOf(const Expr *Tested, const VarDecl *&TellingVar,
                        bool &OnlyCall, const VarDecl *&Holder) {
    const VarDecl *Assigned = assignedVariable(Tested);
    if (const auto *Assign = dyn_cast<BinaryOperator>(Tested);
        Assign && Assign->getOpcode() == BO_Assign)
      Tested = Assign->getRHS()->IgnoreParenImpCasts();
    const VarDecl *Var = variableOf(Tested);
    const VarDecl *Told = Var ? Var : Assigned;
    TellingVar =
        Told && Variables && Variables->staysLocal(Told) &&
                (TestsOf.lookup(Told) > 1 || Variables->setToConstant(Told))
            ? Told
            : nullptr;
    OnlyCall = isa<CallExpr>(Tested) ||
               (Var && Variables && !Variables->setToConstant(Var));
    if (isa<CallExpr>(Tested)) {
      Holder = nullptr;
      return Tested;
    }
    const Expr *Call = Var && Variables ? Variables->callHeldBy(Var) : nullptr;
    Holder = Call ? Var : nullptr;
    if (Holder)
      Out.ResultHolders.insert(Holder);
    return Call;
  }

  void recordVarBranch(const CFGBlock &Block, const VarDecl &Var,
                       const ZeroTest &Test, const ConstantTest &Constant) {
    VarBranch &Branch = Out.VarBranches[&Block] = {&Var, Test.NonZeroIfTrue,
                                                   Test.ZeroOtherwise};
    Out.TestedVars.insert(&Var);
    std::optional<ComparisonTest> Compared = comparisonTest(Constant);
    if (!Compared || testedVariable(Constant.Tested) != &Var)
      return;
    Branch.Compared = Compared->Compared;
    Branch.ComparedIfTrue = Compared->HoldsIfTrue;
    llvm::SmallVector<Comparison, 2> &Known = Out.Comparisons[&Var];
    if (!llvm::is_contained(Known, Compared->Compared))
      Known.push_back(Compared->Compared);
  }

  CallResultTests &Out;
  ASTContext &Ctx;
  std::vector<BlockTest> Tests;
  std::vector<std::pair<const CFGBlock *, const Expr *>> Switches;
  llvm::DenseSet<const VarDecl *> Candidates;
  llvm::DenseMap<const VarDecl *, unsigned> TestsOf;
  std::optional<ResultVariables> Variables;
};

CallResultTests::CallResultTests(ASTContext &Ctx, const Decl &Function,
                                 const CFG &Graph)
    : Graph(Graph) {
  Builder Steps(*this, Ctx);
  Steps.findTests(Graph);
  Steps.findVariables(Function);
  Steps.recordBranches();
  Steps.recordSwitches();
}

/// Whether \p To is the way a two-way branch at the end of \p From takes
/// when its condition holds; none if \p To is neither way, or both.
static std::optional<bool> isTrueWay(const CFGBlock &From, const CFGBlock &To) {
  const CFGBlock *IfTrue = From.succ_begin()[0].getReachableBlock();
  const CFGBlock *IfFalse = From.succ_begin()[1].getReachableBlock();
  if (IfTrue == IfFalse || (&To != IfTrue && &To != IfFalse))
    return std::nullopt;
  return &To == IfTrue;
}

std::optional<CallResultTests::VarTest>
CallResultTests::varTestOn(const CFGBlock &From, const CFGBlock &To) const {
  if (auto Switch = SwitchTests.find(&From); Switch != SwitchTests.end()) {
    const SwitchTest &Ways = Switch->second;
    if (!Ways.Var)
      return std::nullopt;
    VarTest Test;
    Test.Var = Ways.Var;
    if (const bool *Known = switchWay(From, To))
      Test.NonZero = *Known;
    auto Case = Ways.CaseOn.find(&To);
    if (Ways.Values && (Case != Ways.CaseOn.end() || &To == Ways.NoCase)) {
      Test.Switch = &*Ways.Values;
      if (Case != Ways.CaseOn.end())
        Test.Case = Case->second;
    }
    if (!Test.NonZero && !Test.Switch)
      return std::nullopt;
    return Test;
  }
  auto It = VarBranches.find(&From);
  if (It == VarBranches.end())
    return std::nullopt;
  std::optional<bool> IfTrue = isTrueWay(From, To);
  if (!IfTrue)
    return std::nullopt;
  const VarBranch &Branch = It->second;
  VarTest Test;
  Test.Var = Branch.Var;
  bool NonZero = *IfTrue == Branch.NonZeroIfTrue;
  if (NonZero || Branch.ZeroOtherwise)
    Test.NonZero = NonZero;
  Test.Compared = Branch.Compared;
  Test.Holds = *IfTrue == Branch.ComparedIfTrue;
  if (!Test.NonZero && !Test.Compared)
    return std::nullopt;
  return Test;
}

bool CallResultTests::testedFrom(const VarDecl &Var,
                                 const CFGBlock &Block) const {
  auto [It, Inserted] = TestAheadOf.try_emplace(&Var);
  llvm::BitVector &Ahead = It->second;
  if (Inserted) {
    Ahead.resize(Graph.getNumBlockIDs());
    llvm::SmallVector<const CFGBlock *, 16> Work;
    auto Reach = [&](const CFGBlock *B) {
      if (B && !Ahead.test(B->getBlockID())) {
        Ahead.set(B->getBlockID());
        Work.push_back(B);
      }
    };
    for (const auto &[B, Branch] : VarBranches)
      if (Branch.Var == &Var)
        Reach(B);
    for (const auto &[B, Switch] : SwitchTests)
      if (Switch.Var == &Var)
        Reach(B);
    while (!Work.empty())
      for (const CFGBlock::AdjacentBlock &Pred : Work.pop_back_val()->preds())
        Reach(Pred.getReachableBlock());
  }
  return Ahead.test(Block.getBlockID());
}

const VarDecl *CallResultTests::writes(const Stmt &S,
                                       std::optional<int64_t> &Value,
                                       const Expr **Stored) const {
  Value.reset();
  if (Stored)
    *Stored = nullptr;
  if (TestedVars.empty() && ResultHolders.empty())
    return nullptr;
  auto Tracked = [&](const VarDecl *Var) {
    return Var && (TestedVars.contains(Var) || ResultHolders.contains(Var));
  };
  auto Tested = [&](const Expr *E) -> const VarDecl * {
    const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParens());
    const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    return Tracked(Var) ? Var : nullptr;
  };
  auto Written = [&](const VarDecl *Var, const Expr *Written) {
    if (Var && Written) {
      Value = integerConstant(Written, Var->getASTContext());
      if (Stored)
        *Stored = Written->IgnoreParenImpCasts();
    }
    return Var;
  };
  if (const auto *Assign = dyn_cast<BinaryOperator>(&S);
      Assign && Assign->isAssignmentOp())
    return Written(Tested(Assign->getLHS()), Assign->getOpcode() == BO_Assign
                                                 ? Assign->getRHS()
                                                 : nullptr);
  if (const auto *Step = dyn_cast<UnaryOperator>(&S);
      Step && Step->isIncrementDecrementOp())
    return Tested(Step->getSubExpr());
  if (const auto *Declaration = dyn_cast<DeclStmt>(&S))
    for (const Decl *D : Declaration->decls())
      if (const auto *Var = dyn_cast<VarDecl>(D); Tracked(Var))
        return Written(Var, Var->getInit());
  return nullptr;
}

const Expr *CallResultTests::failedOn(const CFGBlock &From,
                                      const CFGBlock &To) const {
  if (const bool *Known = switchWay(From, To))
    return *Known ? SwitchTests.find(&From)->second.Call : nullptr;
  auto It = Branches.find(&From);
  std::optional<bool> IfTrue =
      It == Branches.end() ? std::nullopt : isTrueWay(From, To);
  return IfTrue && *IfTrue == It->second.FailedIfTrue ? It->second.Call
                                                      : nullptr;
}

const Expr *CallResultTests::zeroOn(const CFGBlock &From, const CFGBlock &To,
                                    const VarDecl *&Holder) const {
  if (const bool *Known = switchWay(From, To)) {
    const SwitchTest &Switch = SwitchTests.find(&From)->second;
    Holder = Switch.Holder;
    return !*Known && Switch.OnlyCall ? Switch.Call : nullptr;
  }
  auto It = Branches.find(&From);
  if (It == Branches.end() || !It->second.ZeroOtherwise)
    return nullptr;
  std::optional<bool> IfTrue = isTrueWay(From, To);
  Holder = It->second.Holder;
  return IfTrue && *IfTrue != It->second.FailedIfTrue ? It->second.Call
                                                      : nullptr;
}

const bool *CallResultTests::switchWay(const CFGBlock &From,
                                       const CFGBlock &To) const {
  auto It = SwitchTests.find(&From);
  if (It == SwitchTests.end())
    return nullptr;
  auto Way = It->second.NonZeroOn.find(&To);
  return Way == It->second.NonZeroOn.end() ? nullptr : &Way->second;
}

} // namespace forksafety
