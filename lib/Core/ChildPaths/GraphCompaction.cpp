//===- GraphCompaction.cpp - Fewer nodes for the same paths ---------------===//

#include "Core/ChildPaths/GraphCompaction.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <vector>

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
  void bypassFrom(ModelNode &Source, const NodeFlags &Bypassed);
  void joinChains(const NodeFlags &Reachable);
  std::vector<int> renumber();

  PathGraph &Graph;
  const llvm::DenseSet<unsigned> &Entries;
};

void Compaction::skipPassingNodes() {
  // Where an edge into each node really leads, found once per node: each
  // walk along passing nodes stops at a node whose target is known, and
  // gives its target to every node it passed. A cycle of passing nodes
  // keeps the node where the walk met itself.
  constexpr unsigned Unknown = ~0u;
  NodeList Target(Graph.Nodes.size(), Unknown), Walked;
  NodeFlags OnWalk(Graph.Nodes.size());
  for (unsigned Start = 0; Start < Graph.Nodes.size(); ++Start) {
    unsigned At = Start;
    while (Target[At] == Unknown && passes(At) && !OnWalk[At]) {
      OnWalk[At] = true;
      Walked.push_back(At);
      At = Graph.Nodes[At].Successors.front().To;
    }
    unsigned To = Target[At];
    if (To == Unknown) {
      // The walk ends at a node that does more than lead on, or came back
      // to a node it passed: either is where the edges lead.
      To = At;
      if (!OnWalk[At])
        Target[At] = At;
    }
    for (unsigned Node : Walked) {
      Target[Node] = To;
      OnWalk[Node] = false;
    }
    Walked.clear();
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
  // A bypass changes the edges of the nodes around it, which then wait for
  // the next round; a few rounds take nearly all.
  constexpr int Rounds = 4;
  for (int Round = 0; Round < Rounds; ++Round) {
    NodeFlags Reached = reachable();
    // How many edges lead into each node, and whether one says more than a
    // step.
    NodeList Incoming(Graph.Nodes.size());
    NodeFlags EnteredOtherwise(Graph.Nodes.size());
    for (unsigned Node = 0; Node < Graph.Nodes.size(); ++Node)
      if (Reached[Node])
        forEachInnerEdge(Graph.Nodes[Node], [&](ModelEdge &Edge) {
          ++Incoming[Edge.To];
          EnteredOtherwise[Edge.To] |= !isPlain(Edge);
        });
    // The nodes bypassed this round. None leads into another (a node one
    // leads to is Touched), so what each leads to stays as it is while
    // its sources, never bypassed themselves, take it.
    NodeFlags Bypassed(Graph.Nodes.size()), Touched(Graph.Nodes.size());
    bool Any = false;
    for (unsigned Node = 0; Node < Graph.Nodes.size(); ++Node) {
      const std::vector<ModelEdge> &Onward = Graph.Nodes[Node].Successors;
      size_t In = Incoming[Node], Out = Onward.size();
      // Bypassing trades the node and In + Out edges for In * Out edges.
      if (!Reached[Node] || Touched[Node] || EnteredOtherwise[Node] ||
          In == 0 || In * Out > In + Out + 1 || !onlyBranches(Node) ||
          llvm::any_of(
              Onward, [&](const ModelEdge &Edge) { return Bypassed[Edge.To]; }))
        continue;
      Bypassed[Node] = Any = true;
      for (const ModelEdge &Edge : Onward)
        Touched[Edge.To] = true;
    }
    if (!Any)
      return;
    // Each source is rebuilt once, however many of its targets go.
    for (unsigned Node = 0; Node < Graph.Nodes.size(); ++Node)
      if (Reached[Node] && !Bypassed[Node] &&
          llvm::any_of(Graph.Nodes[Node].Successors, [&](const ModelEdge &E) {
            return !E.IntoContinuation && Bypassed[E.To];
          }))
        bypassFrom(Graph.Nodes[Node], Bypassed);
    for (unsigned Node = 0; Node < Graph.Nodes.size(); ++Node)
      if (Bypassed[Node])
        Graph.Nodes[Node].Successors.clear();
  }
}

void Compaction::bypassFrom(ModelNode &Source, const NodeFlags &Bypassed) {
  std::vector<ModelEdge> Edges;
  for (ModelEdge &Edge : Source.Successors) {
    if (Edge.IntoContinuation || !Bypassed[Edge.To]) {
      Edges.push_back(std::move(Edge));
      continue;
    }
    const std::vector<ModelEdge> &Onward = Graph.Nodes[Edge.To].Successors;
    Edges.insert(Edges.end(), Onward.begin(), Onward.end());
  }
  Source.Successors = std::move(Edges);
  simplifyEdges(Source);
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
