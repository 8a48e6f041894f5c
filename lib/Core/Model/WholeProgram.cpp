//===- WholeProgram.cpp - Fork safety of a program as a whole -------------===//

#include "Core/Model/WholeProgram.h"

#include "Core/ChildPaths/ChildPathSolver.h"
#include "Core/Threads/ForkHandlers.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <set>

namespace forksafety {

namespace {

class ProgramFunctions : public FunctionModels {
public:
  explicit ProgramFunctions(const ProgramModel &Program) : Program(Program) {}
  const FunctionModel *find(llvm::StringRef Usr) override {
    auto It = Program.Functions.find(Usr.str());
    return It == Program.Functions.end() ? nullptr : &It->second;
  }

private:
  const ProgramModel &Program;
};

/// The functions main may call, directly or through callees, and those
/// anything may call.
llvm::StringSet<> reachableFunctions(const ProgramModel &Program) {
  llvm::StringSet<> Reached;
  std::vector<std::string> Work{Program.MainUsr};
  Work.insert(Work.end(), Program.AddressTaken.begin(),
              Program.AddressTaken.end());
  while (!Work.empty()) {
    std::string Usr = std::move(Work.back());
    Work.pop_back();
    if (!Reached.insert(Usr).second)
      continue;
    auto It = Program.Calls.find(Usr);
    if (It != Program.Calls.end())
      Work.insert(Work.end(), It->second.begin(), It->second.end());
  }
  return Reached;
}

/// The effects of the program's functions on threads, by USR.
class ProgramEffects : public ThreadEffects {
public:
  explicit ProgramEffects(const ProgramModel &Program) : Program(Program) {}

