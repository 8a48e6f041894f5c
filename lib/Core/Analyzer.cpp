//===- Analyzer.cpp - Fork-safety findings for a translation unit ---------===//

#include "Core/Analyzer.h"

#include "Core/CallClassifier.h"
#include "Core/ChildPathCollector.h"
#include "Core/FunctionSummaries.h"
#include "Core/Messages.h"
#include "Core/ProgramFacts.h"
#include "Core/ThreadOrder.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <set>

namespace forksafety {

using namespace clang;

const char *checkName(CheckKind Kind) {
  switch (Kind) {
  case CheckKind::ForkInThreadedProgram:
    return "forksafety-fork-in-threaded-program";
  case CheckKind::UnsafeCallInChild:
    return "forksafety-unsafe-call-in-child";
  }
  return "";
}

namespace {

// How many layers of fork wrappers (a wrapper of a wrapper...) are followed.
constexpr unsigned MaxWrapperLayers = 4;

/// Finds whether a child path returns the fork's result to the caller.
class ReturnsForkResult : public PathWalker::Visitor {
public:
  explicit ReturnsForkResult(const PathWalker &Walker) : Walker(Walker) {}
  PathWalker::Step visitElement(const CFGElement &,
                                const PathState &) override {
    return PathWalker::Step::Continue;
  }
  void visitReturn(const ReturnStmt *Return, const PathState &State) override {
    if (const Expr *Value = Return ? Return->getRetValue() : nullptr)
      Found |= Walker.yieldsForkResult(Value, State);
  }
  bool Found = false;

private:
  const PathWalker &Walker;
};

/// Records the blocks a path reaches.
class ReachedBlocks : public PathWalker::Visitor {
public:
  explicit ReachedBlocks(llvm::DenseSet<const CFGBlock *> &Blocks)
      : Blocks(Blocks) {}
  PathWalker::Step visitElement(const CFGElement &,
                                const PathState &) override {
    return PathWalker::Step::Continue;
  }
  void visitEdge(const CFGBlock &, const CFGBlock &To, PathState &) override {
    Blocks.insert(&To);
  }

private:
  llvm::DenseSet<const CFGBlock *> &Blocks;
};

/// Cuts the call chain of \p Site after \p MaxDepth functions: the last
/// call kept becomes the operation that cannot be verified.
void limitCallDepth(UnsafeSite &Site, unsigned MaxDepth) {
  if (!Site.ViaCallee || Site.Chain.size() <= MaxDepth)
    return;
  std::string Reason =
      "the call depth limit of " + std::to_string(MaxDepth) + " is reached";
  if (MaxDepth == 0) {
    Site.ViaCallee = false;
    Site.Chain.clear();
    Site.Op.Safety = Verdict::Unverifiable;
    Site.Op.Reason = std::move(Reason);
    return;
  }
  Site.Chain.resize(MaxDepth);
  Site.Leaf = Site.Chain.back().Op;
  Site.Leaf.Safety = Verdict::Unverifiable;
  Site.Leaf.Reason = std::move(Reason);
}

/// What the child of \p Fork may call. glibc resets malloc's locks in the
/// child of fork (and of forkpty and daemon, which call it), not of _Fork.
ChildRules rulesFor(const ForkSite &Fork, const AnalysisOptions &Opts) {
  if (Fork.Kind == ForkKind::VFork)
    return ChildRules::ExecOrExitOnly;
  if (Opts.Libc == LibcProfile::Glibc && Fork.ForkFunction != "_Fork")
    return ChildRules::AllocationToo;
  return ChildRules::AsyncSignalSafe;
}

bool findElement(const CFG &Graph, const Stmt *S, const CFGBlock *&Block,
                 int &Index) {
  for (const CFGBlock *B : Graph) {
    for (unsigned I = 0, E = B->size(); I < E; ++I) {
      std::optional<CFGStmt> Element = (*B)[I].getAs<CFGStmt>();
      if (Element && Element->getStmt() == S) {
        Block = B;
        Index = static_cast<int>(I);
        return true;
      }
    }
  }
  return false;
}

class TranslationUnitAnalysis {
public:
  TranslationUnitAnalysis(ASTContext &Ctx, const AnalysisOptions &Opts,
                          std::vector<CheckKind> Checks)
      : Ctx(Ctx), Opts(Opts), Checks(std::move(Checks)), Classifier(Ctx, Opts),
        Summaries(Ctx, Classifier, Opts) {}

  std::vector<Finding> run();

private:
  void addFinding(Finding F);
  void analyzeFork(const ForkSite &Fork, bool InWrapper);
  bool isForkWrapper(const ForkSite &Fork);
  std::vector<ForkSite> addWrapperCalls(std::vector<ForkSite> Sites);
  void reportUnsafeSite(const ForkSite &Fork, const UnsafeSite &Site);
  void reportGoingOn(const ForkSite &Fork, const GoingOn &Event);
  void addChainNotes(Finding &F, const UnsafeSite &Site) const;
  std::optional<FindingFix> exitFix(const Operation &Op) const;
  bool wants(CheckKind Kind) const { return llvm::is_contained(Checks, Kind); }

