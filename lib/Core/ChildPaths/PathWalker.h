//===- PathWalker.h - Paths through a CFG under one fork outcome -*- C++
//-*-===//
//
// Walks the paths of a function's CFG from a starting element, following
// only the branches that one outcome of a fork (child, parent or failure)
// can take. A path's state records the variables that hold the fork's result,
// what it knows of other variables and whether an exec call was reached.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_CHILDPATHS_PATHWALKER_H
#define FORKSAFETY_CORE_CHILDPATHS_PATHWALKER_H

#include "Core/ChildPaths/ForkValue.h"

#include "clang/AST/ParentMap.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/SmallVector.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <map>
#include <optional>
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
class VarDecl;
} // namespace clang

namespace forksafety {

/// Numbers the sorted sets of \p T in path states, which are few in any
/// walk, so that states compare as numbers. The empty set is 0.
template <typename T> class SetNumbering {
public:
  unsigned idOf(llvm::ArrayRef<T> Set) {
    if (Set.empty())
      return 0;
    return Ids
        .try_emplace(std::vector<T>(Set.begin(), Set.end()), Ids.size() + 1)
        .first->second;
  }

private:
  std::map<std::vector<T>, unsigned> Ids;
};

/// The sets of places that hold the fork's result.
using ForkVarSets = SetNumbering<StorageKey>;
/// The sets of facts a path knows of variables.
using FactSets = SetNumbering<VarFact>;

struct PathState {
  bool ExecSeen = false;
  /// The places that hold the fork's result, sorted.
  llvm::SmallVector<StorageKey, 2> ForkVars;
  /// True once the path runs the fork call again: the new call's result is
  /// the child's no more.
  bool ForkRunsAgain = false;
  /// True from the fork call, an arm of a ?:, to the end of the block that
  /// computes that ?:, which yields the fork's result there.
  bool ForkArmTaken = false;
  /// What the path knows of local variables, one fact per variable, sorted:
  /// the tests that chose the fork call and the values computed from its
  /// result, each until the variable is written.
  llvm::SmallVector<VarFact, 2> Facts;

  /// The flags of the state, as one number.
  unsigned flags() const {
    return unsigned(ExecSeen) | unsigned(ForkRunsAgain) << 1 |
           unsigned(ForkArmTaken) << 2;
  }
};

/// The flags of a CFG: the local variables a branch tests or a call passes
/// that are only ever given one of at most two constants, by their
/// initializers or by plain assignments. What a path stored in one decides
/// the branches that test it later (`if (pid == 0) in_child = 1;` ... `if
/// (in_child)`, or in a helper it is passed to); a path knows one of at
/// most three things of each, so that knowing them does not multiply the
/// states of a walk beyond that.
struct FlagStores {
  llvm::DenseSet<const clang::VarDecl *> Vars;
  /// What a flag holds where a block starts, on every path that reaches
  /// it: one constant that every path stored, or nothing known.
  using Held = llvm::SmallVector<std::optional<int64_t>, 2>;
  /// The flags by number, as Held orders them.
  llvm::SmallVector<const clang::VarDecl *, 2> Numbered;
  /// By block id; none for the blocks no path reaches.
  std::vector<std::optional<Held>> AtStart;
  /// The stores to the flags in each block: element index, flag number
  /// and value, in order.
  llvm::DenseMap<const clang::CFGBlock *,
                 llvm::SmallVector<std::tuple<unsigned, unsigned, int64_t>, 1>>
      Stores;
};

/// Where a CFG decides its tests and computes its ?:, by statement, in the
/// order of its blocks, and its flags: found once per CFG, for the walks
/// from each of its forks, which look up what holds their fork call.
class BranchSites {
public:
  /// \p Body is the body \p Graph was built from: the statements that hold
  /// a fork call are found in it.
  BranchSites(const clang::CFG &Graph, const clang::Stmt &Body,
              const clang::SourceManager &SM);
  struct Site {
    unsigned Order;
    const clang::CFGBlock *Block;
    bool IsTerminator; ///< Else a ?: computed among the block's elements.
  };
  /// The sites of \p S, in order.
  llvm::ArrayRef<Site> of(const clang::Stmt *S) const {
    auto It = Sites.find(S);
    return It == Sites.end() ? llvm::ArrayRef<Site>() : It->second;
  }
  /// The flags of the CFG, found on first use.
  const FlagStores &flags(clang::ASTContext &Ctx) const;
  /// The variables of the CFG that may change where a walk does not see
  /// it, found on first use.
  const llvm::DenseSet<const clang::VarDecl *> &escaping() const;
  using Holders = llvm::SmallPtrSet<const clang::Stmt *, 16>;
  /// \p S and the statements of the body that hold it (a declaration's
  /// initializer is held by its statement).
  const Holders &holdersOf(const clang::Stmt &S) const;

private:
  bool descendTo(const clang::Stmt &S, Holders &Found) const;

