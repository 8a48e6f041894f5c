//===- ForkValueTest.cpp - Tests of conditions on a fork's result ---------===//

#include "Core/ChildPaths/ForkValue.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Lex/Lexer.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringMap.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

using namespace clang;
using namespace clang::ast_matchers;
using namespace forksafety;

namespace {

constexpr ForkOutcome Child = ForkOutcome::Child;
constexpr ForkOutcome Parent = ForkOutcome::Parent;
constexpr ForkOutcome Failure = ForkOutcome::Failure;

const char *const PidCode = R"cpp(
  int fork(void);
  void f(int x) {
    int pid = fork();
    if (pid == 0) {}
    if (pid < 0) {}
    if (!pid) {}
    if (pid > 0) {}
    if (pid != -1) {}
    if (pid) {}
    if (pid >= 1) {}
    if (pid <= 0) {}
    if (-pid == 1) {}
    if ((pid)) {}
    if (pid == 5) {}
    if (x > 0) {}
    if (pid == x) {}
    if (pid == 0 && x) {}
    if (x && pid == 0) {}
    if (pid > 0 || x) {}
    if (x || pid > 0) {}
    if (pid == 0 && pid != -1) {}
    if (pid == 0 || pid < 0) {}
    if (x, pid == 0) {}
    if (pid = fork()) {}
  }
)cpp";

/// Parses code that forks and evaluates its if-conditions, each found by its
/// spelling. The first fork call is the one whose result is tracked.
class ForkValueTest : public ::testing::Test {
protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(parse(PidCode)); }

  void parse(llvm::StringRef Code) {
    Conditions.clear();
    ForkCall = nullptr;
    PidKeys.clear();
    // The snippets test odd conditions on purpose.
    AST = tooling::buildASTFromCodeWithArgs(Code, {"-w"});
    ASSERT_TRUE(AST);
    ASTContext &Ctx = AST->getASTContext();

    auto ForkCalls = match(
        callExpr(callee(functionDecl(hasName("fork")))).bind("call"), Ctx);
    ASSERT_FALSE(ForkCalls.empty());
    ForkCall = ForkCalls.front().getNodeAs<CallExpr>("call");

    auto PidRefs =
        match(declRefExpr(to(varDecl(hasName("pid")))).bind("ref"), Ctx);
    if (!PidRefs.empty()) {
      std::optional<StorageKey> Key =
          storageKeyOf(PidRefs.front().getNodeAs<Expr>("ref"));
      ASSERT_TRUE(Key);
      PidKeys.push_back(*Key);
    }

    for (const BoundNodes &Nodes :
         match(ifStmt(hasCondition(expr().bind("cond"))), Ctx)) {
      const auto *Cond = Nodes.getNodeAs<Expr>("cond");
      StringRef Text = Lexer::getSourceText(
          CharSourceRange::getTokenRange(Cond->getSourceRange()),
          Ctx.getSourceManager(), Ctx.getLangOpts());
      Conditions[Text] = Cond;
    }
  }

  const Expr *condition(llvm::StringRef Text) const {
    const Expr *Cond = Conditions.lookup(Text);
    if (!Cond)
      ADD_FAILURE() << "no condition '" << Text.str() << "'";
    return Cond;
  }

  /// Evaluates \p Text under \p Outcome, with the fork call and, if
  /// \p PidHoldsResult, the variable pid holding the fork's result.
  std::optional<bool> evaluate(llvm::StringRef Text, ForkOutcome Outcome,
                               bool PidHoldsResult = true) const {
    const Expr *Cond = condition(Text);
    if (!Cond)
      return std::nullopt;
    llvm::ArrayRef<StorageKey> Vars;
    if (PidHoldsResult)
      Vars = PidKeys;
    return ForkValueEvaluator(AST->getASTContext(), ForkCall, rangeOf(Outcome),
                              Vars)
        .evaluateCondition(Cond);
  }

  std::unique_ptr<ASTUnit> AST;
  const CallExpr *ForkCall = nullptr;
  /// The place pid, as the path walker tracks it.
  std::vector<StorageKey> PidKeys;
  llvm::StringMap<const Expr *> Conditions;
};

