//===- ThreadOrder.h - Which threads may run when a fork runs --*- C++ -*-===//
//
// A fork that runs before the program creates its first thread (the
// classic daemon: fork, setsid, then start the workers), or after it joined
// every thread it created, is safe. Within one translation unit that holds
// main, this follows the paths from main to the fork through the forking
// function and its callers, and through the functions they call, tracking
// thread handles from creation to join. Calls into other translation units
// stay symbolic (LiveThreads::CallOf) for the whole program to resolve.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_THREADS_THREADORDER_H
#define FORKSAFETY_CORE_THREADS_THREADORDER_H

#include "Core/ProgramFacts.h"
#include "Core/Threads/CallResults.h"
#include "Core/Threads/ThreadEffects.h"
#include "Core/Threads/ThreadHandles.h"
#include "Core/Threads/ThreadState.h"

#include "clang/Basic/SourceLocation.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace clang {
class ASTContext;
class Decl;
class Expr;
class FunctionDecl;
class Stmt;
class VarDecl;
} // namespace clang

namespace forksafety {

class CFGCache;
class CallIndexer;
class ThreadNames;

class ThreadOrder {
public:
  /// \p Index, if given, is the translation unit's call index; else one is
  /// built when needed.
  ThreadOrder(clang::ASTContext &Ctx, const ProgramFacts &Facts,
              CFGCache &Graphs, const CallIndexer *Index = nullptr);
  ~ThreadOrder();

  /// Who may call the functions other translation units can call.
  enum class CallerScope {
    Anywhere, ///< Their callers are unknown.
    HereOnly, ///< Only this file, for the whole program to check
              ///< (callersAssumedFor).
  };

  /// The threads that may run when \p Fork runs; none when the paths to it
  /// are unknown (no main here, callers elsewhere).
  std::optional<std::vector<LiveThreads>>
  threadsAt(const ForkSite &Fork, CallerScope Assumed = CallerScope::Anywhere);

  /// Whether threads may run when \p Fork runs, judged from this
  /// translation unit alone.
  bool threadsMayExistAt(const ForkSite &Fork) {
    return runningThreadsAt(Fork).has_value();
  }

  /// Where threads that may run when \p Fork runs come from, judged from
  /// this translation unit alone; none when no thread can run.
  std::optional<RunningThreads> runningThreadsAt(const ForkSite &Fork);

  /// Whether \p Fork runs, on every path, in the child of an earlier fork of
  /// its function: there only the thread that called that fork runs, and
  /// those started since. Gives the nearest such fork before it in the
  /// source; null if none.
  const clang::CallExpr *forkChildOf(const ForkSite &Fork);

  /// The functions on the paths from main to \p Fork that other files may
  /// call, with their callers in this file: threadsAt assumes, with
  /// CallerScope::HereOnly, that they have no others.
  std::map<const clang::FunctionDecl *,
           std::vector<const clang::FunctionDecl *>>
  callersAssumedFor(const ForkSite &Fork);

  /// The threads that may run right before \p Call, a call or construction
  /// in \p Function, when none ran as \p Function was entered; none when
  /// unknown (its control flow cannot be analysed). Kept for main's calls;
  /// worked out again for others (forks).
  std::optional<std::vector<LiveThreads>>
  threadsSinceEntry(const clang::FunctionDecl &Function,
                    const clang::Stmt &Call);

  /// The threads that may run at any call of \p Function when none ran as
  /// it was entered, merged (mergeThreads); none when unknown.
  std::optional<std::vector<LiveThreads>>
  threadsDuringCalls(const clang::FunctionDecl &Function);

  /// What calling \p Function does to threads.
  const ThreadEffect &effectOf(const clang::FunctionDecl &Function);
  /// effectOf(Function), moved out: for the last question about it, once
  /// every effect that depends on it is known.
  ThreadEffect takeEffect(const clang::FunctionDecl &Function);

  /// Whether calling \p Function may create, join or detach threads, or
  /// call into other translation units.
  bool mayAffectThreads(const clang::FunctionDecl &Function);

