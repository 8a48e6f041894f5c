//===- Analyzer.cpp - Fork-safety findings for a translation unit ---------===//

#include "Core/Analyzer.h"

#include "Core/CallIndex.h"
#include "Core/ChildPaths/Arguments.h"
#include "Core/ChildPaths/CFGCache.h"
#include "Core/ChildPaths/ModelRecorder.h"
#include "Core/ChildPaths/PathWalker.h"
#include "Core/Functions/CallClassifier.h"
#include "Core/Functions/FunctionTable.h"
#include "Core/Functions/LibraryModel.h"
#include "Core/ProgramFacts.h"
#include "Core/Threads/ForkHandlers.h"
#include "Core/Threads/ThreadOrder.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"

#include <functional>
#include <optional>
#include <set>

namespace forksafety {

using namespace clang;

namespace {

/// The function whose call \p Fork is, if it is a direct call.
const FunctionDecl *calleeOf(const ForkSite &Fork) {
  const FunctionDecl *Callee = Fork.Call->getDirectCallee();
  return Callee ? Callee->getCanonicalDecl() : nullptr;
}

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
    const Expr *Value = Return ? Return->getRetValue() : nullptr;
    if (!Value)
      return;
    Found |= Walker.yieldsForkResult(Value, State);
    std::optional<ValueRange> Known = Walker.valueOf(Value, State);
    GivesZero |= Known && *Known == ValueRange{0, 0};
  }
  /// A child path that holds the fork's result nowhere, not even in the ?:
  /// it is computing, never gets it back: running the fork again makes it a
  /// parent.
  bool visitEdge(const CFGBlock &, const CFGBlock &,
                 PathState &State) override {
    return !State.ForkVars.empty() || State.ForkArmTaken;
  }
  bool Found = false;
  /// A path returns 0 (`if (pid == 0) return 0;`).
  bool GivesZero = false;

private:
  const PathWalker &Walker;
};

/// Records callees on demand, for a solver that works on one translation
/// unit.
class RecordedOnDemand : public FunctionModels {
public:
  explicit RecordedOnDemand(ModelRecorder &Recorder) : Recorder(Recorder) {}
  const FunctionModel *find(InternedString Usr) override {
    auto [It, Inserted] = Models.try_emplace(Usr.str());
    if (Inserted)
      It->second = Recorder.recordFunction(Usr);
    if (It->second)
      return &*It->second;
    // A function the recorder learns of later, passed as an argument, is
    // found then.
    Models.erase(It);
    return nullptr;
  }

private:
  ModelRecorder &Recorder;
  std::map<std::string, std::optional<FunctionModel>> Models;
};

/// The fork sites of a translation unit, with the calls to its fork
/// wrappers, and whether threads may exist when each runs.
class ForkSites {
public:
  /// \p Order, if given, judges which threads may run at each fork.
  /// Calls to \p External, wrappers defined elsewhere, are fork sites too;
  /// those of them in \p Assumed only may be wrappers, and so may the
  /// functions that return their result (see assumptionOf).
  /// \p IndexOf gives the translation unit's call index, which holds the
  /// calls to wrappers.
  ForkSites(ASTContext &Ctx, ThreadOrder *Order, CFGCache &Graphs,
            const ProgramFacts &Facts,
            std::function<const CallIndexer &()> IndexOf,
            std::map<const FunctionDecl *, ForkWrapper> External = {},
            std::set<const FunctionDecl *> Assumed = {})
      : Ctx(Ctx), Order(Order), Graphs(Graphs), Facts(Facts),
        IndexOf(std::move(IndexOf)), External(std::move(External)),
        Assumed(std::move(Assumed)) {}

  /// Calls \p Visit(Site, InWrapper, Order) for every fork site, where
  /// Order tells whether threads may exist when it runs.
  template <typename Fn> void forEach(Fn Visit);

  /// The wrappers defined in the translation unit, once forEach ran.
  const std::map<const FunctionDecl *, ForkWrapper> &wrappers() const {
    return Wrappers;
  }

  /// The function of another translation unit that \p Fork, or \p Wrapper,
  /// is a fork site, or a wrapper, only if it is a wrapper; null when it is
  /// one whatever other files hold.
  const FunctionDecl *assumptionOf(const ForkSite &Fork) const;
  const FunctionDecl *assumptionOf(const FunctionDecl &Wrapper) const;

