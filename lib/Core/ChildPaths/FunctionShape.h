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
  /// The blocks, by ID, that a path holding no fork's result and unable
  /// to run a fork again may reach from the start of one of \p From (them
  /// included): one pass over the function's blocks.
  llvm::BitVector reachableFrom(const std::vector<unsigned> &From) const;

private:
  /// Computes Next, which most functions never need.
  void computeForklessPaths() const;

  clang::ASTContext &Ctx;
  const clang::CFG &Graph;
  llvm::DenseSet<unsigned> OnCycles;
  clang::SourceLocation LastDestroyed;
  /// The successors of each block on paths that hold no fork's result;
  /// empty until asked for (a CFG has at least its entry and exit).
  mutable std::vector<std::vector<unsigned>> Next;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_FUNCTIONSHAPE_H
