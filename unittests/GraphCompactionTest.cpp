#include "Core/ChildPaths/GraphCompaction.h"

#include "gtest/gtest.h"

#include <random>
#include <set>

using namespace forksafety;

namespace {

ModelEvent event(unsigned Element) {
  ModelEvent Event;
  Event.Kind = ModelEvent::Unsafe;
  Event.Element = Element;
  return Event;
}

ModelEdge edgeTo(unsigned To) { return ModelEdge{To, std::nullopt, false}; }

Location line(unsigned Line) {
  Location Loc;
  Loc.File = "a.c";
  Loc.Line = Line;
  Loc.Column = 3;
  return Loc;
}

void returnsAt(ModelNode &Node, unsigned Line) {
  Node.Returns = true;
  Node.ReturnLoc = line(Line);
}

std::vector<unsigned> elementsOf(const ModelNode &Node) {
  std::vector<unsigned> Elements;
  for (const ModelEvent &Event : Node.Events)
    Elements.push_back(Event.Element);
  return Elements;
}

/// Every path of \p Graph from node 0, as the text of what it meets: its
/// events, the edges that are more than a step, how it ends. A path is cut
/// after \p Limit of those; one that may go round forever without either
/// says so. Solved to a fixpoint.
std::set<std::string> pathsOf(const PathGraph &Graph, size_t Limit) {
  using Texts = std::set<std::string>;
  std::vector<std::vector<Texts>> From(Graph.Nodes.size(),
                                       std::vector<Texts>(Limit + 1));
  auto EdgeText = [](const ModelEdge &Edge) {
    std::string Text;
    if (Edge.Leaves)
      Text += "leaves" + std::to_string(Edge.Leaves->Loc.Line) + " ";
    if (Edge.Condition)
      Text += "if" + std::to_string(Edge.Condition->Value) + " ";
    if (Edge.IntoContinuation)
      Text += "continues" + std::to_string(Edge.To) + " ";
    return Text;
  };
  // The nodes from which a path may run forever without an event or an
  // edge that says more than a step: it then never ends.
  std::vector<bool> Silent(Graph.Nodes.size());
  for (size_t Node = 0; Node < Graph.Nodes.size(); ++Node)
    Silent[Node] = Graph.Nodes[Node].Events.empty();
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (size_t Node = 0; Node < Graph.Nodes.size(); ++Node)
      if (Silent[Node] &&
          llvm::none_of(Graph.Nodes[Node].Successors, [&](const ModelEdge &E) {
            return EdgeText(E).empty() && Silent[E.To];
          })) {
        Silent[Node] = false;
        Changed = true;
      }
  }
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (size_t Node = 0; Node < Graph.Nodes.size(); ++Node)
      for (size_t Left = 0; Left <= Limit; ++Left) {
        const ModelNode &N = Graph.Nodes[Node];
        std::string Prefix;
        size_t Taken = 0;
        for (; Taken < N.Events.size() && Taken < Left; ++Taken)
          Prefix += std::to_string(N.Events[Taken].Element) + " ";
        Texts Found;
        if (Taken < N.Events.size()) {
          Found.insert(Prefix + "...");
        } else {
          if (Silent[Node])
            Found.insert(Prefix + "forever");
          if (N.Returns)
            Found.insert(Prefix + "returns" + std::to_string(N.ReturnLoc.Line));
          if (!N.Returns && N.Successors.empty())
            Found.insert(Prefix + "ends");
          for (const ModelEdge &Edge : N.Successors) {
            // An edge that says something counts as an event, so that a
            // cycle through it ends too.
            std::string Said = EdgeText(Edge);
            size_t Rest = Left - Taken;
            if (!Said.empty() && Rest-- == 0) {
              Found.insert(Prefix + "...");
              continue;
            }
            if (Edge.IntoContinuation) {
              Found.insert(Prefix + Said);
              continue;
            }
            for (const std::string &Text : From[Edge.To][Rest])
              Found.insert(Prefix + Said + Text);
          }
        }
        if (Found.size() != From[Node][Left].size()) {
          From[Node][Left] = std::move(Found);
          Changed = true;
        }
      }
  }
  return From.empty() ? Texts() : From[0][Limit];
}

/// \p Graph compacted, checked to keep its paths.
PathGraph compactedKeepingPaths(const PathGraph &Graph) {
  PathGraph Compacted = Graph;
  compactGraph(Compacted);
  EXPECT_EQ(pathsOf(Compacted, 4), pathsOf(Graph, 4));
  return Compacted;
}

