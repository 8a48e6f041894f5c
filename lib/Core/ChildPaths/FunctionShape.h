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
#include "llvm/ADT/DenseSet.h"

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
  /// True if a path that holds no fork's result and cannot run a fork
  /// again may go from the start of one of \p From to the start of \p To.
  bool reaches(const std::vector<unsigned> &From,
               const clang::CFGBlock &To) const;

private:
  /// Computes Next and Rank, which most functions never need.
  void computeForklessPaths() const;

  clang::ASTContext &Ctx;
  const clang::CFG &Graph;
  llvm::DenseSet<unsigned> OnCycles;
  clang::SourceLocation LastDestroyed;
  /// The successors of each block on paths that hold no fork's result.
  mutable std::vector<std::vector<unsigned>> Next;
  /// A block reaches only blocks of lower or equal rank: ranks number the
  /// strongly connected components of Next, those reached first.
  mutable std::vector<unsigned> Rank;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_FUNCTIONSHAPE_H
