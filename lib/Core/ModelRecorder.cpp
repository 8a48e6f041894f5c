//===- ModelRecorder.cpp - The program model of a translation unit --------===//

#include "Core/ModelRecorder.h"

#include "Core/CFGCache.h"
#include "Core/PathWalker.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"

#include <map>
#include <tuple>

namespace forksafety {

using namespace clang;

namespace {

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

/// Removes the nodes that do nothing but lead to one other node: edges to
/// them go to where they lead. Keeps node 0 first.
void compact(PathGraph &Graph) {
  auto Passes = [&](unsigned Node) {
    const ModelNode &N = Graph.Nodes[Node];
    return Node != 0 && N.Events.empty() && !N.Returns &&
           N.Successors.size() == 1 && !N.Successors.front().Leaves;
  };
  // Where an edge into each node really leads; a cycle of empty nodes
  // keeps one of them.
  std::vector<unsigned> Target(Graph.Nodes.size());
  for (unsigned Node = 0; Node < Graph.Nodes.size(); ++Node) {
    unsigned To = Node;
    for (size_t Steps = 0; Passes(To) && Steps < Graph.Nodes.size(); ++Steps)
      To = Graph.Nodes[To].Successors.front().To;
    Target[Node] = To;
  }
  std::vector<int> NewIndex(Graph.Nodes.size(), -1);
  std::vector<unsigned> Order{0};
  NewIndex[0] = 0;
  for (size_t I = 0; I < Order.size(); ++I)
    for (ModelEdge &Edge : Graph.Nodes[Order[I]].Successors) {
      Edge.To = Target[Edge.To];
      if (NewIndex[Edge.To] < 0) {
        NewIndex[Edge.To] = static_cast<int>(Order.size());
        Order.push_back(Edge.To);
      }
    }
  std::vector<ModelNode> Kept;
  Kept.reserve(Order.size());
  for (unsigned Node : Order) {
    Kept.push_back(std::move(Graph.Nodes[Node]));
    for (ModelEdge &Edge : Kept.back().Successors)
      Edge.To = static_cast<unsigned>(NewIndex[Edge.To]);
  }
  Graph.Nodes = std::move(Kept);
}

} // namespace

/// Builds a PathGraph from one PathWalker walk. The walker's paths never
/// reach exec here (the solver tracks that), so a node is a block entered at
/// one place with one set of places holding the fork's result.
class GraphRecorder : public PathWalker::Visitor {
public:
  struct Settings {
    /// For fork children: objects declared before the fork are the only
    /// ones whose destruction is reported.
    SourceLocation ForkLoc;
    /// For fork children: blocks the parent or the failure path reach.
    const llvm::DenseSet<const CFGBlock *> *OtherProcessBlocks = nullptr;
    /// Where the body ends, for returns that fall off its end.
    SourceLocation BodyEnd;
  };

  GraphRecorder(ModelRecorder &Recorder, Settings S, PathGraph &Graph)
      : Recorder(Recorder), S(S), Graph(Graph) {}

  void enterBlock(const CFGBlock &Block, unsigned FirstElement,
                  const PathState &State) override {
    Current = nodeFor(Block, FirstElement, State);
    CurrentIsStart = Current == 0;
  }
  PathWalker::Step visitElement(const CFGElement &Element,
                                const PathState &State) override;
  void visitEdge(const CFGBlock &From, const CFGBlock &To,
                 PathState &State) override;
  void visitReturn(const ReturnStmt *Return, const PathState &) override {
    ModelNode &Node = Graph.Nodes[Current];
    Node.Returns = true;
    Node.ReturnLoc =
        Recorder.locationOf(Return ? Return->getBeginLoc() : S.BodyEnd);
  }

private:
  using NodeKey = std::tuple<unsigned, unsigned, bool, std::vector<StorageKey>>;

  unsigned nodeFor(const CFGBlock &Block, unsigned FirstElement,
                   const PathState &State) {
    NodeKey Key(
        Block.getBlockID(), FirstElement, State.ForkRunsAgain,
        std::vector<StorageKey>(State.ForkVars.begin(), State.ForkVars.end()));
    auto [It, Inserted] = Nodes.try_emplace(std::move(Key), Graph.Nodes.size());
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
                const CFGElement &Element);
  std::optional<TextEdit> exitFix(const ClassifiedElement &Classified) const;