  class Flow;

private:
  struct CallSite {
    const clang::FunctionDecl *Caller;
    const clang::Expr *Call;
  };
  struct Context {
    std::vector<LiveThreads> AtEntry;
    std::string This;
  };

  void ensureIndexed();
  void findAffecting();
  void computeEffects();
  ThreadEffect computeEffect(const clang::FunctionDecl &Function);
  /// The threads that may run during any call of \p Function, which \p F
  /// flows through; for main, at each call.
  void recordThreadsDuringCalls(const clang::FunctionDecl &Function, Flow &F);
  /// What calling the function \p F flows through leaves.
  ThreadEffect effectAtExit(Flow &F);
  std::optional<std::vector<LiveThreads>> stateAt(const clang::Decl &Function,
                                                  const clang::Stmt &Body,
                                                  const clang::Stmt &S);
  std::optional<std::vector<Context>> contextsOf(const clang::Decl &Function);
  std::vector<LiveThreads> threadsBeforeMain();
  const std::vector<std::shared_ptr<Flow>> *flowsOf(const clang::Decl &Function,
                                                    const clang::Stmt &Body);
  /// The flow of \p Function from an entry where no thread runs, run once:
  /// its forks and its callers' contexts without threads share it.
  std::shared_ptr<Flow> flowFromEntry(const clang::FunctionDecl &Function,
                                      const clang::CFG &Graph);
  bool isDefinedElsewhere(const clang::FunctionDecl *Callee) const;
  /// What a flow needs of a callee: its definition when this translation
  /// unit's code holds it, else its USR when another translation unit
  /// defines it.
  struct CalleeFacts {
    const clang::FunctionDecl *Definition = nullptr;
    std::optional<InternedString> ElsewhereUsr;
  };
  /// Found once per callee: a function calls the same few callees many
  /// times, and a flow passes each call at least twice.
  const CalleeFacts &calleeFacts(const clang::FunctionDecl &Callee);
  /// What branches and assignments may tell of the local variable \p Var,
  /// numbered once per translation unit.
  VariableFacts factsOf(const clang::VarDecl &Var);
  /// What they may tell of its comparison \p Test with a constant.
  VariableFacts factsOf(const clang::VarDecl &Var,
                        const CallResultTests::Comparison &Test);
  /// A fact with whether it holds.
  using FactTold = std::pair<VariableFacts, bool>;
  /// What a way that tells \p Test teaches: its own facts, and what they
  /// imply of the variable's other tests in \p Results, so that a thread
  /// created under one is ruled out where another fails. Worked out once
  /// per test: a flow passes each branch several times.
  llvm::ArrayRef<FactTold> factsTold(const CallResultTests::VarTest &Test,
                                     const CallResultTests &Results);
  /// The fork-like calls of \p Function.
  llvm::ArrayRef<const clang::CallExpr *>
  forkCallsOf(const clang::Decl &Function) const;
  /// Whether a path runs in the child of the last fork of \p Function it
  /// ran: the threads running at that fork do not run there.
  VariableFacts childFacts(const clang::Decl &Function);
  /// Whether \p Var holds the result of the last fork its function ran.
  VariableFacts holdsResultFacts(const clang::VarDecl &Var);
  /// Where \p Loc is, worked out once: a flow passes each call several
  /// times.
  const Location &locationOf(clang::SourceLocation Loc);
  const ThreadOps &opsOf(const clang::Decl &Function, const clang::CFG &Graph);
  const CallResultTests &resultTestsOf(const clang::Decl &Function,
                                       const clang::CFG &Graph);

