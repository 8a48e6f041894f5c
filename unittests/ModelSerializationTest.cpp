#include "Core/Model/ModelSerialization.h"

#include "llvm/Support/JSON.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using namespace forksafety;

namespace {

/// A summary with one function that calls `callee` with the extreme
/// integer arguments a summary can hold.
UnitSummary summaryWithArguments(int64_t Low, int64_t High) {
  UnitSummary Summary;
  Summary.Source = "/src/unit.c";
  FunctionModel Function;
  Function.Usr = "c:@F@caller";
  Function.Name = "caller";
  Function.Loc = Location{"/src/unit.c", 3, 6, 12, {}};
  ModelEvent Call;
  Call.Kind = ModelEvent::Call;
  Call.Loc = Location{"/src/unit.c", 4, 3, 9, {}};
  Call.Callee = "c:@F@callee";
  Call.Arguments = {{0, KnownArgument::Constant, Low, {}},
                    {1, KnownArgument::Constant, High, {}}};
  ModelNode Node;
  Node.Events.push_back(Call);
  Node.Returns = true;
  Function.Paths.Nodes.push_back(Node);
  Summary.Model.Functions.emplace(Function.Usr, Function);
  return Summary;
}

/// \p Text with the value of its first packed attribute \p Key replaced.
std::string withPacked(std::string Text, const std::string &Key,
                       const std::string &Value) {
  std::string Opening = "\"" + Key + "\":\"";
  size_t Begin = Text.find(Opening);
  EXPECT_NE(Begin, std::string::npos) << Key << " in " << Text;
  Begin += Opening.size();
  size_t End = Text.find('"', Begin);
  return Text.replace(Begin, End - Begin, Value);
}

} // namespace

TEST(ModelSerializationTest, ExtremeIntegersReadBack) {
  constexpr int64_t Min = std::numeric_limits<int64_t>::min();
  constexpr int64_t Max = std::numeric_limits<int64_t>::max();
  llvm::Expected<UnitSummary> Read = readUnitSummary(
      writeUnitSummary(summaryWithArguments(Min, Max)), "unit.fsum");
  ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  const FunctionModel &Function = Read->Model.Functions.at("c:@F@caller");
  ASSERT_EQ(Function.Paths.Nodes.size(), 1u);
  ASSERT_EQ(Function.Paths.Nodes[0].Events.size(), 1u);
  const std::vector<KnownArgument> &Arguments =
      Function.Paths.Nodes[0].Events[0].Arguments;
  ASSERT_EQ(Arguments.size(), 2u);
  EXPECT_EQ(Arguments[0].Value, Min);
  EXPECT_EQ(Arguments[1].Value, Max);
  EXPECT_EQ(Function.Paths.Nodes[0].Events[0].Loc.EndColumn, 9u);
}

TEST(ModelSerializationTest, PackedIntegersAreBase32WithoutSeparators) {
  // Event arguments are [event, position, kind, value]: the values -1 and
  // 100 are packed as "-1" and "D4" (3 * 32 + 4).
  std::string Text = writeUnitSummary(summaryWithArguments(-1, 100));
  EXPECT_NE(Text.find("\"arguments\":\"000-1010D4\""), std::string::npos)
      << Text;
  // Cut short, a stray sign, separators, a character of no digit, a
  // leading zero, "-0", and values beyond 64 bits: 2^63, -2^63 - 1, 2^64.
  for (const char *Bad :
       {"000-1010D", "000-1010D4-", "000-1010D4,", "000-1010D4 ", "000-1010Dw",
        "000-1010AD4", "000-0010D4", "000-1010IAAAAAAAAAAA0",
        "000-1010-IAAAAAAAAAAA1", "000-1010QAAAAAAAAAAA0"}) {
    llvm::Expected<UnitSummary> Read =
        readUnitSummary(withPacked(Text, "arguments", Bad), "unit.fsum");
    ASSERT_FALSE(static_cast<bool>(Read)) << Bad;
    EXPECT_NE(llvm::toString(Read.takeError()).find("expected packed integers"),
              std::string::npos)
        << Bad;
  }
  // The extremes of 64 bits, as written and read back.
  constexpr int64_t Min = std::numeric_limits<int64_t>::min();
  constexpr int64_t Max = std::numeric_limits<int64_t>::max();
  Text = writeUnitSummary(summaryWithArguments(Min, Max));
  EXPECT_NE(Text.find("\"arguments\":\"000-IAAAAAAAAAAA0010H***********v\""),
            std::string::npos)
      << Text;
}

