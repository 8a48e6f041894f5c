//===- ChildPathSolver.cpp - What a child may do, on the model ------------===//

#include "Core/ChildPaths/ChildPathSolver.h"

#include "Core/ChildPaths/Arguments.h"

#include "Core/ChildPaths/StronglyConnected.h"
#include "Core/Functions/FunctionTable.h"

#include "llvm/ADT/ArrayRef.h"

#include <algorithm>
#include <deque>
#include <numeric>
#include <set>

namespace forksafety {

FunctionModels::~FunctionModels() = default;

namespace {

bool sameSite(const std::optional<SummarySite> &L,
              const std::optional<SummarySite> &R) {
  if (!L || !R)
    return !L && !R;
  return L->Loc == R->Loc && L->Op.Subject == R->Op.Subject &&
         L->Op.Kind == R->Op.Kind && L->Callee == R->Callee &&
         L->CalleeArguments == R->CalleeArguments && L->Next == R->Next &&
         L->Depth == R->Depth && L->Rank == R->Rank;
}

/// How bad an unsafe operation is: known to take a lock or allocate (2),
/// unverifiable (1), merely not on the async-signal-safe list (0).
unsigned char reasonRank(const Operation &Op) {
  if (Op.Safety == Verdict::Unverifiable)
    return 1;
  return Op.TakesLocks ? 2 : 0;
}

/// A reason is better when its operation is worse (reasonRank), then when
/// fewer calls lead to it, then when it comes first.
bool isBetterReason(const SummarySite &Candidate, const SummarySite *Best) {
  if (!Best)
    return true;
  if (Candidate.Rank != Best->Rank)
    return Candidate.Rank > Best->Rank;
  if (Candidate.Depth != Best->Depth)
    return Candidate.Depth < Best->Depth;
  return Candidate.Loc < Best->Loc;
}

/// Shows the first and last calls of a chain longer than \p Limit, with
/// a link standing for those in between.
void limitChainNotes(UnsafeSite &Site, unsigned Limit) {
  if (Limit == 0 || Site.Chain.size() <= Limit)
    return;
  size_t Head = (Limit + 1) / 2, Tail = Limit / 2;
  size_t Skipped = Site.Chain.size() - Head - Tail;
  ChainLink Gap = Site.Chain[Head];
  Gap.Skipped = Skipped;
  Site.Chain.erase(Site.Chain.begin() + Head,
                   Site.Chain.begin() + Head + Skipped);
  Site.Chain.insert(Site.Chain.begin() + Head, std::move(Gap));
}

/// False when the arguments \p Arguments rule out the paths through \p Edge.
bool mayTake(const ModelEdge &Edge, const ArgumentValues *Arguments) {
  if (!Edge.Condition || !Arguments)
    return true;
  for (const KnownArgument &Value : *Arguments)
    if (Value.Position == Edge.Condition->Param)
      return conditionHolds(*Edge.Condition, Value).value_or(true);
  return true;
}

Operation callOperation(const ModelEvent &Call) {
  Operation CallOp = Call.Op;
  CallOp.Safety = Verdict::NotSignalSafe;
  CallOp.Reason.clear();
  return CallOp;
}

} // namespace

bool FunctionSummary::operator==(const FunctionSummary &Other) const {
  return EndsWithoutExec == Other.EndsWithoutExec &&
         ReturnsWithoutExec == Other.ReturnsWithoutExec &&
         ReturnsAfterExec == Other.ReturnsAfterExec &&
         sameSite(Unsafe, Other.Unsafe) &&
         sameSite(UnsafeThenEnds, Other.UnsafeThenEnds) &&
         sameSite(UnsafeThenReturns, Other.UnsafeThenReturns);
}

const std::optional<SummarySite> &
FunctionSummary::reason(CalleeReason Which) const {
  switch (Which) {
  case CalleeReason::ThenEnds:
    return UnsafeThenEnds;
  case CalleeReason::ThenReturns:
    return UnsafeThenReturns;
  case CalleeReason::Any:
    break;
  }
  return Unsafe;
}

namespace {

struct Reason {
  SummarySite Site;
  std::optional<TextEdit> ExitFix;
};

/// How the paths from a point, on which no exec was reached, may end
/// without reaching one.
struct Ending {
  /// By ending the process, or by looping forever.
  bool Terminates = false;
  /// By returning from the function.
  bool Returns = false;

  bool any() const { return Terminates || Returns; }
  Ending &operator|=(Ending Other) {
    Terminates |= Other.Terminates;
    Returns |= Other.Returns;
    return *this;
  }
};

struct PendingGoingOn {
  GoingOn::KindType Kind;
  Location Loc;
  std::optional<Reason> Work;
  std::optional<LeavingChildCode> Context;
  /// For UnsafeWork: how the path goes on to end after the work.
  Ending Then;
};

/// A return from the forking function runs code the check cannot see: as
/// bad as an unverifiable call.
unsigned char rankOf(const PendingGoingOn &Event) {
  return Event.Work ? Event.Work->Site.Rank : 1;
}

/// The worst way to go on is reported first, then the earliest.
bool isReportedFirst(const PendingGoingOn &L, const PendingGoingOn &R) {
  if (rankOf(L) != rankOf(R))
    return rankOf(L) > rankOf(R);
  return L.Loc < R.Loc || (L.Loc == R.Loc && L.Kind < R.Kind);
}

} // namespace

/// Where the paths of one PathGraph that have not reached exec may end
/// without reaching it. Work before an exec that every path then reaches
/// does not make the child run program code: only the paths that go on
/// without exec matter for the fork check. Each node is solved once, over
/// the strongly connected components of the graph.
class PathEndings {
public:
  /// Edges of \p Graph into a continuation lead into \p Continuation.
  /// \p Arguments are those of the call whose paths \p Graph holds.
  PathEndings(ChildPathSolver &Solver, ChildRules Rules, const PathGraph &Graph,
              PathEndings *Continuation,
              const ArgumentValues *Arguments = nullptr)
      : Solver(Solver), Rules(Rules), Graph(Graph), Continuation(Continuation),
        Arguments(Arguments) {}

