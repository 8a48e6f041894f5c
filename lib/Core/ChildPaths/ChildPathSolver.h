//===- ChildPathSolver.h - What a child may do, on the model ---*- C++ -*-===//
//
// Walks the PathGraphs of a ProgramModel: the paths of a fork's child, and
// through summaries the functions it calls, wherever they are defined. It
// finds the operations that are not async-signal-safe and the ways a child
// that never reached exec goes on running program code.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_CHILDPATHS_CHILDPATHSOLVER_H
#define FORKSAFETY_CORE_CHILDPATHS_CHILDPATHSOLVER_H

#include "Core/AnalysisOptions.h"
#include "Core/Model/ProgramModel.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

namespace forksafety {

/// Where the solver finds the model of a callee.
class FunctionModels {
public:
  virtual ~FunctionModels();
  /// The model of the function \p Usr, or null when the program holds no
  /// definition of it. The model lives as long as this object.
  virtual const FunctionModel *find(InternedString Usr) = 0;
};

/// The values of the parameters a function's paths depend on, in one call,
/// by position (KnownArgument::Position is the parameter's): Constant or
/// NonZero, sorted. The solver keeps one copy of each, so that they compare
/// by address.
using ArgumentValues = std::vector<KnownArgument>;

/// A function a call may call, with the arguments its paths depend on.
struct CalledFunction {
  const FunctionModel *Callee;
  const ArgumentValues *Arguments;
};
using CalledFunctions = llvm::SmallVector<CalledFunction, 1>;

/// Which reason of a callee's summary the reason of a call to it continues
/// with.
enum class CalleeReason : unsigned char { Any, ThenEnds, ThenReturns };

/// The reason a summary gives for a function's unsafety: an operation in the
/// function itself, or a call whose callee's summary gives the reason. Call
/// chains are not copied from summary to summary; they are spelt out only
/// for the sites that are reported (ChildPathSolver::expand).
struct SummarySite {
  Location Loc;
  /// The unsafe operation, or the call to Callee.
  Operation Op;
  /// Continue with this callee's summary, under the same rules.
  const FunctionModel *Callee = nullptr;
  /// The summary of Callee for these arguments; null for any.
  const ArgumentValues *CalleeArguments = nullptr;
  /// The reason of Callee's summary to continue with.
  CalleeReason Next = CalleeReason::Any;
  /// How many calls lead from here to the operation that is unsafe.
  unsigned Depth = 0;
  /// How bad that operation is (reasonRank): a reason of a higher rank is
  /// reported before one of a lower rank.
  unsigned char Rank = 0;
};

/// What calling a function does to a child, as seen by its callers. A path
/// "without exec" is one that has not reached exec since the function was
/// called.
struct FunctionSummary {
  /// The most telling unsafe operation the function may perform.
  std::optional<SummarySite> Unsafe;
  /// The same, on a path without exec that goes on to end the process (or
  /// to loop forever) without exec.
  std::optional<SummarySite> UnsafeThenEnds;
  /// The same, on a path without exec that goes on to return without exec.
  std::optional<SummarySite> UnsafeThenReturns;
  /// Some path without exec ends the process or loops forever.
  bool EndsWithoutExec = false;
  bool ReturnsWithoutExec = false;
  bool ReturnsAfterExec = false;

  bool operator==(const FunctionSummary &Other) const;
  const std::optional<SummarySite> &reason(CalleeReason Which) const;
};

/// A way a child path that never reached exec goes on running program code:
/// it returns from the forking function, or it does unsafe work and then
/// ends, loops forever or returns without reaching exec.
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
  /// Every unsafe site on any path, in source order; call chains longer
  /// than AnalysisOptions::MaxCallDepth show its first and last calls.
  std::vector<UnsafeSite> UnsafeSites;
  /// The worst way a path without exec goes on, if any (the worst reason
  /// first, then the earliest): unsafe work on paths that reach exec
  /// afterwards is not one.
  std::optional<GoingOn> WorstGoingOn;
  /// The next ways, one per distinct reason, at most MaxOtherGoingOns.
  std::vector<GoingOn> OtherGoingOns;
  static constexpr size_t MaxOtherGoingOns = 3;
  /// Uses of protected mutexes in the fork's own function, in source order.
  std::vector<ProtectedMutexUse> ProtectedUses;
  /// Some path of the child returns from the forking function.
  bool MayReturn = false;
};

/// Summaries are solved once per function and set of child rules. The
/// functions a walk needs are found by an iterative Tarjan search of the call
/// graph, so that no call chain, however deep, nests the solver; each
/// strongly connected component of mutually recursive functions is solved
/// to its least fixpoint by a worklist that walks a function again only
/// when the summary of a callee in the component changed. Summaries only
/// grow (a path found to return, a reason found or replaced by a better
/// one: known before unverifiable, then fewer calls deep, then earlier), so
/// the fixpoint is reached and does not depend on the order of the walks.
class ChildPathSolver {
public:
  /// Locking and unlocking the mutexes in \p ProtectedMutexes (by USR) is
  /// safe in a child: fork handlers keep them usable.
  ChildPathSolver(FunctionModels &Models, const AnalysisOptions &Opts,
                  std::map<std::string, std::string> ProtectedMutexes = {});
  ~ChildPathSolver();