TEST(ModelSerializationTest, NamesTheUsrSpellsAreLeftOutAndReadBack) {
  UnitSummary Summary = summaryWithArguments(0, 1);
  FunctionModel &Caller = Summary.Model.Functions.at("c:@F@caller");
  ModelEvent &Call = Caller.Paths.Nodes[0].Events[0];
  Call.Op.Subject = "callee";
  ModelEvent Other = Call;
  Other.Callee = "c:@F@wrapped";
  Other.Op.Subject = "wrapper"; // Not the name the USR spells: kept.
  Caller.Paths.Nodes[0].Events.push_back(Other);
  FunctionModel Method;
  Method.Usr = "c:@N@ns@F@run#";
  Method.Name = "ns::run";
  FunctionModel Helper;
  Helper.Usr = std::string("c:unit.c@F@helper") + UsrFileMark + "/src/unit.c";
  Helper.Name = "helper";
  for (FunctionModel *Function : {&Method, &Helper}) {
    Function->Loc = Caller.Loc;
    Function->Paths = Caller.Paths;
    Summary.Model.Functions.emplace(Function->Usr, *Function);
  }
  std::string Text = writeUnitSummary(Summary);
  EXPECT_EQ(Text.find("\"name\":\"caller\""), std::string::npos) << Text;
  EXPECT_EQ(Text.find("\"name\":\"helper\""), std::string::npos) << Text;
  EXPECT_NE(Text.find("\"name\":\"ns::run\""), std::string::npos) << Text;
  EXPECT_EQ(Text.find("\"callee\""), std::string::npos) << Text;
  EXPECT_NE(Text.find("\"wrapper\""), std::string::npos) << Text;
  llvm::Expected<UnitSummary> Read = readUnitSummary(Text, "unit.fsum");
  ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  for (const auto &[Usr, Written] : Summary.Model.Functions) {
    const FunctionModel &Function = Read->Model.Functions.at(Usr);
    EXPECT_EQ(Function.Name, Written.Name) << Usr;
    const std::vector<ModelEvent> &Events = Function.Paths.Nodes[0].Events;
    ASSERT_EQ(Events.size(), 2u) << Usr;
    EXPECT_EQ(Events[0].Op.Subject, "callee");
    EXPECT_EQ(Events[1].Op.Subject, "wrapper");
  }
}

TEST(ModelSerializationTest, FileNamesReadBackWhateverTheyHold) {
  // A file name may hold any byte but NUL: the lists are one string each,
  // the names separated by NUL characters.
  UnitSummary Summary = summaryWithArguments(0, 1);
  Summary.Inputs = {{"/src/a b.h", "10:20:30"},
                    {"/src/line\nbreak.h", "-:7:8"},
                    {"/src/t\u00e9l\u00e9.h", "1:2:3"},
                    {"/src/comma,\"quote\".h", "4:5:6"}};
  Summary.Absent = {"/include/\tx.h", "/usr/include/a.h"};
  llvm::Expected<UnitSummary> Read =
      readUnitSummary(writeUnitSummary(Summary), "unit.fsum");
  ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  EXPECT_EQ(Read->Inputs, Summary.Inputs);
  EXPECT_EQ(Read->Absent, Summary.Absent);

  Summary.Inputs.clear();
  Summary.Absent.clear();
  Read = readUnitSummary(writeUnitSummary(Summary), "unit.fsum");
  ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  EXPECT_TRUE(Read->Inputs.empty());
  EXPECT_TRUE(Read->Absent.empty());
}

