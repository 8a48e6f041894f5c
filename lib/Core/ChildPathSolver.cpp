//===- ChildPathSolver.cpp - What a child may do, on the model ------------===//

#include "Core/ChildPathSolver.h"

#include <algorithm>
#include <set>

namespace forksafety {

FunctionModels::~FunctionModels() = default;

namespace {

// Bounds the recursion of the summary computation itself, so that a call
// graph thousands of functions deep cannot exhaust the stack.
constexpr size_t MaxNesting = 256;
// A component whose summaries still change after this many walks keeps the
// last ones.
constexpr unsigned MaxRounds = 4;

FunctionSummary neutralSummary() {
  FunctionSummary Neutral;
  Neutral.ReturnsWithoutExec = true;
  return Neutral;
}

bool sameSite(const std::optional<UnsafeSite> &L,
              const std::optional<UnsafeSite> &R) {
  if (!L || !R)
    return !L && !R;
  return L->Loc == R->Loc && L->leaf().Subject == R->leaf().Subject &&
         L->leaf().Safety == R->leaf().Safety &&
         L->Chain.size() == R->Chain.size();
}

bool sameSummary(const FunctionSummary &L, const FunctionSummary &R) {
  return L.ReturnsWithoutExec == R.ReturnsWithoutExec &&
         L.DeepestCalls.size() == R.DeepestCalls.size() &&
         L.ReturnsAfterExec == R.ReturnsAfterExec &&
         sameSite(L.FirstUnsafe, R.FirstUnsafe) &&
         sameSite(L.FirstUnsafeBeforeExec, R.FirstUnsafeBeforeExec);
}

std::string depthLimitReason(unsigned Limit) {
  return "the call depth limit of " + std::to_string(Limit) + " is reached";
}

/// Cuts the call chain of \p Site after \p MaxDepth functions: the last
/// call kept becomes the operation that cannot be verified.
void limitCallDepth(UnsafeSite &Site, unsigned MaxDepth) {
  if (!Site.ViaCallee || Site.Chain.size() <= MaxDepth)
    return;
  if (MaxDepth == 0) {
    Site.ViaCallee = false;
    Site.Chain.clear();
    Site.Op.Safety = Verdict::Unverifiable;
    Site.Op.Reason = depthLimitReason(MaxDepth);
    return;
  }
  Site.Chain.resize(MaxDepth);
  Site.Leaf = Site.Chain.back().Op;
  Site.Leaf.Safety = Verdict::Unverifiable;
  Site.Leaf.Reason = depthLimitReason(MaxDepth);
}

UnsafeSite siteOf(const ModelEvent &Event) {
  UnsafeSite Site;
  Site.Loc = Event.Loc;
  Site.Op = Event.Op;
  Site.ExitFix = Event.ExitFix;
  return Site;
}

} // namespace

/// One walk over the paths of a PathGraph, collecting the unsafe work and
/// the ways the path goes on running.
class GraphWalk {
public:
  struct Settings {
    /// The function being walked, as named in call chains.
    std::string FunctionName;
    ChildRules Rules = ChildRules::AsyncSignalSafe;
    /// For fork children: functions this many calls deep or deeper cannot
    /// be verified.
    std::optional<unsigned> MaxCallDepth;
  };

  GraphWalk(ChildPathSolver &Solver, Settings S)
      : Solver(Solver), S(std::move(S)) {}

  void run(const PathGraph &Graph);
  std::vector<UnsafeSite> unsafeSites() const;
  std::optional<GoingOn> firstGoingOn() const;
  FunctionSummary summary() const;
  std::vector<ProtectedMutexUse> protectedUses() const;

private:
  enum class Step { Continue, Stop, MarkExecSeen, Split };
  struct State {
    bool ExecSeen = false;
    std::optional<LeavingChildCode> Context;
  };

  Step visit(const ModelEvent &Event, const State &State);
  Step followCall(const ModelEvent &Call, const FunctionModel &Callee,
                  const State &State);
  void record(unsigned Element, UnsafeSite Site, const State &State,
              bool GoesOn);
  void recordReturn(unsigned Node, const ModelNode &N, const State &State);
  std::optional<UnsafeSite> beyondDepthLimit(const ModelEvent &Call,
                                             const FunctionSummary &Callee);
  bool isBetterReason(const UnsafeSite &Candidate,
                      const UnsafeSite *Best) const;