  /// \p NeverReturns(Fork) tells, for the fork of a function that returns
  /// its result, whether the fork's child never returns all the same: the
  /// function is no wrapper then.
  void
  setChildNeverReturns(std::function<bool(const ForkSite &)> NeverReturns) {
    ChildNeverReturns = std::move(NeverReturns);
  }

  /// The fork wrapper \p Fork calls, if it is a call of one.
  const FunctionDecl *wrapperCalled(const ForkSite &Fork) const {
    const auto *Call = dyn_cast<CallExpr>(Fork.Call);
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    if (!Callee)
      return nullptr;
    for (const FunctionDecl *Candidate : {Callee, Callee->getCanonicalDecl()})
      if (Wrappers.count(Candidate) || External.count(Candidate))
        return Callee;
    return nullptr;
  }

private:
  bool isForkWrapper(const ForkSite &Fork);
  std::vector<ForkSite> addWrapperCalls(std::vector<ForkSite> Sites);

  ASTContext &Ctx;
  ThreadOrder *Order;
  CFGCache &Graphs;
  const ProgramFacts &Facts;
  std::function<const CallIndexer &()> IndexOf;
  std::map<const FunctionDecl *, ForkWrapper> External;
  std::set<const FunctionDecl *> Assumed;
  /// Wrappers of assumed wrappers, with the assumed one they rest on.
  std::map<const FunctionDecl *, const FunctionDecl *> AssumedRoots;
  std::map<const FunctionDecl *, ForkWrapper> Wrappers;
  std::function<bool(const ForkSite &)> ChildNeverReturns;
};

template <typename Fn> void ForkSites::forEach(Fn Visit) {
  for (const ForkSite &Fork : addWrapperCalls(Facts.Forks)) {
    const auto *Function = dyn_cast<FunctionDecl>(Fork.Function);
    bool InWrapper =
        Function && Wrappers.count(Function->getCanonicalDecl()) != 0;
    Visit(Fork, InWrapper, Order);
  }
}

const FunctionDecl *ForkSites::assumptionOf(const ForkSite &Fork) const {
  const FunctionDecl *Callee = calleeOf(Fork);
  if (Assumed.count(Callee))
    return Callee;
  auto Root = AssumedRoots.find(Callee);
  return Root == AssumedRoots.end() ? nullptr : Root->second;
}

const FunctionDecl *ForkSites::assumptionOf(const FunctionDecl &Wrapper) const {
  auto Root = AssumedRoots.find(Wrapper.getCanonicalDecl());
  return Root == AssumedRoots.end() ? nullptr : Root->second;
}

bool ForkSites::isForkWrapper(const ForkSite &Fork) {
  const auto *Function = dyn_cast<FunctionDecl>(Fork.Function);
  // No caller gets a result from main or a function that returns nothing.
  if (!Function || Function->isMain() ||
      Function->getReturnType()->isVoidType())
    return false;
  const CFG *Graph = Graphs.get(*Fork.Function, *Fork.Body);
  const CFGBlock *Block = nullptr;
  int Index = -1;
  if (!Graph || !Graphs.locate(*Fork.Function, Fork.Call, Block, Index))
    return false;
  // Whether a path returns the fork's result, and whether one returns 0.
  auto Walk = [&](ForkOutcome Outcome) {
    PathWalker Walker(Ctx, *Graph, Fork.Call, Outcome,
                      &Graphs.branches(*Fork.Function));
    ReturnsForkResult Finder(Walker);
    Walker.walk(*Block, Index, Finder);
    return std::pair(Finder.Found, Finder.GivesZero);
  };
  auto [ChildGetsResult, ChildGetsZero] = Walk(ForkOutcome::Child);
  // A child given 0 is told apart from its parent only where the parent
  // gets its child's pid back: a daemonize() whose child returns 0 for
  // success, and whose parent exits, is no wrapper.
  bool Returns =
      ChildGetsResult || (ChildGetsZero && Walk(ForkOutcome::Parent).first);
  return Returns && !(ChildNeverReturns && ChildNeverReturns(Fork));
}

