//===- ForkVerdict.cpp - Why a fork is reported or not --------------------===//

#include "Core/Model/ForkVerdict.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

namespace forksafety {

const char *verdictId(ForkVerdictKind Kind) {
  switch (Kind) {
  case ForkVerdictKind::NoThreads:
    return "no-threads";
  case ForkVerdictKind::BeforeThreads:
    return "before-threads";
  case ForkVerdictKind::NoRunningThreads:
    return "no-running-threads";
  case ForkVerdictKind::ThreadsJoined:
    return "threads-joined";
  case ForkVerdictKind::InForkChild:
    return "in-fork-child";
  case ForkVerdictKind::InWrapper:
    return "in-wrapper";
  case ForkVerdictKind::ExecsAtOnce:
    return "exec-at-once";
  case ForkVerdictKind::CarefulChild:
    return "careful-child";
  case ForkVerdictKind::ProtectedByAtFork:
    return "protected-by-atfork";
  case ForkVerdictKind::Unchecked:
    return "unchecked";
  case ForkVerdictKind::Reported:
    return "reported";
  }
  return "";
}

const char *verdictDescription(ForkVerdictKind Kind) {
  switch (Kind) {
  case ForkVerdictKind::NoThreads:
    return "the programs that run the fork create no threads";
  case ForkVerdictKind::BeforeThreads:
    return "the fork runs before any thread is created";
  case ForkVerdictKind::NoRunningThreads:
    return "no thread runs at the fork: it comes before the first thread or "
           "after the threads before it are joined";
  case ForkVerdictKind::ThreadsJoined:
    return "every thread is joined before the fork";
  case ForkVerdictKind::InForkChild:
    return "the fork runs in the child of an earlier fork, where only the "
           "thread that forked runs";
  case ForkVerdictKind::InWrapper:
    return "the fork is inside a fork wrapper: each call of the wrapper is "
           "a fork site of its own";
  case ForkVerdictKind::ExecsAtOnce:
    return "the child calls exec at once";
  case ForkVerdictKind::CarefulChild:
    return "the child does only async-signal-safe work before exec or _exit";
  case ForkVerdictKind::ProtectedByAtFork:
    return "the child uses only mutexes that pthread_atfork handlers protect";
  case ForkVerdictKind::Unchecked:
    return "the child may run unsafe code, but the checks that report it are "
           "disabled";
  case ForkVerdictKind::Reported:
    return "the checks report the fork's child";
  }
  return "";
}

bool execsAtOnce(const PathGraph &Child) {
  if (!Child.Analysed || Child.Nodes.empty())
    return false;
  std::vector<bool> Seen(Child.Nodes.size());
  std::vector<unsigned> Work{0};
  while (!Work.empty()) {
    unsigned Index = Work.back();
    Work.pop_back();
    if (Seen[Index])
      continue;
    Seen[Index] = true;
    const ModelNode &Node = Child.Nodes[Index];
    if (!Node.Events.empty()) {
      ModelEvent::KindType First = Node.Events.front().Kind;
      if (First == ModelEvent::Exec || First == ModelEvent::ExecPathSearch ||
          First == ModelEvent::Unreachable)
        continue;
      return false;
    }
    // A path that ends, returns or runs on into the parent's code without
    // any event never called exec.
    if (Node.Returns || Node.Successors.empty())
      return false;
    for (const ModelEdge &Edge : Node.Successors) {
      if (Edge.Leaves || Edge.IntoContinuation || Edge.To >= Child.Nodes.size())
        return false;
      Work.push_back(Edge.To);
    }
  }
  return true;
}

/// Whether some function of \p Program joins threads.
static bool joinsThreads(const ProgramModel &Program) {
  return llvm::any_of(Program.ThreadCreations,
                      [](const ThreadCreationModel &Creation) {
                        return Creation.JoinedBeforeReturn;
                      }) ||
         llvm::any_of(Program.ThreadEffects, [](const auto &Entry) {
           return !Entry.second.Joins.empty();
         });
}

ForkVerdictKind noThreadsAtFork(const std::vector<LiveThreads> &Threads,
                                const ProgramModel &Program,
                                std::optional<Location> &Created,
                                RunningThreadsFinder &Finder) {
  for (const LiveThreads &T : Threads) {
    // A call that leaves no thread running created none.
    if (T.Kind == LiveThreads::CallOf) {
      auto Effect = Program.ThreadEffects.find(T.Key.str());
      if (Effect == Program.ThreadEffects.end() ||
          Effect->second.Leaves.empty())
        continue;
    }
    // Nor does one whose calls, in turn, only leave records of calls.
    LiveThreads Unjoined = T;
    Unjoined.JoinedSince.clear();
    Unjoined.CalledSince.clear();
    if (!Finder.find({Unjoined}))
      continue;
    if (T.Created.isValid())
      Created = T.Created;
    return ForkVerdictKind::ThreadsJoined;
  }
  return joinsThreads(Program) ? ForkVerdictKind::NoRunningThreads
                               : ForkVerdictKind::BeforeThreads;
}

void mergeVerdict(std::vector<ForkVerdict> &Known, ForkVerdict Verdict) {
  auto Same = llvm::find_if(
      Known, [&](const ForkVerdict &K) { return K.Loc == Verdict.Loc; });
  if (Same == Known.end()) {
    Known.push_back(std::move(Verdict));
    return;
  }
  // Other checks add their findings; the same checks in another program
  // find the same ones again.
  std::vector<CheckKind> Checks = Same->Checks;
  bool OtherChecks = false;
  for (CheckKind Check : Verdict.Checks)
    if (!llvm::is_contained(Checks, Check)) {
      Checks.push_back(Check);
      OtherChecks = true;
    }
  unsigned Findings = OtherChecks ? Same->Findings + Verdict.Findings
                                  : std::max(Same->Findings, Verdict.Findings);
  if (Verdict.Kind > Same->Kind)
    *Same = std::move(Verdict);
  std::sort(Checks.begin(), Checks.end());
  Same->Checks = std::move(Checks);
  Same->Findings = Findings;
}

void sortVerdicts(std::vector<ForkVerdict> &Verdicts) {
  std::sort(
      Verdicts.begin(), Verdicts.end(),
      [](const ForkVerdict &L, const ForkVerdict &R) { return L.Loc < R.Loc; });
}

} // namespace forksafety
