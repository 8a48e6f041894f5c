//===- FunctionShape.h - What the forks of a function may share -*- C++ -*-===//
//
// Facts about a function's CFG that let the paths after its forks be
// recorded once for all of them: which blocks lie on cycles, which objects
// it destroys, and where paths that no longer hold a fork's result can go.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_CHILDPATHS_FUNCTIONSHAPE_H
#define FORKSAFETY_CORE_CHILDPATHS_FUNCTIONSHAPE_H

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseSet.h"

#include <functional>
#include <queue>
#include <utility>
#include <vector>

namespace clang {
class ASTContext;
class CFG;
class CFGBlock;
} // namespace clang

namespace forksafety {

class FunctionShape {
public:
  FunctionShape(clang::ASTContext &Ctx, const clang::CFG &Graph);

  /// True if \p Block lies on a cycle: paths after a fork there may run
  /// the fork again.
  bool onCycle(const clang::CFGBlock &Block) const;
  /// The latest declaration of an object the function destroys, if any.
  clang::SourceLocation lastDestroyed() const { return LastDestroyed; }
  /// Where a path that holds no fork's result and cannot run a fork again
  /// may go from a set of blocks that grows. Each question searches only
  /// as far as it needs: blocks are expanded in the order of the CFG's
  /// strongly connected components, up to the component of the block
  /// asked about, since no later one leads back to it. A fork's question
  /// about the block right after it costs a few steps, not the function.
  class ForklessReach {
  public:
    explicit ForklessReach(const FunctionShape &Shape);
    /// Paths may also start at the block \p Id.
    void addStart(unsigned Id);
    /// Whether a path from a start reaches the block \p Id (or starts
    /// there).
    bool reaches(unsigned Id);

  private:
    void reach(unsigned Id);

    const FunctionShape &Shape;
    llvm::BitVector Reached;
    /// Reached blocks whose successors are not yet reached, by rank.
    std::priority_queue<std::pair<unsigned, unsigned>,
                        std::vector<std::pair<unsigned, unsigned>>,
                        std::greater<>>
        Unexpanded;
  };

private:
  /// Computes NextStarts and NextTargets, which most functions never need.
  void computeForklessPaths() const;

  clang::ASTContext &Ctx;
  const clang::CFG &Graph;
  llvm::DenseSet<unsigned> OnCycles;
  /// By block ID, the place of its strongly connected component in an
  /// order where every edge leads to the same or a later one.
  std::vector<unsigned> Rank;
  clang::SourceLocation LastDestroyed;
  /// The successors of each block on paths that hold no fork's result,
  /// flat: those of block B are NextTargets[NextStarts[B]..NextStarts[B+1]);
  /// empty until asked for.
  mutable std::vector<unsigned> NextStarts, NextTargets;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_FUNCTIONSHAPE_H