std::vector<ForkSite> ForkSites::addWrapperCalls(std::vector<ForkSite> Sites) {
  // A function that returns fork's result is fork-like at its call sites,
  // and so is a function that returns such a function's result.
  if (!External.empty()) {
    std::vector<ForkSite> Calls = collectWrapperCalls(IndexOf(), External);
    Sites.insert(Sites.end(), Calls.begin(), Calls.end());
  }
  size_t Unexamined = 0;
  for (unsigned Layer = 0; Layer < MaxWrapperLayers; ++Layer) {
    std::map<const FunctionDecl *, ForkWrapper> Found;
    for (size_t I = Unexamined; I < Sites.size(); ++I) {
      const auto *Function = dyn_cast<FunctionDecl>(Sites[I].Function);
      if (!Function || Wrappers.count(Function->getCanonicalDecl()) ||
          !isForkWrapper(Sites[I]))
        continue;
      // A wrapper of a function only assumed to be one is assumed too.
      if (const FunctionDecl *Root = assumptionOf(Sites[I]))
        AssumedRoots.emplace(Function->getCanonicalDecl(), Root);
      Found.emplace(
          Function->getCanonicalDecl(),
          ForkWrapper{Sites[I].Kind, CallClassifier::displayName(*Function)});
    }
    if (Found.empty())
      break;
    Wrappers.insert(Found.begin(), Found.end());
    Unexamined = Sites.size();
    std::vector<ForkSite> Calls = collectWrapperCalls(IndexOf(), Found);
    Sites.insert(Sites.end(), Calls.begin(), Calls.end());
  }
  return Sites;
}

/// The functions this translation unit calls but does not define that may
/// be fork wrappers defined in another: they return an integer and are
/// named after fork, or return pid_t. A translation unit recorded alone
/// records their calls as fork sites that the whole program keeps only if
/// the function is a wrapper.
std::map<const FunctionDecl *, ForkWrapper> possibleWrappersElsewhere(
    const CallIndexer &Index, const SourceManager &SM,
    const std::map<const FunctionDecl *, ForkWrapper> &Known) {
  std::map<const FunctionDecl *, ForkWrapper> Found;
  for (const CallIndexer::Call &Call : Index.Calls) {
    const FunctionDecl *Callee = Call.Callee;
    ForkKind Kind;
    if (Known.count(Callee) || Found.count(Callee) || Callee->isDefined() ||
        Callee->getBuiltinID() != 0 || !Callee->getIdentifier() ||
        !Callee->isExternallyVisible() || isInSystemHeader(*Callee, SM) ||
        isForkLikeFunction(Callee->getName(), Kind) ||
        !Callee->getReturnType()->isIntegerType())
      continue;
    bool ReturnsPid = false;
    for (QualType Type = Callee->getReturnType();
         const auto *Typedef = Type->getAs<TypedefType>();
         Type = Typedef->desugar())
      ReturnsPid |= Typedef->getDecl()->getName() == "pid_t";
    if (ReturnsPid || Callee->getName().contains_insensitive("fork"))
      Found.emplace(Callee, ForkWrapper{ForkKind::Fork,
                                        CallClassifier::displayName(*Callee)});
  }
  return Found;
}

/// Records what calling each function other translation units may call
/// does to threads, if anything: the effects move out of \p Threads, which
/// is asked nothing after.
void recordThreadEffects(ThreadOrder &Threads, const CallIndexer &Index,
                         ProgramModel &Model) {
  std::vector<const FunctionDecl *> Visible;
  for (const FunctionDecl *FD : Index.Definitions)
    if (FD->isExternallyVisible() && Threads.mayAffectThreads(*FD)) {
      Threads.effectOf(*FD);
      Visible.push_back(FD);
    }
  for (const FunctionDecl *FD : Visible) {
    ThreadEffect Effect = Threads.takeEffect(*FD);
    if (!Effect.Leaves.empty() || !Effect.Joins.empty() ||
        !Effect.Calls.empty())
      Model.ThreadEffects.try_emplace(ModelRecorder::usrOf(*FD),
                                      std::move(Effect));
  }
}