TEST(ForkValueRangeTest, RangesOfOutcomes) {
  ValueRange ChildRange = rangeOf(ForkOutcome::Child);
  EXPECT_EQ(0, ChildRange.Lo);
  EXPECT_EQ(0, ChildRange.Hi);
  ValueRange ParentRange = rangeOf(ForkOutcome::Parent);
  EXPECT_EQ(1, ParentRange.Lo);
  EXPECT_EQ(std::numeric_limits<int32_t>::max(), ParentRange.Hi);
  ValueRange FailureRange = rangeOf(ForkOutcome::Failure);
  EXPECT_EQ(-1, FailureRange.Lo);
  EXPECT_EQ(-1, FailureRange.Hi);
}

TEST_F(ForkValueTest, ConditionsInTheChild) {
  EXPECT_EQ(true, evaluate("pid == 0", Child));
  EXPECT_EQ(false, evaluate("pid < 0", Child));
  EXPECT_EQ(true, evaluate("!pid", Child));
  EXPECT_EQ(false, evaluate("pid > 0", Child));
  EXPECT_EQ(true, evaluate("pid != -1", Child));
  EXPECT_EQ(false, evaluate("pid", Child));
  EXPECT_EQ(false, evaluate("pid >= 1", Child));
  EXPECT_EQ(true, evaluate("pid <= 0", Child));
  EXPECT_EQ(false, evaluate("pid == 5", Child));
}

TEST_F(ForkValueTest, ConditionsInTheParent) {
  EXPECT_EQ(false, evaluate("pid == 0", Parent));
  EXPECT_EQ(false, evaluate("pid < 0", Parent));
  EXPECT_EQ(false, evaluate("!pid", Parent));
  EXPECT_EQ(true, evaluate("pid > 0", Parent));
  EXPECT_EQ(true, evaluate("pid != -1", Parent));
  EXPECT_EQ(true, evaluate("pid", Parent));
  EXPECT_EQ(true, evaluate("pid >= 1", Parent));
  EXPECT_EQ(false, evaluate("pid <= 0", Parent));
}

TEST_F(ForkValueTest, ConditionsOnFailure) {
  EXPECT_EQ(false, evaluate("pid == 0", Failure));
  EXPECT_EQ(true, evaluate("pid < 0", Failure));
  // -1 is true: !pid is false on failure.
  EXPECT_EQ(false, evaluate("!pid", Failure));
  EXPECT_EQ(false, evaluate("pid > 0", Failure));
  EXPECT_EQ(false, evaluate("pid != -1", Failure));
  EXPECT_EQ(true, evaluate("pid", Failure));
  EXPECT_EQ(true, evaluate("pid <= 0", Failure));
}

TEST_F(ForkValueTest, NegationAndParentheses) {
  EXPECT_EQ(true, evaluate("-pid == 1", Failure));
  EXPECT_EQ(false, evaluate("-pid == 1", Child));
  EXPECT_EQ(false, evaluate("-pid == 1", Parent)) << "-pid is at most -1";
  EXPECT_EQ(true, evaluate("(pid)", Parent));
  EXPECT_EQ(false, evaluate("(pid)", Child));
}

TEST_F(ForkValueTest, UnknownConditions) {
  // The parent's pid may be 5 or not.
  EXPECT_EQ(std::nullopt, evaluate("pid == 5", Parent));
  // Nothing is known of x.
  for (ForkOutcome Outcome : {Child, Parent, Failure}) {
    EXPECT_EQ(std::nullopt, evaluate("x > 0", Outcome));
    EXPECT_EQ(std::nullopt, evaluate("pid == x", Outcome));
  }
}

TEST_F(ForkValueTest, VariablesNotHoldingTheResultAreUnknown) {
  for (ForkOutcome Outcome : {Child, Parent, Failure}) {
    EXPECT_EQ(std::nullopt, evaluate("pid == 0", Outcome, false));
    EXPECT_EQ(std::nullopt, evaluate("!pid", Outcome, false));
  }
}

TEST_F(ForkValueTest, LogicalAndIsThreeValued) {
  // false && unknown and unknown && false are false.
  EXPECT_EQ(false, evaluate("pid == 0 && x", Parent));
  EXPECT_EQ(false, evaluate("x && pid == 0", Parent));
  // true && unknown is unknown.
  EXPECT_EQ(std::nullopt, evaluate("pid == 0 && x", Child));
  EXPECT_EQ(std::nullopt, evaluate("x && pid == 0", Child));
  // true && true, false && false.
  EXPECT_EQ(true, evaluate("pid == 0 && pid != -1", Child));
  EXPECT_EQ(false, evaluate("pid == 0 && pid != -1", Failure));
  EXPECT_EQ(false, evaluate("pid == 0 && pid != -1", Parent));
}

