//===- GraphCompaction.h - Fewer nodes for the same paths -------*- C++ -*-===//
//
// A recorded PathGraph has a node per CFG block a walk entered, and most
// blocks only branch or return. The solver sees paths as sequences of
// events with their branches, returns and ends; compaction keeps those and
// drops the nodes that hold none of them, so summaries are smaller and
// every walk over them is shorter.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_CHILDPATHS_GRAPHCOMPACTION_H
#define FORKSAFETY_CORE_CHILDPATHS_GRAPHCOMPACTION_H

#include "Core/Model/ProgramModel.h"

#include "llvm/ADT/DenseSet.h"

#include <vector>

namespace forksafety {

/// Rewrites \p Graph to one with the same paths:
/// - a node that does nothing but lead to one other node is skipped;
/// - a node entered only from one node that leads only to it joins that
///   node (its events follow the other's);
/// - an edge to a node that only returns becomes a return of its source;
/// - a node that only branches is bypassed, its sources' edges into it
///   becoming its edges, where that makes the graph no larger;
/// - an edge that repeats another is dropped.
/// Node 0 stays the start, and the nodes in \p Entries, which edges from
/// other graphs lead to, are kept. Edges that leave child-only code, that
/// test a parameter or that lead into a continuation are kept as they are.
/// Returns the new index of each node, -1 for the nodes dropped.
std::vector<int> compactGraph(PathGraph &Graph,
                              const llvm::DenseSet<unsigned> &Entries = {});

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_GRAPHCOMPACTION_H