/// Records the threads that may run at the calls of \p Call's caller when
/// none ran as it was entered, if any may (see ProgramModel::ThreadsAtCalls).
void recordThreadsAtCall(ThreadOrder &Threads, const CallIndexer::Call &Call,
                         const std::string &Caller, const std::string &Callee,
                         ProgramModel &Model) {
  bool ByCall = Call.Caller->isMain();
  if (!ByCall && Model.ThreadsAtCalls.count(Caller))
    return; // Recorded for all its calls at its first.
  std::optional<std::vector<LiveThreads>> Running =
      ByCall ? Threads.threadsSinceEntry(*Call.Caller, *Call.Expr)
             : Threads.threadsDuringCalls(*Call.Caller);
  if (!Running)
    Running.emplace(1); // Unknown: an untracked thread of unknown origin.
  if (Running->empty())
    return;
  std::vector<LiveThreads> &Known =
      Model.ThreadsAtCalls[Caller][ByCall ? Callee : ""];
  for (LiveThreads &Threads : *Running)
    mergeThreads(Known, std::move(Threads));
}

/// Whether \p FD has the type of a routine the C library calls on its own:
/// a thread's start routine or a signal handler. A table of them is handed
/// to the library, not called through the program's pointers.
bool isLibraryCallback(const FunctionDecl &FD) {
  QualType Result = FD.getReturnType();
  unsigned Params = FD.getNumParams();
  auto Param = [&](unsigned I) { return FD.getParamDecl(I)->getType(); };
  if (Params == 1 && Result->isVoidPointerType() &&
      Param(0)->isVoidPointerType())
    return true; // pthread_create
  if (Result->isVoidType() && Params >= 1 && Param(0)->isIntegerType() &&
      (Params == 1 || (Params == 3 && Param(2)->isVoidPointerType())))
    return true; // signal, sigaction
  return false;
}

/// Records the types of the functions each function calls through
/// pointers, with the threads that may run at those calls, and the
/// functions only tables hold, with their types.
void recordIndirectCalls(ThreadOrder &Threads, const CallIndexer &Index,
                         ProgramModel &Model) {
  for (const CallIndexer::IndirectCall &Call : Index.IndirectCalls) {
    std::string Caller = ModelRecorder::usrOf(*Call.Caller);
    recordThreadsAtCall(Threads, {Call.Caller, Call.Expr, nullptr}, Caller, "*",
                        Model);
    Model.IndirectCalls[Caller].push_back(Call.Type);
    if (Call.InLoop)
      Model.IndirectCallsInLoops[Caller].push_back(Call.Type);
  }
  for (auto *Calls : {&Model.IndirectCalls, &Model.IndirectCallsInLoops})
    for (auto &[Caller, Types] : *Calls)
      sortUnique(Types);
  for (const FunctionDecl *FD : Index.AddressTaken)
    if (!Index.AddressEscapes.contains(FD) && !isLibraryCallback(*FD))
      Model.TableFunctions.emplace(
          ModelRecorder::usrOf(*FD),
          CallIndexer::functionTypeName(FD->getType()));
}

/// Whether \p FD may run with no call or address the call graph records:
/// vtables, implicit destructor calls and the loader call these.
bool runsWithoutVisibleCall(const FunctionDecl &FD) {
  if (FD.hasAttr<ConstructorAttr>() || FD.hasAttr<DestructorAttr>() ||
      isa<CXXDestructorDecl>(FD))
    return true;
  const auto *Method = dyn_cast<CXXMethodDecl>(&FD);
  return Method && Method->isVirtual();
}

/// Records what each function and global makes reachable beyond its calls,
/// and under the key "" what runs or is read without a visible cause.
void recordReferences(const CallIndexer &Index, ProgramModel &Model) {
  auto Usr = [](const Decl *D) {
    return D ? ModelRecorder::usrOf(*D) : std::string();
  };
  for (const CallIndexer::Reference &Ref : Index.References)
    Model.References[Usr(Ref.Taker)].push_back(Usr(Ref.Target));
  for (const auto &Initializer : Index.Initializers)
    Model.References[""].push_back(Usr(Initializer.first));
  for (const FunctionDecl *FD : Index.Definitions)
    if (runsWithoutVisibleCall(*FD))
      Model.References[""].push_back(Usr(FD));
  for (auto &Entry : Model.References)
    sortUnique(Entry.second);
}

