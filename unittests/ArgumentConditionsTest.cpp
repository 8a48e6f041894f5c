#include "Core/ChildPaths/Arguments.h"
#include "Core/ChildPaths/ChildPathSolver.h"

#include "gtest/gtest.h"

#include <map>

using namespace forksafety;

namespace {

class ModelMap : public FunctionModels {
public:
  const FunctionModel *find(InternedString Usr) override {
    auto It = Functions.find(Usr.str());
    return It == Functions.end() ? nullptr : &It->second;
  }
  std::map<std::string, FunctionModel> Functions;
};

ModelEvent mallocCall() {
  ModelEvent Event;
  Event.Kind = ModelEvent::Unsafe;
  Event.Loc = {"helper.c", 3, 5, 0};
  Event.Op.Subject = "malloc";
  Event.Op.Safety = Verdict::NotSignalSafe;
  Event.Op.TakesLocks = true;
  return Event;
}

ModelEvent callOf(std::string Callee, std::vector<KnownArgument> Arguments) {
  ModelEvent Event;
  Event.Kind = ModelEvent::Call;
  Event.Loc = {"caller.c", 7, 3, 0};
  Event.Op.Subject = Callee;
  Event.Callee = std::move(Callee);
  Event.Arguments = std::move(Arguments);
  return Event;
}

/// `if (param0 != 0) malloc(...); return;`
FunctionModel allocatesWhenSet() {
  FunctionModel Helper;
  Helper.Usr = Helper.Name = "helper";
  Helper.Paths.Nodes.resize(3);
  ModelNode &Entry = Helper.Paths.Nodes[0];
  Entry.Successors.resize(2);
  Entry.Successors[0].To = 1;
  Entry.Successors[0].Condition =
      ParameterCondition{0, ParameterCondition::NE, 0};
  Entry.Successors[1].To = 2;
  Entry.Successors[1].Condition =
      ParameterCondition{0, ParameterCondition::EQ, 0};
  Helper.Paths.Nodes[1].Events.push_back(mallocCall());
  Helper.Paths.Nodes[1].Successors.push_back({2, std::nullopt, false});
  Helper.Paths.Nodes[2].Returns = true;
  return Helper;
}

/// Calls "helper" with \p Arguments, then returns.
FunctionModel caller(std::string Usr, std::vector<KnownArgument> Arguments) {
  FunctionModel Caller;
  Caller.Usr = Caller.Name = std::move(Usr);
  Caller.Paths.Nodes.resize(1);
  Caller.Paths.Nodes[0].Events.push_back(
      callOf("helper", std::move(Arguments)));
  Caller.Paths.Nodes[0].Returns = true;
  return Caller;
}

class ArgumentConditions : public ::testing::Test {
protected:
  ArgumentConditions() {
    Models.Functions["helper"] = allocatesWhenSet();
    Models.Functions["with_zero"] =
        caller("with_zero", {{0, KnownArgument::Constant, 0}});
    Models.Functions["with_address"] =
        caller("with_address", {{0, KnownArgument::NonZero, 0}});
    Models.Functions["unknown"] = caller("unknown", {});
    Models.Functions["passes_on"] =
        caller("passes_on", {{0, KnownArgument::Parameter, 1}});
  }
  const FunctionSummary &summary(const std::string &Usr) {
    return Solver.summaryOf(*Models.find(Usr), ChildRules::AsyncSignalSafe);
  }

