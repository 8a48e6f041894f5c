#include "Core/Model/ForkVerdict.h"

#include "gtest/gtest.h"

using namespace forksafety;

namespace {

ModelEvent event(ModelEvent::KindType Kind) {
  ModelEvent Event;
  Event.Kind = Kind;
  return Event;
}

/// Node 0 branches to nodes 1 and 2, which hold \p Left and \p Right.
PathGraph branches(std::vector<ModelEvent> Left,
                   std::vector<ModelEvent> Right) {
  PathGraph Graph;
  Graph.Nodes.resize(3);
  Graph.Nodes[0].Successors = {{1, std::nullopt, false},
                               {2, std::nullopt, false}};
  Graph.Nodes[1].Events = std::move(Left);
  Graph.Nodes[2].Events = std::move(Right);
  return Graph;
}

ForkVerdict verdictAt(unsigned Line, ForkVerdictKind Kind,
                      std::vector<CheckKind> Checks = {},
                      unsigned Findings = 0) {
  ForkVerdict Verdict;
  Verdict.Loc.File = "main.c";
  Verdict.Loc.Line = Line;
  Verdict.Loc.Column = 7;
  Verdict.Kind = Kind;
  Verdict.Checks = std::move(Checks);
  Verdict.Findings = Findings;
  return Verdict;
}

TEST(ForkVerdict, ExecOnEveryPathFirst) {
  EXPECT_TRUE(execsAtOnce(branches({event(ModelEvent::Exec)},
                                   {event(ModelEvent::ExecPathSearch)})));
  // A failed assertion is no path.
  EXPECT_TRUE(execsAtOnce(
      branches({event(ModelEvent::Exec)}, {event(ModelEvent::Unreachable)})));
}

TEST(ForkVerdict, WorkBeforeExecOrNoExec) {
  EXPECT_FALSE(
      execsAtOnce(branches({event(ModelEvent::Call), event(ModelEvent::Exec)},
                           {event(ModelEvent::Exec)})));
  // A path that ends without any event never called exec (_exit at once).
  EXPECT_FALSE(execsAtOnce(branches({event(ModelEvent::Exec)}, {})));
  PathGraph Returns = branches({event(ModelEvent::Exec)}, {});
  Returns.Nodes[2].Returns = true;
  EXPECT_FALSE(execsAtOnce(Returns));
  PathGraph Unknown;
  Unknown.Analysed = false;
  EXPECT_FALSE(execsAtOnce(Unknown));
}

TEST(ForkVerdict, GreatestVerdictStands) {
  std::vector<ForkVerdict> Known;
  mergeVerdict(Known, verdictAt(9, ForkVerdictKind::NoThreads));
  mergeVerdict(Known, verdictAt(3, ForkVerdictKind::CarefulChild));
  mergeVerdict(Known, verdictAt(9, ForkVerdictKind::ExecsAtOnce));
  mergeVerdict(Known, verdictAt(9, ForkVerdictKind::BeforeThreads));
  sortVerdicts(Known);
  ASSERT_EQ(Known.size(), 2u);
  EXPECT_EQ(Known[0].Loc.Line, 3u);
  EXPECT_EQ(Known[1].Kind, ForkVerdictKind::ExecsAtOnce);
}

TEST(ForkVerdict, ChecksAddTheirFindings) {
  std::vector<ForkVerdict> Known;
  mergeVerdict(Known, verdictAt(9, ForkVerdictKind::Reported,
                                {CheckKind::UnsafeCallInChild}, 2));
  // Another check group on the same program: its findings add up.
  mergeVerdict(Known, verdictAt(9, ForkVerdictKind::Reported,
                                {CheckKind::ForkInThreadedProgram}, 1));
  // Another program running the same fork finds the same ones.
  mergeVerdict(Known, verdictAt(9, ForkVerdictKind::Reported,
                                {CheckKind::UnsafeCallInChild}, 2));
  mergeVerdict(Known, verdictAt(9, ForkVerdictKind::CarefulChild));
  ASSERT_EQ(Known.size(), 1u);
  EXPECT_EQ(Known[0].Kind, ForkVerdictKind::Reported);
  EXPECT_EQ(Known[0].Findings, 3u);
  EXPECT_EQ(Known[0].Checks,
            (std::vector<CheckKind>{CheckKind::ForkInThreadedProgram,
                                    CheckKind::UnsafeCallInChild}));
}

/// The effects \p Program records; other functions have none.
class RecordedEffects : public ThreadEffects {
public:
  explicit RecordedEffects(const ProgramModel &Program) : Program(Program) {}
  Known lookup(InternedString Usr, const ThreadEffect *&Out) override {
    auto It = Program.ThreadEffects.find(Usr.str());
    if (It == Program.ThreadEffects.end())
      return Known::NoEffect;
    Out = &It->second;
    return Known::Effect;
  }

private:
  const ProgramModel &Program;
};

LiveThreads callOf(const std::string &Usr, unsigned Line = 0) {
  LiveThreads Call;
  Call.Kind = LiveThreads::CallOf;
  Call.Key = Usr;
  if (Line) {
    Call.Created.File = "main.c";
    Call.Created.Line = Line;
    Call.Created.Column = 3;
  }
  return Call;
}

TEST(ForkVerdict, JoinedOnlyWithEvidence) {
  ProgramModel Program;
  RecordedEffects Effects(Program);
  RunningThreadsFinder Finder(Effects);
  std::optional<Location> Created;
  EXPECT_EQ(noThreadsAtFork({}, Program, Created, Finder),
            ForkVerdictKind::BeforeThreads);
  // A call into another file that leaves nothing running created nothing.
  LiveThreads Config = callOf("load_config");
  EXPECT_EQ(noThreadsAtFork({Config}, Program, Created, Finder),
            ForkVerdictKind::BeforeThreads);
  // Nor did one that only calls others that leave nothing.
  LiveThreads Parse = callOf("parse_config", 9);
  Program.ThreadEffects["parse_config"].Leaves.push_back(callOf("intern"));
  EXPECT_EQ(noThreadsAtFork({Config, Parse}, Program, Created, Finder),
            ForkVerdictKind::BeforeThreads);
  EXPECT_FALSE(Created);
  // start_workers leaves threads that stop_workers joined since.
  LiveThreads Workers = callOf("start_workers", 12);
  Program.ThreadEffects["start_workers"].Leaves.push_back(LiveThreads());
  EXPECT_EQ(noThreadsAtFork({Config, Parse, Workers}, Program, Created, Finder),
            ForkVerdictKind::ThreadsJoined);
  ASSERT_TRUE(Created);
  EXPECT_EQ(Created->Line, 12u);
  // No record, in a program that joins threads somewhere: not told apart.
  Program.ThreadEffects["stop_workers"].Joins.insert("workers");
  EXPECT_EQ(noThreadsAtFork({}, Program, Created, Finder),
            ForkVerdictKind::NoRunningThreads);
}

TEST(ForkVerdict, NamesAreStable) {
  EXPECT_STREQ(verdictId(ForkVerdictKind::ProtectedByAtFork),
               "protected-by-atfork");
  EXPECT_STREQ(verdictId(ForkVerdictKind::NoRunningThreads),
               "no-running-threads");
  EXPECT_STREQ(verdictId(ForkVerdictKind::InWrapper), "in-wrapper");
  EXPECT_STREQ(verdictDescription(ForkVerdictKind::ExecsAtOnce),
               "the child calls exec at once");
}

} // namespace