/// Whether \p Function joins, on every path, the threads it creates at
/// \p Site before it returns.
bool joinsBeforeReturning(ThreadOrder &Threads, const FunctionDecl &Function,
                          const ThreadCreationSite &Site) {
  if (!Function.hasBody())
    return false;
  const FunctionDecl *Definition = nullptr;
  Function.hasBody(Definition);
  SourceLocation Created =
      Function.getASTContext().getSourceManager().getFileLoc(
          Site.S->getBeginLoc());
  return llvm::none_of(
      Threads.effectOf(*Definition).Leaves, [&](const LiveThreads &Left) {
        return Left.Kind != LiveThreads::CallOf &&
               (!Left.Created.isValid() || Left.Created.Raw == Created);
      });
}

/// What the parameters of the function of \p Fork hold, when the
/// translation unit holds all its calls: it has internal linkage and its
/// address is not taken. \p IndexOf builds the index on first use.
ArgumentValues
parametersOfStatic(const ForkSite &Fork,
                   llvm::function_ref<const CallIndexer &()> IndexOf,
                   ModelRecorder &Recorder, ASTContext &Ctx) {
  const auto *Function = dyn_cast<FunctionDecl>(Fork.Function);
  if (!Function || Function->isExternallyVisible() ||
      Function->getNumParams() == 0)
    return {};
  const CallIndexer &Index = IndexOf();
  const FunctionDecl *Canonical = Function->getCanonicalDecl();
  if (Index.AddressTaken.contains(Canonical))
    return {};
  std::map<unsigned, std::vector<std::string>> Passed;
  FunctionPointerFlow Flow(Ctx);
  for (const CallIndexer::Call &Call : Index.Calls)
    if (Call.Callee->getCanonicalDecl() == Canonical)
      if (const auto *Expr = dyn_cast<CallExpr>(Call.Expr))
        for (auto &[Position, Value] : Flow.passedBy(*Expr, Call.Caller)) {
          Recorder.nameFunctionArgument(Expr->getArg(Position));
          Passed[Position].push_back(std::move(Value));
        }
  return parameterValues(Passed);
}

ThreadCreationModel threadCreationModel(const ModelRecorder &Recorder,
                                        const ThreadCreation &Creation) {
  return {Recorder.locationOf(Creation.Loc), Creation.What, ""};
}

} // namespace

