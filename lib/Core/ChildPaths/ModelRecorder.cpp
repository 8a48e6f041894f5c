//===- ModelRecorder.cpp - The program model of a translation unit --------===//

#include "Core/ChildPaths/ModelRecorder.h"

#include "Core/ChildPaths/Arguments.h"
#include "Core/ChildPaths/CFGCache.h"
#include "Core/ChildPaths/FunctionShape.h"
#include "Core/ChildPaths/GraphCompaction.h"
#include "Core/ChildPaths/PathWalker.h"
#include "Core/Functions/LibraryModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseSet.h"

#include <map>
#include <tuple>

namespace forksafety {

using namespace clang;

namespace {

/// The blocks the parent or the failure path of a fork reach. Where such a
/// path no longer holds the fork's result, knows nothing of variables and
/// cannot run the fork again, the walk stops: from there on, the function's
/// shape tells where it goes.
class OtherProcessBlocks : public PathWalker::Visitor {
public:
  /// \p Shape is null when the fork lies on a cycle.
  explicit OtherProcessBlocks(const FunctionShape *Shape) : Shape(Shape) {}
  PathWalker::Step visitElement(const CFGElement &,
                                const PathState &) override {
    return PathWalker::Step::Continue;
  }
  bool visitEdge(const CFGBlock &, const CFGBlock &To,
                 PathState &State) override {
    if (Shape && State.ForkVars.empty() && State.Facts.empty() &&
        !State.ForkRunsAgain && !State.ForkArmTaken) {
      Frontier.push_back(To.getBlockID());
      return false;
    }
    Walked.insert(&To);
    return true;
  }
  bool contains(const CFGBlock &Block) {
    if (Walked.contains(&Block))
      return true;
    if (!Shape || Frontier.empty())
      return false;
    if (!Reach)
      Reach.emplace(*Shape);
    for (; Started < Frontier.size(); ++Started)
      Reach->addStart(Frontier[Started]);
    return Reach->reaches(Block.getBlockID());
  }

private:
  const FunctionShape *Shape;
  llvm::DenseSet<const CFGBlock *> Walked;
  std::vector<unsigned> Frontier;
  /// Where the frontier's first Started blocks lead.
  std::optional<FunctionShape::ForklessReach> Reach;
  size_t Started = 0;
};

bool isMain(const Decl &Function) {
  const auto *FD = dyn_cast<FunctionDecl>(&Function);
  return FD && FD->isMain();
}

/// Identifies a CFG element across paths: its statement, or for an implicit
/// destructor its trigger and the destroyed declaration.
std::pair<const void *, const void *> keyOf(const CFGElement &Element) {
  if (std::optional<CFGStmt> S = Element.getAs<CFGStmt>())
    return {S->getStmt(), nullptr};
  if (std::optional<CFGAutomaticObjDtor> D =
          Element.getAs<CFGAutomaticObjDtor>())
    return {D->getTriggerStmt(), D->getVarDecl()};
  if (std::optional<CFGMemberDtor> D = Element.getAs<CFGMemberDtor>())
    return {D->getFieldDecl(), nullptr};
  if (std::optional<CFGBaseDtor> D = Element.getAs<CFGBaseDtor>())
    return {D->getBaseSpecifier(), nullptr};
  return {nullptr, nullptr};
}

/// Where the code of \p Block starts. Its elements are listed innermost
/// expression first, so the statement that starts the block is the one
/// that starts earliest.
SourceLocation firstLocation(const CFGBlock &Block, const SourceManager &SM) {
  SourceLocation First;
  auto Consider = [&](const Stmt *S) {
    SourceLocation Loc = S ? S->getBeginLoc() : SourceLocation();
    if (Loc.isValid() &&
        (First.isInvalid() || SM.isBeforeInTranslationUnit(Loc, First)))
      First = Loc;
  };
  for (const CFGElement &Element : Block)
    if (std::optional<CFGStmt> S = Element.getAs<CFGStmt>())
      Consider(S->getStmt());
  if (First.isInvalid())
    Consider(Block.getTerminatorStmt());
  return First;
}

} // namespace

/// Builds a PathGraph from one PathWalker walk. The walker's paths never
/// reach exec here (the solver tracks that), so a node is a block entered at
/// one place with one set of places holding the fork's result and one set of
/// facts.
class GraphRecorder : public PathWalker::Visitor {
public:
  struct Settings {
    /// For fork children: objects declared before the fork are the only
    /// ones whose destruction is reported.
    SourceLocation ForkLoc;
    /// For fork children: blocks the parent or the failure path reach.
    OtherProcessBlocks *OtherProcess = nullptr;
    /// Where the body ends, for returns that fall off its end.
    SourceLocation BodyEnd;
    /// For fork children: where paths that leave child-only code go on.
    ModelRecorder::SharedContinuation *Continuation = nullptr;
    /// For functions: the parameters whose tests and passing on are
    /// recorded.
    const ReadOnlyParameters *Params = nullptr;
    /// For fork children: the walk, which knows the values the fork's
    /// result gives (`after_fork(pid)` passes 0 in the child).
    const PathWalker *Walker = nullptr;
    /// For the children of forks in main: a return runs exit.
    bool InMain = false;
  };