TEST_F(ForkValueTest, LogicalOrIsThreeValued) {
  // true || unknown and unknown || true are true.
  EXPECT_EQ(true, evaluate("pid > 0 || x", Parent));
  EXPECT_EQ(true, evaluate("x || pid > 0", Parent));
  // false || unknown is unknown.
  EXPECT_EQ(std::nullopt, evaluate("pid > 0 || x", Child));
  EXPECT_EQ(std::nullopt, evaluate("x || pid > 0", Child));
  // false || false, true || false.
  EXPECT_EQ(false, evaluate("pid == 0 || pid < 0", Parent));
  EXPECT_EQ(true, evaluate("pid == 0 || pid < 0", Child));
  EXPECT_EQ(true, evaluate("pid == 0 || pid < 0", Failure));
}

TEST_F(ForkValueTest, CommaYieldsItsRightOperand) {
  EXPECT_EQ(true, evaluate("x, pid == 0", Child));
  EXPECT_EQ(false, evaluate("x, pid == 0", Parent));
}

TEST_F(ForkValueTest, AssignmentOfTheForkCallYieldsTheResult) {
  const Expr *Cond = condition("pid = fork()");
  ASSERT_NE(nullptr, Cond);
  const auto *Assign = cast<BinaryOperator>(Cond->IgnoreParenCasts());
  ASTContext &Ctx = AST->getASTContext();

  // Tracking the fork call on the right of the assignment.
  ForkValueEvaluator Second(Ctx, Assign->getRHS(), rangeOf(Parent), {});
  EXPECT_TRUE(Second.yieldsForkResult(Cond));
  EXPECT_EQ(true, Second.evaluateCondition(Cond));
  EXPECT_EQ(false, ForkValueEvaluator(Ctx, Assign->getRHS(), rangeOf(Child), {})
                       .evaluateCondition(Cond));

  // Tracking the first fork call: the assignment stores another fork's
  // result, even while pid held the first one's.
  ForkValueEvaluator First(Ctx, ForkCall, rangeOf(Parent), PidKeys);
  EXPECT_FALSE(First.yieldsForkResult(Cond));
  EXPECT_EQ(std::nullopt, First.evaluateCondition(Cond));
}

TEST_F(ForkValueTest, YieldsForkResult) {
  ForkValueEvaluator Eval(AST->getASTContext(), ForkCall, rangeOf(Child),
                          PidKeys);
  EXPECT_TRUE(Eval.yieldsForkResult(ForkCall));
  const Expr *PidRef = condition("pid");
  ASSERT_NE(nullptr, PidRef);
  EXPECT_TRUE(Eval.yieldsForkResult(PidRef));
  const Expr *Comparison = condition("pid == 0");
  ASSERT_NE(nullptr, Comparison);
  EXPECT_FALSE(Eval.yieldsForkResult(Comparison));
}

TEST_F(ForkValueTest, EvaluatesRangesAndConstants) {
  ForkValueEvaluator Eval(AST->getASTContext(), ForkCall, rangeOf(Parent),
                          PidKeys);
  const Expr *PidRef = condition("pid");
  ASSERT_NE(nullptr, PidRef);
  std::optional<ValueRange> Range = Eval.evaluate(PidRef);
  ASSERT_TRUE(Range);
  EXPECT_EQ(1, Range->Lo);
  EXPECT_EQ(std::numeric_limits<int32_t>::max(), Range->Hi);

  const Expr *Negated = condition("-pid == 1");
  ASSERT_NE(nullptr, Negated);
  const auto *Comparison = cast<BinaryOperator>(Negated);
  Range = Eval.evaluate(Comparison->getLHS());
  ASSERT_TRUE(Range);
  EXPECT_EQ(-std::numeric_limits<int32_t>::max(), Range->Lo);
  EXPECT_EQ(-1, Range->Hi);
  Range = Eval.evaluate(Comparison->getRHS());
  ASSERT_TRUE(Range);
  EXPECT_EQ(1, Range->Lo);
  EXPECT_EQ(1, Range->Hi);
}