  /// \p Continuation is the graph named by Fork.Continuation, if any;
  /// \p Parameters, what the forking function's parameters are known to
  /// hold (see parameterValues).
  ChildBehaviour analyzeFork(const ForkModel &Fork,
                             const PathGraph *Continuation = nullptr,
                             ArgumentValues Parameters = {});

  /// The summary of \p Function under \p Rules, for calls with the
  /// arguments \p Arguments (null: any).
  const FunctionSummary &summaryOf(const FunctionModel &Function,
                                   ChildRules Rules,
                                   const ArgumentValues *Arguments = nullptr);

  /// The functions \p Call, made in a function called with \p Arguments,
  /// calls: its callee, or the functions passed as the parameter it calls
  /// through; none when the program does not define them all.
  CalledFunctions callTargets(const ModelEvent &Call,
                              const ArgumentValues *Arguments);

  /// The arguments of \p Call, made in a function called with
  /// \p CallerArguments, that the paths of \p Callee depend on; null when
  /// none is known.
  const ArgumentValues *argumentsFor(const ModelEvent &Call,
                                     const FunctionModel &Callee,
                                     const ArgumentValues *CallerArguments);

private:
  friend class GraphWalk;
  friend class PathEndings;
  struct Key {
    const FunctionModel *Function;
    ChildRules Rules;
    const ArgumentValues *Arguments;
    bool operator<(const Key &Other) const {
      return std::tie(Function, Rules, Arguments) <
             std::tie(Other.Function, Other.Rules, Other.Arguments);
    }
    bool operator==(const Key &Other) const {
      return Function == Other.Function && Rules == Other.Rules &&
             Arguments == Other.Arguments;
    }
  };
  struct ArgumentsOrder {
    bool operator()(const ArgumentValues &L, const ArgumentValues &R) const;
  };
  /// The parameters whose values the paths of \p Function test or pass on,
  /// sorted.
  const std::vector<unsigned> &parametersUsed(const FunctionModel &Function);
  struct ContinuationSummary;
  /// What the paths from one node of a continuation do.
  struct ContinuationValue {
    /// Elements with unsafe work, and with uses of protected mutexes.
    std::vector<unsigned> Sites, Protected;
    /// The worst way a path without exec goes on.
    std::optional<size_t> WorstGoingOn;
  };

  ContinuationSummary &continuationSummary(const PathGraph &Continuation,
                                           ChildRules Rules);
  const ContinuationValue &continuationValue(const PathGraph &Continuation,
                                             ChildRules Rules, unsigned Node,
                                             bool ExecSeen);
  void solveContinuation(const PathGraph &Continuation, ChildRules Rules,
                         ContinuationSummary &Summary, unsigned Root);
  struct ContinuationState;
  /// Walks the node of \p State (node * 2 + exec seen) alone.
  ContinuationState walkContinuationState(const PathGraph &Continuation,
                                          ChildRules Rules,
                                          ContinuationSummary &Summary,
                                          unsigned State);
  /// Gives the states \p Members, which reach each other, their value.
  static void mergeContinuationComponent(
      ContinuationSummary &Summary, const std::vector<unsigned> &Members,
      const std::map<unsigned, ContinuationState> &States);

  /// The summary of a function that is solved or being solved.
  const FunctionSummary *known(const Key &Function) const;
  void solveFrom(const Key &Root);
  std::vector<Key> calleesOf(const Key &Function);
  void solveComponent(const std::vector<Key> &Members,
                      const std::map<Key, std::vector<Key>> &CallersInside);
  FunctionSummary compute(const Key &Function);
  /// \p Site of a call to \p Callee, with the chain of calls that leads from
  /// the callee's \p Inner reason to the unsafe operation.
  UnsafeSite expand(Location Loc, Operation CallOp, const FunctionModel &Callee,
                    const ArgumentValues *CalleeArguments, ChildRules Rules,
                    const SummarySite &Inner) const;

  FunctionModels &Models;
  const AnalysisOptions &Opts;
  std::map<std::string, std::string> ProtectedMutexes;
  std::map<Key, FunctionSummary> Done;
  /// The summaries of the component being solved.
  std::map<Key, FunctionSummary> Working;
  std::map<std::pair<const PathGraph *, ChildRules>,
           std::unique_ptr<ContinuationSummary>>
      Continuations;
  std::set<ArgumentValues, ArgumentsOrder> InternedArguments;
  std::map<const FunctionModel *, std::vector<unsigned>> ParametersUsed;
};

/// What the child of \p Fork may call.
ChildRules rulesFor(const ForkModel &Fork, const AnalysisOptions &Opts);

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_CHILDPATHSOLVER_H