std::vector<Finding> analyzeTranslationUnit(ASTContext &Ctx,
                                            const HeaderSearch *Headers,
                                            const AnalysisOptions &Opts,
                                            std::vector<CheckKind> Checks,
                                            UnitFacts *KnownFacts) {
  ModelRecorder::UsrMemo Usrs(Ctx);
  std::optional<LibraryHeaders> Library;
  if (Headers)
    Library.emplace(Ctx.getSourceManager(), *Headers);
  ProgramFacts Facts =
      KnownFacts ? KnownFacts->get(Opts) : collectProgramFacts(Ctx, Opts);
  if (Facts.Forks.empty())
    return {};
  // The facts the compiler plugin gathers for the checks and the summary
  // come with the index their walk built.
  std::optional<CallIndexer> OwnIndex;
  auto IndexOf = [&]() -> const CallIndexer & {
    if (KnownFacts)
      return KnownFacts->index();
    if (!OwnIndex) {
      OwnIndex.emplace(Ctx.getSourceManager());
      OwnIndex->walk(Ctx);
    }
    return *OwnIndex;
  };
  if (Facts.FirstThreadCreation && !Opts.AssumeThreaded)
    forgetUnreachableThreadCreations(Facts, IndexOf());
  if (!Facts.FirstThreadCreation && !Opts.AssumeThreaded)
    return {};
  CFGCache Graphs(Ctx);
  ModelRecorder Recorder(Ctx, Opts, Graphs);
  RecordedOnDemand Models(Recorder);
  ProgramModel Handlers;
  recordForkHandlers(Facts, Recorder, Handlers);
  ChildPathSolver Solver(Models, Opts, protectedMutexes(Handlers));
  std::optional<ThreadCreationModel> Threads;
  if (Facts.FirstThreadCreation)
    Threads = threadCreationModel(Recorder, *Facts.FirstThreadCreation);

  // Without any thread creation in sight, AssumeThreaded says threads may
  // exist everywhere.
  std::vector<Finding> Findings;
  std::optional<ThreadOrder> Order;
  if (!Opts.AssumeThreaded)
    Order.emplace(Ctx, Facts, Graphs, &IndexOf());
  ForkSites Sites(Ctx, Order ? &*Order : nullptr, Graphs, Facts, IndexOf);
  // A function whose child calls only functions that never return (a
  // server loop that ends the process with exit; for a static function,
  // whatever its callers pass) is no wrapper: the whole program finds the
  // same.
  // Each scan of the calls serves every fork of its function.
  std::map<const Decl *, ArgumentValues> Parameters;
  auto ParametersOf = [&](const ForkSite &Site) -> const ArgumentValues & {
    auto [It, Inserted] = Parameters.try_emplace(Site.Function);
    if (Inserted)
      It->second = parametersOfStatic(Site, IndexOf, Recorder, Ctx);
    return It->second;
  };
  Sites.setChildNeverReturns([&](const ForkSite &Site) {
    const ArgumentValues &Known = ParametersOf(Site);
    ForkModel Fork = Recorder.recordFork(Site, /*InWrapper=*/true, true);
    return !Solver
                .analyzeFork(Fork, Recorder.continuation(Fork.Continuation),
                             Known)
                .MayReturn;
  });
  Sites.forEach([&](const ForkSite &Site, bool InWrapper, ThreadOrder *Order) {
    std::optional<ThreadCreationModel> Running = Threads;
    bool Unseen = false;
    if (Order) {
      std::optional<RunningThreads> Created = Order->runningThreadsAt(Site);
      if (!Created)
        return;
      if (Running && Created->Created.isValid()) {
        Running->Loc = Created->Created;
        Unseen = Created->Unseen;
      }
    }
    ForkModel Fork = Recorder.recordFork(Site, InWrapper, true);
    appendForkFindings(
        Fork,
        Solver.analyzeFork(Fork, Recorder.continuation(Fork.Continuation),
                           ParametersOf(Site)),
        Running ? &*Running : nullptr, Unseen, Checks, Findings);
  });
  sortFindings(Findings);
  return Findings;
}