  /// From event \p FirstEvent of \p Node on.
  Ending fromEvent(unsigned Node, size_t FirstEvent);
  Ending fromNode(unsigned Node);

private:
  /// What a node's own events do from \p FirstEvent, and whether its paths
  /// go on past them.
  struct Local {
    Ending Own;
    bool GoesOn = true;
  };
  Local scan(const ModelNode &Node, size_t FirstEvent);
  /// Where the paths go once they passed every event of \p Node, besides
  /// the nodes of the component being solved (InComponent), which lead to
  /// them.
  Ending afterEvents(const ModelNode &Node);
  void solve(unsigned Root);
  void fitGraph();

  ChildPathSolver &Solver;
  ChildRules Rules;
  const PathGraph &Graph;
  PathEndings *Continuation;
  const ArgumentValues *Arguments;
  /// Per node: the ending from its first event, once solved.
  std::vector<std::optional<Ending>> Known;
  /// Per node: a member of the component being solved.
  std::vector<bool> InComponent;
};

PathEndings::Local PathEndings::scan(const ModelNode &Node, size_t FirstEvent) {
  Local Result;
  for (size_t I = FirstEvent, E = Node.Events.size(); I < E; ++I) {
    const ModelEvent &Event = Node.Events[I];
    if (Event.Kind == ModelEvent::Exec ||
        Event.Kind == ModelEvent::ExecPathSearch ||
        Event.Kind == ModelEvent::Unreachable) {
      Result.GoesOn = false;
      return Result;
    }
    CalledFunctions Targets = Solver.callTargets(Event, Arguments);
    if (Targets.empty())
      continue;
    bool Returns = false;
    for (const CalledFunction &Target : Targets) {
      const FunctionSummary &Summary =
          Solver.summaryOf(*Target.Callee, Rules, Target.Arguments);
      Result.Own.Terminates |= Summary.EndsWithoutExec;
      Returns |= Summary.ReturnsWithoutExec;
    }
    if (!Returns) {
      Result.GoesOn = false;
      return Result;
    }
  }
  return Result;
}

Ending PathEndings::afterEvents(const ModelNode &Node) {
  Ending Result;
  Result.Returns = Node.Returns;
  if (Node.Successors.empty() && !Node.Returns)
    Result.Terminates = true;
  for (const ModelEdge &Edge : Node.Successors) {
    if (!mayTake(Edge, Arguments))
      continue;
    if (Edge.IntoContinuation) {
      if (Continuation && Edge.To < Continuation->Graph.Nodes.size())
        Result |= Continuation->fromNode(Edge.To);
      else
        Result.Terminates = true;
    } else if (Edge.To < Graph.Nodes.size() && !InComponent[Edge.To]) {
      Result |= fromNode(Edge.To);
    }
  }
  return Result;
}

void PathEndings::fitGraph() {
  // A continuation grows between questions.
  Known.resize(Graph.Nodes.size());
  InComponent.resize(Graph.Nodes.size());
}

Ending PathEndings::fromEvent(unsigned Node, size_t FirstEvent) {
  if (FirstEvent == 0)
    return fromNode(Node);
  fitGraph();
  const ModelNode &N = Graph.Nodes[Node];
  Local L = scan(N, FirstEvent);
  if (L.GoesOn)
    L.Own |= afterEvents(N);
  return L.Own;
}

Ending PathEndings::fromNode(unsigned Node) {
  fitGraph();
  if (!Known[Node])
    solve(Node);
  return *Known[Node];
}

void PathEndings::solve(unsigned Root) {
  std::map<unsigned, Local> Locals;
  auto Successors = [&](unsigned Node, std::vector<unsigned> &Out) {
    const ModelNode &N = Graph.Nodes[Node];
    Local &L = Locals[Node] = scan(N, 0);
    if (!L.GoesOn)
      return;
    for (const ModelEdge &Edge : N.Successors)
      if (!Edge.IntoContinuation && Edge.To < Graph.Nodes.size() &&
          !Known[Edge.To] && mayTake(Edge, Arguments))
        Out.push_back(Edge.To);
  };
  auto Solve = [&](const std::vector<unsigned> &Members) {
    // The members reach each other: they share one ending.
    Ending Value;
    bool Leaves = false, Cyclic = Members.size() > 1;
    for (unsigned Member : Members)
      InComponent[Member] = true;
    for (unsigned Member : Members) {
      const Local &L = Locals.at(Member);
      const ModelNode &N = Graph.Nodes[Member];
      Value |= L.Own;
      if (!L.GoesOn) {
        Leaves = true;
        continue;
      }
      Value |= afterEvents(N);
      Leaves |= N.Returns || N.Successors.empty();
      for (const ModelEdge &Edge : N.Successors) {
        if (!mayTake(Edge, Arguments))
          continue;
        bool Inside = !Edge.IntoContinuation && Edge.To < Graph.Nodes.size() &&
                      InComponent[Edge.To];
        Leaves |= !Inside;
        Cyclic |= Inside;
      }
    }
    // A loop that nothing leaves runs forever.
    if (Cyclic && !Leaves)
      Value.Terminates = true;
    for (unsigned Member : Members) {
      Known[Member] = Value;
      InComponent[Member] = false;
    }
  };
  forEachComponent(Root, Successors, Solve);
}

/// One walk over the paths of a PathGraph, collecting the unsafe work and
/// the ways the path goes on running.
class GraphWalk {
public:
  /// \p Arguments are those of the call whose paths are walked, if any.
  GraphWalk(ChildPathSolver &Solver, ChildRules Rules,
            const ArgumentValues *Arguments = nullptr)
      : Solver(Solver), Rules(Rules), Arguments(Arguments) {}

