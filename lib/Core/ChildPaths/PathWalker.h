//===- PathWalker.h - Paths through a CFG under one fork outcome -*- C++
//-*-===//
//
// Walks the paths of a function's CFG from a starting element, following
// only the branches that one outcome of a fork (child, parent or failure)
// can take. A path's state records the variables that hold the fork's result
// and whether an exec call was reached.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_CHILDPATHS_PATHWALKER_H
#define FORKSAFETY_CORE_CHILDPATHS_PATHWALKER_H

#include "Core/ChildPaths/ForkValue.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/SmallVector.h"

#include "llvm/ADT/DenseSet.h"

#include <map>
#include <tuple>
#include <vector>

namespace clang {
class ASTContext;
class CFG;
class CFGBlock;
class CFGElement;
class Expr;
class ReturnStmt;
class Stmt;
} // namespace clang

namespace forksafety {

/// Numbers the sets of places that hold the fork's result, which are few in
/// any walk, so that states compare as numbers.
class ForkVarSets {
public:
  unsigned idOf(const llvm::SmallVectorImpl<StorageKey> &Vars) {
    if (Vars.empty())
      return 0;
    return Ids
        .try_emplace(std::vector<StorageKey>(Vars.begin(), Vars.end()),
                     Ids.size() + 1)
        .first->second;
  }

private:
  std::map<std::vector<StorageKey>, unsigned> Ids;
};

struct PathState {
  bool ExecSeen = false;
  /// The places that hold the fork's result, sorted.
  llvm::SmallVector<StorageKey, 2> ForkVars;
  /// True once the path runs the fork call again: the new call's result is
  /// the child's no more.
  bool ForkRunsAgain = false;
};

class PathWalker {
public:
  /// What a visited element does to the path.
  enum class Step {
    Continue,     ///< Go on unchanged.
    Stop,         ///< The path ends here (the process ends).
    MarkExecSeen, ///< Go on as a path that reached exec.
    Split,        ///< Go on both unchanged and as a path that reached exec.
  };

  class Visitor {
  public:
    virtual ~Visitor();
    /// Called when a path enters \p Block, at element \p FirstElement.
    virtual void enterBlock(const clang::CFGBlock &Block, unsigned FirstElement,
                            const PathState &State) {}
    virtual Step visitElement(const clang::CFGElement &Element,
                              const PathState &State) = 0;
    /// Called on each edge into \p To (not the exit block); the path goes
    /// on into \p To only if it returns true.
    virtual bool visitEdge(const clang::CFGBlock &From,
                           const clang::CFGBlock &To, PathState &State) {
      return true;
    }
    /// Called when a path returns from the function, at \p Return or, when
    /// it falls off the end of the body, with null.
    virtual void visitReturn(const clang::ReturnStmt *Return,
                             const PathState &State) {}
  };

  /// \p ForkCall may be null: then no fork result is tracked.
  PathWalker(clang::ASTContext &Ctx, const clang::CFG &Graph,
             const clang::Expr *ForkCall, ForkOutcome Outcome)
      : Ctx(Ctx), Graph(Graph), ForkCall(ForkCall), Outcome(Outcome) {}

  /// Walks every path starting right after element \p StartIndex of
  /// \p Start (or at its first element when \p StartIndex is -1).
  void walk(const clang::CFGBlock &Start, int StartIndex, Visitor &V);
  /// Walks every path from the start of \p Start in \p State, except where
  /// the earlier walks of this walker already went in the same state.
  void walkOn(const clang::CFGBlock &Start, PathState State, Visitor &V);

  /// The blocks a path in \p State goes on to from the end of \p Block.
  llvm::SmallVector<const clang::CFGBlock *, 2>
  successors(const clang::CFGBlock &Block, const PathState &State) const;

  /// True if \p E yields the fork's result on a path in \p State.
  bool yieldsForkResult(const clang::Expr *E, const PathState &State) const {
    return evaluatorFor(State).yieldsForkResult(E);
  }

private:
  struct Item {
    const clang::CFGBlock *Block;
    unsigned FirstElement;
    PathState State;
  };

  void run(std::vector<Item> Worklist, Visitor &V);
  /// Queues the start of \p To in \p State, unless a walk went there.
  void enqueue(const clang::CFGBlock &To, PathState State,
               std::vector<Item> &Worklist);
  void updateForkVars(const clang::CFGElement &Element, PathState &State) const;
  ForkValueEvaluator evaluatorFor(const PathState &State) const;

  clang::ASTContext &Ctx;
  const clang::CFG &Graph;
  const clang::Expr *ForkCall;
  ForkOutcome Outcome;
  /// Block, exec seen, fork runs again and the places holding the fork's
  /// result, numbered by ForkVarSets.
  llvm::DenseSet<std::tuple<unsigned, unsigned, unsigned, unsigned>> Visited;
  ForkVarSets VarSets;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_PATHWALKER_H