  clang::ASTContext &Ctx;
  /// Shared by the states of every flow: they merge by bit sets.
  std::shared_ptr<ThreadNames> Names;
  const ProgramFacts &Facts;
  CFGCache &Graphs;
  const CallIndexer *Index;
  std::unique_ptr<CallIndexer> OwnIndex;
  CallerScope CallerAssumption = CallerScope::Anywhere;
  std::optional<bool> HasMain;
  bool Indexed = false;
  llvm::DenseMap<const clang::FunctionDecl *, std::vector<CallSite>> Callers;
  llvm::DenseMap<const clang::FunctionDecl *,
                 std::vector<const clang::FunctionDecl *>>
      Callees;
  llvm::DenseSet<const clang::FunctionDecl *> AddressTaken;
  llvm::DenseSet<const clang::Stmt *> CreationSites;
  llvm::DenseSet<const clang::Decl *> CreatingFunctions;
  llvm::DenseMap<const clang::Decl *,
                 llvm::SmallVector<const clang::CallExpr *, 1>>
      ForkCalls;
  /// Every function's: a flow looks up each call it passes.
  llvm::DenseSet<const clang::Stmt *> AllForkCalls;
  llvm::DenseMap<const clang::Decl *, VariableFacts> ChildFactsOf;
  llvm::DenseMap<const clang::VarDecl *, VariableFacts> HoldsResultFactsOf;
  /// By function; a std::map, as flows keep references while recursing.
  std::map<const clang::Decl *, ThreadOps> Ops;
  /// By function: the branches on calls' results and local variables.
  llvm::DenseMap<const clang::Decl *, std::unique_ptr<CallResultTests>>
      ResultTests;
  std::map<const clang::FunctionDecl *, std::optional<ThreadEffect>> Effects;
  /// The functions that may create, join or detach threads, or call into
  /// other translation units, directly or through their callees.
  llvm::DenseSet<const clang::FunctionDecl *> Affecting;
  /// The threads that may run before each call of main when none ran at
  /// its entry, by their key in MainThreads; only those where some may.
  llvm::DenseMap<const clang::Stmt *, std::vector<std::string>>
      ThreadsBeforeMainCalls;
  /// The threads that may run at main's calls, with what was joined or
  /// called since at all of them, by their key in the flow's states.
  std::map<std::string, LiveThreads> MainThreads;
  /// threadsDuringCalls, for the functions whose effects are computed.
  llvm::DenseMap<const clang::FunctionDecl *, std::vector<LiveThreads>>
      ThreadsDuringCalls;
  bool AffectingFound = false;
  bool EffectsComputed = false;
  /// By assumption, function and statement; the effects do not depend on
  /// the assumption and are shared.
  std::map<std::tuple<CallerScope, const clang::Decl *, const clang::Stmt *>,
           std::optional<std::vector<LiveThreads>>>
      States;
  llvm::DenseSet<const clang::Decl *> InProgress;
  std::map<std::pair<CallerScope, const clang::Decl *>,
           std::optional<std::vector<std::shared_ptr<Flow>>>>
      Flows;
  /// The flows of main, of the functions that fork and of those called
  /// only where no thread runs, from an entry where none runs.
  std::map<const clang::Decl *, std::shared_ptr<Flow>> FlowsFromEntry;
  /// The functions that hold fork sites: their flows are asked again.
  llvm::DenseSet<const clang::Decl *> ForkingFunctions;
  llvm::DenseMap<const clang::FunctionDecl *, CalleeFacts> CalleeFactsOf;
  /// By raw encoding; a DenseMap moves its values as it grows, so callers
  /// copy what they keep.
  llvm::DenseMap<clang::SourceLocation::UIntTy, Location> Locations;
  llvm::DenseMap<const clang::VarDecl *, VariableFacts> VarFacts;
  /// By variable, constant, and kind and sign of the comparison.
  llvm::DenseMap<std::tuple<const clang::VarDecl *, int64_t, int>,
                 VariableFacts>
      ComparisonFacts;
  /// By what identifies a way's test (see factsTold).
  llvm::DenseMap<std::tuple<const clang::VarDecl *, int64_t, unsigned,
                            const CallResultTests::SwitchValues *>,
                 llvm::SmallVector<FactTold, 4>>
      ToldFacts;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_THREADS_THREADORDER_H