  ASTContext &Ctx;
  const AnalysisOptions &Opts;
  std::vector<CheckKind> Checks;
  CallClassifier Classifier;
  SummaryCache Summaries;
  std::optional<ThreadCreation> Threads;
  std::map<const FunctionDecl *, ForkWrapper> Wrappers;
  std::vector<Finding> Findings;
};

std::vector<Finding> TranslationUnitAnalysis::run() {
  ProgramFacts Facts = collectProgramFacts(Ctx, Opts);
  if (Facts.Forks.empty())
    return {};
  if (!Facts.FirstThreadCreation && !Opts.AssumeThreaded)
    return {};
  Threads = Facts.FirstThreadCreation;
  // Without any thread creation in sight, AssumeThreaded says threads may
  // exist everywhere.
  std::optional<ThreadOrder> Order;
  if (!Opts.AssumeThreaded)
    Order.emplace(Ctx, Facts, Summaries);
  for (const ForkSite &Fork : addWrapperCalls(Facts.Forks)) {
    if (Order && !Order->threadsMayExistAt(Fork))
      continue;
    const auto *Function = dyn_cast<FunctionDecl>(Fork.Function);
    analyzeFork(Fork,
                Function && Wrappers.count(Function->getCanonicalDecl()) != 0);
  }

  // Template instantiations repeat the findings of their pattern.
  const SourceManager &SM = Ctx.getSourceManager();
  std::sort(Findings.begin(), Findings.end(),
            [&](const Finding &L, const Finding &R) {
              if (L.Loc != R.Loc)
                return SM.isBeforeInTranslationUnit(L.Loc, R.Loc);
              if (L.Check != R.Check)
                return L.Check < R.Check;
              return L.Message < R.Message;
            });
  std::set<std::tuple<CheckKind, unsigned, std::string>> Seen;
  llvm::erase_if(Findings, [&](const Finding &F) {
    return !Seen.insert({F.Check, F.Loc.getRawEncoding(), F.Message}).second;
  });
  return std::move(Findings);
}

void TranslationUnitAnalysis::addFinding(Finding F) {
  // Calls spelled inside macros of system headers (glibc's fortified
  // snprintf) are reported where the user wrote them, not in the header.
  const SourceManager &SM = Ctx.getSourceManager();
  F.Loc = SM.getFileLoc(F.Loc);
  for (FindingNote &Note : F.Notes)
    Note.Loc = SM.getFileLoc(Note.Loc);
  Findings.push_back(std::move(F));
}

bool TranslationUnitAnalysis::isForkWrapper(const ForkSite &Fork) {
  if (!isa<FunctionDecl>(Fork.Function))
    return false;
  const CFG *Graph = Summaries.cfgFor(*Fork.Function, *Fork.Body);
  const CFGBlock *Block = nullptr;
  int Index = -1;
  if (!Graph || !findElement(*Graph, Fork.Call, Block, Index))
    return false;
  PathWalker Walker(Ctx, *Graph, Fork.Call, ForkOutcome::Child);
  ReturnsForkResult Finder(Walker);
  Walker.walk(*Block, Index, Finder);
  return Finder.Found;
}

std::vector<ForkSite>
TranslationUnitAnalysis::addWrapperCalls(std::vector<ForkSite> Sites) {
  // A function that returns fork's result is fork-like at its call sites,
  // and so is a function that returns such a function's result.
  size_t Unexamined = 0;
  for (unsigned Layer = 0; Layer < MaxWrapperLayers; ++Layer) {
    std::map<const FunctionDecl *, ForkWrapper> Found;
    for (size_t I = Unexamined; I < Sites.size(); ++I) {
      const auto *Function = dyn_cast<FunctionDecl>(Sites[I].Function);
      if (!Function || Wrappers.count(Function->getCanonicalDecl()) ||
          !isForkWrapper(Sites[I]))
        continue;
      Found.emplace(
          Function->getCanonicalDecl(),
          ForkWrapper{Sites[I].Kind, CallClassifier::displayName(*Function)});
    }
    if (Found.empty())
      break;
    Wrappers.insert(Found.begin(), Found.end());
    Unexamined = Sites.size();
    std::vector<ForkSite> Calls = collectWrapperCalls(Ctx, Found);
    Sites.insert(Sites.end(), Calls.begin(), Calls.end());
  }
  return Sites;
}

void TranslationUnitAnalysis::analyzeFork(const ForkSite &Fork,
                                          bool InWrapper) {
  const CFG *Graph = Summaries.cfgFor(*Fork.Function, *Fork.Body);
  const CFGBlock *Block = nullptr;
  int Index = -1;
  if (!Graph || !findElement(*Graph, Fork.Call, Block, Index))
    return;

  // Blocks the parent or the failure path reach: a child path that enters
  // them has left the code only the child runs. The parent of daemon never
  // returns from the call.
  llvm::DenseSet<const CFGBlock *> OtherProcessBlocks;
  ReachedBlocks Recorder(OtherProcessBlocks);
  if (Fork.Kind != ForkKind::Daemon)
    PathWalker(Ctx, *Graph, Fork.Call, ForkOutcome::Parent)
        .walk(*Block, Index, Recorder);
  PathWalker(Ctx, *Graph, Fork.Call, ForkOutcome::Failure)
      .walk(*Block, Index, Recorder);

  CollectorSettings Settings;
  Settings.FunctionName = Fork.FunctionName;
  Settings.MaxCallDepth = Opts.MaxCallDepth;
  Settings.Rules = rulesFor(Fork, Opts);
  Settings.ReportExecpFunctions = Opts.ReportExecpFunctions;
  Settings.ForkLoc = Fork.Call->getBeginLoc();
  Settings.OtherProcessBlocks = &OtherProcessBlocks;
  Settings.BodyEnd = Fork.Body->getEndLoc();
  ChildPathCollector Collector(Ctx, Classifier, Summaries, Settings);
  PathWalker(Ctx, *Graph, Fork.Call, ForkOutcome::Child)
      .walk(*Block, Index, Collector);

  if (wants(CheckKind::UnsafeCallInChild))
    for (UnsafeSite &Site : Collector.unsafeSites()) {
      limitCallDepth(Site, Opts.MaxCallDepth);
      reportUnsafeSite(Fork, Site);
    }
  // A wrapper's child returns to its callers, where the call to the wrapper
  // is analysed as a fork site of its own.
  if (wants(CheckKind::ForkInThreadedProgram))
    if (std::optional<GoingOn> Event = Collector.firstGoingOn();
        Event && !(InWrapper && Event->Kind == GoingOn::Returns)) {
      limitCallDepth(Event->Site, Opts.MaxCallDepth);
      reportGoingOn(Fork, *Event);
    }
}

void TranslationUnitAnalysis::addChainNotes(Finding &F,
                                            const UnsafeSite &Site) const {
  for (const ChainLink &Link : Site.Chain)
    F.Notes.push_back({Link.Loc, chainNote(Link)});
}

std::optional<FindingFix>
TranslationUnitAnalysis::exitFix(const Operation &Op) const {
  if (!Op.IsExit || !Op.Call)
    return std::nullopt;
  const auto *Callee =
      dyn_cast<DeclRefExpr>(Op.Call->getCallee()->IgnoreParenImpCasts());
  if (!Callee || Callee->getBeginLoc().isMacroID() ||
      Callee->getEndLoc().isMacroID())
    return std::nullopt;
  // The replacement must name a declared function.
  IdentifierInfo &Exit = Ctx.Idents.get("_exit");
  if (Ctx.getTranslationUnitDecl()->lookup(DeclarationName(&Exit)).empty())
    return std::nullopt;
  return FindingFix{CharSourceRange::getTokenRange(Callee->getSourceRange()),
                    "_exit"};
}

void TranslationUnitAnalysis::reportUnsafeSite(const ForkSite &Fork,
                                               const UnsafeSite &Site) {
  Finding F{CheckKind::UnsafeCallInChild,
            Site.Loc,
            unsafeSiteMessage(Site, Fork.Kind == ForkKind::VFork),
            {},
            {}};
  if (Site.Op.IsExecPathSearch)
    F.Notes.push_back({Site.Loc, execPathSearchNote(Site.Op.Subject)});
  addChainNotes(F, Site);
  F.Notes.push_back(
      {Fork.Call->getBeginLoc(), forkSiteNote(Fork.ForkFunction)});
  if (std::optional<FindingFix> Fix = exitFix(Site.Op))
    F.Fixes.push_back(*Fix);
  addFinding(std::move(F));
}

void TranslationUnitAnalysis::reportGoingOn(const ForkSite &Fork,
                                            const GoingOn &Event) {
  Finding F{CheckKind::ForkInThreadedProgram,
            Fork.Call->getBeginLoc(),
            forkInThreadedProgramMessage(Fork.ForkFunction),
            {},
            {}};
  if (Threads)
    F.Notes.push_back({Threads->Loc, threadCreationNote()});
  // A path that leaves child-only code right where it goes on needs no
  // separate note for leaving.
  if (Event.Context.isSet() && Event.Context.Loc != Event.Loc)
    F.Notes.push_back({Event.Context.Loc, contextNote(Event.Context)});
  if (Event.Kind == GoingOn::Returns) {
    F.Notes.push_back({Event.Loc, returnNote(Fork.FunctionName)});
  } else {
    F.Notes.push_back({Event.Loc, unsafeWorkNote(Event.Site)});
    addChainNotes(F, Event.Site);
  }
  addFinding(std::move(F));
}

} // namespace

std::vector<Finding> analyzeTranslationUnit(ASTContext &Ctx,
                                            const AnalysisOptions &Opts,
                                            std::vector<CheckKind> Checks) {
  return TranslationUnitAnalysis(Ctx, Opts, std::move(Checks)).run();
}

} // namespace forksafety