TEST(ModelSerializationTest, NamesAreQuotedAsLLVMJSONQuotesThem) {
  // USRs of static functions hold a unit separator; every byte below space,
  // quotes, backslashes, DEL and UTF-8 must come back as they were.
  std::string Odd = "c:unit.c@F@f\x1f/src/unit.c \"q\" \\ \t\n\r\x01\x7f";
  for (const std::string &Name : {Odd, std::string("t\u00e9l\u00e9")}) {
    UnitSummary Summary = summaryWithArguments(0, 1);
    FunctionModel Function = Summary.Model.Functions.begin()->second;
    Summary.Model.Functions.clear();
    Function.Usr = Name;
    Function.Name = Name;
    Summary.Model.Functions.emplace(Name, Function);
    std::string Text = writeUnitSummary(Summary);
    std::string Quoted;
    llvm::raw_string_ostream OS(Quoted);
    llvm::json::OStream(OS).value(Name);
    EXPECT_NE(Text.find("\"name\":" + Quoted), std::string::npos) << Quoted;
    llvm::Expected<UnitSummary> Read = readUnitSummary(Text, "unit.fsum");
    ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
    ASSERT_EQ(Read->Model.Functions.count(Name), 1u);
    EXPECT_EQ(Read->Model.Functions.at(Name).Name, Name);
  }
}

namespace {

/// A summary whose program record, fork and fork wrapper set every field
/// the reader maps.
UnitSummary summaryWithEveryObjectField() {
  UnitSummary Summary = summaryWithArguments(0, 1);
  ProgramModel &Model = Summary.Model;
  Location Here{"/src/unit.c", 7, 9, 13, {}};
  ForkModel Fork;
  Fork.Loc = Here;
  Fork.Kind = ForkKind::VFork;
  Fork.ForkFunction = "vfork";
  Fork.FunctionName = "spawn";
  Fork.FunctionUsr = "c:@F@spawn";
  Fork.InWrapper = true;
  Fork.AssumedWrapper = "c:@F@maybe_fork";
  Fork.WrapperUsr = "c:@F@my_fork";
  Fork.ThreadsMayExist = false;
  LiveThreads Threads;
  Threads.Kind = LiveThreads::Handle;
  Threads.Key = InternedString("worker");
  Threads.Created = Here;
  Fork.ThreadsAtFork = std::vector<LiveThreads>{Threads};
  Fork.CallersAssumed["c:@F@spawn"] = {"c:@F@main", "c:@F@restart"};
  Fork.Child.Nodes.emplace_back();
  Fork.Child.Nodes.back().Returns = true;
  Model.Forks.push_back(Fork);
  Model.Mains = {"c:@F@main"};
  Model.ThreadCreations.push_back({Here, "pthread_create", "c:@F@start", true});
  Model.Wrappers.push_back(
      {"c:@F@my_fork", "my_fork", ForkKind::Fork, "c:@F@maybe_fork"});
  Model.AtForkHandlers.push_back(
      {Here, "c:@F@prepare", "prepare", "c:@F@parent", "c:@F@child"});
  Model.AddressTaken = {"c:@F@callback"};
  Model.MutexLocks["c:@F@caller"] = {"c:@lock"};
  Model.TableFunctions["c:@F@callback"] = "void (*)(int)";
  return Summary;
}

/// \p Text with the first \p Old replaced by \p New.
std::string replaced(std::string Text, const std::string &Old,
                     const std::string &New) {
  size_t At = Text.find(Old);
  EXPECT_NE(At, std::string::npos) << Old << " in " << Text;
  return At == std::string::npos ? Text : Text.replace(At, Old.size(), New);
}

} // namespace

