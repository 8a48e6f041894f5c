#include "Core/Threads/ThreadEffects.h"
#include "Core/Threads/ThreadState.h"

#include "gtest/gtest.h"

#include <map>

using namespace forksafety;

namespace {

TEST(ThreadEffectsTest, JoiningAllElementsJoinsEachElement) {
  EXPECT_TRUE(joinsHandle("c:@t", "c:@t"));
  EXPECT_TRUE(joinsHandle("c:@t[*]", "c:@t[0..<4]"));
  EXPECT_TRUE(joinsHandle("c:@t[*]", "c:@t[]"));
  EXPECT_TRUE(joinsHandle("c:@t[0..<n]", "c:@t[0..<n]"));
  EXPECT_FALSE(joinsHandle("c:@t[0..<n]", "c:@t[0..<m]"));
  EXPECT_FALSE(joinsHandle("c:@t[*]", "c:@tt[0..<4]"));
  EXPECT_FALSE(joinsHandle("c:@t", "c:@t[0]"));
}

TEST(ThreadEffectsTest, MemberKeysTakeTheCallersObject) {
  EXPECT_TRUE(isMemberKey("this"));
  EXPECT_TRUE(isMemberKey("this.Threads[]"));
  EXPECT_FALSE(isMemberKey("thisone"));
  EXPECT_EQ(rebaseKey("this.Threads[]", "local:pool@12"),
            "local:pool@12.Threads[]");
  EXPECT_EQ(rebaseKey("c:@g", "local:pool@12"), "c:@g");
  // An object that cannot be named: the handle cannot be tracked.
  EXPECT_EQ(rebaseKey("this.Threads[]", ""), "");
}

TEST(ThreadEffectsTest, InternedKeysRebaseAsStrings) {
  EXPECT_EQ(rebaseName(InternedString("this.Threads[]"), "local:pool@12"),
            InternedString("local:pool@12.Threads[]"));
  InternedString Global("c:@g");
  EXPECT_EQ(rebaseName(Global, "local:pool@12").address(), Global.address());
  EXPECT_TRUE(rebaseName(InternedString("this.Threads[]"), "").empty());
  EXPECT_TRUE(rebaseName(InternedString(), "local:pool@12").empty());
}

LiveThreads handle(std::string Key) {
  LiveThreads T;
  T.Kind = LiveThreads::Handle;
  T.Key = std::move(Key);
  return T;
}

LiveThreads callOf(std::string Usr, std::string Object = "") {
  LiveThreads T;
  T.Kind = LiveThreads::CallOf;
  T.Key = std::move(Usr);
  T.Object = std::move(Object);
  return T;
}

class FakeProgram : public ThreadEffects {
public:
  std::map<std::string, ThreadEffect> Effects;
  std::set<std::string> Defined;
  Known lookup(InternedString Usr, const ThreadEffect *&Out) override {
    if (auto It = Effects.find(Usr.str()); It != Effects.end()) {
      Out = &It->second;
      return Known::Effect;
    }
    return Defined.count(Usr.str()) ? Known::NoEffect : Known::Nowhere;
  }
};

TEST(ThreadEffectsTest, UntrackedThreadsAlwaysRun) {
  FakeProgram Program;
  EXPECT_TRUE(anyMayRun({LiveThreads()}, Program));
  EXPECT_FALSE(anyMayRun({}, Program));
}

TEST(ThreadEffectsTest, FunctionsDefinedNowhereMayLeaveThreads) {
  FakeProgram Program;
  EXPECT_TRUE(anyMayRun({callOf("c:@F@plugin")}, Program));
  Program.Defined.insert("c:@F@plugin");
  EXPECT_FALSE(anyMayRun({callOf("c:@F@plugin")}, Program));
}

TEST(ThreadEffectsTest, ACallLaterJoinsTheHandle) {
  FakeProgram Program;
  Program.Effects["c:@F@stop"].Joins.insert("c:@workers[*]");
  LiveThreads Workers = handle("c:@workers[0..<4]");
  EXPECT_TRUE(anyMayRun({Workers}, Program));
  Workers.CalledSince.insert({"c:@F@stop", ""});
  EXPECT_FALSE(anyMayRun({Workers}, Program));
}

TEST(ThreadEffectsTest, JoinsThroughCallsMadeOnEveryPath) {
  FakeProgram Program;
  Program.Effects["c:@F@shutdown"].Calls.insert({"c:@F@stop", ""});
  Program.Effects["c:@F@stop"].Joins.insert("c:@logger");
  LiveThreads Logger = handle("c:@logger");
  Logger.CalledSince.insert({"c:@F@shutdown", ""});
  EXPECT_FALSE(anyMayRun({Logger}, Program));
}

TEST(ThreadEffectsTest, ThreadsACallLeftAreJoinedAfterIt) {
  FakeProgram Program;
  Program.Effects["c:@F@start"].Leaves.push_back(handle("c:@logger"));
  LiveThreads Start = callOf("c:@F@start");
  EXPECT_TRUE(anyMayRun({Start}, Program));
  Start.JoinedSince.insert("c:@logger");
  EXPECT_FALSE(anyMayRun({Start}, Program));
}

TEST(ThreadEffectsTest, MemberFunctionsJoinTheirOwnObject) {
  FakeProgram Program;
  Program.Effects["c:@S@Pool@F@start#"].Leaves.push_back(
      handle("this.Threads[]"));
  Program.Effects["c:@S@Pool@F@stop#"].Joins.insert("this.Threads[*]");
  LiveThreads Started = callOf("c:@S@Pool@F@start#", "local:pool@10");
  Started.CalledSince.insert({"c:@S@Pool@F@stop#", "local:pool@10"});
  EXPECT_FALSE(anyMayRun({Started}, Program));
  LiveThreads OtherStopped = callOf("c:@S@Pool@F@start#", "local:pool@10");
  OtherStopped.CalledSince.insert({"c:@S@Pool@F@stop#", "local:other@20"});
  EXPECT_TRUE(anyMayRun({OtherStopped}, Program));
  // Started on an object the caller cannot name: nothing joins it.
  LiveThreads Unnamed = callOf("c:@S@Pool@F@start#", "");
  Unnamed.CalledSince.insert({"c:@S@Pool@F@stop#", ""});
  EXPECT_TRUE(anyMayRun({Unnamed}, Program));
}

TEST(ThreadEffectsTest, RecursionAddsNoThreadsOfItsOwn) {
  FakeProgram Program;
  Program.Effects["c:@F@a"].Leaves.push_back(callOf("c:@F@b"));
  Program.Effects["c:@F@b"].Leaves.push_back(callOf("c:@F@a"));
  EXPECT_FALSE(anyMayRun({callOf("c:@F@a")}, Program));
  Program.Effects["c:@F@b"].Leaves.push_back(LiveThreads());
  EXPECT_TRUE(anyMayRun({callOf("c:@F@a")}, Program));
  EXPECT_TRUE(anyMayRun({callOf("c:@F@b")}, Program));
}

TEST(ThreadEffectsTest, TheCreationOfRunningThreadsIsLocated) {
  FakeProgram Program;
  LiveThreads Inner;
  Inner.Created = {"pool.c", 12, 3};
  Program.Effects["c:@F@start"].Leaves.push_back(Inner);
  LiveThreads Start = callOf("c:@F@start");
  Start.Created = {"main.c", 5, 3};
  std::optional<RunningThreads> Created =
      runningThreadsCreation({Start}, Program);
  ASSERT_TRUE(Created);
  EXPECT_EQ(Created->Created.File, "pool.c");
  EXPECT_EQ(Created->Created.Line, 12u);
  EXPECT_FALSE(Created->Unseen);
  EXPECT_FALSE(runningThreadsCreation({}, Program));
}

TEST(ThreadEffectsTest, ACallDefinedNowhereIsUnseenAndSecondToACreation) {
  FakeProgram Program;
  LiveThreads Unknown = callOf("c:@F@library_init");
  Unknown.Created = {"main.c", 4, 3};
  std::optional<RunningThreads> Running =
      runningThreadsCreation({Unknown}, Program);
  ASSERT_TRUE(Running);
  EXPECT_TRUE(Running->Unseen);
  EXPECT_EQ(Running->Created.Line, 4u);

  LiveThreads Created;
  Created.Created = {"main.c", 9, 3};
  Running = runningThreadsCreation({Unknown, Created}, Program);
  ASSERT_TRUE(Running);
  EXPECT_FALSE(Running->Unseen);
  EXPECT_EQ(Running->Created.Line, 9u);
}

TEST(ThreadEffectsTest, AFailedCallLeavesOnlyWhatItLeavesWhenItFails) {
  FakeProgram Program;
  LiveThreads Started = handle("this.tid");
  Started.OnlyOnSuccess = true;
  Program.Effects["start_job"].Leaves = {Started};
  LiveThreads Call = callOf("start_job", "local:job@7");
  EXPECT_TRUE(anyMayRun({Call}, Program));
  Call.Failed = true;
  EXPECT_FALSE(anyMayRun({Call}, Program));
  // A thread left whatever the function returns still runs.
  Program.Effects["start_job"].Leaves.push_back(handle("c:@logger"));
  FakeProgram Again = Program;
  EXPECT_TRUE(anyMayRun({Call}, Again));
}

TEST(ThreadEffectsTest, AWrapperThatReturnsZeroPassesOnlyOnSuccess) {
  FakeProgram Program;
  LiveThreads Started = handle("this.tid");
  Started.OnlyOnSuccess = true;
  Program.Effects["start_job"].Leaves = {Started};
  // start_pool returns 0 only when start_job did: what start_job leaves
  // there is left only on success too.
  LiveThreads Inner = callOf("start_job", "this.job");
  Inner.OnlyOnSuccess = true;
  Program.Effects["start_pool"].Leaves = {Inner};
  LiveThreads Call = callOf("start_pool", "local:pool@3");
  Call.Failed = true;
  EXPECT_FALSE(anyMayRun({Call}, Program));
}

TEST(ThreadStateTest, AFailedCreationMadeNoThread) {
  ThreadState State = ThreadState::initial({});
  State.gen(handle("local:t@3"));
  State.callElsewhere({"start_job", "local:job@7"}, Location());
  State.callFailed(threadsId(handle("local:t@3")));
  State.callFailed(threadsId(callOf("start_job", "local:job@7")));
  std::vector<LiveThreads> Left = State.threads();
  ASSERT_EQ(Left.size(), 1u);
  EXPECT_EQ(Left[0].Kind, LiveThreads::CallOf);
  EXPECT_TRUE(Left[0].Failed);
}

TEST(ThreadStateTest, ThreadsCreatedUnderATestAreNotOnItsOtherWay) {
  ThreadState Before = ThreadState::initial({});
  ThreadState Created = Before;
  Created.learn("offset", true);
  Created.gen(handle("c:@loader"));
  ThreadState Skipped = Before;
  Skipped.learn("offset", false);
  ThreadState Merged;
  Merged.merge(Created);
  Merged.merge(Skipped);
  ThreadState Zero = Merged;
  Zero.learn("offset", false);
  EXPECT_TRUE(Zero.threads().empty());
  ThreadState NonZero = Merged;
  NonZero.learn("offset", true);
  EXPECT_EQ(NonZero.threads().size(), 1u);
  // Written in between: its value says nothing of the thread.
  ThreadState Written = Merged;
  Written.forget("offset");
  Written.learn("offset", false);
  EXPECT_EQ(Written.threads().size(), 1u);
}

TEST(ThreadStateTest, AFlagSetOnceAThreadRunsGuardsIt) {
  ThreadState State = ThreadState::initial({});
  State.gen(handle("local:listener@5"));
  State.learn("started", true); // started = 1
  ThreadState Failed = ThreadState::initial({});
  Failed.learn("started", false); // still 0
  ThreadState Merged;
  Merged.merge(State);
  Merged.merge(Failed);
  Merged.learn("started", false); // if (started) skipped
  EXPECT_TRUE(Merged.threads().empty());
}

TEST(ThreadStateTest, ACopyChangesAloneWhatItShares) {
  ThreadState Before = ThreadState::initial({});
  Before.gen(handle("local:t@3"));
  ThreadState After = Before;
  After.callElsewhere({"stop_workers", ""}, Location());
  After.join("c:@pool");
  std::vector<LiveThreads> Old = Before.threads();
  ASSERT_EQ(Old.size(), 1u);
  EXPECT_TRUE(Old[0].CalledSince.empty());
  EXPECT_TRUE(Old[0].JoinedSince.empty());
  std::vector<LiveThreads> New = After.threads();
  ASSERT_EQ(New.size(), 2u); // The handle, and what stop_workers left.
  EXPECT_EQ(New[1].Kind, LiveThreads::Handle);
  EXPECT_EQ(New[1].CalledSince.size(), 1u);
  EXPECT_EQ(New[1].JoinedSince, std::set<InternedString>{"c:@pool"});
  EXPECT_FALSE(Before == After);
}

TEST(ThreadStateTest, StatesNamedApartMergeAsOne) {
  // Each state numbers its names on its own: merging keeps what happened
  // since on both paths all the same.
  ThreadState Left = ThreadState::initial({});
  Left.gen(handle("local:t@3"));
  Left.callElsewhere({"flush_log", ""}, Location());
  Left.callElsewhere({"stop_workers", ""}, Location());
  ThreadState Right = ThreadState::initial({});
  Right.callElsewhere({"stop_workers", ""}, Location());
  Right.gen(handle("local:t@3"));
  Right.callElsewhere({"stop_workers", ""}, Location());
  ThreadState Merged = Left;
  Merged.merge(Right);
  std::vector<std::pair<std::string, LiveThreads>> Records = Merged.records();
  auto Handle = llvm::find_if(Records, [](const auto &R) {
    return R.second.Kind == LiveThreads::Handle;
  });
  ASSERT_NE(Handle, Records.end());
  EXPECT_EQ(Handle->second.CalledSince.size(), 1u);
  EXPECT_EQ(Handle->second.CalledSince.begin()->Usr, "stop_workers");
  EXPECT_EQ(Merged.threads().size(), 3u); // t, flush_log, stop_workers.
}

} // namespace
