//===- ChildPathSolver.h - What a child may do, on the model ---*- C++ -*-===//
//
// Walks the PathGraphs of a ProgramModel: the paths of a fork's child, and
// through summaries the functions it calls, wherever they are defined. It
// finds the operations that are not async-signal-safe and the ways a child
// that never reached exec goes on running program code.
//
// Summaries are computed once per function and set of child rules. Mutually
// recursive functions form strongly connected components of the call graph;
// a component is summarised as a whole, repeating the walk of its functions
// until their summaries stop changing.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_CHILDPATHSOLVER_H
#define FORKSAFETY_CORE_CHILDPATHSOLVER_H

#include "Core/AnalysisOptions.h"
#include "Core/ProgramModel.h"

#include "llvm/ADT/StringRef.h"

#include <map>
#include <optional>
#include <vector>

namespace forksafety {

/// Where the solver finds the model of a callee.
class FunctionModels {
public:
  virtual ~FunctionModels();
  /// The model of the function \p Usr, or null when the program holds no
  /// definition of it. The model lives as long as this object.
  virtual const FunctionModel *find(llvm::StringRef Usr) = 0;
};

/// What calling a function does to a child, as seen by its callers.
struct FunctionSummary {
  /// The first unsafe operation the function may perform.
  std::optional<UnsafeSite> FirstUnsafe;
  /// The first unsafe operation on a path that has not reached exec.
  std::optional<UnsafeSite> FirstUnsafeBeforeExec;
  bool ReturnsWithoutExec = false;
  bool ReturnsAfterExec = false;
  /// The longest chain of calls into program functions that the summary
  /// relies on, starting inside the function; at most MaxCallDepth + 1 long.
  std::vector<ChainLink> DeepestCalls;
};

/// A way a child path that never reached exec goes on running program code.
struct GoingOn {
  enum KindType { UnsafeWork, Returns } Kind;
  Location Loc;
  UnsafeSite Site; ///< For UnsafeWork.
  /// Where the path left child-only code before, if it did.
  std::optional<LeavingChildCode> Context;
};

/// What the child of one fork may do.
/// A lock or unlock in the child of a mutex that fork handlers protect.
struct ProtectedMutexUse {
  Location Loc;
  std::string Function; ///< pthread_mutex_lock...
  std::string Mutex;    ///< As named in the source.
  std::string Handler;  ///< The prepare handler that locks it.
};

struct ChildBehaviour {
  /// Every unsafe site on any path, in source order, with call chains cut
  /// at the depth limit.
  std::vector<UnsafeSite> UnsafeSites;
  /// The earliest way a path without exec goes on, if any.
  std::optional<GoingOn> FirstGoingOn;
  /// Uses of protected mutexes in the fork's own function, in source order.
  std::vector<ProtectedMutexUse> ProtectedUses;
};

class ChildPathSolver {
public:
  /// Locking and unlocking the mutexes in \p ProtectedMutexes (by USR) is
  /// safe in a child: fork handlers keep them usable.
  ChildPathSolver(FunctionModels &Models, const AnalysisOptions &Opts,
                  std::map<std::string, std::string> ProtectedMutexes = {});
  ~ChildPathSolver();

  ChildBehaviour analyzeFork(const ForkModel &Fork);

  /// The summary of \p Function, or nothing when calls nest deeper than the
  /// analysis follows.
  std::optional<FunctionSummary> summaryOf(const FunctionModel &Function,
                                           ChildRules Rules);

private:
  friend class GraphWalk;
  using Key = std::pair<const FunctionModel *, ChildRules>;
  struct Frame {
    Key Function;
    size_t LowLink;
  };
  /// A summary of a function in a component that is still being solved.
  struct Pending {
    FunctionSummary Summary;
    unsigned Round;
    size_t LowLink;
  };

  FunctionSummary compute(const Key &Function);
  FunctionSummary solve(const Key &Function, size_t Index);
  void recordPending(const Key &Function, const FunctionSummary &Summary,
                     size_t LowLink);

  FunctionModels &Models;
  const AnalysisOptions &Opts;
  std::map<std::string, std::string> ProtectedMutexes;
  std::map<Key, FunctionSummary> Done;
  std::map<Key, Pending> Working;
  std::map<Key, size_t> OnStack;
  std::vector<Frame> Stack;
  /// Functions of open components whose summaries are in Working.
  std::vector<Key> OpenMembers;
  /// Numbers the walks over open components; a Working summary from the
  /// current round is reused, an older one is recomputed.
  unsigned Round = 0;
  /// Counts changes of Working summaries, to detect a component's fixpoint.
  unsigned Changes = 0;
};

/// What the child of \p Fork may call.
ChildRules rulesFor(const ForkModel &Fork, const AnalysisOptions &Opts);

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHSOLVER_H