TEST(ModelSerializationTest, ObjectRecordsReadBackEveryField) {
  UnitSummary Summary = summaryWithEveryObjectField();
  llvm::Expected<UnitSummary> Read =
      readUnitSummary(writeUnitSummary(Summary), "unit.fsum");
  ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  const ProgramModel &Model = Read->Model;
  ASSERT_EQ(Model.Forks.size(), 1u);
  const ForkModel &Fork = Model.Forks[0];
  const ForkModel &Written = Summary.Model.Forks[0];
  EXPECT_EQ(Fork.Loc, Written.Loc);
  EXPECT_EQ(Fork.Kind, ForkKind::VFork);
  EXPECT_EQ(Fork.ForkFunction, "vfork");
  EXPECT_EQ(Fork.FunctionName, "spawn");
  EXPECT_EQ(Fork.FunctionUsr, "c:@F@spawn");
  EXPECT_TRUE(Fork.InWrapper);
  EXPECT_EQ(Fork.AssumedWrapper, "c:@F@maybe_fork");
  EXPECT_EQ(Fork.WrapperUsr, "c:@F@my_fork");
  EXPECT_FALSE(Fork.ThreadsMayExist);
  ASSERT_TRUE(Fork.ThreadsAtFork.has_value());
  ASSERT_EQ(Fork.ThreadsAtFork->size(), 1u);
  EXPECT_EQ((*Fork.ThreadsAtFork)[0].Key, InternedString("worker"));
  EXPECT_EQ((*Fork.ThreadsAtFork)[0].Created, Written.Loc);
  EXPECT_FALSE(Fork.ThreadsSinceEntry.has_value());
  EXPECT_EQ(Fork.CallersAssumed, Written.CallersAssumed);
  ASSERT_EQ(Fork.Child.Nodes.size(), 1u);
  EXPECT_TRUE(Fork.Child.Nodes[0].Returns);

  EXPECT_EQ(Model.Mains, Summary.Model.Mains);
  ASSERT_EQ(Model.ThreadCreations.size(), 1u);
  EXPECT_EQ(Model.ThreadCreations[0].Loc, Written.Loc);
  EXPECT_EQ(Model.ThreadCreations[0].What, "pthread_create");
  EXPECT_EQ(Model.ThreadCreations[0].FunctionUsr, "c:@F@start");
  EXPECT_TRUE(Model.ThreadCreations[0].JoinedBeforeReturn);
  ASSERT_EQ(Model.Wrappers.size(), 1u);
  EXPECT_EQ(Model.Wrappers[0].Name, "my_fork");
  EXPECT_EQ(Model.Wrappers[0].AssumedWrapper, "c:@F@maybe_fork");
  ASSERT_EQ(Model.AtForkHandlers.size(), 1u);
  EXPECT_EQ(Model.AtForkHandlers[0].PrepareName, "prepare");
  EXPECT_EQ(Model.AtForkHandlers[0].Child, "c:@F@child");
  EXPECT_EQ(Model.AddressTaken, Summary.Model.AddressTaken);
  EXPECT_EQ(Model.MutexLocks, Summary.Model.MutexLocks);
  EXPECT_EQ(Model.TableFunctions, Summary.Model.TableFunctions);
}

TEST(ModelSerializationTest, ObjectRecordsNameTheFieldTheyLack) {
  std::string Text = writeUnitSummary(summaryWithEveryObjectField());
  struct Case {
    std::string Old, New, Expected;
  };
  for (const Case &C :
       std::vector<Case>{{"\"callersAssumed\":", "\"callersAssumedNot\":",
                          "missing value at line 3.fork.callersAssumed"},
                         {"\"inWrapper\":true", "\"inWrapper\":\"yes\"",
                          "at line 3.fork.inWrapper"},
                         {"\"kind\":1", "\"kind\":9",
                          "expected a known enumerator at line 3.fork.kind"},
                         {"\"joined\":true", "\"joined\":1",
                          "program.threadCreations[0].joined"},
                         {"\"prepareName\":", "\"prepareNames\":",
                          "missing value at line"}}) {
    llvm::Expected<UnitSummary> Read =
        readUnitSummary(replaced(Text, C.Old, C.New), "unit.fsum");
    ASSERT_FALSE(static_cast<bool>(Read)) << C.New;
    std::string Error = llvm::toString(Read.takeError());
    EXPECT_NE(Error.find(C.Expected), std::string::npos) << Error;
  }
}

namespace {

/// A summary with one record of each kind written as an array.
UnitSummary summaryWithTupleRecords() {
  UnitSummary Summary = summaryWithArguments(0, 1);
  ProgramModel &Model = Summary.Model;
  Model.Calls["c:@F@caller"] = {"c:@F@a", "c:@F@b"};
  Model.References["c:@F@caller"] = {"c:@F@callback"};
  Model.FunctionsStored["c:@F@caller"] = {"c:@F@stored"};
  Model.FunctionsPassed["c:@F@run"][2] = {"c:@F@callback"};
  LiveThreads Threads;
  Threads.Kind = LiveThreads::CallOf;
  Threads.Key = InternedString("c:@F@start");
  Threads.CalledSince.insert({InternedString("c:@F@b"), InternedString()});
  Threads.Created = Location{InternedString("/src/a.c"), 3, 5, 9};
  Model.ThreadsAtCalls["c:@F@caller"]["c:@F@a"] = {Threads};
  ThreadEffect Effect;
  Effect.Leaves = {Threads};
  Effect.Joins = {InternedString("c:@worker")};
  Effect.Calls = {{InternedString("c:@F@b"), InternedString("this")}};
  Model.ThreadEffects["c:@F@caller"] = Effect;
  return Summary;
}

} // namespace