  llvm::DenseMap<const clang::Stmt *, llvm::SmallVector<Site, 1>> Sites;
  const clang::CFG &Graph;
  const clang::Stmt &Body;
  const clang::SourceManager &SM;
  /// The first fork of a function is found by descending the body along
  /// source ranges; a function with several forks maps the parents of its
  /// body's statements once (one function's, not the translation unit's:
  /// ASTContext::getParents maps every node of it, which took a tenth of
  /// the memory of an audit). Asked by each walker of each fork.
  mutable std::optional<clang::ParentMap> Parents;
  mutable const clang::Stmt *LastAsked = nullptr;
  mutable Holders LastHolders;
  mutable std::optional<FlagStores> Flags;
  mutable std::optional<llvm::DenseSet<const clang::VarDecl *>> Escaping;
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

  /// \p ForkCall may be null: then no fork result is tracked. Otherwise
  /// \p Branches are those of \p Graph (CFGCache::branches), shared by the
  /// walks of its forks.
  PathWalker(clang::ASTContext &Ctx, const clang::CFG &Graph,
             const clang::Expr *ForkCall, ForkOutcome Outcome,
             const BranchSites *Branches = nullptr)
      : Ctx(Ctx), Graph(Graph), ForkCall(ForkCall), Outcome(Outcome),
        Branches(Branches) {}

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
  /// The values \p E may have on a path in \p State, if known.
  std::optional<ValueRange> valueOf(const clang::Expr *E,
                                    const PathState &State) const {
    return evaluatorFor(State).evaluate(E);
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
  void updateForkVars(const clang::CFGElement &Element, PathState &State);
  /// The places inside \p Place that hold the fork's result once \p Value
  /// is stored there: those a braced initializer gives it (`struct proc p =
  /// {.pid = fork()};`), and those of an object copied whole (`q = p;`).
  llvm::SmallVector<StorageKey, 2>
  placesHoldingAfterStore(const StorageKey &Place, const clang::Expr &Value,
                          const PathState &State) const;
  ForkValueEvaluator evaluatorFor(const PathState &State) const;
  /// The fact a path in \p State learns by storing \p Value in \p Var:
  /// its value, when the path knows it from the fork's result alone.
  std::optional<VarFact> factFromValue(const clang::VarDecl *Var,
                                       const clang::Expr *Value,
                                       const PathState &State);
  /// True if the function changes \p Var only where the walk sees it.
  bool mayKnow(const clang::VarDecl &Var);
  /// True if \p Var is a flag of the function (FlagStores), on a walk from
  /// a fork.
  bool isFlag(const clang::VarDecl &Var) const;
  /// The values of the function's flags that every path reaching element
  /// \p Index of \p Block (the fork call) stored in them, on a walk from a
  /// fork.
  llvm::SmallVector<VarFact, 2> flagsKnownAt(const clang::CFGBlock &Block,
                                             int Index);
  /// Finds, once, what the start of a walk from the fork call knows.
  void examineForkCall();

  clang::ASTContext &Ctx;
  const clang::CFG &Graph;
  const clang::Expr *ForkCall;
  ForkOutcome Outcome;
  /// Block, flags, the places holding the fork's result and the facts,
  /// numbered.
  llvm::DenseSet<std::tuple<unsigned, unsigned, unsigned, unsigned>> Visited;
  ForkVarSets VarSets;
  FactSets FactIds;
  /// The variables whose address the function takes or that it may change
  /// in ways the walk does not see; computed on first use.
  std::optional<llvm::DenseSet<const clang::VarDecl *>> Escaping;
  bool ForkCallExamined = false;
  /// The tests that chose the fork call: facts at its start.
  llvm::SmallVector<VarFact, 2> ChoosingFacts;
  /// The block that computes the outermost ?: whose arm the fork call is.
  std::optional<unsigned> ChoiceBlock;
  const BranchSites *Branches;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_PATHWALKER_H