TEST_F(ForkValueTest, ForkCallTestedDirectly) {
  ASSERT_NO_FATAL_FAILURE(parse(R"cpp(
    int fork(void);
    void f() {
      if (fork() == 0) {}
      if (!fork()) {}
    }
  )cpp"));
  ASSERT_NE(nullptr, ForkCall);
  const Expr *Direct = condition("fork() == 0");
  ASSERT_NE(nullptr, Direct);
  ASTContext &Ctx = AST->getASTContext();
  EXPECT_EQ(true, ForkValueEvaluator(Ctx, ForkCall, rangeOf(Child), {})
                      .evaluateCondition(Direct));
  EXPECT_EQ(false, ForkValueEvaluator(Ctx, ForkCall, rangeOf(Parent), {})
                       .evaluateCondition(Direct));
  // Without a fork call to track, the call's value is unknown.
  EXPECT_EQ(std::nullopt, ForkValueEvaluator(Ctx, nullptr, rangeOf(Child), {})
                              .evaluateCondition(Direct));
  // The other fork call is a different process's result.
  const Expr *Other = condition("!fork()");
  ASSERT_NE(nullptr, Other);
  EXPECT_EQ(std::nullopt, ForkValueEvaluator(Ctx, ForkCall, rangeOf(Child), {})
                              .evaluateCondition(Other));
}

const char *const TestCode = R"cpp(
  int fork(void);
  int vfork(void);
  void f(int v, unsigned u, void (*hook)(void), int pid) {
    if (v) {}
    if (!v) {}
    if (v == 3) {}
    if (3 != v) {}
    if (hook != nullptr) {}
    if (__builtin_expect(!v, 0)) {}
    if (u == -1) {}
    if (v < 0) {}
    if (v == pid) {}
    if (v == 0) {}
    if (v != 0) {}
    if (v == 5) {}
    if ((v ? fork() : vfork()) == 0) {}
    if ((v ? pid : 5) == 0) {}
    if ((pid == 0 ? 2 : 1) == 2) {}
  }
)cpp";

/// Tests of a variable against a constant, and what a path that knows the
/// outcome of one makes of the others.
class VarFactTest : public ForkValueTest {
protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(parse(TestCode)); }

  std::optional<VarTest> test(llvm::StringRef Text) const {
    const Expr *Cond = condition(Text);
    return Cond ? simpleTest(Cond, AST->getASTContext()) : std::nullopt;
  }

  /// Evaluates \p Text knowing \p Facts, in the child.
  std::optional<bool> knowing(llvm::StringRef Text,
                              llvm::ArrayRef<VarFact> Facts,
                              bool ForkArmTaken = false) const {
    const Expr *Cond = condition(Text);
    if (!Cond)
      return std::nullopt;
    return ForkValueEvaluator(AST->getASTContext(), ForkCall, rangeOf(Child),
                              PidKeys, Facts, ForkArmTaken)
        .evaluateCondition(Cond);
  }
};

TEST_F(VarFactTest, SimpleTests) {
  std::optional<VarTest> Truth = test("v");
  ASSERT_TRUE(Truth);
  EXPECT_TRUE(Truth->IfTrue.Excluded);
  EXPECT_EQ(0, Truth->IfTrue.Value.Lo);
  EXPECT_FALSE(Truth->IfFalse.Excluded);
  EXPECT_EQ(0, Truth->IfFalse.Value.Hi);

  std::optional<VarTest> Not = test("!v");
  ASSERT_TRUE(Not);
  EXPECT_EQ(Truth->IfTrue, Not->IfFalse);
  EXPECT_EQ(Truth->IfFalse, Not->IfTrue);

  std::optional<VarTest> Three = test("3 != v");
  ASSERT_TRUE(Three);
  EXPECT_TRUE(Three->IfTrue.Excluded);
  EXPECT_EQ(3, Three->IfTrue.Value.Lo);
  EXPECT_EQ(Three->IfFalse, test("v == 3")->IfTrue);

  std::optional<VarTest> Hook = test("hook != nullptr");
  ASSERT_TRUE(Hook);
  EXPECT_TRUE(Hook->IfTrue.Excluded);
  EXPECT_EQ(Not->IfTrue, test("__builtin_expect(!v, 0)")->IfTrue);
}

TEST_F(VarFactTest, OtherTestsTellNothing) {
  // -1 is no unsigned value, as the evaluator sees values through casts.
  EXPECT_FALSE(test("u == -1"));
  EXPECT_FALSE(test("v < 0"));
  EXPECT_FALSE(test("v == pid"));
}

