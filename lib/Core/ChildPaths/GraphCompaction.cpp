//===- GraphCompaction.cpp - Fewer nodes for the same paths ---------------===//

#include "Core/ChildPaths/GraphCompaction.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"

#include <cassert>
#include "llvm/ADT/SmallVector.h"

namespace forksafety {

namespace {

/// An edge that adds nothing to a path but the step to its target.
bool isPlain(const ModelEdge &Edge) {
  return !Edge.Leaves && !Edge.IntoContinuation && !Edge.Condition;
}

bool isSameEdge(const ModelEdge &L, const ModelEdge &R) {
  if (L.To != R.To || L.IntoContinuation != R.IntoContinuation ||
      !(L.Condition == R.Condition) ||
      L.Leaves.has_value() != R.Leaves.has_value())
    return false;
  return !L.Leaves || (L.Leaves->Loc == R.Leaves->Loc &&
                       L.Leaves->LoopsBack == R.Leaves->LoopsBack);
}

class Compaction {
public:
  Compaction(PathGraph &Graph, const llvm::DenseSet<unsigned> &Entries)
      : Graph(Graph), Entries(Entries) {}

  std::vector<int> run() {
    if (Graph.Nodes.empty())
      return {};
    skipPassingNodes();
    for (ModelNode &Node : Graph.Nodes)
      simplifyEdges(Node);
    bypassBranches();
    joinChains(reachable());
    return renumber();
  }

private:
  /// Edges from other graphs lead to these, so they stay where they are.
  bool isPinned(unsigned Node) const {
    return Node == 0 || Entries.contains(Node);
  }
  bool passes(unsigned Node) const {
    const ModelNode &N = Graph.Nodes[Node];
    return !isPinned(Node) && N.Events.empty() && !N.Returns &&
           N.Successors.size() == 1 && isPlain(N.Successors.front());
  }
  bool onlyReturns(unsigned Node) const {
    const ModelNode &N = Graph.Nodes[Node];
    return !isPinned(Node) && N.Events.empty() && N.Successors.empty() &&
           N.Returns;
  }
  template <typename Fn> void forEachInnerEdge(ModelNode &Node, Fn Visit) {
    for (ModelEdge &Edge : Node.Successors)
      if (!Edge.IntoContinuation)
        Visit(Edge);
  }

  void skipPassingNodes();
  void simplifyEdges(ModelNode &Node);
  using NodeFlags = llvm::SmallVector<bool, 32>;
  using NodeList = llvm::SmallVector<unsigned, 32>;

  NodeFlags reachable();
  bool onlyBranches(unsigned Node) const;
  void bypassBranches();
  void bypass(unsigned Node, llvm::ArrayRef<unsigned> Sources);
  void joinChains(const NodeFlags &Reachable);
  std::vector<int> renumber();