namespace {

/// The fork wrappers of other translation units this one calls: those
/// \p Known names, and, in \p Assumed, those that only may be wrappers
/// (possibleWrappersElsewhere).
std::map<const FunctionDecl *, ForkWrapper>
wrappersElsewhere(const CallIndexer &Index, const SourceManager &SM,
                  const std::vector<WrapperModel> &Known,
                  std::set<const FunctionDecl *> &Assumed) {
  std::map<const FunctionDecl *, ForkWrapper> External;
  if (!Known.empty())
    for (const CallIndexer::Call &Call : Index.Calls) {
      std::string Usr = ModelRecorder::usrOf(*Call.Callee);
      for (const WrapperModel &Wrapper : Known)
        if (Wrapper.Usr == Usr)
          External.emplace(Call.Callee,
                           ForkWrapper{Wrapper.Kind, Wrapper.Name});
    }
  for (auto &[Function, Wrapper] :
       possibleWrappersElsewhere(Index, SM, External)) {
    Assumed.insert(Function);
    External.emplace(Function, std::move(Wrapper));
  }
  return External;
}

/// The model of \p Site, with what the whole program needs to judge it:
/// the wrappers it rests on, and the threads at the fork, which calls into
/// other translation units may leave running.
ForkModel recordForkSite(const ForkSite &Site, bool InWrapper,
                         ThreadOrder &Order, const ForkSites &Sites,
                         ModelRecorder &Recorder) {
  ForkModel Fork =
      Recorder.recordFork(Site, InWrapper, Order.threadsMayExistAt(Site));
  if (const FunctionDecl *Root = Sites.assumptionOf(Site))
    Fork.AssumedWrapper = ModelRecorder::usrOf(*Root);
  if (const FunctionDecl *Wrapper = Sites.wrapperCalled(Site))
    Fork.WrapperUsr = ModelRecorder::usrOf(*Wrapper);
  Fork.ThreadsAtFork = Order.threadsAt(Site);
  // Which files call the functions on the way from main to the fork is
  // for the whole program to check too.
  if (!Fork.ThreadsAtFork) {
    Fork.ThreadsAtFork =
        Order.threadsAt(Site, ThreadOrder::CallerScope::HereOnly);
    if (Fork.ThreadsAtFork)
      for (const auto &[Function, Callers] : Order.callersAssumedFor(Site)) {
        std::vector<std::string> &Known =
            Fork.CallersAssumed[ModelRecorder::usrOf(*Function)];
        for (const FunctionDecl *Caller : Callers)
          Known.push_back(ModelRecorder::usrOf(*Caller));
      }
  }
  if (const auto *Function = dyn_cast<FunctionDecl>(Site.Function))
    Fork.ThreadsSinceEntry = Order.threadsSinceEntry(*Function, *Site.Call);
  if (const CallExpr *Earlier = Order.forkChildOf(Site))
    Fork.ChildOf = Recorder.locationOf(Earlier->getBeginLoc());
  return Fork;
}

void recordWrappers(const ForkSites &Sites, ProgramModel &Model) {
  for (const auto &[Function, Wrapper] : Sites.wrappers()) {
    const FunctionDecl *Root = Sites.assumptionOf(*Function);
    Model.Wrappers.push_back({ModelRecorder::usrOf(*Function), Wrapper.Name,
                              Wrapper.Kind,
                              Root ? ModelRecorder::usrOf(*Root) : ""});
  }
}

void recordThreadCreations(const ProgramFacts &Facts, ThreadOrder &Threads,
                           const ModelRecorder &Recorder, ProgramModel &Model) {
  for (const ThreadCreationSite &Site : Facts.ThreadCreations) {
    ThreadCreationModel Creation{Recorder.locationOf(Site.S->getBeginLoc()),
                                 Site.What, ""};
    if (const auto *FD = dyn_cast_or_null<FunctionDecl>(Site.Function)) {
      Creation.FunctionUsr = ModelRecorder::usrOf(*FD);
      Creation.JoinedBeforeReturn = joinsBeforeReturning(Threads, *FD, Site);
    }
    Model.ThreadCreations.push_back(std::move(Creation));
  }
}

/// Records the calls of program functions, with the threads that may run
/// at them and the functions they pass as arguments.
/// \p StoresFound: the walk that indexed the calls found the stores in
/// fields of function pointers.
void recordCalls(ASTContext &Ctx, const CallIndexer &Index,
                 ThreadOrder &Threads, ModelRecorder &Recorder,
                 ProgramModel &Model, bool StoresFound) {
  const SourceManager &SM = Ctx.getSourceManager();
  FunctionPointerFlow Flow(Ctx, &Recorder.parameters());
  // A function that calls another many times calls it once in the graph.
  llvm::DenseSet<std::pair<const Decl *, const Decl *>> Listed;
  llvm::DenseMap<const FunctionDecl *, bool> Library;
  auto IsLibrary = [&](const FunctionDecl &Callee) {
    auto [It, Inserted] = Library.try_emplace(&Callee);
    if (Inserted)
      It->second = Callee.getBuiltinID() != 0 || isInSystemHeader(Callee, SM);
    return It->second;
  };
  for (const CallIndexer::Call &Call : Index.Calls) {
    if (IsLibrary(*Call.Callee))
      continue;
    std::string Caller = ModelRecorder::usrOf(*Call.Caller);
    std::string Callee = ModelRecorder::usrOf(*Call.Callee);
    recordThreadsAtCall(Threads, Call, Caller, Callee, Model);
    if (const auto *Expr = dyn_cast<CallExpr>(Call.Expr))
      for (auto &[Position, Function] : Flow.passedBy(*Expr, Call.Caller)) {
        // The callee may call it: its paths are recorded.
        Recorder.nameFunctionArgument(Expr->getArg(Position));
        Model.FunctionsPassed[Callee][Position].push_back(std::move(Function));
      }
    if (Listed.insert({Call.Caller, Call.Callee}).second)
      Model.Calls[std::move(Caller)].push_back(std::move(Callee));
  }
  for (auto &[Callee, Positions] : Model.FunctionsPassed)
    for (auto &[Position, Functions] : Positions)
      sortUnique(Functions);
  if (!StoresFound)
    Flow.recordStores(Model);
}

/// Records the paths of the functions other translation units may call,
/// and of those they call in turn. Main's USR names its file, so only its
/// own file calls it: by name, or through its address.
void recordFunctions(const CallIndexer &Index, ModelRecorder &Recorder,
                     ProgramModel &Model) {
  for (const FunctionDecl *FD : Index.Definitions) {
    if (FD->isMain())
      Model.Mains.push_back(ModelRecorder::usrOf(*FD));
    if (FD->isExternallyVisible() &&
        (!FD->isMain() || Index.AddressTaken.contains(canonical(FD))))
      Model.Functions.try_emplace(ModelRecorder::usrOf(*FD),
                                  Recorder.recordFunction(*FD));
  }
  // Recording a callee names its own callees, at the end of the list.
  for (size_t I = 0; I < Recorder.calleesNamed().size(); ++I) {
    std::string Usr = Recorder.calleesNamed()[I];
    if (!Model.Functions.count(Usr))
      if (std::optional<FunctionModel> Callee = Recorder.recordFunction(Usr))
        Model.Functions.emplace(std::move(Usr), std::move(*Callee));
  }
}

} // namespace