  /// Walks \p Graph from node 0; its edges into a continuation lead into
  /// \p Continuation.
  void run(const PathGraph &Graph, const PathGraph *Continuation = nullptr);
  /// Where the paths of the graph being walked end; set by run.
  void setEndings(PathEndings &E) { Endings = &E; }
  FunctionSummary summary() const;
  /// For the child of a fork: its unsafe work with the chains of calls that
  /// lead to it, and how it goes on.
  std::vector<UnsafeSite> unsafeSites() const;
  /// The ways the child goes on, worst first, one per distinct reason, at
  /// most \p Limit; returns from the function only if \p Returns.
  std::vector<GoingOn> goingOns(size_t Limit, bool Returns) const;
  std::vector<ProtectedMutexUse> protectedUses() const;

private:
  friend class ChildPathSolver;
  enum class Step { Continue, Stop, MarkExecSeen, Split };
  struct State {
    bool ExecSeen = false;
    std::optional<LeavingChildCode> Context;
  };
  /// The graph a node or element is in.
  enum Part : unsigned { Own, InContinuation };

  /// Walks the events of \p Node from \p FirstEvent, adding to \p Ends the
  /// states in which its paths reach its end.
  void walkNode(unsigned Index, const ModelNode &Node, size_t FirstEvent,
                State St, llvm::SmallVectorImpl<State> &Ends);
  void enterContinuation(const PathGraph &Continuation, unsigned Node,
                         const State &St);

  /// The event's own operation as the reason.
  static Reason directReason(const ModelEvent &Event);
  /// How the path in \p St goes on to end without exec after the event
  /// being visited, if it has not reached exec.
  Ending endingAfterEvent(const State &St);
  void addGoingOn(unsigned Element, unsigned Which, Reason R, const State &St,
                  Ending Then);
  Step visit(const ModelEvent &Event, const State &State);
  /// A call to a C library function the program declares itself and
  /// defines nowhere: the library's, as if a system header declared it.
  Step visitLibraryCall(const ModelEvent &Event, const State &State);
  Step followCalls(const ModelEvent &Call, const CalledFunctions &Targets,
                   const State &State);
  void record(unsigned Element, Reason R, const State &State, bool GoesOn);
  void recordReturn(unsigned Node, const ModelNode &N, const State &State);
  UnsafeSite expand(const Reason &R) const;

