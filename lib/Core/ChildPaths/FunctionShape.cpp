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
  forEveryComponent(Edges, [&](const std::vector<unsigned> &Members) {
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

llvm::BitVector
FunctionShape::reachableFrom(const std::vector<unsigned> &From) const {
  if (Next.empty())
    computeForklessPaths();
  llvm::BitVector Reached(Next.size());
  std::vector<unsigned> Stack;
  auto Reach = [&](unsigned Block) {
    if (!Reached.test(Block)) {
      Reached.set(Block);
      Stack.push_back(Block);
    }
  };
  for (unsigned Start : From)
    Reach(Start);
  while (!Stack.empty()) {
    unsigned Block = Stack.back();
    Stack.pop_back();
    for (unsigned Succ : Next[Block])
      Reach(Succ);
  }
  return Reached;
}

} // namespace forksafety