  GraphRecorder(ModelRecorder &Recorder, Settings S, PathGraph &Graph)
      : Recorder(Recorder), S(S), Graph(Graph) {}

  void enterBlock(const CFGBlock &Block, unsigned FirstElement,
                  const PathState &State) override {
    Current = nodeFor(Block, FirstElement, State);
    CurrentBlock = &Block;
    CurrentIsStart = Current == 0;
  }
  PathWalker::Step visitElement(const CFGElement &Element,
                                const PathState &State) override;
  bool visitEdge(const CFGBlock &From, const CFGBlock &To,
                 PathState &State) override;
  /// The node a path entering \p Block in \p State starts at, and whether
  /// it is new.
  std::pair<unsigned, bool> entryNode(const CFGBlock &Block,
                                      const PathState &State) {
    size_t Before = Graph.Nodes.size();
    unsigned Node = nodeFor(Block, 0, State);
    return {Node, Graph.Nodes.size() > Before};
  }
  void visitReturn(const ReturnStmt *Return, const PathState &) override {
    Location Where =
        Recorder.locationOf(Return ? Return->getBeginLoc() : S.BodyEnd);
    unsigned Returning = Current;
    // An `if` on a parameter with no else leads to the exit one way: the
    // path returns there only when the argument lets the test go that way.
    if (std::optional<ParameterCondition> Condition =
            conditionOf(*CurrentBlock, CurrentBlock->getParent()->getExit())) {
      ModelEdge Edge;
      Edge.Condition = std::move(Condition);
      Edge.To = Returning = Graph.Nodes.size();
      Graph.Nodes[Current].Successors.push_back(std::move(Edge));
      Graph.Nodes.emplace_back();
    }
    if (S.InMain)
      Graph.Nodes[Returning].Events.push_back(returnFromMain(Return, Where));
    ModelNode &Node = Graph.Nodes[Returning];
    Node.Returns = true;
    Node.ReturnLoc = std::move(Where);
  }

private:
  /// Block, first element, the state's flags, the places holding the fork's
  /// result, numbered by VarSets, and the facts, numbered by FactIds.
  using NodeKey = std::tuple<unsigned, unsigned, unsigned, unsigned, unsigned>;

  unsigned nodeFor(const CFGBlock &Block, unsigned FirstElement,
                   const PathState &State) {
    NodeKey Key(Block.getBlockID(), FirstElement, State.flags(),
                VarSets.idOf(State.ForkVars), FactIds.idOf(State.Facts));
    auto [It, Inserted] = Nodes.try_emplace(Key, Graph.Nodes.size());
    if (Inserted)
      Graph.Nodes.emplace_back();
    return It->second;
  }
  unsigned elementId(const CFGElement &Element) {
    return Elements.try_emplace(keyOf(Element), Elements.size()).first->second;
  }
  bool isBefore(SourceLocation L, SourceLocation R) const {
    return Recorder.Ctx.getSourceManager().isBeforeInTranslationUnit(L, R);
  }
  void addEvent(const ClassifiedElement &Classified, ModelEvent::KindType Kind,
                const CFGElement &Element, const PathState &State);
  std::vector<KnownArgument> argumentsOf(const CallExpr &Call,
                                         const PathState &State) const;
  /// Returning from main runs exit: atexit handlers, stdio's flush.
  ModelEvent returnFromMain(const ReturnStmt *Return, const Location &Where);
  std::optional<TextEdit> exitFix(const ClassifiedElement &Classified) const;
  std::optional<ParameterCondition> conditionOf(const CFGBlock &From,
                                                const CFGBlock &To) const;