  ModelRecorder &Recorder;
  Settings S;
  PathGraph &Graph;
  std::map<NodeKey, unsigned> Nodes;
  std::map<std::pair<const void *, const void *>, unsigned> Elements;
  unsigned Current = 0;
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

void GraphRecorder::addEvent(const ClassifiedElement &Classified,
                             ModelEvent::KindType Kind,
                             const CFGElement &Element) {
  ModelEvent Event;
  Event.Kind = Kind;
  Event.Element = elementId(Element);
  Event.Loc = Recorder.locationOf(Classified.Loc);
  Event.Op = Classified.Op;
  Event.OnlyAllocates = Classified.OnlyAllocates;
  bool Locks = false;
  if (Kind == ModelEvent::Unsafe && Classified.Call)
    if (const VarDecl *Mutex = globalMutexOperand(*Classified.Call, Locks))
      Event.Mutex = ModelRecorder::usrOf(*Mutex);
  Event.ExitFix = exitFix(Classified);
  if (Kind == ModelEvent::Call) {
    Event.Callee = ModelRecorder::usrOf(*Classified.Callee);
    if (Classified.Effect == ClassifiedElement::CallsDefined)
      if (Recorder.Callees.try_emplace(Event.Callee, Classified.Callee).second)
        Recorder.CalleeOrder.push_back(Event.Callee);
  }
  Graph.Nodes[Current].Events.push_back(std::move(Event));
}

PathWalker::Step GraphRecorder::visitElement(const CFGElement &Element,
                                             const PathState &) {
  // Objects constructed in the child are reported at their construction.
  if (S.ForkLoc.isValid())
    if (std::optional<CFGAutomaticObjDtor> Dtor =
            Element.getAs<CFGAutomaticObjDtor>())
      if (!isBefore(Dtor->getVarDecl()->getLocation(), S.ForkLoc))
        return PathWalker::Step::Continue;

  ClassifiedElement Classified = Recorder.Classifier.classify(Element);
  switch (Classified.Effect) {
  case ClassifiedElement::NoEffect:
    if (Classified.ForbiddenAfterVfork)
      addEvent(Classified, ModelEvent::VforkOnly, Element);
    break;
  case ClassifiedElement::Exec:
    addEvent(Classified, ModelEvent::Exec, Element);
    break;
  case ClassifiedElement::ExecPathSearch:
    addEvent(Classified, ModelEvent::ExecPathSearch, Element);
    break;
  case ClassifiedElement::Unsafe:
    addEvent(Classified,
             Classified.Callee ? ModelEvent::Call : ModelEvent::Unsafe,
             Element);
    break;
  case ClassifiedElement::CallsDefined:
    addEvent(Classified, ModelEvent::Call, Element);
    break;
  }
  // Whether the path goes on past a call is for the solver to decide.
  return PathWalker::Step::Continue;
}

void GraphRecorder::visitEdge(const CFGBlock &From, const CFGBlock &To,
                              PathState &State) {
  ModelEdge Edge;
  Edge.To = nodeFor(To, 0, State);
  if (S.OtherProcessBlocks && !CurrentIsStart &&
      !S.OtherProcessBlocks->contains(&From) &&
      S.OtherProcessBlocks->contains(&To)) {
    const Stmt *Loop =
        To.getLoopTarget() ? To.getLoopTarget() : From.getLoopTarget();
    SourceLocation Loc =
        Loop ? Loop->getBeginLoc()
             : firstLocation(To, Recorder.Ctx.getSourceManager());
    Edge.Leaves = LeavingChildCode{Recorder.locationOf(Loc), Loop != nullptr};
  }
  Graph.Nodes[Current].Successors.push_back(Edge);
}

ModelRecorder::ModelRecorder(ASTContext &Ctx, const AnalysisOptions &Opts,
                             CFGCache &Graphs)
    : Ctx(Ctx), Opts(Opts), Graphs(Graphs), Classifier(Ctx, Opts) {}

Location ModelRecorder::locationOf(SourceLocation Loc) const {
  return makeLocation(Ctx.getSourceManager(), Loc);
}

std::string ModelRecorder::usrOf(const Decl &D) {
  llvm::SmallString<128> Usr;
  if (index::generateUSRForDecl(&D, Usr))
    return "";
  return std::string(Usr);
}

ForkModel ModelRecorder::recordFork(const ForkSite &Fork, bool InWrapper,
                                    bool ThreadsMayExist) {
  ForkModel Model;
  Model.Loc = locationOf(Fork.Call->getBeginLoc());
  Model.Kind = Fork.Kind;
  Model.ForkFunction = Fork.ForkFunction;
  Model.FunctionName = Fork.FunctionName;
  Model.InWrapper = InWrapper;
  Model.ThreadsMayExist = ThreadsMayExist;
  const CFG *Graph = Graphs.get(*Fork.Function, *Fork.Body);
  const CFGBlock *Block = nullptr;
  int Index = -1;
  if (!Graph || !findElement(*Graph, Fork.Call, Block, Index)) {
    Model.Child.Analysed = false;
    return Model;
  }

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

  GraphRecorder::Settings Settings;
  Settings.ForkLoc = Fork.Call->getBeginLoc();
  Settings.OtherProcessBlocks = &OtherProcessBlocks;
  Settings.BodyEnd = Fork.Body->getEndLoc();
  GraphRecorder Child(*this, Settings, Model.Child);
  PathWalker(Ctx, *Graph, Fork.Call, ForkOutcome::Child)
      .walk(*Block, Index, Child);
  compact(Model.Child);
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
  GraphRecorder Recorder(*this, Settings, Model.Paths);
  PathWalker(Ctx, *Graph, nullptr, ForkOutcome::Child)
      .walk(Graph->getEntry(), -1, Recorder);
  compact(Model.Paths);
  // A function is recorded once; the CFGs of a whole translation unit kept
  // together may outweigh its AST.
  Graphs.forget(Definition);
  return Model;
}

} // namespace forksafety