  ChildPathSolver &Solver;
  Settings S;
  std::map<unsigned, UnsafeSite> Sites;
  /// Keyed by element for unsafe work, by node (offset past the elements)
  /// for returns.
  std::map<std::pair<bool, unsigned>, GoingOn> GoingOnEvents;
  bool ReturnsWithoutExec = false;
  bool ReturnsAfterExec = false;
  std::vector<ChainLink> DeepestCalls;
  std::map<unsigned, ProtectedMutexUse> ProtectedUses;
};

std::vector<ProtectedMutexUse> GraphWalk::protectedUses() const {
  std::vector<ProtectedMutexUse> Uses;
  Uses.reserve(ProtectedUses.size());
  for (const auto &Entry : ProtectedUses)
    Uses.push_back(Entry.second);
  llvm::sort(Uses, [](const ProtectedMutexUse &A, const ProtectedMutexUse &B) {
    return A.Loc < B.Loc;
  });
  return Uses;
}

/// The name of a global variable from its USR ("c:file.c@registry_lock").
static std::string variableName(llvm::StringRef Usr) {
  return Usr.rsplit('@').second.str();
}

void GraphWalk::run(const PathGraph &Graph) {
  struct Item {
    unsigned Node;
    size_t FirstEvent;
    State S;
  };
  if (Graph.Nodes.empty())
    return;
  std::set<std::pair<unsigned, bool>> Visited{{0, false}};
  std::vector<Item> Worklist{{0, 0, {}}};
  while (!Worklist.empty()) {
    Item Current = std::move(Worklist.back());
    Worklist.pop_back();
    const ModelNode &Node = Graph.Nodes[Current.Node];
    State &St = Current.S;
    bool Stopped = false;
    for (size_t I = Current.FirstEvent, E = Node.Events.size(); I < E; ++I) {
      Step Next = visit(Node.Events[I], St);
      if (Next == Step::Stop) {
        Stopped = true;
        break;
      }
      if (Next == Step::MarkExecSeen) {
        St.ExecSeen = true;
      } else if (Next == Step::Split && !St.ExecSeen) {
        // The copy resumes after this event as a path that reached exec.
        State Execed = St;
        Execed.ExecSeen = true;
        Worklist.push_back({Current.Node, I + 1, std::move(Execed)});
      }
    }
    if (Stopped)
      continue;
    if (Node.Returns)
      recordReturn(Current.Node, Node, St);
    for (const ModelEdge &Edge : Node.Successors) {
      State Next = St;
      if (Edge.Leaves && !Next.Context)
        Next.Context = Edge.Leaves;
      if (Visited.insert({Edge.To, Next.ExecSeen}).second)
        Worklist.push_back({Edge.To, 0, std::move(Next)});
    }
  }
}

void GraphWalk::record(unsigned Element, UnsafeSite Site, const State &St,
                       bool GoesOn) {
  if (GoesOn && !St.ExecSeen)
    GoingOnEvents.emplace(
        std::make_pair(false, Element),
        GoingOn{GoingOn::UnsafeWork, Site.Loc, Site, St.Context});
  Sites.emplace(Element, std::move(Site));
}

void GraphWalk::recordReturn(unsigned Node, const ModelNode &N,
                             const State &St) {
  if (St.ExecSeen) {
    ReturnsAfterExec = true;
    return;
  }
  ReturnsWithoutExec = true;
  GoingOnEvents.emplace(std::make_pair(true, Node),
                        GoingOn{GoingOn::Returns, N.ReturnLoc, {}, St.Context});
}

GraphWalk::Step GraphWalk::visit(const ModelEvent &Event, const State &St) {
  switch (Event.Kind) {
  case ModelEvent::Unsafe:
    if (S.Rules == ChildRules::AllocationToo && Event.OnlyAllocates)
      return Step::Continue;
    if (!Event.Mutex.empty())
      if (auto It = Solver.ProtectedMutexes.find(Event.Mutex);
          It != Solver.ProtectedMutexes.end()) {
        ProtectedUses.emplace(Event.Element,
                              ProtectedMutexUse{Event.Loc, Event.Op.Subject,
                                                variableName(Event.Mutex),
                                                It->second});
        return Step::Continue;
      }
    record(Event.Element, siteOf(Event), St, /*GoesOn=*/true);
    return Step::Continue;
  case ModelEvent::VforkOnly:
    if (S.Rules == ChildRules::ExecOrExitOnly) {
      UnsafeSite Site = siteOf(Event);
      Site.Op.Safety = Verdict::NotAllowedAfterVfork;
      record(Event.Element, std::move(Site), St, /*GoesOn=*/true);
    }
    return Step::Continue;
  case ModelEvent::Exec:
    return Step::MarkExecSeen;
  case ModelEvent::ExecPathSearch:
    if (Solver.Opts.ReportExecpFunctions)
      record(Event.Element, siteOf(Event), St, /*GoesOn=*/false);
    return Step::MarkExecSeen;
  case ModelEvent::Call:
    if (const FunctionModel *Callee = Solver.Models.find(Event.Callee))
      return followCall(Event, *Callee, St);
    // No definition anywhere: Op says why it cannot be verified.
    record(Event.Element, siteOf(Event), St, /*GoesOn=*/true);
    return Step::Continue;
  }
  return Step::Continue;
}

GraphWalk::Step GraphWalk::followCall(const ModelEvent &Call,
                                      const FunctionModel &Callee,
                                      const State &St) {
  Operation CallOp = Call.Op;
  CallOp.Safety = Verdict::NotSignalSafe;
  CallOp.Reason.clear();
  std::optional<FunctionSummary> Summary = Solver.summaryOf(Callee, S.Rules);
  if (!Summary) {
    UnsafeSite Site{Call.Loc, CallOp, {}, false, {}, {}};
    Site.Op.Safety = Verdict::Unverifiable;
    Site.Op.Reason = "its calls nest too deeply to be followed";
    record(Call.Element, std::move(Site), St, /*GoesOn=*/true);
    return Step::Continue;
  }
  auto Through = [&](const UnsafeSite &Inner) {
    UnsafeSite Site{Call.Loc, CallOp, Inner.leaf(), true, {}, {}};
    Site.Chain.push_back({Inner.Loc, Callee.Name, Inner.Op});
    Site.Chain.insert(Site.Chain.end(), Inner.Chain.begin(), Inner.Chain.end());
    return Site;
  };
  if (Summary->DeepestCalls.size() + 1 > DeepestCalls.size() &&
      DeepestCalls.size() <= Solver.Opts.MaxCallDepth) {
    DeepestCalls = {ChainLink{Call.Loc, S.FunctionName, CallOp}};
    DeepestCalls.insert(DeepestCalls.end(), Summary->DeepestCalls.begin(),
                        Summary->DeepestCalls.end());
  }
  if (std::optional<UnsafeSite> TooDeep = beyondDepthLimit(Call, *Summary)) {
    record(Call.Element, std::move(*TooDeep), St, /*GoesOn=*/true);
  } else {
    if (Summary->FirstUnsafe)
      Sites.emplace(Call.Element, Through(*Summary->FirstUnsafe));
    if (!St.ExecSeen && Summary->FirstUnsafeBeforeExec)
      GoingOnEvents.emplace(std::make_pair(false, Call.Element),
                            GoingOn{GoingOn::UnsafeWork, Call.Loc,
                                    Through(*Summary->FirstUnsafeBeforeExec),
                                    St.Context});
  }
  if (Summary->ReturnsWithoutExec && Summary->ReturnsAfterExec)
    return Step::Split;
  if (Summary->ReturnsWithoutExec)
    return Step::Continue;
  if (Summary->ReturnsAfterExec)
    return Step::MarkExecSeen;
  return Step::Stop;
}

std::optional<UnsafeSite>
GraphWalk::beyondDepthLimit(const ModelEvent &Call,
                            const FunctionSummary &Callee) {
  // A callee known to be unsafe is reported as such; the chain of its reason
  // is cut at the limit when the finding is reported.
  if (!S.MaxCallDepth || Callee.FirstUnsafe ||
      Callee.DeepestCalls.size() + 1 <= *S.MaxCallDepth)
    return std::nullopt;
  unsigned Limit = *S.MaxCallDepth;
  UnsafeSite Site{Call.Loc, Call.Op, {}, false, {}, {}};
  Site.Op.Reason.clear();
  if (Limit == 0) {
    Site.Op.Safety = Verdict::Unverifiable;
    Site.Op.Reason = depthLimitReason(Limit);
    return Site;
  }
  Site.ViaCallee = true;
  Site.Chain.assign(Callee.DeepestCalls.begin(),
                    Callee.DeepestCalls.begin() + Limit);
  Site.Leaf = Site.Chain.back().Op;
  Site.Leaf.Safety = Verdict::Unverifiable;
  Site.Leaf.Reason = depthLimitReason(Limit);
  return Site;
}

std::vector<UnsafeSite> GraphWalk::unsafeSites() const {
  std::vector<UnsafeSite> Result;
  Result.reserve(Sites.size());
  for (const auto &Entry : Sites)
    Result.push_back(Entry.second);
  std::sort(Result.begin(), Result.end(),
            [&](const UnsafeSite &L, const UnsafeSite &R) {
              if (L.Loc != R.Loc)
                return L.Loc < R.Loc;
              if (L.Op.Kind != R.Op.Kind)
                return L.Op.Kind < R.Op.Kind;
              return L.Op.Subject < R.Op.Subject;
            });
  return Result;
}

std::optional<GoingOn> GraphWalk::firstGoingOn() const {
  const GoingOn *First = nullptr;
  for (const auto &Entry : GoingOnEvents) {
    const GoingOn &Event = Entry.second;
    if (!First || Event.Loc < First->Loc ||
        (Event.Loc == First->Loc && Event.Kind < First->Kind))
      First = &Event;
  }
  if (!First)
    return std::nullopt;
  return *First;
}

bool GraphWalk::isBetterReason(const UnsafeSite &Candidate,
                               const UnsafeSite *Best) const {
  if (!Best)
    return true;
  bool CandidateKnown = Candidate.leaf().Safety != Verdict::Unverifiable;
  bool BestKnown = Best->leaf().Safety != Verdict::Unverifiable;
  if (CandidateKnown != BestKnown)
    return CandidateKnown;
  if (Candidate.Chain.size() != Best->Chain.size())
    return Candidate.Chain.size() < Best->Chain.size();
  return Candidate.Loc < Best->Loc;
}

FunctionSummary GraphWalk::summary() const {
  // A callee is described by the most direct operation known to be unsafe;
  // only a callee with none is described by what cannot be verified.
  FunctionSummary Summary;
  const UnsafeSite *First = nullptr;
  for (const auto &Entry : Sites)
    if (isBetterReason(Entry.second, First))
      First = &Entry.second;
  if (First)
    Summary.FirstUnsafe = *First;
  const UnsafeSite *FirstBeforeExec = nullptr;
  for (const auto &Entry : GoingOnEvents)
    if (Entry.second.Kind == GoingOn::UnsafeWork &&
        isBetterReason(Entry.second.Site, FirstBeforeExec))
      FirstBeforeExec = &Entry.second.Site;
  if (FirstBeforeExec)
    Summary.FirstUnsafeBeforeExec = *FirstBeforeExec;
  Summary.ReturnsWithoutExec = ReturnsWithoutExec;
  Summary.ReturnsAfterExec = ReturnsAfterExec;
  Summary.DeepestCalls = DeepestCalls;
  return Summary;
}

ChildRules rulesFor(const ForkModel &Fork, const AnalysisOptions &Opts) {
  if (Fork.Kind == ForkKind::VFork)
    return ChildRules::ExecOrExitOnly;
  // glibc resets malloc's locks in the child of fork (and of forkpty and
  // daemon, which call it), not of _Fork.
  if (Opts.Libc == LibcProfile::Glibc && Fork.ForkFunction != "_Fork")
    return ChildRules::AllocationToo;
  return ChildRules::AsyncSignalSafe;
}

ChildPathSolver::ChildPathSolver(
    FunctionModels &Models, const AnalysisOptions &Opts,
    std::map<std::string, std::string> ProtectedMutexes)
    : Models(Models), Opts(Opts),
      ProtectedMutexes(std::move(ProtectedMutexes)) {}

ChildPathSolver::~ChildPathSolver() = default;

ChildBehaviour ChildPathSolver::analyzeFork(const ForkModel &Fork) {
  GraphWalk::Settings Settings;
  Settings.FunctionName = Fork.FunctionName;
  Settings.Rules = rulesFor(Fork, Opts);
  Settings.MaxCallDepth = Opts.MaxCallDepth;
  GraphWalk Walk(*this, Settings);
  Walk.run(Fork.Child);
  ChildBehaviour Result;
  Result.UnsafeSites = Walk.unsafeSites();
  for (UnsafeSite &Site : Result.UnsafeSites)
    limitCallDepth(Site, Opts.MaxCallDepth);
  Result.FirstGoingOn = Walk.firstGoingOn();
  if (Result.FirstGoingOn)
    limitCallDepth(Result.FirstGoingOn->Site, Opts.MaxCallDepth);
  Result.ProtectedUses = Walk.protectedUses();
  return Result;
}

void ChildPathSolver::recordPending(const Key &Function,
                                    const FunctionSummary &Summary,
                                    size_t LowLink) {
  auto It = Working.find(Function);
  if (It == Working.end() || !sameSummary(It->second.Summary, Summary))
    ++Changes;
  Working[Function] = Pending{Summary, Round, LowLink};
}

std::optional<FunctionSummary>
ChildPathSolver::summaryOf(const FunctionModel &Model, ChildRules Rules) {
  Key Function(&Model, Rules);
  if (auto It = Done.find(Function); It != Done.end())
    return It->second;
  // Recursion: the function's own walk collects its work; callers inside the
  // cycle see its latest approximation. A recursive call does not make the
  // chain of calls deeper.
  if (auto It = OnStack.find(Function); It != OnStack.end()) {
    Stack.back().LowLink = std::min(Stack.back().LowLink, It->second);
    auto Approximation = Working.find(Function);
    FunctionSummary Summary = Approximation == Working.end()
                                  ? neutralSummary()
                                  : Approximation->second.Summary;
    Summary.DeepestCalls.clear();
    return Summary;
  }
  if (auto It = Working.find(Function);
      It != Working.end() && It->second.Round == Round) {
    if (!Stack.empty())
      Stack.back().LowLink = std::min(Stack.back().LowLink, It->second.LowLink);
    return It->second.Summary;
  }
  if (Stack.size() >= MaxNesting)
    return std::nullopt;

  size_t Index = Stack.size();
  Stack.push_back({Function, Index});
  OnStack[Function] = Index;
  FunctionSummary Summary = solve(Function, Index);
  Frame Finished = Stack.back();
  Stack.pop_back();
  OnStack.erase(Function);

  if (Finished.LowLink < Index) {
    // Part of a component whose root is further down the stack.
    recordPending(Function, Summary, Finished.LowLink);
    OpenMembers.push_back(Function);
    Stack.back().LowLink = std::min(Stack.back().LowLink, Finished.LowLink);
    return Summary;
  }
  Done[Function] = Summary;
  Working.erase(Function);
  return Summary;
}

FunctionSummary ChildPathSolver::solve(const Key &Function, size_t Index) {
  size_t MembersMark = OpenMembers.size();
  FunctionSummary Summary;
  for (unsigned Walk = 1;; ++Walk) {
    ++Round;
    unsigned ChangesBefore = Changes;
    Stack.back().LowLink = Index;
    Summary = compute(Function);
    bool IsRootOfComponent =
        Stack.back().LowLink == Index && OpenMembers.size() > MembersMark;
    if (!IsRootOfComponent)
      return Summary;
    recordPending(Function, Summary, Index);
    if (Changes == ChangesBefore || Walk == MaxRounds)
      break;
    // Walk the component again against the new approximations.
    OpenMembers.resize(MembersMark);
  }
  for (size_t I = MembersMark; I < OpenMembers.size(); ++I) {
    auto It = Working.find(OpenMembers[I]);
    if (It != Working.end()) {
      Done[OpenMembers[I]] = It->second.Summary;
      Working.erase(It);
    }
  }
  OpenMembers.resize(MembersMark);
  return Summary;
}

FunctionSummary ChildPathSolver::compute(const Key &Function) {
  const FunctionModel &Model = *Function.first;
  if (!Model.Paths.Analysed) {
    FunctionSummary Opaque = neutralSummary();
    Operation Op;
    Op.Subject = Model.Name;
    Op.Safety = Verdict::Unverifiable;
    Op.Reason = "its control flow cannot be analysed";
    Opaque.FirstUnsafe = UnsafeSite{Model.Loc, Op, {}, false, {}, {}};
    Opaque.FirstUnsafeBeforeExec = Opaque.FirstUnsafe;
    return Opaque;
  }
  GraphWalk::Settings Settings;
  Settings.FunctionName = Model.Name;
  Settings.Rules = Function.second;
  GraphWalk Walk(*this, Settings);
  Walk.run(Model.Paths);
  return Walk.summary();
}

} // namespace forksafety