  PathGraph &Graph;
  const llvm::DenseSet<unsigned> &Entries;
};

void Compaction::skipPassingNodes() {
  // Where an edge into each node really leads; a cycle of passing nodes
  // keeps one of them.
  NodeList Target(Graph.Nodes.size());
  for (unsigned Node = 0; Node < Graph.Nodes.size(); ++Node) {
    unsigned To = Node;
    for (size_t Steps = 0; passes(To) && Steps < Graph.Nodes.size(); ++Steps)
      To = Graph.Nodes[To].Successors.front().To;
    Target[Node] = To;
  }
  for (ModelNode &Node : Graph.Nodes)
    forEachInnerEdge(Node, [&](ModelEdge &Edge) { Edge.To = Target[Edge.To]; });
}

void Compaction::simplifyEdges(ModelNode &Node) {
  // In place: most nodes keep all their edges. A switch has thousands, so
  // an edge is compared with the kept ones that share its target only.
  std::vector<ModelEdge> &Edges = Node.Successors;
  constexpr size_t FewEdges = 8;
  llvm::DenseMap<std::pair<unsigned, unsigned>, llvm::SmallVector<size_t, 1>>
      KeptByTarget;
  auto Repeats = [&](const ModelEdge &Edge, size_t Kept) {
    auto Same = [&](size_t K) { return isSameEdge(Edges[K], Edge); };
    if (Edges.size() <= FewEdges)
      return llvm::any_of(llvm::seq<size_t>(0, Kept), Same);
    return llvm::any_of(
        KeptByTarget[{Edge.To, unsigned(Edge.IntoContinuation)}], Same);
  };
  size_t Kept = 0;
  for (size_t I = 0; I < Edges.size(); ++I) {
    ModelEdge &Edge = Edges[I];
    if (Repeats(Edge, Kept))
      continue;
    if (isPlain(Edge) && onlyReturns(Edge.To)) {
      const Location &ReturnLoc = Graph.Nodes[Edge.To].ReturnLoc;
      if (!Node.Returns) {
        Node.Returns = true;
        Node.ReturnLoc = ReturnLoc;
        continue;
      }
      if (Node.ReturnLoc == ReturnLoc)
        continue;
    }
    if (Edges.size() > FewEdges)
      KeptByTarget[{Edge.To, unsigned(Edge.IntoContinuation)}].push_back(Kept);
    if (Kept != I)
      Edges[Kept] = std::move(Edge);
    ++Kept;
  }
  Edges.resize(Kept);
}

Compaction::NodeFlags Compaction::reachable() {
  NodeFlags Reached(Graph.Nodes.size());
  NodeList Work{0};
  for (unsigned Entry : Entries)
    Work.push_back(Entry);
  while (!Work.empty()) {
    unsigned Node = Work.back();
    Work.pop_back();
    if (Reached[Node])
      continue;
    Reached[Node] = true;
    forEachInnerEdge(Graph.Nodes[Node],
                     [&](ModelEdge &Edge) { Work.push_back(Edge.To); });
  }
  return Reached;
}

bool Compaction::onlyBranches(unsigned Node) const {
  const ModelNode &N = Graph.Nodes[Node];
  return !isPinned(Node) && N.Events.empty() && !N.Returns &&
         !N.Successors.empty() &&
         llvm::all_of(N.Successors, [&](const ModelEdge &Edge) {
           return isPlain(Edge) && Edge.To != Node;
         });
}

void Compaction::bypassBranches() {
  // Each bypass changes the edges of the nodes around it, which then wait
  // for the next round; a few rounds take nearly all.
  constexpr int Rounds = 4;
  for (int Round = 0; Round < Rounds; ++Round) {
    NodeFlags Reached = reachable();
    // The sources of each node's edges, and whether some edge into it says
    // more than a step.
    NodeList First(Graph.Nodes.size() + 1);
    NodeFlags EnteredOtherwise(Graph.Nodes.size());
    for (unsigned Node = 0; Node < Graph.Nodes.size(); ++Node)
      if (Reached[Node])
        forEachInnerEdge(Graph.Nodes[Node], [&](ModelEdge &Edge) {
          ++First[Edge.To + 1];
          EnteredOtherwise[Edge.To] |= !isPlain(Edge);
        });
    for (size_t Node = 0; Node < Graph.Nodes.size(); ++Node)
      First[Node + 1] += First[Node];
    NodeList Sources(First.back()), Filled(First.begin(), First.end() - 1);
    for (unsigned Node = 0; Node < Graph.Nodes.size(); ++Node)
      if (Reached[Node])
        forEachInnerEdge(Graph.Nodes[Node], [&](ModelEdge &Edge) {
          Sources[Filled[Edge.To]++] = Node;
        });
    NodeFlags Touched(Graph.Nodes.size());
    bool Bypassed = false;
    for (unsigned Node = 0; Node < Graph.Nodes.size(); ++Node) {
      size_t In = First[Node + 1] - First[Node];
      size_t Out = Graph.Nodes[Node].Successors.size();
      // Bypassing trades the node and In + Out edges for In * Out edges.
      if (!Reached[Node] || Touched[Node] || EnteredOtherwise[Node] ||
          In == 0 || In * Out > In + Out + 1 || !onlyBranches(Node))
        continue;
      llvm::ArrayRef<unsigned> From(Sources.data() + First[Node], In);
      for (unsigned Source : From)
        Touched[Source] = true;
      for (const ModelEdge &Edge : Graph.Nodes[Node].Successors)
        Touched[Edge.To] = true;
      bypass(Node, From);
      Bypassed = true;
    }
    if (!Bypassed)
      return;
  }
}

void Compaction::bypass(unsigned Node, llvm::ArrayRef<unsigned> Sources) {
  std::vector<ModelEdge> Onward = std::move(Graph.Nodes[Node].Successors);
  Graph.Nodes[Node].Successors.clear();
  for (unsigned Source : Sources) {
    std::vector<ModelEdge> &Edges = Graph.Nodes[Source].Successors;
    auto Into = llvm::find_if(Edges, [&](const ModelEdge &Edge) {
      return !Edge.IntoContinuation && Edge.To == Node;
    });
    // Repeated edges are gone: one edge of each source leads into the node.
    assert(Into != Edges.end() && "a source without its edge");
    if (Into == Edges.end())
      continue;
    Into = Edges.erase(Into);
    Edges.insert(Into, Onward.begin(), Onward.end());
    simplifyEdges(Graph.Nodes[Source]);
  }
}

void Compaction::joinChains(const NodeFlags &Reachable) {
  NodeList Incoming(Graph.Nodes.size());
  for (unsigned Node = 0; Node < Graph.Nodes.size(); ++Node)
    if (Reachable[Node])
      forEachInnerEdge(Graph.Nodes[Node],
                       [&](ModelEdge &Edge) { ++Incoming[Edge.To]; });
  auto Joinable = [&](unsigned From) -> std::optional<unsigned> {
    const ModelNode &N = Graph.Nodes[From];
    if (N.Returns || N.Successors.size() != 1 || !isPlain(N.Successors[0]))
      return std::nullopt;
    unsigned To = N.Successors[0].To;
    if (To == From || isPinned(To) || Incoming[To] != 1)
      return std::nullopt;
    return To;
  };
  for (unsigned Node = 0; Node < Graph.Nodes.size(); ++Node) {
    if (!Reachable[Node])
      continue;
    ModelNode &Into = Graph.Nodes[Node];
    while (std::optional<unsigned> Next = Joinable(Node)) {
      ModelNode &Joined = Graph.Nodes[*Next];
      // Its one way in is this edge: the node is now part of Into.
      Incoming[*Next] = 0;
      std::move(Joined.Events.begin(), Joined.Events.end(),
                std::back_inserter(Into.Events));
      Into.Successors = std::move(Joined.Successors);
      Into.Returns = Joined.Returns;
      Into.ReturnLoc = Joined.ReturnLoc;
      Joined = ModelNode();
    }
  }
}

std::vector<int> Compaction::renumber() {
  std::vector<int> NewIndex(Graph.Nodes.size(), -1);
  NodeList Order;
  auto Keep = [&](unsigned Node) {
    if (NewIndex[Node] < 0) {
      NewIndex[Node] = static_cast<int>(Order.size());
      Order.push_back(Node);
    }
  };
  Keep(0);
  NodeList Pinned(Entries.begin(), Entries.end());
  llvm::sort(Pinned);
  for (unsigned Node : Pinned)
    Keep(Node);
  for (size_t I = 0; I < Order.size(); ++I)
    forEachInnerEdge(Graph.Nodes[Order[I]],
                     [&](ModelEdge &Edge) { Keep(Edge.To); });
  std::vector<ModelNode> Kept;
  Kept.reserve(Order.size());
  for (unsigned Node : Order) {
    Kept.push_back(std::move(Graph.Nodes[Node]));
    forEachInnerEdge(Kept.back(), [&](ModelEdge &Edge) {
      Edge.To = static_cast<unsigned>(NewIndex[Edge.To]);
    });
  }
  Graph.Nodes = std::move(Kept);
  return NewIndex;
}

} // namespace

std::vector<int> compactGraph(PathGraph &Graph,
                              const llvm::DenseSet<unsigned> &Entries) {
  return Compaction(Graph, Entries).run();
}

} // namespace forksafety