TEST(ModelSerializationTest, TupleRecordsReadBackEveryElement) {
  UnitSummary Summary = summaryWithTupleRecords();
  llvm::Expected<UnitSummary> Read =
      readUnitSummary(writeUnitSummary(Summary), "unit.fsum");
  ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  const ProgramModel &Model = Read->Model, &Written = Summary.Model;
  EXPECT_EQ(Model.Calls, Written.Calls);
  EXPECT_EQ(Model.References, Written.References);
  EXPECT_EQ(Model.FunctionsStored, Written.FunctionsStored);
  EXPECT_EQ(Model.FunctionsPassed, Written.FunctionsPassed);
  const LiveThreads &AtCall =
      Model.ThreadsAtCalls.at("c:@F@caller").at("c:@F@a").at(0);
  EXPECT_TRUE(sameThreads(
      AtCall, Written.ThreadsAtCalls.at("c:@F@caller").at("c:@F@a").at(0)));
  EXPECT_EQ(AtCall.CalledSince.size(), 1u);
  const ThreadEffect &Effect = Model.ThreadEffects.at("c:@F@caller");
  const ThreadEffect &WrittenEffect = Written.ThreadEffects.at("c:@F@caller");
  ASSERT_EQ(Effect.Leaves.size(), 1u);
  EXPECT_TRUE(sameThreads(Effect.Leaves[0], WrittenEffect.Leaves[0]));
  EXPECT_EQ(Effect.Joins, WrittenEffect.Joins);
  EXPECT_EQ(Effect.Calls, WrittenEffect.Calls);
}

TEST(ModelSerializationTest, SharedAndInPlaceThreadsReadTheSame) {
  UnitSummary Summary = summaryWithTupleRecords();
  // Callers leave the same records: the table holds them once.
  for (const char *Other : {"c:@F@other", "c:@F@third", "c:@F@fourth"})
    Summary.Model.ThreadEffects[Other] =
        Summary.Model.ThreadEffects.at("c:@F@caller");
  SummaryLayout InPlace;
  InPlace.SharedThreads = false;
  std::string SharedText = writeUnitSummary(Summary);
  std::string InPlaceText = writeUnitSummary(Summary, InPlace);
  EXPECT_NE(SharedText.find("{\"threadRecords\":"), std::string::npos);
  EXPECT_EQ(InPlaceText.find("threadRecords"), std::string::npos);
  EXPECT_LT(SharedText.size(), InPlaceText.size());
  for (const std::string *Text : {&SharedText, &InPlaceText}) {
    llvm::Expected<UnitSummary> Read = readUnitSummary(*Text, "unit.fsum");
    ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
    for (const char *Usr : {"c:@F@caller", "c:@F@other"}) {
      const ThreadEffect &Effect = Read->Model.ThreadEffects.at(Usr);
      ASSERT_EQ(Effect.Leaves.size(), 1u) << *Text;
      const LiveThreads &Written =
          Summary.Model.ThreadEffects.at(Usr).Leaves.at(0);
      EXPECT_TRUE(sameThreads(Effect.Leaves[0], Written));
      EXPECT_EQ(Effect.Leaves[0].CalledSince, Written.CalledSince);
    }
    const LiveThreads &AtCall =
        Read->Model.ThreadsAtCalls.at("c:@F@caller").at("c:@F@a").at(0);
    EXPECT_EQ(AtCall.CalledSince.size(), 1u);
  }
  // Without the table, an index into it is an error.
  size_t Begin = SharedText.find("{\"threadRecords\":");
  std::string Table =
      SharedText.substr(Begin, SharedText.find('\n', Begin) - Begin);
  llvm::Expected<UnitSummary> Read = readUnitSummary(
      replaced(SharedText, Table, "{\"threadRecords\":\"\"}"), "unit.fsum");
  ASSERT_FALSE(static_cast<bool>(Read));
  std::string Error = llvm::toString(Read.takeError());
  EXPECT_NE(Error.find("expected an index into the threads table"),
            std::string::npos)
      << Error;
  // Nor can a second table shift the indices of the first.
  Read = readUnitSummary(replaced(SharedText, Table, Table + "\n" + Table),
                         "unit.fsum");
  ASSERT_FALSE(static_cast<bool>(Read));
  Error = llvm::toString(Read.takeError());
  EXPECT_NE(Error.find("a second threadRecords record"), std::string::npos)
      << Error;
}

