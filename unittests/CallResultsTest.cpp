//===- CallResultsTest.cpp - Tests of the tests of local variables --------===//

#include "Core/Threads/CallResults.h"
#include "Core/Threads/ThreadState.h"

#include "clang/AST/ASTContext.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>

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

} // namespace
