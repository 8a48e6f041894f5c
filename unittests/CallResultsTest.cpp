//===- CallResultsTest.cpp - Tests of the tests of local variables --------===//

#include "Core/Threads/CallResults.h"
#include "Core/Threads/ThreadState.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/CFG.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <utility>

using namespace clang;
using namespace forksafety;

namespace {

using Comparison = CallResultTests::Comparison;

class ComparisonTest : public ::testing::Test {
protected:
  void SetUp() override { AST = tooling::buildASTFromCode("int unused;"); }
  ASTContext &ctx() { return AST->getASTContext(); }
  std::unique_ptr<ASTUnit> AST;
};

TEST_F(ComparisonTest, NamesTellKindSignAndConstant) {
  EXPECT_EQ((Comparison{true, 2, false}).name(), "==2");
  EXPECT_EQ((Comparison{false, 1, false}).name(), ">1");
  EXPECT_EQ((Comparison{false, -3, true}).name(), ">u-3");
}

TEST_F(ComparisonTest, ConstantsWrittenTellHowTheyCompare) {
  QualType Int = ctx().IntTy;
  EXPECT_EQ((Comparison{true, 2, false}).holdsFor(2, Int, ctx()), true);
  EXPECT_EQ((Comparison{true, 2, false}).holdsFor(3, Int, ctx()), false);
  EXPECT_EQ((Comparison{false, 1, false}).holdsFor(2, Int, ctx()), true);
  EXPECT_EQ((Comparison{false, 1, false}).holdsFor(1, Int, ctx()), false);
  EXPECT_EQ((Comparison{false, 1, false}).holdsFor(-5, Int, ctx()), false);
}

TEST_F(ComparisonTest, ValuesTheVariableCannotHoldTellNothing) {
  // 258 in an unsigned char is 2; -1 in an unsigned int is large.
  Comparison Running{true, 2, false};
  EXPECT_EQ(Running.holdsFor(258, ctx().UnsignedCharTy, ctx()), std::nullopt);
  EXPECT_EQ(Running.holdsFor(2, ctx().UnsignedCharTy, ctx()), true);
  EXPECT_EQ(Running.holdsFor(-1, ctx().UnsignedIntTy, ctx()), std::nullopt);
  EXPECT_EQ(Running.holdsFor(200, ctx().SignedCharTy, ctx()), std::nullopt);
  EXPECT_EQ(Running.holdsFor(2, ctx().getPointerType(ctx().IntTy), ctx()),
            std::nullopt);
}

TEST_F(ComparisonTest, UnsignedComparisonsCompareAsUnsigned) {
  Comparison AboveOne{false, 1, true};
  EXPECT_EQ(AboveOne.holdsFor(2, ctx().LongTy, ctx()), true);
  // -1 converted to an unsigned type is above 1: not followed.
  EXPECT_EQ(AboveOne.holdsFor(-1, ctx().LongTy, ctx()), std::nullopt);
  Comparison AboveMax{false, std::numeric_limits<int64_t>::max() - 1, true};
  EXPECT_EQ(AboveMax.holdsFor(std::numeric_limits<int64_t>::max(),
                              ctx().UnsignedLongTy, ctx()),
            true);
}

class ImpliedTest : public ::testing::Test {
protected:
  void SetUp() override {
    AST = tooling::buildASTFromCode("int n; unsigned u; __int128 wide;");
  }
  ASTContext &ctx() { return AST->getASTContext(); }
  const VarDecl *var(llvm::StringRef Name) {
    for (const Decl *D : ctx().getTranslationUnitDecl()->decls())
      if (const auto *Var = dyn_cast<VarDecl>(D); Var && Var->getName() == Name)
        return Var;
    return nullptr;
  }
  /// The way where \p Compared of \p Name holds (\p Holds) or fails.
  CallResultTests::VarTest way(llvm::StringRef Name, Comparison Compared,
                               bool Holds) {
    CallResultTests::VarTest Test;
    Test.Var = var(Name);
    Test.Compared = Compared;
    Test.Holds = Holds;
    return Test;
  }
  std::unique_ptr<ASTUnit> AST;
};

TEST_F(ImpliedTest, AnEqualityImpliesTheBoundsAndZeroItSatisfies) {
  CallResultTests::VarTest IsTwo = way("n", {true, 2, false}, true);
  EXPECT_EQ(CallResultTests::implies(IsTwo, Comparison{false, 1, false}, ctx()),
            true); // n > 1
  EXPECT_EQ(CallResultTests::implies(IsTwo, Comparison{false, 2, false}, ctx()),
            false); // n > 2
  EXPECT_EQ(CallResultTests::implies(IsTwo, Comparison{true, 3, false}, ctx()),
            false); // n == 3
  EXPECT_EQ(CallResultTests::implies(IsTwo, std::nullopt, ctx()), true);
  // n != 2 leaves n > 1 and n == 0 open.
  CallResultTests::VarTest NotTwo = way("n", {true, 2, false}, false);
  EXPECT_EQ(
      CallResultTests::implies(NotTwo, Comparison{false, 1, false}, ctx()),
      std::nullopt);
  EXPECT_EQ(CallResultTests::implies(NotTwo, std::nullopt, ctx()),
            std::nullopt);
}

TEST_F(ImpliedTest, BoundsImplyWiderBoundsOnly) {
  CallResultTests::VarTest AboveTwo = way("n", {false, 2, false}, true);
  EXPECT_EQ(
      CallResultTests::implies(AboveTwo, Comparison{false, 0, false}, ctx()),
      true);
  EXPECT_EQ(
      CallResultTests::implies(AboveTwo, Comparison{false, 5, false}, ctx()),
      std::nullopt);
  EXPECT_EQ(
      CallResultTests::implies(AboveTwo, Comparison{true, 1, false}, ctx()),
      false);
  // n <= 2 leaves n > 0 open, and n > 2 failing rules n == 3 out.
  CallResultTests::VarTest AtMostTwo = way("n", {false, 2, false}, false);
  EXPECT_EQ(
      CallResultTests::implies(AtMostTwo, Comparison{false, 0, false}, ctx()),
      std::nullopt);
  EXPECT_EQ(
      CallResultTests::implies(AtMostTwo, Comparison{true, 3, false}, ctx()),
      false);
}

TEST_F(ImpliedTest, ZeroTellsOfEveryComparison) {
  CallResultTests::VarTest Zero;
  Zero.Var = var("n");
  Zero.NonZero = false;
  EXPECT_EQ(CallResultTests::implies(Zero, Comparison{false, 0, false}, ctx()),
            false);
  EXPECT_EQ(CallResultTests::implies(Zero, Comparison{false, -1, false}, ctx()),
            true);
  EXPECT_EQ(CallResultTests::implies(Zero, Comparison{true, 4, true}, ctx()),
            false);
  CallResultTests::VarTest NonZero = Zero;
  NonZero.NonZero = true;
  EXPECT_EQ(
      CallResultTests::implies(NonZero, Comparison{false, 0, false}, ctx()),
      std::nullopt); // n may be -1.
  EXPECT_EQ(
      CallResultTests::implies(NonZero, Comparison{false, 0, true}, ctx()),
      true); // Converted to unsigned, it is above 0.
}

TEST_F(ImpliedTest, SignedAndUnsignedViewsTellNothingOfEachOther) {
  // n > 2u holds for n == -1, where n > 1 fails.
  CallResultTests::VarTest AboveTwoUnsigned = way("n", {false, 2, true}, true);
  EXPECT_EQ(CallResultTests::implies(AboveTwoUnsigned,
                                     Comparison{false, 1, false}, ctx()),
            std::nullopt);
  EXPECT_EQ(CallResultTests::implies(AboveTwoUnsigned,
                                     Comparison{false, 1, true}, ctx()),
            true);
  EXPECT_EQ(CallResultTests::implies(AboveTwoUnsigned, std::nullopt, ctx()),
            true);
}

TEST_F(ImpliedTest, SwitchWaysTellTheirCaseOrNoneOfTheCases) {
  CallResultTests::SwitchValues Cases{{2, 4}, false};
  CallResultTests::VarTest Two;
  Two.Var = var("n");
  Two.Switch = &Cases;
  Two.Case = 2;
  EXPECT_EQ(CallResultTests::implies(Two, Comparison{true, 2, false}, ctx()),
            true);
  EXPECT_EQ(CallResultTests::implies(Two, Comparison{false, 2, false}, ctx()),
            false);
  EXPECT_EQ(CallResultTests::implies(Two, std::nullopt, ctx()), true);
  // No case taken: neither 2 nor 4, but 3 or 0 may be.
  CallResultTests::VarTest NoCase = Two;
  NoCase.Case.reset();
  EXPECT_EQ(CallResultTests::implies(NoCase, Comparison{true, 2, false}, ctx()),
            false);
  EXPECT_EQ(
      CallResultTests::implies(NoCase, Comparison{false, 1, false}, ctx()),
      std::nullopt);
  EXPECT_EQ(CallResultTests::implies(NoCase, std::nullopt, ctx()),
            std::nullopt);
  // A switch on the unsigned view tells nothing of signed comparisons.
  CallResultTests::SwitchValues UnsignedCases{{2}, true};
  NoCase.Switch = &UnsignedCases;
  EXPECT_EQ(CallResultTests::implies(NoCase, Comparison{true, 2, false}, ctx()),
            std::nullopt);
  EXPECT_EQ(CallResultTests::implies(NoCase, Comparison{true, 2, true}, ctx()),
            false);
}

TEST_F(ImpliedTest, VariablesWiderThanSixtyFourBitsAreLeftAlone) {
  CallResultTests::VarTest IsTwo = way("wide", {true, 2, false}, true);
  EXPECT_EQ(CallResultTests::implies(IsTwo, Comparison{false, 1, false}, ctx()),
            std::nullopt);
  CallResultTests::VarTest UnsignedIsTwo = way("u", {true, 2, true}, true);
  EXPECT_EQ(CallResultTests::implies(UnsignedIsTwo, Comparison{false, 1, true},
                                     ctx()),
            true);
}

TEST_F(ImpliedTest, ComparisonsTogetherMayLeaveOnlyZero) {
  // `n < 0` failed (n > -1) and `n > 0` failed: only 0 is left.
  std::pair<Comparison, bool> NotNegative{{false, -1, false}, true};
  std::pair<Comparison, bool> NotPositive{{false, 0, false}, false};
  EXPECT_EQ(CallResultTests::nonZeroGiven(*var("n"), {NotNegative, NotPositive},
                                          ctx()),
            false);
  // Either alone leaves 0 and other values.
  EXPECT_EQ(CallResultTests::nonZeroGiven(*var("n"), {NotPositive}, ctx()),
            std::nullopt);
  EXPECT_EQ(CallResultTests::nonZeroGiven(*var("n"), {NotNegative}, ctx()),
            std::nullopt);
  // `n > 0` held: 0 is ruled out.
  std::pair<Comparison, bool> Positive{{false, 0, false}, true};
  EXPECT_EQ(CallResultTests::nonZeroGiven(*var("n"), {Positive}, ctx()), true);
  // Bounds on the unsigned view and on the value itself tell nothing of
  // each other: -1 converted is above 0.
  std::pair<Comparison, bool> UnsignedNotPositive{{false, 0, true}, false};
  EXPECT_EQ(
      CallResultTests::nonZeroGiven(*var("n"), {UnsignedNotPositive}, ctx()),
      false);
  EXPECT_EQ(CallResultTests::nonZeroGiven(*var("n"), {}, ctx()), std::nullopt);
  EXPECT_EQ(CallResultTests::nonZeroGiven(*var("wide"),
                                          {NotNegative, NotPositive}, ctx()),
            std::nullopt);
}

TEST(ThreadStateForkTest, ThreadsRunningAtAForkAreNotInItsChild) {
  std::shared_ptr<ThreadNames> Names = makeThreadNames();
  VariableFacts Child = numberFacts(*Names, "main", "child");
  ThreadState State = ThreadState::initial({}, Names);
  LiveThreads Worker;
  Worker.Kind = LiveThreads::Handle;
  Worker.Key = "local:worker@3";
  State.gen(Worker);
  State.excludeWhere(Child, true); // fork()
  ThreadState InParent = State;
  InParent.learn(Child, false);
  EXPECT_EQ(InParent.threads().size(), 1u);
  ThreadState InChild = State;
  InChild.learn(Child, true);
  EXPECT_TRUE(InChild.threads().empty());
  EXPECT_TRUE(InChild.knows(Child, true));
  // A thread the child starts runs there.
  LiveThreads Helper;
  Helper.Kind = LiveThreads::Handle;
  Helper.Key = "local:helper@9";
  InChild.gen(Helper);
  EXPECT_EQ(InChild.threads().size(), 1u);
  // Where the child's path meets the parent's, the worker may run again.
  ThreadState Met = InParent;
  Met.merge(InChild);
  EXPECT_EQ(Met.threads().size(), 2u);
  EXPECT_FALSE(Met.knows(Child, true));
}

TEST(ThreadStateComparisonTest,
     ThreadsCreatedWhereAComparisonHeldAreNotWhereItFails) {
  std::shared_ptr<ThreadNames> Names = makeThreadNames();
  VariableFacts Running = numberFacts(*Names, "state", "==2");
  VariableFacts NonZero = numberFacts(*Names, "state");
  EXPECT_NE(Running.Holds, NonZero.Holds);
  EXPECT_NE(Running.Fails, NonZero.Fails);
  ThreadState Started = ThreadState::initial({}, Names);
  LiveThreads Listener;
  Listener.Kind = LiveThreads::Handle;
  Listener.Key = "local:listener@5";
  Started.gen(Listener);
  Started.learn(Running, true); // state = RUNNING
  ThreadState Skipped = ThreadState::initial({}, Names);
  Skipped.learn(Running, false); // still STOPPED
  ThreadState Merged(Names);
  Merged.merge(Started);
  Merged.merge(Skipped);
  // `state == RUNNING` failed: what only ran where it held is not here,
  // though `state` may not be 0.
  ThreadState NotRunning = Merged;
  NotRunning.learn(Running, false);
  EXPECT_TRUE(NotRunning.threads().empty());
  ThreadState NotZero = Merged;
  NotZero.learn(NonZero, true);
  EXPECT_EQ(NotZero.threads().size(), 1u);
}

TEST(ThreadStateFactsTest, OnlyRecordsToldOfATestCanBeDroppedByIt) {
  std::shared_ptr<ThreadNames> Names = makeThreadNames();
  VariableFacts Offset = numberFacts(*Names, "offset");
  VariableFacts Mode = numberFacts(*Names, "mode");
  ThreadState State = ThreadState::initial({}, Names);
  EXPECT_FALSE(State.mentions(Offset));
  State.learn(Offset, true);
  EXPECT_TRUE(State.mentions(Offset));
  EXPECT_FALSE(State.mentions(Mode));
  // Written: what the test told no longer holds.
  State.forget(Offset);
  EXPECT_FALSE(State.mentions(Offset));
}

/// The CFG of the function \p Name in \p AST.
std::unique_ptr<CFG> cfgOf(ASTUnit &AST, llvm::StringRef Name,
                           const FunctionDecl *&Function) {
  for (const Decl *D : AST.getASTContext().getTranslationUnitDecl()->decls())
    if (const auto *FD = dyn_cast<FunctionDecl>(D);
        FD && FD->getName() == Name && FD->hasBody()) {
      Function = FD;
      return CFG::buildCFG(FD, FD->getBody(), &AST.getASTContext(),
                           CFG::BuildOptions());
    }
  return nullptr;
}

/// The block whose terminator's condition calls \p Callee, or that calls
/// it, if none.
const CFGBlock *blockCalling(const CFG &Graph, llvm::StringRef Callee) {
  for (const CFGBlock *Block : Graph)
    for (const CFGElement &Element : *Block)
      if (std::optional<CFGStmt> S = Element.getAs<CFGStmt>())
        if (const auto *Call = dyn_cast<CallExpr>(S->getStmt()))
          if (const FunctionDecl *FD = Call->getDirectCallee();
              FD && FD->getName() == Callee)
            return Block;
  return nullptr;
}

TEST(CallResultTestsTest, TestsAheadAreFoundFromEachBlock) {
  std::unique_ptr<ASTUnit> AST = tooling::buildASTFromCode(R"(
    int get(void); void first(void); void second(void); void last(void);
    void run(void) {
      int n = get();
      if (n)
        first();
      if (n > 1)
        second();
      last();
    })");
  const FunctionDecl *Run = nullptr;
  std::unique_ptr<CFG> Graph = cfgOf(*AST, "run", Run);
  ASSERT_TRUE(Graph);
  CallResultTests Tests(AST->getASTContext(), *Run, *Graph);
  const auto *N = dyn_cast<VarDecl>(
      cast<DeclStmt>(cast<CompoundStmt>(Run->getBody())->body_front())
          ->getSingleDecl());
  ASSERT_TRUE(N);
  // From the entry and from the first test's way, a test of n is ahead;
  // once the second test is passed, none is.
  EXPECT_TRUE(Tests.testedFrom(*N, Graph->getEntry()));
  EXPECT_TRUE(Tests.testedFrom(*N, *blockCalling(*Graph, "first")));
  EXPECT_FALSE(Tests.testedFrom(*N, *blockCalling(*Graph, "second")));
  EXPECT_FALSE(Tests.testedFrom(*N, *blockCalling(*Graph, "last")));
}

} // namespace
