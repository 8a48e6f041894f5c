//===- StronglyConnected.h - Components without recursion -------*- C++ -*-===//
//
// Tarjan's algorithm with an explicit stack, for graphs whose nodes are
// numbers: no graph, however deep, nests calls.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_CHILDPATHS_STRONGLYCONNECTED_H
#define FORKSAFETY_CORE_CHILDPATHS_STRONGLYCONNECTED_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/BitVector.h"
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

/// Calls \p Visit(Members) for every strongly connected component of the
/// graph of the nodes 0 to \p Size - 1, each after the components it
/// reaches. \p Next(Node) gives a node's successors as an ArrayRef. Dense
/// numbers need no maps: the graph of a CFG's blocks costs a few words per
/// block.
template <typename NextFn, typename VisitFn>
void forEveryDenseComponent(unsigned Size, NextFn Next, VisitFn Visit) {
  constexpr unsigned Unvisited = ~0u;
  std::vector<unsigned> Order(Size, Unvisited), Low(Size);
  llvm::BitVector OnStack(Size);
  std::vector<unsigned> Stack, Members;
  // A node being entered, with how many of its successors it has tried.
  std::vector<std::pair<unsigned, unsigned>> Frames;
  unsigned Counter = 0;
  auto Enter = [&](unsigned Node) {
    Order[Node] = Low[Node] = Counter++;
    Stack.push_back(Node);
    OnStack.set(Node);
    Frames.emplace_back(Node, 0);
  };
  for (unsigned Root = 0; Root < Size; ++Root) {
    if (Order[Root] != Unvisited)
      continue;
    Enter(Root);
    while (!Frames.empty()) {
      auto [Node, Tried] = Frames.back();
      llvm::ArrayRef<unsigned> Successors = Next(Node);
      if (Tried < Successors.size()) {
        ++Frames.back().second;
        unsigned To = Successors[Tried];
        if (Order[To] == Unvisited)
          Enter(To);
        else if (OnStack.test(To))
          Low[Node] = std::min(Low[Node], Order[To]);
        continue;
      }
      Frames.pop_back();
      if (!Frames.empty())
        Low[Frames.back().first] =
            std::min(Low[Frames.back().first], Low[Node]);
      if (Low[Node] != Order[Node])
        continue;
      Members.clear();
      unsigned Member;
      do {
        Member = Stack.back();
        Stack.pop_back();
        OnStack.reset(Member);
        Members.push_back(Member);
      } while (Member != Node);
      Visit(llvm::ArrayRef<unsigned>(Members));
    }
  }
}

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_STRONGLYCONNECTED_H