ProgramModel recordTranslationUnit(
    ASTContext &Ctx, const HeaderSearch *Headers, const AnalysisOptions &Opts,
    const std::vector<WrapperModel> &ExternalWrappers, UnitFacts *KnownFacts) {
  ModelRecorder::UsrMemo Usrs(Ctx);
  std::optional<LibraryHeaders> Library;
  if (Headers)
    Library.emplace(Ctx.getSourceManager(), *Headers);
  ProgramModel Model;
  CFGCache Graphs(Ctx);
  ModelRecorder Recorder(Ctx, Opts, Graphs);
  // The walk that indexes the calls gathers the facts, and in C the stores
  // in fields of function pointers.
  std::optional<UnitFacts> OwnFacts;
  if (!KnownFacts)
    KnownFacts =
        &OwnFacts.emplace(Ctx, /*FindStores=*/true, &Recorder.parameters());
  ProgramFacts Facts = KnownFacts->get(Opts);
  bool StoresFound = false;
  if (const auto *Stores = KnownFacts->fieldStores()) {
    Model.FunctionsStored = *Stores;
    StoresFound = true;
  }
  const CallIndexer &Index = KnownFacts->index();
  forgetUnreachableThreadCreations(Facts, Index);

  std::set<const FunctionDecl *> Assumed;
  std::map<const FunctionDecl *, ForkWrapper> External = wrappersElsewhere(
      Index, Ctx.getSourceManager(), ExternalWrappers, Assumed);
  // Whether calls into other translation units left threads running at a
  // fork is for the whole program to tell: the fork records them.
  auto Threads = std::make_unique<ThreadOrder>(Ctx, Facts, Graphs, &Index);
  ForkSites Sites(
      Ctx, Threads.get(), Graphs, Facts,
      [&]() -> const CallIndexer & { return Index; }, std::move(External),
      Assumed);
  Sites.forEach([&](const ForkSite &Site, bool InWrapper, ThreadOrder *Order) {
    Model.Forks.push_back(
        recordForkSite(Site, InWrapper, *Order, Sites, Recorder));
  });
  Recorder.moveContinuations(Model);
  recordForkHandlers(Facts, Recorder, Model);
  recordWrappers(Sites, Model);
  recordThreadCreations(Facts, *Threads, Recorder, Model);
  recordCalls(Ctx, Index, *Threads, Recorder, Model, StoresFound);
  recordIndirectCalls(*Threads, Index, Model);
  for (const FunctionDecl *FD : Index.AddressTaken)
    Model.AddressTaken.push_back(ModelRecorder::usrOf(*FD));
  // In the order of their names, not of their addresses: the same source
  // gives the same summary, and the same object file.
  llvm::sort(Model.AddressTaken);
  recordReferences(Index, Model);

  // The thread order's last answers move into the model; its flows and
  // states are freed before the functions' paths are recorded.
  recordThreadEffects(*Threads, Index, Model);
  Threads.reset();

  recordFunctions(Index, Recorder, Model);
  for (auto &Entry : Model.Calls)
    sortUnique(Entry.second);
  return Model;
}

} // namespace forksafety
