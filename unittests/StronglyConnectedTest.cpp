//===- StronglyConnectedTest.cpp - Components without recursion -----------===//

#include "Core/ChildPaths/StronglyConnected.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <vector>

using namespace forksafety;

namespace {

using Graph = std::vector<std::vector<unsigned>>;

/// The components reachable from \p Root, each sorted, in the order they
/// are visited.
std::vector<std::vector<unsigned>> componentsOf(const Graph &G, unsigned Root) {
  std::vector<std::vector<unsigned>> Components;
  forEachComponent(
      Root,
      [&](unsigned Node, std::vector<unsigned> &Out) {
        Out.insert(Out.end(), G[Node].begin(), G[Node].end());
      },
      [&](std::vector<unsigned> Members) {
        std::sort(Members.begin(), Members.end());
        Components.push_back(std::move(Members));
      });
  return Components;
}

TEST(StronglyConnectedTest, ComponentsComeAfterWhatTheyReach) {
  // 0 -> 1 <-> 2 -> 3, 0 -> 4 -> 4, 5 unreachable.
  Graph G{{1, 4}, {2}, {1, 3}, {}, {4}, {0}};
  std::vector<std::vector<unsigned>> Expected{{3}, {1, 2}, {4}, {0}};
  EXPECT_EQ(componentsOf(G, 0), Expected);
}

TEST(StronglyConnectedTest, NodesLeftOutAreAbsent) {
  Graph G{{1}, {2}, {0}};
  std::vector<std::vector<unsigned>> Components;
  forEachComponent(
      0,
      [&](unsigned Node, std::vector<unsigned> &Out) {
        for (unsigned To : G[Node])
          if (To != 2)
            Out.push_back(To);
      },
      [&](const std::vector<unsigned> &Members) {
        Components.push_back(Members);
      });
  std::vector<std::vector<unsigned>> Expected{{1}, {0}};
  EXPECT_EQ(Components, Expected);
}

TEST(StronglyConnectedTest, DeepGraphsDoNotNestCalls) {
  constexpr unsigned Size = 1000000;
  Graph Chain(Size);
  for (unsigned Node = 0; Node + 1 < Size; ++Node)
    Chain[Node].push_back(Node + 1);
  EXPECT_EQ(componentsOf(Chain, 0).size(), Size);
  Chain.back().push_back(0);
  std::vector<std::vector<unsigned>> Cycle = componentsOf(Chain, 0);
  ASSERT_EQ(Cycle.size(), 1u);
  EXPECT_EQ(Cycle.front().size(), Size);
}

/// Every component of \p G, each sorted, in the order they are visited.
std::vector<std::vector<unsigned>> denseComponentsOf(const Graph &G) {
  std::vector<std::vector<unsigned>> Components;
  forEveryDenseComponent(
      G.size(),
      [&](unsigned Node) { return llvm::ArrayRef<unsigned>(G[Node]); },
      [&](llvm::ArrayRef<unsigned> Members) {
        std::vector<unsigned> Sorted(Members.begin(), Members.end());
        std::sort(Sorted.begin(), Sorted.end());
        Components.push_back(std::move(Sorted));
      });
  return Components;
}

TEST(StronglyConnectedTest, DenseComponentsCoverEveryNodeAfterWhatTheyReach) {
  // 0 -> 1 <-> 2 -> 3, 0 -> 4 -> 4; 5 -> 0 is a root of its own; 6 -> 3.
  Graph G{{1, 4}, {2}, {1, 3}, {}, {4}, {0}, {3}};
  std::vector<std::vector<unsigned>> Expected{{3}, {1, 2}, {4}, {0}, {5}, {6}};
  EXPECT_EQ(denseComponentsOf(G), Expected);
  // The same components as from each root on its own.
  EXPECT_EQ(componentsOf(G, 0),
            (std::vector<std::vector<unsigned>>{{3}, {1, 2}, {4}, {0}}));
}

TEST(StronglyConnectedTest, DenseGraphsDoNotNestCalls) {
  constexpr unsigned Size = 1000000;
  Graph Cycle(Size);
  for (unsigned Node = 0; Node < Size; ++Node)
    Cycle[Node].push_back((Node + 1) % Size);
  std::vector<std::vector<unsigned>> Components = denseComponentsOf(Cycle);
  ASSERT_EQ(Components.size(), 1u);
  EXPECT_EQ(Components[0].size(), Size);
}

} // namespace