  ModelRecorder &Recorder;
  Settings S;
  PathGraph &Graph;
  llvm::DenseMap<NodeKey, unsigned> Nodes;
  ForkVarSets VarSets;
  FactSets FactIds;
  llvm::DenseMap<std::pair<const void *, const void *>, unsigned> Elements;
  unsigned Current = 0;
  const CFGBlock *CurrentBlock = nullptr;
  bool CurrentIsStart = true;
};

std::optional<TextEdit>
GraphRecorder::exitFix(const ClassifiedElement &Classified) const {
  if (!Classified.Op.IsExit || !Classified.Call)
    return std::nullopt;
  const auto *Callee = dyn_cast<DeclRefExpr>(
      Classified.Call->getCallee()->IgnoreParenImpCasts());
  if (!Callee || Callee->getBeginLoc().isMacroID() ||
      Callee->getEndLoc().isMacroID())
    return std::nullopt;
  // The replacement must name a declared function.
  ASTContext &Ctx = Recorder.Ctx;
  IdentifierInfo &Exit = Ctx.Idents.get("_exit");
  if (Ctx.getTranslationUnitDecl()->lookup(DeclarationName(&Exit)).empty())
    return std::nullopt;
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation End =
      Lexer::getLocForEndOfToken(Callee->getEndLoc(), 0, SM, Ctx.getLangOpts());
  TextEdit Fix{Recorder.locationOf(Callee->getBeginLoc()),
               Recorder.locationOf(End), "_exit",
               CharSourceRange::getTokenRange(Callee->getSourceRange())};
  return Fix;
}

std::vector<KnownArgument>
GraphRecorder::argumentsOf(const CallExpr &Call, const PathState &State) const {
  if (!S.Walker)
    return knownArguments(Call, S.Params, Recorder.Ctx);
  return knownArguments(Call, S.Params, Recorder.Ctx,
                        [&](const Expr &Argument) -> std::optional<int64_t> {
                          std::optional<ValueRange> Known =
                              S.Walker->valueOf(&Argument, State);
                          if (!Known || Known->Lo != Known->Hi)
                            return std::nullopt;
                          return Known->Lo;
                        });
}

ModelEvent GraphRecorder::returnFromMain(const ReturnStmt *Return,
                                         const Location &Where) {
  static const char ReturnTag = 0;
  ModelEvent Event;
  Event.Kind = ModelEvent::Unsafe;
  Event.Element = Elements
                      .try_emplace({Return ? static_cast<const void *>(Return)
                                           : CurrentBlock,
                                    &ReturnTag},
                                   Elements.size())
                      .first->second;
  Event.Loc = Where;
  Event.Op.Kind = OperationKind::Return;
  Event.Op.Subject = "main";
  Event.Op.IsExit = true;
  Event.Op.TakesLocks = true;
  return Event;
}

void GraphRecorder::addEvent(const ClassifiedElement &Classified,
                             ModelEvent::KindType Kind,
                             const CFGElement &Element,
                             const PathState &State) {
  ModelEvent Event;
  Event.Kind = Kind;
  Event.Element = elementId(Element);
  Event.Loc = Recorder.locationOf(Classified.Loc);
  Event.Op = Classified.Op;
  Event.OnlyAllocates = Classified.OnlyAllocates;
  Event.SystemCall = Classified.SystemCall;
  bool Locks = false;
  if (Kind == ModelEvent::Unsafe && Classified.Call)
    if (const VarDecl *Mutex = globalMutexOperand(*Classified.Call, Locks))
      Event.Mutex = ModelRecorder::usrOf(*Mutex);
  Event.ExitFix = exitFix(Classified);
  if (Kind == ModelEvent::Call) {
    Event.Callee = ModelRecorder::usrOf(*Classified.Callee);
    if (Classified.Effect == ClassifiedElement::CallsDefined)
      if (Recorder.Callees.try_emplace(Event.Callee, Classified.Callee).second)
        Recorder.CalleeOrder.push_back(Event.Callee.str());
    if (Classified.Call)
      Event.Arguments = argumentsOf(*Classified.Call, State);
  } else if (Kind == ModelEvent::Unsafe && Classified.Call && S.Params &&
             !Classified.Call->getDirectCallee()) {
    Event.CalleeParameter = S.Params->positionOf(Classified.Call->getCallee());
    if (Event.CalleeParameter)
      Event.Arguments = argumentsOf(*Classified.Call, State);
  }
  // Functions passed to the program's functions may be called there.
  if (Classified.Call &&
      (Event.Kind == ModelEvent::Call || Event.CalleeParameter))
    for (const Expr *Argument : Classified.Call->arguments())
      Recorder.nameFunctionArgument(Argument);
  Graph.Nodes[Current].Events.push_back(std::move(Event));
}

PathWalker::Step GraphRecorder::visitElement(const CFGElement &Element,
                                             const PathState &State) {
  ClassifiedElement Classified = Recorder.Classifier.classify(Element);
  // Library objects constructed in the child are reported at their
  // construction; the program's own destructors are followed like calls.
  if (S.ForkLoc.isValid() &&
      Classified.Effect != ClassifiedElement::CallsDefined)
    if (std::optional<CFGAutomaticObjDtor> Dtor =
            Element.getAs<CFGAutomaticObjDtor>())
      if (!isBefore(Dtor->getVarDecl()->getLocation(), S.ForkLoc))
        return PathWalker::Step::Continue;

  switch (Classified.Effect) {
  case ClassifiedElement::NoEffect:
    if (Classified.ForbiddenAfterVfork)
      addEvent(Classified, ModelEvent::VforkOnly, Element, State);
    break;
  case ClassifiedElement::Exec:
    addEvent(Classified, ModelEvent::Exec, Element, State);
    break;
  case ClassifiedElement::ExecPathSearch:
    addEvent(Classified, ModelEvent::ExecPathSearch, Element, State);
    break;
  case ClassifiedElement::Unsafe:
    addEvent(Classified,
             Classified.Callee ? ModelEvent::Call : ModelEvent::Unsafe, Element,
             State);
    break;
  case ClassifiedElement::CallsDefined:
    addEvent(Classified, ModelEvent::Call, Element, State);
    break;
  case ClassifiedElement::Unreachable:
    addEvent(Classified, ModelEvent::Unreachable, Element, State);
    break;
  }
  // Whether the path goes on past a call is for the solver to decide.
  return PathWalker::Step::Continue;
}

/// The code after the forks of one function, recorded as one graph that the
/// children of all of them lead into. Its paths are those of the child of
/// any of the forks once it left child-only code: the fork call is not on
/// them, so they depend only on the places that hold the fork's result and
/// on what the child knows of variables, which the entry nodes tell apart.
struct ModelRecorder::SharedContinuation {
  SharedContinuation(ModelRecorder &Recorder, const CFG &Graph,
                     SourceLocation BodyEnd, std::string Key, bool InMain)
      : Key(std::move(Key)),
        Recorder(Recorder, settings(BodyEnd, Walker, InMain), Paths),
        Walker(Recorder.Ctx, Graph, nullptr, ForkOutcome::Child) {}

