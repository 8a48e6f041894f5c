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

} // namespace

FunctionShape::FunctionShape(ASTContext &Ctx, const CFG &Graph)
    : Ctx(Ctx), Graph(Graph),
      LastDestroyed(latestDestroyed(Graph, Ctx.getSourceManager())) {
  // The edges, flat: those of block B are Targets[Starts[B]..Starts[B+1]).
  unsigned Size = Graph.getNumBlockIDs();
  std::vector<unsigned> Starts(Size + 1), Targets;
  for (const CFGBlock *Block : Graph)
    for (const CFGBlock::AdjacentBlock &Succ : Block->succs())
      if (Succ.getReachableBlock())
        ++Starts[Block->getBlockID() + 1];
  for (unsigned Id = 0; Id < Size; ++Id)
    Starts[Id + 1] += Starts[Id];
  Targets.resize(Starts[Size]);
  std::vector<unsigned> Filled(Starts.begin(), Starts.end() - 1);
  for (const CFGBlock *Block : Graph)
    for (const CFGBlock::AdjacentBlock &Succ : Block->succs())
      if (const CFGBlock *Target = Succ.getReachableBlock())
        Targets[Filled[Block->getBlockID()]++] = Target->getBlockID();
  auto Edges = [&](unsigned Id) {
    return llvm::ArrayRef<unsigned>(Targets).slice(Starts[Id],
                                                   Starts[Id + 1] - Starts[Id]);
  };
  // Components come after those they reach: count the ranks down.
  Rank.resize(Size);
  unsigned Next = Size;
  forEveryDenseComponent(Size, Edges, [&](llvm::ArrayRef<unsigned> Members) {
    --Next;
    for (unsigned Member : Members)
      Rank[Member] = Next;
    if (Members.size() > 1 ||
        llvm::is_contained(Edges(Members.front()), Members.front()))
      OnCycles.insert(Members.begin(), Members.end());
  });
}

void FunctionShape::computeForklessPaths() const {
  unsigned Size = Graph.getNumBlockIDs();
  std::vector<std::pair<unsigned, unsigned>> Edges;
  PathWalker Forkless(Ctx, Graph, nullptr, ForkOutcome::Child);
  PathState Plain;
  for (const CFGBlock *Block : Graph)
    for (const CFGBlock *Target : Forkless.successors(*Block, Plain))
      Edges.emplace_back(Block->getBlockID(), Target->getBlockID());
  NextStarts.assign(Size + 1, 0);
  for (const auto &[From, To] : Edges)
    ++NextStarts[From + 1];
  for (unsigned Id = 0; Id < Size; ++Id)
    NextStarts[Id + 1] += NextStarts[Id];
  NextTargets.resize(Edges.size());
  std::vector<unsigned> Filled(NextStarts.begin(), NextStarts.end() - 1);
  for (const auto &[From, To] : Edges)
    NextTargets[Filled[From]++] = To;
}

bool FunctionShape::onCycle(const CFGBlock &Block) const {
  return OnCycles.contains(Block.getBlockID());
}

FunctionShape::ForklessReach::ForklessReach(const FunctionShape &Shape)
    : Shape(Shape), Reached(Shape.Graph.getNumBlockIDs()) {
  if (Shape.NextStarts.empty())
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
    for (unsigned Succ :
         llvm::ArrayRef<unsigned>(Shape.NextTargets)
             .slice(Shape.NextStarts[Block],
                    Shape.NextStarts[Block + 1] - Shape.NextStarts[Block]))
      reach(Succ);
  }
  return Reached.test(Id);
}

} // namespace forksafety