TEST(ModelSerializationTest, TupleRecordsNameTheElementTheyLack) {
  std::string Text = writeUnitSummary(summaryWithTupleRecords());
  // Each record's line, with one element made wrong.
  auto Line = [&](llvm::StringRef Kind) {
    size_t Begin = Text.find("{\"" + Kind.str() + "\":");
    return Text.substr(Begin, Text.find('\n', Begin) - Begin);
  };
  auto Broken = [&](llvm::StringRef Kind, llvm::StringRef Value) {
    return replaced(Text, Line(Kind),
                    "{\"" + Kind.str() + "\":" + Value.str() + "}");
  };
  struct Case {
    std::string Text, Expected;
  };
  for (const Case &C : std::vector<Case>{
           {Broken("calls", "[]"), "expected [from, to...] indices"},
           {Broken("calls", "[99999]"),
            "expected an index into the string table at line"},
           {Broken("functionsPassed", "[0,-1]"), ".functionsPassed[1]"},
           {Broken("functionsPassed", "[0,4294967296]"),
            "expected a parameter position at line"},
           {Broken("threadsAtCall", "[0,0]"),
            "expected [caller, callee, threads]"},
           {Broken("threadsAtCall", "[0,0,\"00\"]"),
            "expected threads [kind, key, object"},
           {Broken("threadEffect", "[0,\"\",[],[0]]"),
            "expected [usr, object...] indices at line"},
           {Broken("threadEffect", "[0,\"\",{},[]]"), ".threadEffect[2]"}}) {
    llvm::Expected<UnitSummary> Read = readUnitSummary(C.Text, "unit.fsum");
    ASSERT_FALSE(static_cast<bool>(Read)) << C.Expected;
    std::string Error = llvm::toString(Read.takeError());
    EXPECT_NE(Error.find(C.Expected), std::string::npos) << Error;
  }
}

TEST(ModelSerializationTest, DeferredGraphsAreReadWhenFirstAsked) {
  auto Text = std::make_shared<std::string>(
      writeUnitSummary(summaryWithArguments(-3, 7)));
  llvm::Expected<UnitSummary> Read = readUnitSummary(*Text, "unit.fsum", Text);
  ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  const FunctionModel &Function = Read->Model.Functions.at("c:@F@caller");
  ASSERT_TRUE(Function.DeferredPaths);
  EXPECT_TRUE(Function.Paths.Nodes.empty());
  const PathGraph &Graph = Function.paths();
  EXPECT_TRUE(Function.DeferredPaths->error().empty());
  ASSERT_EQ(Graph.Nodes.size(), 1u);
  ASSERT_EQ(Graph.Nodes[0].Events.size(), 1u);
  EXPECT_EQ(Graph.Nodes[0].Events[0].Callee, "c:@F@callee");
  ASSERT_EQ(Graph.Nodes[0].Events[0].Arguments.size(), 2u);
  EXPECT_EQ(Graph.Nodes[0].Events[0].Arguments[1].Value, 7);
  EXPECT_EQ(&Function.paths(), &Graph); // Read once.
}

