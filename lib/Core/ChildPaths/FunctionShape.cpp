//===- FunctionShape.cpp - What the forks of a function may share ---------===//

#include "Core/ChildPaths/FunctionShape.h"

#include "Core/ChildPaths/PathWalker.h"
#include "Core/ChildPaths/StronglyConnected.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"

namespace forksafety {

using namespace clang;

namespace {

SourceLocation latestDestroyed(const CFG &Graph, const SourceManager &SM) {
  SourceLocation Latest;
  for (const CFGBlock *Block : Graph)
    for (const CFGElement &Element : *Block)
      if (std::optional<CFGAutomaticObjDtor> Dtor =
              Element.getAs<CFGAutomaticObjDtor>()) {
        SourceLocation Loc = Dtor->getVarDecl()->getLocation();
        if (Latest.isInvalid() || SM.isBeforeInTranslationUnit(Latest, Loc))
          Latest = Loc;
      }
  return Latest;
}

/// Calls \p Visit(Members) for every strongly connected component of the
/// graph \p Next, each after those it reaches.
template <typename VisitFn>
void forEveryComponent(const std::vector<std::vector<unsigned>> &Next,
                       VisitFn Visit) {
  std::vector<bool> Seen(Next.size());
  auto Successors = [&](unsigned Node, std::vector<unsigned> &Out) {
    for (unsigned To : Next[Node])
      if (!Seen[To])
        Out.push_back(To);
  };
  for (unsigned Root = 0; Root < Next.size(); ++Root)
    if (!Seen[Root])
      forEachComponent(Root, Successors,
                       [&](const std::vector<unsigned> &Members) {
                         for (unsigned Member : Members)
                           Seen[Member] = true;
                         Visit(Members);
                       });
}

} // namespace

FunctionShape::FunctionShape(ASTContext &Ctx, const CFG &Graph)
    : Ctx(Ctx), Graph(Graph),
      LastDestroyed(latestDestroyed(Graph, Ctx.getSourceManager())) {
  std::vector<std::vector<unsigned>> Edges(Graph.getNumBlockIDs());
  for (const CFGBlock *Block : Graph)
    for (const CFGBlock::AdjacentBlock &Succ : Block->succs())
      if (const CFGBlock *Target = Succ.getReachableBlock())
        Edges[Block->getBlockID()].push_back(Target->getBlockID());
  // Components come after those they reach: count the ranks down.
  Rank.resize(Edges.size());
  unsigned Next = Edges.size();
  forEveryComponent(Edges, [&](const std::vector<unsigned> &Members) {
    --Next;
    for (unsigned Member : Members)
      Rank[Member] = Next;
    if (Members.size() > 1 ||
        llvm::is_contained(Edges[Members.front()], Members.front()))
      OnCycles.insert(Members.begin(), Members.end());
  });
}

void FunctionShape::computeForklessPaths() const {
  Next.resize(Graph.getNumBlockIDs());
  PathWalker Forkless(Ctx, Graph, nullptr, ForkOutcome::Child);
  for (const CFGBlock *Block : Graph)
    for (const CFGBlock *Target : Forkless.successors(*Block, PathState()))
      Next[Block->getBlockID()].push_back(Target->getBlockID());
}

bool FunctionShape::onCycle(const CFGBlock &Block) const {
  return OnCycles.contains(Block.getBlockID());
}

FunctionShape::ForklessReach::ForklessReach(const FunctionShape &Shape)
    : Shape(Shape), Reached(Shape.Graph.getNumBlockIDs()) {
  if (Shape.Next.empty())
    Shape.computeForklessPaths();
}

void FunctionShape::ForklessReach::addStart(unsigned Id) { reach(Id); }

void FunctionShape::ForklessReach::reach(unsigned Id) {
  if (Reached.test(Id))
    return;
  Reached.set(Id);
  Unexpanded.emplace(Shape.Rank[Id], Id);
}

bool FunctionShape::ForklessReach::reaches(unsigned Id) {
  // Every path to Id runs through ranks up to its own.
  unsigned Limit = Shape.Rank[Id];
  while (!Unexpanded.empty() && Unexpanded.top().first <= Limit) {
    unsigned Block = Unexpanded.top().second;
    Unexpanded.pop();
    for (unsigned Succ : Shape.Next[Block])
      reach(Succ);
  }
  return Reached.test(Id);
}

} // namespace forksafety