  ChildPathSolver &Solver;
  ChildRules Rules;
  const ArgumentValues *Arguments;
  std::unique_ptr<PathEndings> OwnEndings;
  PathEndings *Endings = nullptr;
  /// The event being visited.
  unsigned CurrentNode = 0;
  size_t CurrentEvent = 0;
  std::map<std::pair<Part, unsigned>, Reason> Sites;
  /// Keyed by element for unsafe work (and which of a callee's reasons it
  /// is), by node for returns.
  enum GoingOnKey : unsigned {
    DirectWork,
    WorkThenEnds,
    WorkThenReturns,
    Return
  };
  std::map<std::tuple<Part, unsigned, unsigned>, PendingGoingOn> GoingOnEvents;
  bool ReturnsWithoutExec = false;
  bool ReturnsAfterExec = false;
  std::map<std::pair<Part, unsigned>, ProtectedMutexUse> ProtectedUses;
};

/// What the paths of a continuation do from each node, in each state, solved
/// once for the children of all the forks that lead into it. The graph may
/// grow between questions, by nodes that only lead to nodes of their own or
/// to nodes known before.
struct ChildPathSolver::ContinuationSummary {
  ContinuationSummary(ChildPathSolver &Solver, ChildRules Rules,
                      const PathGraph &Graph)
      : Endings(Solver, Rules, Graph, nullptr) {}
  PathEndings Endings;
  std::map<unsigned, Reason> SiteReasons;
  std::map<unsigned, ProtectedMutexUse> ProtectedUses;
  std::vector<PendingGoingOn> GoingOns;
  /// By state (node * 2 + exec seen): the index of its value, or -1.
  std::vector<int> ValueOf;
  std::deque<ContinuationValue> Values;
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
  return usrWithoutFile(Usr).rsplit('@').second.str();
}

void GraphWalk::walkNode(unsigned Index, const ModelNode &Node,
                         size_t FirstEvent, State St,
                         llvm::SmallVectorImpl<State> &Ends) {
  for (size_t I = FirstEvent, E = Node.Events.size(); I < E; ++I) {
    CurrentNode = Index;
    CurrentEvent = I;
    Step Next = visit(Node.Events[I], St);
    if (Next == Step::Stop)
      return;
    if (Next == Step::MarkExecSeen) {
      St.ExecSeen = true;
    } else if (Next == Step::Split && !St.ExecSeen) {
      // The copy goes on after this event as a path that reached exec.
      State Execed = St;
      Execed.ExecSeen = true;
      walkNode(Index, Node, I + 1, std::move(Execed), Ends);
    }
  }
  if (Node.Returns)
    recordReturn(Index, Node, St);
  Ends.push_back(std::move(St));
}

void GraphWalk::run(const PathGraph &Graph, const PathGraph *Continuation) {
  struct Item {
    unsigned Node;
    State S;
  };
  if (Graph.Nodes.empty())
    return;
  PathEndings *ContinuationEndings = nullptr;
  if (Continuation)
    ContinuationEndings =
        &Solver.continuationSummary(*Continuation, Rules).Endings;
  OwnEndings = std::make_unique<PathEndings>(Solver, Rules, Graph,
                                             ContinuationEndings, Arguments);
  Endings = OwnEndings.get();
  std::set<std::pair<unsigned, bool>> Visited{{0, false}};
  std::set<std::pair<unsigned, bool>> Continued;
  std::vector<Item> Worklist{{0, {}}};
  while (!Worklist.empty()) {
    Item Current = std::move(Worklist.back());
    Worklist.pop_back();
    llvm::SmallVector<State, 2> Ends;
    walkNode(Current.Node, Graph.Nodes[Current.Node], 0, std::move(Current.S),
             Ends);
    for (const State &St : Ends)
      for (const ModelEdge &Edge : Graph.Nodes[Current.Node].Successors) {
        if (!mayTake(Edge, Arguments))
          continue;
        State Next = St;
        if (Edge.Leaves && !Next.Context)
          Next.Context = Edge.Leaves;
        if (!Edge.IntoContinuation) {
          if (Visited.insert({Edge.To, Next.ExecSeen}).second)
            Worklist.push_back({Edge.To, std::move(Next)});
        } else if (Continuation && Edge.To < Continuation->Nodes.size() &&
                   Continued.insert({Edge.To, Next.ExecSeen}).second) {
          enterContinuation(*Continuation, Edge.To, Next);
        }
      }
  }
}

void GraphWalk::enterContinuation(const PathGraph &Continuation, unsigned Node,
                                  const State &St) {
  const ChildPathSolver::ContinuationSummary &Summary =
      Solver.continuationSummary(Continuation, Rules);
  const ChildPathSolver::ContinuationValue &Value =
      Solver.continuationValue(Continuation, Rules, Node, St.ExecSeen);
  for (unsigned Element : Value.Sites)
    Sites.emplace(std::make_pair(InContinuation, Element),
                  Summary.SiteReasons.at(Element));
  for (unsigned Element : Value.Protected)
    ProtectedUses.emplace(std::make_pair(InContinuation, Element),
                          Summary.ProtectedUses.at(Element));
  if (Value.WorstGoingOn) {
    PendingGoingOn Event = Summary.GoingOns[*Value.WorstGoingOn];
    Event.Context = St.Context;
    GoingOnEvents.emplace(
        std::make_tuple(InContinuation,
                        Event.Kind == GoingOn::Returns ? Return : DirectWork,
                        static_cast<unsigned>(*Value.WorstGoingOn)),
        std::move(Event));
  }
}

Ending GraphWalk::endingAfterEvent(const State &St) {
  if (St.ExecSeen || !Endings)
    return Ending();
  return Endings->fromEvent(CurrentNode, CurrentEvent + 1);
}

void GraphWalk::addGoingOn(unsigned Element, unsigned Which, Reason R,
                           const State &St, Ending Then) {
  if (!Then.any())
    return;
  Location Loc = R.Site.Loc;
  GoingOnEvents.emplace(
      std::make_tuple(Own, Which, Element),
      PendingGoingOn{GoingOn::UnsafeWork, Loc, std::move(R), St.Context, Then});
}

void GraphWalk::record(unsigned Element, Reason R, const State &St,
                       bool GoesOn) {
  if (GoesOn)
    addGoingOn(Element, DirectWork, R, St, endingAfterEvent(St));
  Sites.emplace(std::make_pair(Own, Element), std::move(R));
}

void GraphWalk::recordReturn(unsigned Node, const ModelNode &N,
                             const State &St) {
  if (St.ExecSeen) {
    ReturnsAfterExec = true;
    return;
  }
  ReturnsWithoutExec = true;
  GoingOnEvents.emplace(
      std::make_tuple(Own, Return, Node),
      PendingGoingOn{GoingOn::Returns, N.ReturnLoc, std::nullopt, St.Context});
}

Reason GraphWalk::directReason(const ModelEvent &Event) {
  return {SummarySite{Event.Loc, Event.Op, nullptr, nullptr, CalleeReason::Any,
                      0, reasonRank(Event.Op)},
          Event.ExitFix};
}

GraphWalk::Step GraphWalk::visit(const ModelEvent &Event, const State &St) {
  switch (Event.Kind) {
  case ModelEvent::Unsafe:
    // Without exec, the child's return from main is how it goes on, which
    // the fork check reports; after a failed exec it is a call to exit.
    if (Event.Op.Kind == OperationKind::Return) {
      if (St.ExecSeen)
        record(Event.Element, directReason(Event), St, /*GoesOn=*/false);
      return Step::Continue;
    }
    if (Event.CalleeParameter)
      if (CalledFunctions Targets = Solver.callTargets(Event, Arguments);
          !Targets.empty())
        return followCalls(Event, Targets, St);
    if (Rules == ChildRules::AllocationToo && Event.OnlyAllocates)
      return Step::Continue;
    if (Event.SystemCall && (Rules == ChildRules::SystemCallsToo ||
                             Rules == ChildRules::AllocationToo))
      return Step::Continue;
    if (!Event.Mutex.empty())
      if (auto It = Solver.ProtectedMutexes.find(Event.Mutex);
          It != Solver.ProtectedMutexes.end()) {
        ProtectedUses.emplace(std::make_pair(Own, Event.Element),
                              ProtectedMutexUse{Event.Loc, Event.Op.Subject,
                                                variableName(Event.Mutex),
                                                It->second});
        return Step::Continue;
      }
    record(Event.Element, directReason(Event), St, /*GoesOn=*/true);
    return Step::Continue;
  case ModelEvent::VforkOnly:
    if (Rules == ChildRules::ExecOrExitOnly) {
      Reason R = directReason(Event);
      R.Site.Op.Safety = Verdict::NotAllowedAfterVfork;
      R.Site.Rank = 0;
      record(Event.Element, std::move(R), St, /*GoesOn=*/true);
    }
    return Step::Continue;
  case ModelEvent::Exec:
    return Step::MarkExecSeen;
  case ModelEvent::Unreachable:
    return Step::Stop;
  case ModelEvent::ExecPathSearch:
    if (Solver.Opts.ReportExecpFunctions)
      record(Event.Element, directReason(Event), St, /*GoesOn=*/false);
    return Step::MarkExecSeen;
  case ModelEvent::Call:
    if (CalledFunctions Targets = Solver.callTargets(Event, Arguments);
        !Targets.empty())
      return followCalls(Event, Targets, St);
    if (isCLibraryFunctionUsr(Event.Callee.str()))
      return visitLibraryCall(Event, St);
    // No definition anywhere: Op says why it cannot be verified.
    record(Event.Element, directReason(Event), St, /*GoesOn=*/true);
    return Step::Continue;
  }
  return Step::Continue;
}

GraphWalk::Step GraphWalk::visitLibraryCall(const ModelEvent &Event,
                                            const State &St) {
  // The names that reach here are neither async-signal-safe nor exec or
  // exit (the recorder reads those as the library's wherever declared).
  if (Event.SystemCall && (Rules == ChildRules::SystemCallsToo ||
                           Rules == ChildRules::AllocationToo))
    return Step::Continue;
  Reason R = directReason(Event);
  R.Site.Op.Safety = Verdict::NotSignalSafe;
  R.Site.Op.Reason.clear();
  R.Site.Op.TakesLocks = takesLocksOrAllocates(
      canonicalLibraryName(cFunctionNameInUsr(Event.Callee.str())));
  R.Site.Rank = reasonRank(R.Site.Op);
  record(Event.Element, std::move(R), St, /*GoesOn=*/true);
  return Step::Continue;
}

GraphWalk::Step GraphWalk::followCalls(const ModelEvent &Call,
                                       const CalledFunctions &Targets,
                                       const State &St) {
  // A call through a parameter may call any of the functions passed there:
  // the worst reason of any of them, and every way they return.
  std::optional<Reason> Any, ThenEnds, ThenReturns;
  bool ReturnsWithoutExec = false, ReturnsAfterExec = false;
  for (const CalledFunction &Target : Targets) {
    const FunctionSummary &Summary =
        Solver.summaryOf(*Target.Callee, Rules, Target.Arguments);
    auto Keep = [&](std::optional<Reason> &Best, CalleeReason Which) {
      const std::optional<SummarySite> &Inner = Summary.reason(Which);
      if (!Inner)
        return;
      Operation CallOp = callOperation(Call);
      if (Call.CalleeParameter)
        CallOp.Subject = Target.Callee->Name;
      SummarySite Site{
          Call.Loc, std::move(CallOp), Target.Callee, Target.Arguments,
          Which,    Inner->Depth + 1,  Inner->Rank};
      if (!Best || isBetterReason(Site, &Best->Site))
        Best = Reason{std::move(Site), std::nullopt};
    };
    Keep(Any, CalleeReason::Any);
    Keep(ThenEnds, CalleeReason::ThenEnds);
    Keep(ThenReturns, CalleeReason::ThenReturns);
    ReturnsWithoutExec |= Summary.ReturnsWithoutExec;
    ReturnsAfterExec |= Summary.ReturnsAfterExec;
  }
  if (Any)
    Sites.emplace(std::make_pair(Own, Call.Element), std::move(*Any));
  if (!St.ExecSeen && ThenEnds)
    addGoingOn(Call.Element, WorkThenEnds, std::move(*ThenEnds), St,
               Ending{/*Terminates=*/true, /*Returns=*/false});
  if (!St.ExecSeen && ThenReturns)
    addGoingOn(Call.Element, WorkThenReturns, std::move(*ThenReturns), St,
               endingAfterEvent(St));
  if (ReturnsWithoutExec && ReturnsAfterExec)
    return Step::Split;
  if (ReturnsWithoutExec)
    return Step::Continue;
  if (ReturnsAfterExec)
    return Step::MarkExecSeen;
  return Step::Stop;
}

UnsafeSite GraphWalk::expand(const Reason &R) const {
  const SummarySite &Site = R.Site;
  if (!Site.Callee)
    return UnsafeSite{Site.Loc, Site.Op, {}, false, {}, R.ExitFix};
  const FunctionSummary &Callee =
      Solver.summaryOf(*Site.Callee, Rules, Site.CalleeArguments);
  return Solver.expand(Site.Loc, Site.Op, *Site.Callee, Site.CalleeArguments,
                       Rules, *Callee.reason(Site.Next));
}

std::vector<UnsafeSite> GraphWalk::unsafeSites() const {
  std::vector<UnsafeSite> Result;
  Result.reserve(Sites.size());
  for (const auto &Entry : Sites)
    Result.push_back(expand(Entry.second));
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

std::vector<GoingOn> GraphWalk::goingOns(size_t Limit, bool Returns) const {
  std::vector<const PendingGoingOn *> Order;
  Order.reserve(GoingOnEvents.size());
  for (const auto &Entry : GoingOnEvents)
    if (Returns || Entry.second.Kind != GoingOn::Returns)
      Order.push_back(&Entry.second);
  // Ties keep the order of the events' keys.
  std::vector<size_t> Rank(Order.size());
  std::iota(Rank.begin(), Rank.end(), 0);
  llvm::sort(Rank, [&](size_t L, size_t R) {
    if (isReportedFirst(*Order[L], *Order[R]))
      return true;
    return !isReportedFirst(*Order[R], *Order[L]) && L < R;
  });
  // One per distinct reason and place: the same operation reached twice,
  // or one call reached on two paths, is one reason.
  std::vector<GoingOn> Result;
  std::set<std::tuple<int, int, std::string>> Reasons;
  std::set<Location> Places;
  for (size_t Index : Rank) {
    const PendingGoingOn *Event = Order[Index];
    if (Result.size() == Limit)
      break;
    if (Places.count(Event->Loc))
      continue;
    GoingOn Next{Event->Kind, Event->Loc, {}, Event->Context};
    if (Event->Work)
      Next.Site = expand(*Event->Work);
    const Operation &Leaf = Next.Site.leaf();
    std::tuple<int, int, std::string> Reason(static_cast<int>(Event->Kind),
                                             static_cast<int>(Leaf.Kind),
                                             Leaf.Subject);
    if (Event->Work && !Reasons.insert(std::move(Reason)).second)
      continue;
    Places.insert(Event->Loc);
    Result.push_back(std::move(Next));
  }
  return Result;
}

FunctionSummary GraphWalk::summary() const {
  FunctionSummary Summary;
  const SummarySite *Best = nullptr;
  for (const auto &Entry : Sites)
    if (isBetterReason(Entry.second.Site, Best))
      Best = &Entry.second.Site;
  if (Best)
    Summary.Unsafe = *Best;
  const SummarySite *BestThenEnds = nullptr, *BestThenReturns = nullptr;
  for (const auto &Entry : GoingOnEvents) {
    const PendingGoingOn &Event = Entry.second;
    if (!Event.Work)
      continue;
    if (Event.Then.Terminates && isBetterReason(Event.Work->Site, BestThenEnds))
      BestThenEnds = &Event.Work->Site;
    if (Event.Then.Returns && isBetterReason(Event.Work->Site, BestThenReturns))
      BestThenReturns = &Event.Work->Site;
  }
  if (BestThenEnds)
    Summary.UnsafeThenEnds = *BestThenEnds;
  if (BestThenReturns)
    Summary.UnsafeThenReturns = *BestThenReturns;
  Summary.EndsWithoutExec = Endings && Endings->fromNode(0).Terminates;
  Summary.ReturnsWithoutExec = ReturnsWithoutExec;
  Summary.ReturnsAfterExec = ReturnsAfterExec;
  return Summary;
}

ChildRules rulesFor(const ForkModel &Fork, const AnalysisOptions &Opts) {
  if (Fork.Kind == ForkKind::VFork)
    return ChildRules::ExecOrExitOnly;
  switch (Opts.Libc) {
  case LibcProfile::Posix:
    return ChildRules::AsyncSignalSafe;
  case LibcProfile::Linux:
    return ChildRules::SystemCallsToo;
  case LibcProfile::Glibc:
    // glibc resets malloc's locks in the child of fork (and of forkpty and
    // daemon, which call it), not of _Fork.
    return Fork.ForkFunction == "_Fork" ? ChildRules::SystemCallsToo
                                        : ChildRules::AllocationToo;
  }
  return ChildRules::AsyncSignalSafe;
}

ChildPathSolver::ChildPathSolver(
    FunctionModels &Models, const AnalysisOptions &Opts,
    std::map<std::string, std::string> ProtectedMutexes)
    : Models(Models), Opts(Opts),
      ProtectedMutexes(std::move(ProtectedMutexes)) {}

ChildPathSolver::~ChildPathSolver() = default;

ChildBehaviour ChildPathSolver::analyzeFork(const ForkModel &Fork,
                                            const PathGraph *Continuation,
                                            ArgumentValues Parameters) {
  const ArgumentValues *Known = nullptr;
  if (!Parameters.empty())
    Known = &*InternedArguments.insert(std::move(Parameters)).first;
  GraphWalk Walk(*this, rulesFor(Fork, Opts), Known);
  Walk.run(Fork.Child, Continuation);
  ChildBehaviour Result;
  Result.UnsafeSites = Walk.unsafeSites();
  for (UnsafeSite &Site : Result.UnsafeSites)
    limitChainNotes(Site, Opts.MaxCallDepth);
  // A wrapper's child returns to its callers, where the call to the wrapper
  // is analysed as a fork site of its own.
  std::vector<GoingOn> GoingOns = Walk.goingOns(
      1 + ChildBehaviour::MaxOtherGoingOns, /*Returns=*/!Fork.InWrapper);
  if (!GoingOns.empty()) {
    Result.WorstGoingOn = std::move(GoingOns.front());
    limitChainNotes(Result.WorstGoingOn->Site, Opts.MaxCallDepth);
    Result.OtherGoingOns.assign(std::make_move_iterator(GoingOns.begin() + 1),
                                std::make_move_iterator(GoingOns.end()));
  }
  Result.ProtectedUses = Walk.protectedUses();
  Result.MayReturn = Walk.ReturnsWithoutExec || Walk.ReturnsAfterExec ||
                     llvm::any_of(Walk.GoingOnEvents, [](const auto &Entry) {
                       return Entry.second.Kind == GoingOn::Returns;
                     });
  return Result;
}

UnsafeSite ChildPathSolver::expand(Location Loc, Operation CallOp,
                                   const FunctionModel &Callee,
                                   const ArgumentValues *CalleeArguments,
                                   ChildRules Rules,
                                   const SummarySite &Inner) const {
  UnsafeSite Site{Loc, std::move(CallOp), {}, true, {}, {}};
  const FunctionModel *Function = &Callee;
  const ArgumentValues *Arguments = CalleeArguments;
  const SummarySite *Step = &Inner;
  // Each step is one call less deep, so the chain ends.
  for (unsigned Left = Inner.Depth + 1; Left; --Left) {
    Site.Chain.push_back({Step->Loc, Function->Name, Step->Op});
    Site.Leaf = Step->Op;
    if (!Step->Callee)
      break;
    Function = Step->Callee;
    Arguments = Step->CalleeArguments;
    const FunctionSummary *Next = known({Function, Rules, Arguments});
    if (!Next)
      break;
    const std::optional<SummarySite> &NextSite = Next->reason(Step->Next);
    if (!NextSite)
      break;
    Step = &*NextSite;
  }
  return Site;
}

const FunctionSummary *ChildPathSolver::known(const Key &Function) const {
  if (auto It = Done.find(Function); It != Done.end())
    return &It->second;
  if (auto It = Working.find(Function); It != Working.end())
    return &It->second;
  return nullptr;
}

const FunctionSummary &
ChildPathSolver::summaryOf(const FunctionModel &Model, ChildRules Rules,
                           const ArgumentValues *Arguments) {
  Key Function{&Model, Rules, Arguments};
  if (const FunctionSummary *Summary = known(Function))
    return *Summary;
  solveFrom(Function);
  return Done.at(Function);
}

std::vector<ChildPathSolver::Key>
ChildPathSolver::calleesOf(const Key &Function) {
  std::vector<Key> Callees;
  if (!Function.Function->paths().Analysed)
    return Callees;
  std::set<Key> Seen;
  for (const ModelNode &Node : Function.Function->paths().Nodes)
    for (const ModelEvent &Event : Node.Events)
      for (const CalledFunction &Target :
           callTargets(Event, Function.Arguments)) {
        Key CalleeKey{Target.Callee, Function.Rules, Target.Arguments};
        if (Seen.insert(CalleeKey).second)
          Callees.push_back(CalleeKey);
      }
  return Callees;
}

void ChildPathSolver::solveFrom(const Key &Root) {
  // The functions the walk needs, numbered for forEachComponent, with the
  // callees that are not solved yet.
  std::vector<Key> Functions;
  std::map<Key, unsigned> Ids;
  std::vector<std::vector<Key>> Callees;
  auto IdOf = [&](const Key &Function) {
    auto [It, Inserted] = Ids.try_emplace(Function, Functions.size());
    if (Inserted) {
      Functions.push_back(Function);
      Callees.emplace_back();
    }
    return It->second;
  };
  auto Successors = [&](unsigned Id, std::vector<unsigned> &Out) {
    std::vector<Key> Unsolved;
    for (const Key &Callee : calleesOf(Key(Functions[Id])))
      if (!known(Callee)) {
        Unsolved.push_back(Callee);
        Out.push_back(IdOf(Callee));
      }
    Callees[Id] = std::move(Unsolved);
  };
  auto Solve = [&](const std::vector<unsigned> &Ids) {
    std::vector<Key> Component;
    for (unsigned Id : Ids)
      Component.push_back(Functions[Id]);
    std::set<Key> Members(Component.begin(), Component.end());
    std::map<Key, std::vector<Key>> CallersInside;
    bool Recursive = Component.size() > 1;
    for (unsigned Id : Ids)
      for (const Key &Callee : Callees[Id])
        if (Members.count(Callee)) {
          CallersInside[Callee].push_back(Functions[Id]);
          Recursive |= Callee == Functions[Id];
        }
    if (Recursive)
      solveComponent(Component, CallersInside);
    else
      Done[Component.front()] = compute(Component.front());
  };
  forEachComponent(IdOf(Root), Successors, Solve);
}

void ChildPathSolver::solveComponent(
    const std::vector<Key> &Members,
    const std::map<Key, std::vector<Key>> &CallersInside) {
  // From the least summaries (no path returns, nothing unsafe), a function
  // is walked again whenever the summary of a callee in the component grew.
  for (const Key &Member : Members)
    Working[Member] = FunctionSummary();
  std::deque<Key> Queue(Members.begin(), Members.end());
  std::set<Key> Queued(Members.begin(), Members.end());
  while (!Queue.empty()) {
    Key Function = Queue.front();
    Queue.pop_front();
    Queued.erase(Function);
    FunctionSummary Summary = compute(Function);
    FunctionSummary &Known = Working[Function];
    if (Summary == Known)
      continue;
    Known = std::move(Summary);
    if (auto It = CallersInside.find(Function); It != CallersInside.end())
      for (const Key &Caller : It->second)
        if (Queued.insert(Caller).second)
          Queue.push_back(Caller);
  }
  for (const Key &Member : Members) {
    auto It = Working.find(Member);
    Done[Member] = std::move(It->second);
    Working.erase(It);
  }
}

ChildPathSolver::ContinuationSummary &
ChildPathSolver::continuationSummary(const PathGraph &Continuation,
                                     ChildRules Rules) {
  std::unique_ptr<ContinuationSummary> &Summary =
      Continuations[{&Continuation, Rules}];
  if (!Summary)
    Summary = std::make_unique<ContinuationSummary>(*this, Rules, Continuation);
  return *Summary;
}

const ChildPathSolver::ContinuationValue &
ChildPathSolver::continuationValue(const PathGraph &Continuation,
                                   ChildRules Rules, unsigned Node,
                                   bool ExecSeen) {
  ContinuationSummary &Summary = continuationSummary(Continuation, Rules);
  Summary.ValueOf.resize(Continuation.Nodes.size() * 2, -1);
  unsigned Root = Node * 2 + ExecSeen;
  if (Summary.ValueOf[Root] < 0)
    solveContinuation(Continuation, Rules, Summary, Root);
  return Summary.Values[Summary.ValueOf[Root]];
}

/// What one state of a continuation does itself, and the states it leads
/// to.
struct ChildPathSolver::ContinuationState {
  ContinuationValue Value;
  std::vector<unsigned> Next;
};

void ChildPathSolver::solveContinuation(const PathGraph &Continuation,
                                        ChildRules Rules,
                                        ContinuationSummary &Summary,
                                        unsigned Root) {
  std::map<unsigned, ContinuationState> States;
  auto Successors = [&](unsigned State, std::vector<unsigned> &Out) {
    ContinuationState &Walked = States[State] =
        walkContinuationState(Continuation, Rules, Summary, State);
    for (unsigned Next : Walked.Next)
      if (Summary.ValueOf[Next] < 0)
        Out.push_back(Next);
  };
  auto Solve = [&](const std::vector<unsigned> &Members) {
    mergeContinuationComponent(Summary, Members, States);
  };
  forEachComponent(Root, Successors, Solve);
}

ChildPathSolver::ContinuationState ChildPathSolver::walkContinuationState(
    const PathGraph &Continuation, ChildRules Rules,
    ContinuationSummary &Summary, unsigned State) {
  GraphWalk Walk(*this, Rules);
  Walk.setEndings(Summary.Endings);
  const ModelNode &Node = Continuation.Nodes[State / 2];
  GraphWalk::State Start;
  Start.ExecSeen = State % 2;
  llvm::SmallVector<GraphWalk::State, 2> Ends;
  Walk.walkNode(State / 2, Node, 0, Start, Ends);
  ContinuationState Walked;
  for (auto &[Key, R] : Walk.Sites) {
    Walked.Value.Sites.push_back(Key.second);
    Summary.SiteReasons.try_emplace(Key.second, std::move(R));
  }
  for (auto &[Key, Use] : Walk.ProtectedUses) {
    Walked.Value.Protected.push_back(Key.second);
    Summary.ProtectedUses.try_emplace(Key.second, std::move(Use));
  }
  const PendingGoingOn *First = nullptr;
  for (const auto &Entry : Walk.GoingOnEvents)
    if (!First || isReportedFirst(Entry.second, *First))
      First = &Entry.second;
  if (First) {
    Walked.Value.WorstGoingOn = Summary.GoingOns.size();
    Summary.GoingOns.push_back(*First);
  }
  for (const GraphWalk::State &End : Ends)
    for (const ModelEdge &Edge : Node.Successors)
      if (!Edge.IntoContinuation && Edge.To < Continuation.Nodes.size())
        Walked.Next.push_back(Edge.To * 2 + End.ExecSeen);
  sortUnique(Walked.Next);
  return Walked;
}

void ChildPathSolver::mergeContinuationComponent(
    ContinuationSummary &Summary, const std::vector<unsigned> &Members,
    const std::map<unsigned, ContinuationState> &States) {
  // The members of a component reach each other: they share one value.
  ContinuationValue Value;
  std::set<int> Reached;
  bool OwnWork = false;
  auto Add = [&](const ContinuationValue &From) {
    Value.Sites.insert(Value.Sites.end(), From.Sites.begin(), From.Sites.end());
    Value.Protected.insert(Value.Protected.end(), From.Protected.begin(),
                           From.Protected.end());
    if (From.WorstGoingOn &&
        (!Value.WorstGoingOn ||
         isReportedFirst(Summary.GoingOns[*From.WorstGoingOn],
                         Summary.GoingOns[*Value.WorstGoingOn])))
      Value.WorstGoingOn = From.WorstGoingOn;
  };
  std::vector<unsigned> Sorted(Members);
  llvm::sort(Sorted);
  for (unsigned Member : Members) {
    const ContinuationState &Walked = States.at(Member);
    OwnWork |= !Walked.Value.Sites.empty() || !Walked.Value.Protected.empty() ||
               Walked.Value.WorstGoingOn;
    Add(Walked.Value);
    for (unsigned Next : Walked.Next)
      if (!std::binary_search(Sorted.begin(), Sorted.end(), Next))
        Reached.insert(Summary.ValueOf[Next]);
  }
  int Index;
  if (!OwnWork && Reached.size() == 1) {
    // Paths that only pass through share the value of where they lead.
    Index = *Reached.begin();
  } else {
    for (int Next : Reached)
      Add(Summary.Values[Next]);
    for (std::vector<unsigned> *Set : {&Value.Sites, &Value.Protected})
      sortUnique(*Set);
    Index = static_cast<int>(Summary.Values.size());
    Summary.Values.push_back(std::move(Value));
  }
  for (unsigned Member : Members)
    Summary.ValueOf[Member] = Index;
}

FunctionSummary ChildPathSolver::compute(const Key &Function) {
  const FunctionModel &Model = *Function.Function;
  if (!Model.paths().Analysed) {
    FunctionSummary Opaque;
    Opaque.ReturnsWithoutExec = true;
    Operation Op;
    Op.Subject = Model.Name;
    Op.Safety = Verdict::Unverifiable;
    Op.Reason = "its control flow cannot be analysed";
    Opaque.Unsafe = SummarySite{Model.Loc,         Op, nullptr,       nullptr,
                                CalleeReason::Any, 0,  reasonRank(Op)};
    Opaque.UnsafeThenEnds = Opaque.Unsafe;
    Opaque.UnsafeThenReturns = Opaque.Unsafe;
    Opaque.EndsWithoutExec = true;
    return Opaque;
  }
  GraphWalk Walk(*this, Function.Rules, Function.Arguments);
  Walk.run(Model.paths());
  return Walk.summary();
}

bool ChildPathSolver::ArgumentsOrder::operator()(
    const ArgumentValues &L, const ArgumentValues &R) const {
  auto Fields = [](const KnownArgument &A) {
    return std::tie(A.Position, A.Kind, A.Value, A.Functions);
  };
  return std::lexicographical_compare(
      L.begin(), L.end(), R.begin(), R.end(),
      [&](const KnownArgument &A, const KnownArgument &B) {
        return Fields(A) < Fields(B);
      });
}

const std::vector<unsigned> &
ChildPathSolver::parametersUsed(const FunctionModel &Function) {
  auto [It, Inserted] = ParametersUsed.try_emplace(&Function);
  if (!Inserted)
    return It->second;
  std::vector<unsigned> &Used = It->second;
  for (const ModelNode &Node : Function.paths().Nodes) {
    for (const ModelEdge &Edge : Node.Successors)
      if (Edge.Condition)
        Used.push_back(Edge.Condition->Param);
    for (const ModelEvent &Event : Node.Events) {
      for (const KnownArgument &Argument : Event.Arguments)
        if (Argument.Kind == KnownArgument::Parameter)
          Used.push_back(static_cast<unsigned>(Argument.Value));
      if (Event.CalleeParameter)
        Used.push_back(*Event.CalleeParameter);
    }
  }
  sortUnique(Used);
  return Used;
}

const ArgumentValues *
ChildPathSolver::argumentsFor(const ModelEvent &Call,
                              const FunctionModel &Callee,
                              const ArgumentValues *CallerArguments) {
  if (Call.Arguments.empty())
    return nullptr;
  const std::vector<unsigned> &Used = parametersUsed(Callee);
  ArgumentValues Values;
  for (const KnownArgument &Argument : Call.Arguments) {
    if (!std::binary_search(Used.begin(), Used.end(), Argument.Position))
      continue;
    KnownArgument Value = Argument;
    if (Argument.Kind == KnownArgument::Parameter) {
      const KnownArgument *Passed = nullptr;
      if (CallerArguments)
        for (const KnownArgument &Known : *CallerArguments)
          if (Known.Position == static_cast<unsigned>(Argument.Value))
            Passed = &Known;
      if (!Passed)
        continue;
      Value = *Passed;
      Value.Position = Argument.Position;
    }
    Values.push_back(Value);
  }
  if (Values.empty())
    return nullptr;
  llvm::sort(Values, [](const KnownArgument &A, const KnownArgument &B) {
    return A.Position < B.Position;
  });
  return &*InternedArguments.insert(std::move(Values)).first;
}

} // namespace forksafety

namespace forksafety {

CalledFunctions ChildPathSolver::callTargets(const ModelEvent &Event,
                                             const ArgumentValues *Arguments) {
  CalledFunctions Targets;
  if (Event.Kind == ModelEvent::Call) {
    if (const FunctionModel *Callee = Models.find(Event.Callee))
      Targets.push_back({Callee, argumentsFor(Event, *Callee, Arguments)});
    return Targets;
  }
  if (!Event.CalleeParameter || !Arguments)
    return Targets;
  for (const KnownArgument &Value : *Arguments) {
    if (Value.Position != *Event.CalleeParameter ||
        Value.Kind != KnownArgument::Function)
      continue;
    for (const std::string &Usr : Value.Functions) {
      const FunctionModel *Callee = Models.find(Usr);
      // A function the program does not define cannot be verified: the call
      // stays one through a pointer.
      if (!Callee)
        return {};
      Targets.push_back({Callee, argumentsFor(Event, *Callee, Arguments)});
    }
  }
  return Targets;
}

} // namespace forksafety