TEST(ModelSerializationTest, DeferredGraphThatCannotBeReadSaysWhy) {
  auto Text = std::make_shared<std::string>(
      withPacked(writeUnitSummary(summaryWithArguments(0, 1)), "nodes", "1,2"));
  llvm::Expected<UnitSummary> Read = readUnitSummary(*Text, "unit.fsum", Text);
  ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  const FunctionModel &Function = Read->Model.Functions.at("c:@F@caller");
  // Read as a function whose control flow cannot be analysed, and said.
  EXPECT_FALSE(Function.paths().Analysed);
  EXPECT_TRUE(Function.paths().Nodes.empty());
  const std::string &Error = Function.DeferredPaths->error();
  EXPECT_NE(Error.find("unit.fsum: not a valid forksafety summary: "),
            std::string::npos)
      << Error;
  EXPECT_NE(Error.find("paths.nodes"), std::string::npos) << Error;
  // Read at once, the same graph is an error of the summary.
  llvm::Expected<UnitSummary> Now = readUnitSummary(*Text, "unit.fsum");
  ASSERT_FALSE(static_cast<bool>(Now));
  EXPECT_NE(llvm::toString(Now.takeError()).find("paths.nodes"),
            std::string::npos);
}

TEST(ModelSerializationTest, PathsFollowTheirFunction) {
  std::string Text = writeUnitSummary(summaryWithArguments(0, 1));
  size_t Function = Text.find("{\"function\":");
  size_t Paths = Text.find("{\"paths\":");
  ASSERT_LT(Function, Paths);
  std::string FunctionLine = Text.substr(Function, Paths - Function);
  std::string PathsLine =
      Text.substr(Paths, Text.find('\n', Paths) + 1 - Paths);
  struct Case {
    std::string Text, Expected;
  };
  for (const Case &C : std::vector<Case>{
           {replaced(Text, PathsLine, ""),
            "expected the paths of the function before it"},
           {replaced(Text, FunctionLine, ""), "paths that follow no function"},
           {replaced(Text, PathsLine, PathsLine + PathsLine),
            "paths that follow no function"},
           {replaced(Text, PathsLine, PathsLine + FunctionLine + PathsLine),
            "a second record of this function"}}) {
    for (bool Deferred : {false, true}) {
      auto Owner = std::make_shared<std::string>(C.Text);
      llvm::Expected<UnitSummary> Read =
          readUnitSummary(*Owner, "unit.fsum", Deferred ? Owner : nullptr);
      ASSERT_FALSE(static_cast<bool>(Read)) << C.Expected;
      std::string Error = llvm::toString(Read.takeError());
      EXPECT_NE(Error.find(C.Expected), std::string::npos) << Error;
    }
  }
}

TEST(ModelSerializationTest, RecordsReadTheSameHoweverTheyAreSpaced) {
  std::string Text = writeUnitSummary(summaryWithTupleRecords());
  std::string Spaced;
  for (llvm::StringRef Rest = Text; !Rest.empty();) {
    auto [Line, Next] = Rest.split('\n');
    Rest = Next;
    // `{"kind":...}` as `{ "kind" : ... }`, which the writer never writes.
    auto [Head, Body] = Line.split("\":");
    Spaced += Line.starts_with("{\"format\"") || Body.empty()
                  ? Line.str()
                  : "{ " + Head.drop_front().str() +
                        "\" : " + Body.drop_back().str() + " }";
    Spaced += '\n';
  }
  ASSERT_NE(Spaced, Text);
  llvm::Expected<UnitSummary> Read = readUnitSummary(Spaced, "unit.fsum");
  ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  EXPECT_EQ(writeUnitSummary(*Read), Text);
}

TEST(ModelSerializationTest, SyntaxErrorsArePlacedInTheirLine) {
  std::string Text = writeUnitSummary(summaryWithTupleRecords());
  size_t Begin = Text.find("{\"calls\":");
  std::string Line = Text.substr(Begin, Text.find('\n', Begin) - Begin);
  std::string Broken = "{\"calls\":[0,}";
  llvm::Expected<UnitSummary> Read =
      readUnitSummary(replaced(Text, Line, Broken), "unit.fsum");
  ASSERT_FALSE(static_cast<bool>(Read));
  std::string Error = llvm::toString(Read.takeError());
  // The column counts from the line's start, not from the record's body.
  llvm::Expected<llvm::json::Value> Whole = llvm::json::parse(Broken);
  ASSERT_FALSE(static_cast<bool>(Whole));
  std::string Expected = llvm::toString(Whole.takeError());
  EXPECT_NE(Error.find(Expected), std::string::npos) << Error;
}