  static GraphRecorder::Settings
  settings(SourceLocation BodyEnd, const PathWalker &Walker, bool InMain) {
    GraphRecorder::Settings Settings;
    Settings.Walker = &Walker;
    Settings.InMain = InMain;
    Settings.BodyEnd = BodyEnd;
    return Settings;
  }

  /// The node where a child path entering \p Block in \p State goes on,
  /// recording the paths from there if no child went there before.
  unsigned enter(const CFGBlock &Block, const PathState &State) {
    // Whether a ?: yields the fork's result depends on the fork call, which
    // the continuation does not know; the parent computes the ?: too, so a
    // child no longer in it leaves child-only code.
    PathState Entry;
    Entry.ForkVars = State.ForkVars;
    Entry.Facts = State.Facts;
    auto [Node, IsNew] = Recorder.entryNode(Block, Entry);
    if (IsNew)
      Walker.walkOn(Block, std::move(Entry), Recorder);
    Entries.insert(Node);
    return Node;
  }

  std::string Key;
  PathGraph Paths;
  GraphRecorder Recorder;
  PathWalker Walker;
  llvm::DenseSet<unsigned> Entries;
};

std::optional<ParameterCondition>
GraphRecorder::conditionOf(const CFGBlock &From, const CFGBlock &To) const {
  // What the block tests last: of `a && b`, the block that evaluates b
  // branches on b alone.
  const Expr *Condition = From.getLastCondition();
  // A switch's successors are its cases, not a true and a false branch.
  if (!S.Params || !Condition || From.succ_size() != 2 ||
      isa_and_nonnull<SwitchStmt>(From.getTerminatorStmt()))
    return std::nullopt;
  const CFGBlock *Then = From.succ_begin()->getReachableBlock();
  const CFGBlock *Else = (From.succ_begin() + 1)->getReachableBlock();
  if (Then == Else)
    return std::nullopt;
  return parameterCondition(Condition, /*Taken=*/Then == &To, *S.Params,
                            Recorder.Ctx);
}

bool GraphRecorder::visitEdge(const CFGBlock &From, const CFGBlock &To,
                              PathState &State) {
  ModelEdge Edge;
  Edge.Condition = conditionOf(From, To);
  bool Leaves = S.OtherProcess && !CurrentIsStart &&
                !S.OtherProcess->contains(From) && S.OtherProcess->contains(To);
  if (Leaves) {
    const Stmt *Loop =
        To.getLoopTarget() ? To.getLoopTarget() : From.getLoopTarget();
    SourceLocation Loc =
        Loop ? Loop->getBeginLoc()
             : firstLocation(To, Recorder.Ctx.getSourceManager());
    Edge.Leaves = LeavingChildCode{Recorder.locationOf(Loc), Loop != nullptr};
  }
  if (Leaves && S.Continuation) {
    Edge.To = S.Continuation->enter(To, State);
    Edge.IntoContinuation = true;
  } else {
    Edge.To = nodeFor(To, 0, State);
  }
  Graph.Nodes[Current].Successors.push_back(Edge);
  return !Edge.IntoContinuation;
}

const FunctionShape &ModelRecorder::shapeOf(const Decl &Function,
                                            const CFG &Graph) {
  std::unique_ptr<FunctionShape> &Shape = Shapes[&Function];
  if (!Shape) {
    // The shape refers to the blocks of this CFG.
    Graphs.keep(Function);
    Shape = std::make_unique<FunctionShape>(Ctx, Graph);
  }
  return *Shape;
}

ModelRecorder::SharedContinuation *
ModelRecorder::continuationFor(const ForkSite &Fork, const CFG &Graph,
                               const CFGBlock &ForkBlock) {
  const FunctionShape &Shape = shapeOf(*Fork.Function, Graph);
  // A fork on a cycle may run again in a child that loops back; objects
  // declared after the fork are destroyed in its child without a finding of
  // their own. Either makes the code after the fork differ from fork to
  // fork.
  if (Shape.onCycle(ForkBlock) ||
      (Shape.lastDestroyed().isValid() &&
       !Ctx.getSourceManager().isBeforeInTranslationUnit(
           Shape.lastDestroyed(), Fork.Call->getBeginLoc())))
    return nullptr;
  std::unique_ptr<SharedContinuation> &Shared = Continuations[Fork.Function];
  if (!Shared) {
    std::string Key = usrOf(*Fork.Function);
    if (Key.empty())
      return nullptr;
    Graphs.keep(*Fork.Function);
    Shared = std::make_unique<SharedContinuation>(
        *this, Graph, Fork.Body->getEndLoc(), std::move(Key),
        isMain(*Fork.Function));
    ContinuationsByKey[Shared->Key] = Shared.get();
  }
  return Shared.get();
}

void ModelRecorder::nameFunctionArgument(const Expr *Argument) {
  const FunctionDecl *Function = functionNamedBy(Argument);
  const FunctionDecl *Definition =
      Function ? Function->getDefinition() : nullptr;
  if (!Definition || isInSystemHeader(*Definition, Ctx.getSourceManager()))
    return;
  std::string Usr = usrOf(*Definition);
  if (!Usr.empty() && Callees.try_emplace(Usr, Definition).second)
    CalleeOrder.push_back(std::move(Usr));
}

ModelRecorder::~ModelRecorder() = default;

const PathGraph *ModelRecorder::continuation(llvm::StringRef Key) const {
  auto It = ContinuationsByKey.find(Key);
  return It == ContinuationsByKey.end() ? nullptr : &It->second->Paths;
}

void ModelRecorder::moveContinuations(ProgramModel &Model) {
  for (auto &Entry : Continuations) {
    if (!Entry.second)
      continue;
    SharedContinuation &Shared = *Entry.second;
    // No child left child-only code: nothing to keep.
    bool Entered = !Shared.Entries.empty();
    std::vector<int> NewIndex;
    if (Entered)
      NewIndex = compactGraph(Shared.Paths, Shared.Entries);
    for (ForkModel &Fork : Model.Forks) {
      if (Fork.Continuation != Shared.Key)
        continue;
      if (!Entered)
        Fork.Continuation.clear();
      for (ModelNode &Node : Fork.Child.Nodes)
        for (ModelEdge &Edge : Node.Successors)
          if (Edge.IntoContinuation)
            Edge.To = static_cast<unsigned>(NewIndex[Edge.To]);
    }
    if (Entered)
      Model.Continuations[Shared.Key] = std::move(Shared.Paths);
  }
  Continuations.clear();
  ContinuationsByKey.clear();
}

ModelRecorder::ModelRecorder(ASTContext &Ctx, const AnalysisOptions &Opts,
                             CFGCache &Graphs)
    : Ctx(Ctx), Opts(Opts), Graphs(Graphs), Classifier(Ctx, Opts) {}

Location ModelRecorder::locationOf(SourceLocation Loc) const {
  return makeLocation(Ctx.getSourceManager(), Loc);
}

namespace {
/// The innermost UsrMemo of this thread.
thread_local ModelRecorder::UsrMemo *CurrentUsrMemo = nullptr;

std::string makeUsr(const Decl &D);
} // namespace

ModelRecorder::UsrMemo::UsrMemo(const ASTContext &Ctx)
    : Ctx(Ctx), Outer(CurrentUsrMemo),
      Installed(!Outer || &Outer->Ctx != &Ctx) {
  if (Installed)
    CurrentUsrMemo = this;
}

ModelRecorder::UsrMemo::~UsrMemo() {
  if (Installed)
    CurrentUsrMemo = Outer;
}

std::string ModelRecorder::usrOf(const Decl &D) {
  UsrMemo *Memo = CurrentUsrMemo;
  if (!Memo || &Memo->Ctx != &D.getASTContext())
    return makeUsr(D);
  auto [It, Inserted] = Memo->Usrs.try_emplace(&D);
  if (Inserted)
    It->second = makeUsr(D);
  return It->second;
}

namespace {
std::string makeUsr(const Decl &D) {
  llvm::SmallString<128> Usr;
  if (index::generateUSRForDecl(&D, Usr))
    return "";
  const SourceManager &SM = D.getASTContext().getSourceManager();
  // Each program of a build has its own main.
  if (const auto *FD = dyn_cast<FunctionDecl>(&D); FD && FD->isMain()) {
    if (OptionalFileEntryRef File = SM.getFileEntryRefForID(SM.getMainFileID()))
      Usr += ("@" + File->getName()).str();
    return std::string(Usr);
  }
  // A USR names a declaration with internal linkage by its file's name
  // alone: "static void setup()" in two files "util.c", or in two headers
  // "settings.h", would be one function of the program.
  const auto *Named = dyn_cast<NamedDecl>(&D);
  if (Named && Named->hasLinkage() && !Named->isExternallyVisible())
    if (OptionalFileEntryRef File = SM.getFileEntryRefForID(
            SM.getFileID(SM.getFileLoc(D.getLocation())))) {
      llvm::SmallString<256> Path(File->getName());
      SM.getFileManager().makeAbsolutePath(Path);
      Usr += UsrFileMark;
      Usr += Path;
    }
  return std::string(Usr);
}
} // namespace

ForkModel ModelRecorder::recordFork(const ForkSite &Fork, bool InWrapper,
                                    bool ThreadsMayExist) {
  ForkModel Model;
  Model.Loc = locationOf(Fork.Call->getBeginLoc());
  Model.Kind = Fork.Kind;
  Model.ForkFunction = Fork.ForkFunction;
  Model.FunctionName = Fork.FunctionName;
  if (const auto *Function = dyn_cast<FunctionDecl>(Fork.Function))
    Model.FunctionUsr = usrOf(*Function);
  Model.InWrapper = InWrapper;
  Model.ThreadsMayExist = ThreadsMayExist;
  const CFG *Graph = Graphs.get(*Fork.Function, *Fork.Body);
  const CFGBlock *Block = nullptr;
  int Index = -1;
  if (!Graph || !Graphs.locate(*Fork.Function, Fork.Call, Block, Index)) {
    Model.Child.Analysed = false;
    return Model;
  }

  // Blocks the parent or the failure path reach: a child path that enters
  // them has left the code only the child runs. The parent of daemon never
  // returns from the call.
  const FunctionShape &Shape = shapeOf(*Fork.Function, *Graph);
  OtherProcessBlocks OtherProcess(Shape.onCycle(*Block) ? nullptr : &Shape);
  const BranchSites &Branches = Graphs.branches(*Fork.Function);
  if (Fork.Kind != ForkKind::Daemon)
    PathWalker(Ctx, *Graph, Fork.Call, ForkOutcome::Parent, &Branches)
        .walk(*Block, Index, OtherProcess);
  PathWalker(Ctx, *Graph, Fork.Call, ForkOutcome::Failure, &Branches)
      .walk(*Block, Index, OtherProcess);

  GraphRecorder::Settings Settings;
  if (const auto *Function = dyn_cast<FunctionDecl>(Fork.Function))
    Settings.Params = &Parameters.of(*Function);
  Settings.ForkLoc = Fork.Call->getBeginLoc();
  Settings.InMain = isMain(*Fork.Function);
  Settings.OtherProcess = &OtherProcess;
  Settings.BodyEnd = Fork.Body->getEndLoc();
  Settings.Continuation = continuationFor(Fork, *Graph, *Block);
  PathWalker ChildWalker(Ctx, *Graph, Fork.Call, ForkOutcome::Child, &Branches);
  Settings.Walker = &ChildWalker;
  GraphRecorder Child(*this, Settings, Model.Child);
  ChildWalker.walk(*Block, Index, Child);
  compactGraph(Model.Child);
  if (Settings.Continuation)
    Model.Continuation = Settings.Continuation->Key;
  return Model;
}

std::optional<FunctionModel>
ModelRecorder::recordFunction(llvm::StringRef Usr) {
  auto It = Callees.find(Usr);
  if (It == Callees.end())
    return std::nullopt;
  return recordFunction(*It->second);
}

FunctionModel ModelRecorder::recordFunction(const FunctionDecl &Definition) {
  FunctionModel Model;
  Model.Usr = usrOf(Definition);
  Model.Name = CallClassifier::displayName(Definition);
  Model.Loc = locationOf(Definition.getLocation());
  const Stmt *Body = Definition.getBody();
  const CFG *Graph = Body ? Graphs.get(Definition, *Body) : nullptr;
  if (!Graph) {
    Model.Paths.Analysed = false;
    return Model;
  }
  GraphRecorder::Settings Settings;
  Settings.BodyEnd = Body->getEndLoc();
  Settings.Params = &Parameters.of(Definition);
  GraphRecorder Recorder(*this, Settings, Model.Paths);
  PathWalker(Ctx, *Graph, nullptr, ForkOutcome::Child)
      .walk(Graph->getEntry(), -1, Recorder);
  compactGraph(Model.Paths);
  // A function is recorded once; the CFGs of a whole translation unit kept
  // together may outweigh its AST.
  Graphs.forget(Definition);
  return Model;
}

} // namespace forksafety
