//===- FunctionSummaries.cpp - What calling a defined function does -------===//

#include "Core/FunctionSummaries.h"

#include "Core/CallClassifier.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Analysis/CFG.h"

#include <algorithm>

namespace forksafety {

using namespace clang;

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

} // namespace

SummaryCache::SummaryCache(ASTContext &Ctx, const CallClassifier &Classifier,
                           const AnalysisOptions &Opts)
    : Ctx(Ctx), Classifier(Classifier), Opts(Opts) {}

SummaryCache::~SummaryCache() = default;

const CFG *SummaryCache::cfgFor(const Decl &D, const Stmt &Body) {
  std::unique_ptr<CFG> &Graph = Graphs[&D];
  if (!Graph) {
    CFG::BuildOptions Options;
    Options.AddImplicitDtors = true;
    Options.AddTemporaryDtors = true;
    Options.AddInitializers = true;
    Options.AddCXXDefaultInitExprInCtors = true;
    Options.setAllAlwaysAdd();
    Graph = CFG::buildCFG(&D, const_cast<Stmt *>(&Body), &Ctx, Options);
  }
  return Graph.get();
}

void SummaryCache::recordPending(const Key &Function,
                                 const FunctionSummary &Summary,
                                 size_t LowLink) {
  auto It = Working.find(Function);
  if (It == Working.end() || !sameSummary(It->second.Summary, Summary))
    ++Changes;
  Working[Function] = Pending{Summary, Round, LowLink};
}

std::optional<FunctionSummary> SummaryCache::get(const FunctionDecl &Definition,
                                                 ChildRules Rules) {
  Key Function(&Definition, Rules);
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

FunctionSummary SummaryCache::solve(const Key &Function, size_t Index) {
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

FunctionSummary SummaryCache::compute(const Key &Function) {
  const FunctionDecl &Definition = *Function.first;
  const Stmt *Body = Definition.getBody();
  const CFG *Graph = Body ? cfgFor(Definition, *Body) : nullptr;
  if (!Graph) {
    FunctionSummary Opaque = neutralSummary();
    Operation Op;
    Op.Subject = CallClassifier::displayName(Definition);
    Op.Safety = Verdict::Unverifiable;
    Op.Reason = "its control flow cannot be analysed";
    Opaque.FirstUnsafe =
        UnsafeSite{Definition.getLocation(), Op, {}, false, {}};
    Opaque.FirstUnsafeBeforeExec = Opaque.FirstUnsafe;
    return Opaque;
  }
  CollectorSettings Settings;
  Settings.FunctionName = CallClassifier::displayName(Definition);
  Settings.Rules = Function.second;
  Settings.ReportExecpFunctions = Opts.ReportExecpFunctions;
  Settings.BodyEnd = Body->getEndLoc();
  ChildPathCollector Collector(Ctx, Classifier, *this, Settings);
  PathWalker(Ctx, *Graph, nullptr, ForkOutcome::Child)
      .walk(Graph->getEntry(), -1, Collector);
  return Collector.summary();
}

} // namespace forksafety