  Known lookup(llvm::StringRef Usr, const ThreadEffect *&Out) override {
    auto It = Program.ThreadEffects.find(Usr.str());
    if (It != Program.ThreadEffects.end()) {
      Out = &It->second;
      return Known::Effect;
    }
    if (Program.Functions.count(Usr.str()) || Program.Calls.count(Usr.str()))
      return Known::NoEffect;
    return Known::Nowhere;
  }

private:
  const ProgramModel &Program;
};

/// Whether only the callers a fork's file assumed call the functions on its
/// paths from main, and nothing takes their address. Few forks assume
/// anything: the call graph is searched for those only.
bool callersAsAssumed(const ForkModel &Fork, const ProgramModel &Program) {
  for (const auto &[Function, Assumed] : Fork.CallersAssumed)
    if (llvm::is_contained(Program.AddressTaken, Function))
      return false;
  if (Fork.CallersAssumed.empty())
    return true;
  for (const auto &[Caller, Callees] : Program.Calls)
    for (const auto &[Function, Assumed] : Fork.CallersAssumed)
      if (std::binary_search(Callees.begin(), Callees.end(), Function) &&
          !llvm::is_contained(Assumed, Caller))
        return false;
  return true;
}

} // namespace

void mergeModel(ProgramModel &Program, ProgramModel Unit) {
  // Continuations are named after their function, which a header may
  // define in several translation units: each unit keeps its own.
  std::map<std::string, std::string> Renamed;
  for (auto &[Key, Graph] : Unit.Continuations) {
    std::string Unique = Key;
    for (unsigned Copy = 1; Program.Continuations.count(Unique); ++Copy)
      Unique = Key + "#" + std::to_string(Copy);
    Program.Continuations.emplace(Unique, std::move(Graph));
    Renamed.emplace(Key, std::move(Unique));
  }
  for (ForkModel &Fork : Unit.Forks) {
    if (auto It = Renamed.find(Fork.Continuation); It != Renamed.end())
      Fork.Continuation = It->second;
    Program.Forks.push_back(std::move(Fork));
  }
  for (auto &Entry : Unit.Functions)
    Program.Functions.try_emplace(Entry.first, std::move(Entry.second));
  for (ThreadCreationModel &Creation : Unit.ThreadCreations)
    Program.ThreadCreations.push_back(std::move(Creation));
  for (auto &[Caller, Callees] : Unit.Calls) {
    std::vector<std::string> &Known = Program.Calls[Caller];
    Known.insert(Known.end(), Callees.begin(), Callees.end());
    std::sort(Known.begin(), Known.end());
    Known.erase(std::unique(Known.begin(), Known.end()), Known.end());
  }
  Program.AddressTaken.insert(Program.AddressTaken.end(),
                              Unit.AddressTaken.begin(),
                              Unit.AddressTaken.end());
  if (Program.MainUsr.empty())
    Program.MainUsr = std::move(Unit.MainUsr);
  for (AtForkModel &Handlers : Unit.AtForkHandlers)
    Program.AtForkHandlers.push_back(std::move(Handlers));
  for (auto *Uses : {&Unit.MutexLocks, &Unit.MutexUnlocks}) {
    auto &Known =
        Uses == &Unit.MutexLocks ? Program.MutexLocks : Program.MutexUnlocks;
    for (auto &Entry : *Uses)
      Known.try_emplace(Entry.first, std::move(Entry.second));
  }
  for (auto &Entry : Unit.ThreadEffects)
    Program.ThreadEffects.try_emplace(Entry.first, std::move(Entry.second));
  for (WrapperModel &Wrapper : Unit.Wrappers)
    if (llvm::none_of(Program.Wrappers, [&](const WrapperModel &Known) {
          return Known.Usr == Wrapper.Usr;
        }))
      Program.Wrappers.push_back(std::move(Wrapper));
}

std::optional<ThreadCreationModel>
findThreadCreation(const ProgramModel &Program) {
  std::optional<llvm::StringSet<>> Reached;
  if (!Program.MainUsr.empty())
    Reached = reachableFunctions(Program);
  const ThreadCreationModel *First = nullptr;
  for (const ThreadCreationModel &Creation : Program.ThreadCreations) {
    bool Runs = !Reached || Creation.FunctionUsr.empty() ||
                Reached->contains(Creation.FunctionUsr);
    if (Runs && (!First || Creation.Loc < First->Loc))
      First = &Creation;
  }
  if (!First)
    return std::nullopt;
  return *First;
}

/// The fork wrappers of \p Program, by USR: those the translation unit that
/// defines them found, and those that rest on the assumption that a function
/// of another translation unit is a wrapper, when the program confirms it.
static std::set<std::string> forkWrappers(const ProgramModel &Program) {
  std::set<std::string> Confirmed;
  for (bool Added = true; Added;) {
    Added = false;
    for (const WrapperModel &Wrapper : Program.Wrappers)
      if (Wrapper.Kind == ForkKind::Fork &&
          (Wrapper.AssumedWrapper.empty() ||
           Confirmed.count(Wrapper.AssumedWrapper)))
        Added |= Confirmed.insert(Wrapper.Usr).second;
  }
  return Confirmed;
}

ProgramFindings analyzeProgram(const ProgramModel &Program,
                               const AnalysisOptions &Opts,
                               const std::vector<CheckKind> &Checks) {
  ProgramFindings Result;
  std::optional<ThreadCreationModel> Threads = findThreadCreation(Program);
  if (!Threads && !Opts.AssumeThreaded)
    return Result;
  ProgramFunctions Functions(Program);
  ChildPathSolver Solver(Functions, Opts, protectedMutexes(Program));
  ProgramEffects Effects(Program);
  std::set<std::string> ForkWrappers = forkWrappers(Program);
  for (const ForkModel &Fork : Program.Forks) {
    if (!Fork.AssumedWrapper.empty() &&
        !ForkWrappers.count(Fork.AssumedWrapper))
      continue;
    std::optional<ThreadCreationModel> Running = Threads;
    bool Unseen = false;
    if (!Opts.AssumeThreaded) {
      if (!Fork.ThreadsMayExist)
        continue;
      // Calls into other translation units before the fork may have left
      // threads running, or joined them.
      if (Fork.ThreadsAtFork && callersAsAssumed(Fork, Program)) {
        std::optional<RunningThreads> Created =
            runningThreadsCreation(*Fork.ThreadsAtFork, Effects);
        if (!Created)
          continue;
        if (Running && Created->Created.isValid()) {
          Running->Loc = Created->Created;
          Unseen = Created->Unseen;
        }
      }
    }
    ++Result.ForkSites;
    auto Continuation = Program.Continuations.find(Fork.Continuation);
    appendForkFindings(
        Fork,
        Solver.analyzeFork(Fork, Continuation == Program.Continuations.end()
                                     ? nullptr
                                     : &Continuation->second),
        Running ? &*Running : nullptr, Unseen, Checks, Result.Findings);
  }
  sortFindings(Result.Findings);
  return Result;
}

} // namespace forksafety