TEST_F(VarFactTest, NonzeroIsNoRange) {
  VarFact Nonzero = test("v")->IfTrue;
  EXPECT_EQ(true, knowing("v", Nonzero));
  EXPECT_EQ(false, knowing("!v", Nonzero));
  EXPECT_EQ(false, knowing("v == 0", Nonzero));
  EXPECT_EQ(true, knowing("v != 0", Nonzero));
  EXPECT_EQ(std::nullopt, knowing("v < 0", Nonzero));
  EXPECT_EQ(std::nullopt, knowing("v == 5", Nonzero));
}

TEST_F(VarFactTest, ValuesDecideTests) {
  VarFact Three = test("v == 3")->IfTrue;
  EXPECT_EQ(true, knowing("v", Three));
  EXPECT_EQ(false, knowing("v < 0", Three));
  EXPECT_EQ(false, knowing("v == 5", Three));
  EXPECT_EQ(std::nullopt, knowing("v == 5", {}));
}

TEST_F(VarFactTest, ConditionalOperators) {
  // The fork's arm yields its result only on a path that went through it.
  EXPECT_EQ(true, knowing("(v ? fork() : vfork()) == 0", {}, true));
  EXPECT_EQ(std::nullopt, knowing("(v ? fork() : vfork()) == 0", {}));
  VarFact Zero = test("v == 0")->IfTrue;
  EXPECT_EQ(std::nullopt, knowing("(v ? fork() : vfork()) == 0", Zero));
  // A tracked variable in one arm: the other arm must yield it too.
  EXPECT_EQ(std::nullopt, knowing("(v ? pid : 5) == 0", {}));
  EXPECT_EQ(true, knowing("(v ? pid : 5) == 0", test("v")->IfTrue));
  EXPECT_EQ(false, knowing("(v ? pid : 5) == 0", Zero));
  EXPECT_EQ(true, knowing("(pid == 0 ? 2 : 1) == 2", {}));
}

const char *const PlaceCode = R"cpp(
  struct Cmd {
    int pid;
    int status;
    Cmd *next;
    void run();
  };
  int fork();
  void f(Cmd c, Cmd d, Cmd *p, int *out, int x) {
    if (c.pid == 0) {}
    if (d.pid == 0) {}
    if (c.status == 0) {}
    if (p->pid == 0) {}
    if ((*p).pid == 0) {}
    if (p->next->pid == 0) {}
    if (*out == 0) {}
    if (out[0] == 0) {}
    if (x + 1 == 0) {}
    if (fork() == 0) {}
    int pids[4];
    Cmd cmds[2];
    int i = x;
    if (pids[i] == 0) {}
    if (pids[0] == 0) {}
    if (pids[1] == 0) {}
    if (cmds[i].pid == 0) {}
    if (pids[i + 1] == 0) {}
  }
  void Cmd::run() {
    if (pid == 0) {}
    if (this->pid == 0) {}
  }
)cpp";

/// The places that may hold a fork's result: variables, members reached
/// from them, and what pointers point to. Each place is the left operand of
/// a comparison "<place> == 0".
class StorageKeyTest : public ::testing::Test {
protected:
  void SetUp() override {
    AST = tooling::buildASTFromCode(PlaceCode);
    ASSERT_TRUE(AST);
    ASTContext &Ctx = AST->getASTContext();
    for (const BoundNodes &Nodes :
         match(ifStmt(hasCondition(binaryOperator(hasOperatorName("=="),
                                                  hasLHS(expr().bind("place")))
                                       .bind("cond"))),
               Ctx)) {
      const auto *Place = Nodes.getNodeAs<Expr>("place");
      StringRef Text = Lexer::getSourceText(
          CharSourceRange::getTokenRange(Place->getSourceRange()),
          Ctx.getSourceManager(), Ctx.getLangOpts());
      Comparisons[Text] = Nodes.getNodeAs<BinaryOperator>("cond");
    }
  }

  const BinaryOperator *comparison(llvm::StringRef Place) const {
    const BinaryOperator *Comparison = Comparisons.lookup(Place);
    if (!Comparison)
      ADD_FAILURE() << "no comparison of '" << Place.str() << "'";
    return Comparison;
  }

  std::optional<StorageKey> keyOf(llvm::StringRef Place) const {
    const BinaryOperator *Comparison = comparison(Place);
    return Comparison ? storageKeyOf(Comparison->getLHS()) : std::nullopt;
  }

