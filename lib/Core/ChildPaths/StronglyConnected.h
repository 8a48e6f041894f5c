//===- StronglyConnected.h - Components without recursion -------*- C++ -*-===//
//
// Tarjan's algorithm with an explicit stack, for graphs whose nodes are
// numbers: no graph, however deep, nests calls.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_CHILDPATHS_STRONGLYCONNECTED_H
#define FORKSAFETY_CORE_CHILDPATHS_STRONGLYCONNECTED_H

#include "llvm/ADT/DenseMap.h"

#include <algorithm>
#include <vector>

namespace forksafety {

/// Calls \p Visit(Members) for each strongly connected component reachable
/// from \p Root, after the components it reaches. \p Successors(Node, Out)
/// fills Out with the successors of Node; a node it leaves out is treated as
/// absent from the graph. Each node's successors are asked for once.
template <typename SuccessorsFn, typename VisitFn>
void forEachComponent(unsigned Root, SuccessorsFn Successors, VisitFn Visit) {
  struct Frame {
    unsigned Node;
    std::vector<unsigned> Successors;
    size_t Next = 0;
  };
  constexpr unsigned Finished = ~0u;
  llvm::DenseMap<unsigned, unsigned> Order, Low;
  std::vector<unsigned> Stack;
  std::vector<Frame> Frames;
  auto Enter = [&](unsigned Node) {
    unsigned Number = Order.size();
    Order[Node] = Number;
    Low[Node] = Number;
    Stack.push_back(Node);
    Frames.push_back({Node, {}, 0});
    Successors(Node, Frames.back().Successors);
  };
  Enter(Root);
  while (!Frames.empty()) {
    Frame &Top = Frames.back();
    if (Top.Next < Top.Successors.size()) {
      unsigned Next = Top.Successors[Top.Next++];
      auto It = Order.find(Next);
      if (It == Order.end())
        Enter(Next);
      else if (Low[Next] != Finished)
        Low[Top.Node] = std::min(Low[Top.Node], It->second);
      continue;
    }
    unsigned Node = Top.Node;
    Frames.pop_back();
    if (!Frames.empty())
      Low[Frames.back().Node] = std::min(Low[Frames.back().Node], Low[Node]);
    if (Low[Node] != Order[Node])
      continue;
    std::vector<unsigned> Members;
    unsigned Member;
    do {
      Member = Stack.back();
      Stack.pop_back();
      Low[Member] = Finished;
      Members.push_back(Member);
    } while (Member != Node);
    Visit(Members);
  }
}

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_STRONGLYCONNECTED_H