TEST(GraphCompaction, ChainBecomesOneNode) {
  PathGraph Graph;
  Graph.Nodes.resize(4);
  Graph.Nodes[0].Successors = {edgeTo(1)};
  Graph.Nodes[1].Events = {event(1)};
  Graph.Nodes[1].Successors = {edgeTo(2)};
  Graph.Nodes[2].Events = {event(2)};
  Graph.Nodes[2].Successors = {edgeTo(3)};
  returnsAt(Graph.Nodes[3], 9);
  compactGraph(Graph);
  ASSERT_EQ(Graph.Nodes.size(), 1u);
  EXPECT_EQ(elementsOf(Graph.Nodes[0]), (std::vector<unsigned>{1, 2}));
  EXPECT_TRUE(Graph.Nodes[0].Successors.empty());
  EXPECT_TRUE(Graph.Nodes[0].Returns);
  EXPECT_EQ(Graph.Nodes[0].ReturnLoc, line(9));
}

TEST(GraphCompaction, JoinPointsStay) {
  // 0 branches to 1 and 2, which meet at 3.
  PathGraph Graph;
  Graph.Nodes.resize(4);
  Graph.Nodes[0].Successors = {edgeTo(1), edgeTo(2)};
  Graph.Nodes[1].Events = {event(1)};
  Graph.Nodes[1].Successors = {edgeTo(3)};
  Graph.Nodes[2].Events = {event(2)};
  Graph.Nodes[2].Successors = {edgeTo(3)};
  Graph.Nodes[3].Events = {event(3)};
  PathGraph Compacted = compactedKeepingPaths(Graph);
  EXPECT_EQ(Compacted.Nodes.size(), 4u);
}

TEST(GraphCompaction, NodesThatOnlyReturnBecomeReturns) {
  // 0 does 1 and returns at line 9, or returns at once (node 2); node 3
  // returns from line 8 and 0 may go there too.
  PathGraph Graph;
  Graph.Nodes.resize(4);
  Graph.Nodes[0].Successors = {edgeTo(1), edgeTo(2)};
  Graph.Nodes[1].Events = {event(1)};
  Graph.Nodes[1].Successors = {edgeTo(2), edgeTo(3)};
  returnsAt(Graph.Nodes[2], 9);
  returnsAt(Graph.Nodes[3], 8);
  PathGraph Compacted = compactedKeepingPaths(Graph);
  ASSERT_EQ(Compacted.Nodes.size(), 3u);
  EXPECT_TRUE(Compacted.Nodes[0].Returns);
  EXPECT_EQ(Compacted.Nodes[0].ReturnLoc, line(9));
  EXPECT_EQ(Compacted.Nodes[0].Successors.size(), 1u);
  // A node returns from one place: the other return stays a node.
  EXPECT_EQ(Compacted.Nodes[1].ReturnLoc, line(9));
  ASSERT_EQ(Compacted.Nodes[1].Successors.size(), 1u);
  EXPECT_EQ(Compacted.Nodes[2].ReturnLoc, line(8));
}

TEST(GraphCompaction, EdgesThatSayMoreStay) {
  PathGraph Graph;
  Graph.Nodes.resize(5);
  ModelEdge Leaving = edgeTo(1);
  Leaving.Leaves = LeavingChildCode{line(4), false};
  Graph.Nodes[0].Successors = {Leaving};
  Graph.Nodes[1].Events = {event(1)};
  ModelEdge Tested = edgeTo(2);
  Tested.Condition = ParameterCondition{0, ParameterCondition::EQ, 1};
  Graph.Nodes[1].Successors = {Tested, edgeTo(3)};
  returnsAt(Graph.Nodes[2], 9);
  Graph.Nodes[3].Events = {event(3)};
  ModelEdge Continuing = edgeTo(0);
  Continuing.IntoContinuation = true;
  Graph.Nodes[3].Successors = {Continuing};
  PathGraph Compacted = compactedKeepingPaths(Graph);
  EXPECT_EQ(Compacted.Nodes.size(), 4u);
}

TEST(GraphCompaction, RepeatedEdgesGo) {
  PathGraph Graph;
  Graph.Nodes.resize(3);
  Graph.Nodes[0].Events = {event(1)};
  Graph.Nodes[0].Successors = {edgeTo(1), edgeTo(2), edgeTo(1)};
  Graph.Nodes[1].Events = {event(2)};
  Graph.Nodes[2].Events = {event(3)};
  PathGraph Compacted = compactedKeepingPaths(Graph);
  EXPECT_EQ(Compacted.Nodes[0].Successors.size(), 2u);
}