  /// Whether "<Place> == 0" holds in the child when \p Holder holds the
  /// fork's result.
  std::optional<bool> inChild(llvm::StringRef Place,
                              llvm::StringRef Holder) const {
    std::optional<StorageKey> Key = keyOf(Holder);
    const BinaryOperator *Comparison = comparison(Place);
    if (!Key || !Comparison)
      return std::nullopt;
    StorageKey Vars[] = {*Key};
    return ForkValueEvaluator(AST->getASTContext(), nullptr, rangeOf(Child),
                              Vars)
        .evaluateCondition(Comparison);
  }

  std::unique_ptr<ASTUnit> AST;
  llvm::StringMap<const BinaryOperator *> Comparisons;
};

TEST_F(StorageKeyTest, TrackedPlaces) {
  for (const char *Place :
       {"c.pid", "p->pid", "(*p).pid", "p->next->pid", "*out", "pid",
        "this->pid", "pids[i]", "pids[0]", "cmds[i].pid"})
    EXPECT_TRUE(keyOf(Place)) << Place;
}

TEST_F(StorageKeyTest, UntrackedExpressions) {
  // Through a pointer, out[0] is also *out; an index that is computed
  // names no one element.
  for (const char *Place : {"out[0]", "pids[i + 1]", "x + 1", "fork()"})
    EXPECT_FALSE(keyOf(Place)) << Place;
}

TEST_F(StorageKeyTest, ElementsAreNamedByTheirIndex) {
  EXPECT_NE(keyOf("pids[i]"), keyOf("pids[0]"));
  EXPECT_NE(keyOf("pids[0]"), keyOf("pids[1]"));
  std::optional<StorageKey> Element = keyOf("pids[i]");
  ASSERT_TRUE(Element);
  EXPECT_EQ(1u, firstElementStep(*Element));
  const auto *Index = cast<VarDecl>(
      cast<DeclRefExpr>(cast<ArraySubscriptExpr>(
                            comparison("pids[i]")->getLHS()->IgnoreImpCasts())
                            ->getIdx()
                            ->IgnoreImpCasts())
          ->getDecl());
  EXPECT_TRUE(isIndexedBy(*Element, *Index));
  EXPECT_FALSE(isIndexedBy(*keyOf("pids[0]"), *Index));
  EXPECT_FALSE(firstElementStep(*keyOf("c.pid")));
}

TEST_F(StorageKeyTest, DistinctPlacesHaveDistinctKeys) {
  EXPECT_NE(keyOf("c.pid"), keyOf("d.pid"));
  EXPECT_NE(keyOf("c.pid"), keyOf("c.status"));
  EXPECT_NE(keyOf("p->pid"), keyOf("p->next->pid"));
  EXPECT_NE(keyOf("p->pid"), keyOf("this->pid"));
}

TEST_F(StorageKeyTest, SpellingsOfOnePlaceShareAKey) {
  EXPECT_EQ(keyOf("p->pid"), keyOf("(*p).pid"));
  // A member named in a member function is reached through this.
  EXPECT_EQ(keyOf("pid"), keyOf("this->pid"));
}

TEST_F(StorageKeyTest, KeyOfAPlaceExtendsTheKeyOfItsBase) {
  std::optional<StorageKey> Member = keyOf("c.pid");
  const BinaryOperator *Comparison = comparison("c.pid");
  ASSERT_TRUE(Member);
  ASSERT_NE(nullptr, Comparison);
  const auto *Access =
      cast<MemberExpr>(Comparison->getLHS()->IgnoreParenCasts());
  std::optional<StorageKey> Base = storageKeyOf(Access->getBase());
  ASSERT_TRUE(Base);
  ASSERT_LT(Base->size(), Member->size());
  EXPECT_TRUE(std::equal(Base->begin(), Base->end(), Member->begin()));
}

TEST_F(StorageKeyTest, EvaluatesPlacesThatHoldTheResult) {
  EXPECT_EQ(true, inChild("c.pid", "c.pid"));
  EXPECT_EQ(std::nullopt, inChild("d.pid", "c.pid"));
  EXPECT_EQ(std::nullopt, inChild("c.status", "c.pid"));
  EXPECT_EQ(true, inChild("(*p).pid", "p->pid"));
  EXPECT_EQ(std::nullopt, inChild("p->next->pid", "p->pid"));
  EXPECT_EQ(true, inChild("*out", "*out"));
  EXPECT_EQ(true, inChild("this->pid", "pid"));
}

} // namespace
