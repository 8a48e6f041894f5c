#include "Core/Model/WholeProgram.h"

#include "gtest/gtest.h"

using namespace forksafety;

namespace {

ThreadCreationModel creationIn(std::string Function, unsigned Line) {
  ThreadCreationModel Creation;
  Creation.Loc.File = "lib.c";
  Creation.Loc.Line = Line;
  Creation.Loc.Column = 3;
  Creation.What = "pthread_create";
  Creation.FunctionUsr = std::move(Function);
  return Creation;
}

ForkModel forkIn(std::string Function) {
  ForkModel Fork;
  Fork.FunctionUsr = std::move(Function);
  return Fork;
}

/// Two programs share a library: the server's main calls start_pool, and
/// the client's takes the address of a callback that starts threads.
ProgramModel twoPrograms() {
  ProgramModel Program;
  Program.Mains = {"main@server.c", "main@client.c"};
  Program.Calls["main@server.c"] = {"start_pool", "daemonize"};
  Program.Calls["main@client.c"] = {"register_hooks", "spawn_editor"};
  Program.References["register_hooks"] = {"hooks"};
  Program.References["hooks"] = {"on_load"};
  Program.References["unused_setup"] = {"on_idle"};
  Program.ThreadCreations = {creationIn("start_pool", 10),
                             creationIn("on_load", 20),
                             creationIn("on_idle", 5)};
  return Program;
}

TEST(ProgramThreadsTest, AForkSeesTheThreadsOfItsOwnProgram) {
  ProgramModel Program = twoPrograms();
  ProgramThreads Threads(Program);
  std::optional<ThreadCreationModel> Server =
      Threads.firstFor(forkIn("daemonize"));
  ASSERT_TRUE(Server);
  EXPECT_EQ(Server->Loc.Line, 10u);
  // Through a global that holds the address, once register_hooks runs.
  std::optional<ThreadCreationModel> Client =
      Threads.firstFor(forkIn("spawn_editor"));
  ASSERT_TRUE(Client);
  EXPECT_EQ(Client->Loc.Line, 20u);
}

TEST(ProgramThreadsTest, AddressesTakenByCodeThatNeverRunsStartNothing) {
  ProgramModel Program = twoPrograms();
  Program.ThreadCreations = {creationIn("on_idle", 5)};
  ProgramThreads Threads(Program);
  EXPECT_FALSE(Threads.first());
  EXPECT_FALSE(Threads.firstFor(forkIn("daemonize")));
}

TEST(ProgramThreadsTest, WhatRunsWithoutACallRunsInEveryProgram) {
  ProgramModel Program = twoPrograms();
  Program.References[""] = {"on_idle"};
  ProgramThreads Threads(Program);
  std::optional<ThreadCreationModel> Client =
      Threads.firstFor(forkIn("spawn_editor"));
  ASSERT_TRUE(Client);
  EXPECT_EQ(Client->Loc.Line, 5u);
}

TEST(ProgramThreadsTest, AForkNoMainReachesIsJudgedWithEveryProgram) {
  ProgramModel Program = twoPrograms();
  ProgramThreads Threads(Program);
  EXPECT_FALSE(Threads.mainReaches(forkIn("unused_setup")));
  std::optional<ThreadCreationModel> Unreached =
      Threads.firstFor(forkIn("unused_setup"));
  ASSERT_TRUE(Unreached);
  EXPECT_EQ(Unreached->Loc.Line, 10u);
  // A fork in a block or a method: no USR, judged with every program.
  std::optional<ThreadCreationModel> Anywhere = Threads.firstFor(forkIn(""));
  ASSERT_TRUE(Anywhere);
  EXPECT_EQ(Anywhere->Loc.Line, 10u);
}

TEST(ProgramThreadsTest, TheForksMainsReach) {
  ProgramModel Program = twoPrograms();
  ForkModel Daemonize = forkIn("daemonize");
  Daemonize.Loc.File = "spawn.c";
  Daemonize.Loc.Line = 7;
  ForkModel Unused = forkIn("unused_setup");
  Unused.Loc.File = "spawn.c";
  Unused.Loc.Line = 9;
  Program.Forks = {Daemonize, Unused};
  std::set<Location> Reached = forksMainsReach(Program);
  ASSERT_EQ(Reached.size(), 1u);
  EXPECT_EQ(Reached.begin()->Line, 7u);
}

TEST(ProgramThreadsTest, ALibraryWithoutMainRunsEverything) {
  ProgramModel Program = twoPrograms();
  Program.Mains.clear();
  ProgramThreads Threads(Program);
  std::optional<ThreadCreationModel> First =
      Threads.firstFor(forkIn("unused_setup"));
  ASSERT_TRUE(First);
  EXPECT_EQ(First->Loc.Line, 5u);
}

TEST(ProgramThreadsTest, JoinedThreadsRunOnlyWhileTheirCreatorRuns) {
  ProgramModel Program = twoPrograms();
  Program.Calls["main@server.c"].push_back("hash_all");
  Program.Calls["hash_all"] = {"report_progress"};
  ThreadCreationModel Joined = creationIn("hash_all", 1);
  Joined.JoinedBeforeReturn = true;
  Program.ThreadCreations = {Joined};
  ProgramThreads Threads(Program);
  EXPECT_FALSE(Threads.firstFor(forkIn("daemonize")));
  std::optional<ThreadCreationModel> During =
      Threads.firstFor(forkIn("report_progress"));
  ASSERT_TRUE(During);
  EXPECT_EQ(During->Loc.Line, 1u);
}

} // namespace