  ModelMap Models;
  AnalysisOptions Opts;
  ChildPathSolver Solver{Models, Opts};
};

TEST_F(ArgumentConditions, ConditionsHoldForConstantsAndAddresses) {
  ParameterCondition IsSet{0, ParameterCondition::NE, 0};
  ParameterCondition IsOne{0, ParameterCondition::EQ, 1};
  ParameterCondition Below{0, ParameterCondition::LT, 5};
  KnownArgument Zero{0, KnownArgument::Constant, 0};
  KnownArgument Address{0, KnownArgument::NonZero, 0};
  EXPECT_EQ(conditionHolds(IsSet, Zero), false);
  EXPECT_EQ(conditionHolds(IsSet, Address), true);
  EXPECT_EQ(conditionHolds(IsOne, Zero), false);
  EXPECT_EQ(conditionHolds(IsOne, {0, KnownArgument::Constant, 1}), true);
  EXPECT_EQ(conditionHolds(Below, {0, KnownArgument::Constant, -3}), true);
  // An address is not 0, but nothing more is known of it.
  EXPECT_EQ(conditionHolds(IsOne, Address), std::nullopt);
  EXPECT_EQ(conditionHolds(Below, Address), std::nullopt);
}

TEST_F(ArgumentConditions, SummaryFollowsOnlyThePathsTheArgumentsAllow) {
  EXPECT_FALSE(summary("with_zero").Unsafe);
  EXPECT_TRUE(summary("with_zero").ReturnsWithoutExec);
  ASSERT_TRUE(summary("with_address").Unsafe);
  EXPECT_EQ(summary("with_address").Unsafe->Depth, 1u);
  EXPECT_TRUE(summary("unknown").Unsafe);
  // The helper's own summary, for any arguments.
  EXPECT_TRUE(summary("helper").Unsafe);
}

TEST_F(ArgumentConditions, ParametersPassedOnCarryTheCallersArguments) {
  const FunctionModel &PassesOn = *Models.find("passes_on");
  ModelEvent Outer = callOf("passes_on", {{1, KnownArgument::Constant, 0}});
  const ArgumentValues *Arguments =
      Solver.argumentsFor(Outer, PassesOn, nullptr);
  ASSERT_TRUE(Arguments);
  EXPECT_FALSE(
      Solver.summaryOf(PassesOn, ChildRules::AsyncSignalSafe, Arguments)
          .Unsafe);
  // Without the caller's arguments, the parameter passed on is unknown.
  EXPECT_TRUE(summary("passes_on").Unsafe);
  // Arguments the callee does not depend on are not kept: the summary for
  // them is the one for any arguments.
  ModelEvent Unused = callOf("helper", {{3, KnownArgument::Constant, 0}});
  EXPECT_EQ(Solver.argumentsFor(Unused, *Models.find("helper"), nullptr),
            nullptr);
  // The same values give the same interned arguments.
  EXPECT_EQ(Solver.argumentsFor(Outer, PassesOn, nullptr), Arguments);
}

TEST_F(ArgumentConditions, CallsThroughAParameterCallWhatIsPassed) {
  // callback(): `param0();`, called with one function or another.
  FunctionModel Callback;
  Callback.Usr = Callback.Name = "calls_back";
  Callback.Paths.Nodes.resize(1);
  ModelEvent Through;
  Through.Kind = ModelEvent::Unsafe;
  Through.Op.Subject = "param0";
  Through.Op.Safety = Verdict::Unverifiable;
  Through.CalleeParameter = 0;
  Callback.Paths.Nodes[0].Events.push_back(Through);
  Callback.Paths.Nodes[0].Returns = true;
  Models.Functions["calls_back"] = Callback;
  FunctionModel Safe = caller("safe", {{0, KnownArgument::Constant, 0}});
  Models.Functions["safe"] = Safe;
  const FunctionModel &Calls = *Models.find("calls_back");
  auto With = [&](std::vector<std::string> Functions) {
    ModelEvent Call =
        callOf("calls_back", {{0, KnownArgument::Function, 0, Functions}});
    return Solver.argumentsFor(Call, Calls, nullptr);
  };
  const ArgumentValues *SafeOnly = With({"safe"});
  const ArgumentValues *Unsafe = With({"with_address"});
  ASSERT_TRUE(SafeOnly && Unsafe);
  // Different functions are different arguments.
  EXPECT_NE(SafeOnly, Unsafe);
  EXPECT_FALSE(
      Solver.summaryOf(Calls, ChildRules::AsyncSignalSafe, SafeOnly).Unsafe);
  const FunctionSummary &Reaches =
      Solver.summaryOf(Calls, ChildRules::AsyncSignalSafe, Unsafe);
  ASSERT_TRUE(Reaches.Unsafe);
  EXPECT_EQ(Reaches.Unsafe->Op.Subject, "with_address");
  // Any of several: the worst of them.
  EXPECT_TRUE(Solver
                  .summaryOf(Calls, ChildRules::AsyncSignalSafe,
                             With({"safe", "with_address"}))
                  .Unsafe);
  // A function the program does not define: the call is not resolved.
  EXPECT_EQ(
      Solver.summaryOf(Calls, ChildRules::AsyncSignalSafe, With({"undefined"}))
          .Unsafe->Op.Subject,
      "param0");
  // Without arguments, the call goes through an unknown pointer.
  EXPECT_TRUE(Solver.summaryOf(Calls, ChildRules::AsyncSignalSafe).Unsafe);
}

} // namespace