TEST(GraphCompaction, EntriesStay) {
  // A continuation entered at node 2 from other graphs.
  PathGraph Graph;
  Graph.Nodes.resize(4);
  Graph.Nodes[0].Events = {event(1)};
  Graph.Nodes[0].Successors = {edgeTo(1)};
  Graph.Nodes[1].Events = {event(2)};
  Graph.Nodes[1].Successors = {edgeTo(2)};
  Graph.Nodes[2].Events = {event(3)};
  Graph.Nodes[2].Successors = {edgeTo(3)};
  Graph.Nodes[3].Events = {event(4)};
  std::vector<int> NewIndex = compactGraph(Graph, {2});
  ASSERT_EQ(Graph.Nodes.size(), 2u);
  EXPECT_EQ(NewIndex, (std::vector<int>{0, -1, 1, -1}));
  EXPECT_EQ(elementsOf(Graph.Nodes[0]), (std::vector<unsigned>{1, 2}));
  EXPECT_EQ(elementsOf(Graph.Nodes[1]), (std::vector<unsigned>{3, 4}));
}

TEST(GraphCompaction, LoopsStayLoops) {
  // An empty loop (1 and 2) runs forever; node 3 loops on itself with an
  // event and returns.
  PathGraph Graph;
  Graph.Nodes.resize(4);
  Graph.Nodes[0].Successors = {edgeTo(1), edgeTo(3)};
  Graph.Nodes[1].Successors = {edgeTo(2)};
  Graph.Nodes[2].Successors = {edgeTo(1)};
  Graph.Nodes[3].Events = {event(1)};
  Graph.Nodes[3].Successors = {edgeTo(3)};
  returnsAt(Graph.Nodes[3], 5);
  PathGraph Compacted = compactedKeepingPaths(Graph);
  EXPECT_EQ(Compacted.Nodes.size(), 3u);
}

/// Random graphs keep their paths, and never grow.
TEST(GraphCompaction, SamePathsOnRandomGraphs) {
  std::mt19937 Random(20261206);
  auto Below = [&](unsigned N) {
    return std::uniform_int_distribution<unsigned>(0, N - 1)(Random);
  };
  int Shrunk = 0;
  for (int Round = 0; Round < 2000; ++Round) {
    PathGraph Graph;
    Graph.Nodes.resize(1 + Below(8));
    unsigned Size = Graph.Nodes.size();
    for (ModelNode &Node : Graph.Nodes) {
      for (unsigned I = Below(3); I > 0; --I)
        Node.Events.push_back(event(Below(4)));
      // Now and then as many edges as a switch has.
      for (unsigned I = Below(10) == 0 ? 9 + Below(6) : Below(4); I > 0; --I) {
        ModelEdge Edge = edgeTo(Below(Size));
        if (Below(8) == 0)
          Edge.Condition = ParameterCondition{0, ParameterCondition::EQ, 1};
        if (Below(8) == 0)
          Edge.Leaves = LeavingChildCode{line(1 + Below(2)), false};
        if (Below(12) == 0)
          Edge.IntoContinuation = true;
        Node.Successors.push_back(Edge);
      }
      if (Below(3) == 0)
        returnsAt(Node, 1 + Below(2));
    }
    llvm::DenseSet<unsigned> Entries;
    for (unsigned I = Below(3) == 0 ? 1 + Below(2) : 0; I > 0; --I)
      Entries.insert(Below(Size));
    PathGraph Compacted = Graph;
    std::vector<int> NewIndex = compactGraph(Compacted, Entries);
    ASSERT_LE(Compacted.Nodes.size(), Graph.Nodes.size()) << "round " << Round;
    Shrunk += Compacted.Nodes.size() < Graph.Nodes.size();
    ASSERT_EQ(pathsOf(Compacted, 5), pathsOf(Graph, 5)) << "round " << Round;
    for (unsigned Entry : Entries) {
      ASSERT_GE(NewIndex[Entry], 0) << "round " << Round;
      PathGraph From = Graph, CompactedFrom = Compacted;
      std::swap(From.Nodes[0], From.Nodes[Entry]);
      // Continuations' nodes are another graph's.
      for (ModelNode &Node : From.Nodes)
        for (ModelEdge &Edge : Node.Successors)
          if (!Edge.IntoContinuation)
            Edge.To = Edge.To == 0 ? Entry : Edge.To == Entry ? 0 : Edge.To;
      unsigned At = NewIndex[Entry];
      std::swap(CompactedFrom.Nodes[0], CompactedFrom.Nodes[At]);
      for (ModelNode &Node : CompactedFrom.Nodes)
        for (ModelEdge &Edge : Node.Successors)
          if (!Edge.IntoContinuation)
            Edge.To = Edge.To == 0 ? At : Edge.To == At ? 0 : Edge.To;
      ASSERT_EQ(pathsOf(CompactedFrom, 5), pathsOf(From, 5))
          << "round " << Round << ", from entry " << Entry;
    }
  }
  EXPECT_GT(Shrunk, 500);
}

} // namespace
