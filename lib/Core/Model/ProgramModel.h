//===- ProgramModel.h - What child paths do, without the AST ---*- C++ -*-===//
//
// The analysis records, from the AST of each translation unit, a compact
// model of what the child of each fork may do, and of what each function
// does when a child calls it: graphs whose nodes are stretches of a CFG under
// one fork outcome and whose events are the work that matters in a child
// (unsafe operations, exec calls, calls into program functions). Calls name
// their callee by USR, so the models of several translation units merge into
// one program. The solver (ChildPathSolver) works only on this model.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_MODEL_PROGRAMMODEL_H
#define FORKSAFETY_CORE_MODEL_PROGRAMMODEL_H

#include "Core/AnalysisOptions.h"
#include "Core/Functions/FunctionTable.h"
#include "Core/Functions/Operation.h"
#include "Core/Threads/ThreadEffects.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace forksafety {

/// Clang's USR names a declaration with internal linkage by its file's name
/// alone; the model's add this mark and the file's absolute name.
constexpr char UsrFileMark = '\x1f';

/// Sorts \p Values and drops repeats: the model's lists are sets, and the
/// same source gives the same summary.
template <typename T> void sortUnique(std::vector<T> &Values) {
  llvm::sort(Values);
  Values.erase(std::unique(Values.begin(), Values.end()), Values.end());
}

/// \p Usr without the file the model adds.
inline llvm::StringRef usrWithoutFile(llvm::StringRef Usr) {
  return Usr.split(UsrFileMark).first;
}

/// What an argument of a call is known to be, whatever path led to the call.
struct KnownArgument {
  enum KindType : unsigned char {
    Constant,  ///< The integer Value; a null pointer is 0.
    NonZero,   ///< Some value other than 0: an address.
    Parameter, ///< The caller's own parameter number Value, passed on.
    Function,  ///< The address of one of Functions: not 0 either.
  };
  /// The argument's position in the call.
  unsigned Position = 0;
  KindType Kind = Constant;
  int64_t Value = 0;
  /// For Function: the USRs of the functions, sorted.
  std::vector<std::string> Functions;

  bool operator==(const KnownArgument &Other) const {
    return Position == Other.Position && Kind == Other.Kind &&
           Value == Other.Value && Functions == Other.Functions;
  }
};

/// A comparison of a parameter with a constant, `Param Op Value`, that an
/// edge of a function's paths is taken on: paths through the edge exist only
/// in calls where it may hold. The parameter is never written in the
/// function, so its value is the argument's.
struct ParameterCondition {
  enum OpType : unsigned char { EQ, NE, LT, LE, GT, GE };
  unsigned Param = 0;
  OpType Op = NE;
  int64_t Value = 0;

  bool operator==(const ParameterCondition &Other) const {
    return Param == Other.Param && Op == Other.Op && Value == Other.Value;
  }
};

/// What a function pointer is given, as recorded in FunctionsPassed and
/// FunctionsStored: a function's USR, "param:USR#N" for what the function
/// USR's parameter N holds, "field:USR" for what the field USR holds, or ""
/// for anything else.
namespace FunctionPointerValue {
inline constexpr const char *Parameter = "param:";
inline constexpr const char *Field = "field:";
} // namespace FunctionPointerValue

/// One piece of work on a path, in the order the path runs it.
struct ModelEvent {
  enum KindType {
    Unsafe,         ///< Op is not async-signal-safe or cannot be verified.
    Exec,           ///< The path counts as exec'ing from here on.
    ExecPathSearch, ///< Exec through a PATH search: Op says which.
    Call,           ///< A call into the program function Callee.
    VforkOnly,      ///< Async-signal-safe, but not allowed after vfork.
    Unreachable,    ///< A failed assertion: the path is not a path.
  };
  KindType Kind = Unsafe;
  /// Identifies the CFG element across the nodes of one graph.
  unsigned Element = 0;
  Location Loc;
  Operation Op;
  /// For Call: the callee's USR. Op is what is reported when the program
  /// holds no definition of it.
  InternedString Callee;
  /// For Unsafe: the operation only takes malloc's locks.
  bool OnlyAllocates = false;
  /// For Unsafe: a thin system-call wrapper on a Linux target. For Call:
  /// the callee has the name of one, which is the C library's when the
  /// program defines it nowhere.
  bool SystemCall = false;
  /// For Unsafe: the USR of the global mutex it locks or unlocks, if any.
  std::string Mutex;
  std::optional<TextEdit> ExitFix;
  /// For Call, and for an Unsafe call through CalleeParameter: the
  /// arguments whose values are known at the call, by position; the
  /// callee's paths that need other values are not taken.
  std::vector<KnownArgument> Arguments;
  /// For Unsafe: a call through the function's own parameter number
  /// CalleeParameter, which the function never writes: the functions the
  /// caller passes there are the ones called.
  std::optional<unsigned> CalleeParameter;
};

/// A path leaving the code only the child runs, into code the parent also
/// runs.
struct LeavingChildCode {
  Location Loc;
  bool LoopsBack = false;
};

struct ModelEdge {
  unsigned To = 0;
  std::optional<LeavingChildCode> Leaves;
  /// To is a node of the fork's continuation (ForkModel::Continuation), not
  /// of this graph.
  bool IntoContinuation = false;
  /// In a function's paths: the edge is taken only in calls where this
  /// holds.
  std::optional<ParameterCondition> Condition;
};

struct ModelNode {
  std::vector<ModelEvent> Events;
  std::vector<ModelEdge> Successors;
  /// The path may return from the function at the end of the node.
  bool Returns = false;
  Location ReturnLoc;
};

/// The paths of one function from its entry, or of one child from its fork.
/// Node 0 is where they start.
struct PathGraph {
  std::vector<ModelNode> Nodes;
  /// False when the function's control flow cannot be analysed.
  bool Analysed = true;
};

/// A function's path graph left in the text of the summary it came from.
/// A program's walks reach a fraction of its functions (a quarter of
/// Redis's), and the graphs are half of a summary's bytes: a summary read
/// from the cache, whose checksum says it is whole, leaves them unread.
class DeferredGraph {
public:
  virtual ~DeferredGraph();
  /// The graph, read on the first call. One that cannot be read is a graph
  /// whose control flow cannot be analysed, and error() says why.
  virtual const PathGraph &graph() = 0;
  /// Why the graph could not be read; empty while it could, or before it
  /// was.
  virtual const std::string &error() const = 0;
};

struct FunctionModel {
  std::string Usr;
  std::string Name; ///< As named in diagnostics.
  Location Loc;
  PathGraph Paths;
  /// Set when Paths is still in its summary's text.
  std::shared_ptr<DeferredGraph> DeferredPaths;

  const PathGraph &paths() const {
    return DeferredPaths ? DeferredPaths->graph() : Paths;
  }
};

struct ForkModel {
  Location Loc;
  ForkKind Kind = ForkKind::Fork;
  std::string ForkFunction; ///< "fork", or the fork wrapper's name.
  std::string FunctionName; ///< The function that forks.
  std::string FunctionUsr;  ///< Its USR; empty for a block or a method.
  /// The fork is inside a fork wrapper: a child that returns is analysed at
  /// the wrapper's call sites.
  bool InWrapper = false;
  /// When not empty, the fork is a call of this function (by USR), defined
  /// in another translation unit, that may be a fork wrapper (its name or
  /// its pid_t result says so): it is a fork site only if the program
  /// defines the function as a fork wrapper. A translation unit compiled on
  /// its own (the compiler plugin, --emit-summary) cannot know.
  std::string AssumedWrapper;
  /// When not empty, the fork is a call of this fork wrapper (by USR): it
  /// is no fork site if the whole program shows that the wrapper's child
  /// never returns to its callers.
  std::string WrapperUsr;
  /// False when, judged from its translation unit alone, no thread can run
  /// when the fork runs.
  bool ThreadsMayExist = true;
  /// Where the fork of the same function is whose child alone runs this
  /// one, on every path: the threads at the function's entry do not run
  /// there, only those it started since (ThreadsSinceEntry).
  std::optional<Location> ChildOf;
  /// The threads that may run when the fork runs, with the calls into other
  /// translation units that may have left some running; none when the paths
  /// to the fork are unknown.
  std::optional<std::vector<LiveThreads>> ThreadsAtFork;
  /// The threads that may run at the fork when none ran as the forking
  /// function (FunctionUsr) was entered; the whole program adds those that
  /// may run at its entry. None when unknown.
  std::optional<std::vector<LiveThreads>> ThreadsSinceEntry;
  /// ThreadsAtFork assumes that these functions (by USR), which other
  /// translation units may call, are only called by the callers listed.
  std::map<std::string, std::vector<std::string>> CallersAssumed;
  PathGraph Child;
  /// When not empty, the key in ProgramModel::Continuations of the graph
  /// that edges of Child into code the parent also runs lead to.
  std::string Continuation;
};

struct ThreadCreationModel {
  Location Loc;
  std::string What;
  /// The USR of the function that creates the thread; empty outside any
  /// function (a global initializer).
  std::string FunctionUsr;
  /// The function joins these threads on every path before it returns:
  /// they run only while it, or code it reaches, runs.
  bool JoinedBeforeReturn = false;
};

/// A function that returns the result of a fork-like call: its calls are
/// fork sites.
struct WrapperModel {
  std::string Usr;
  std::string Name;
  ForkKind Kind = ForkKind::Fork;
  /// When not empty, a wrapper only if this function (by USR), defined in
  /// another translation unit, is one (see ForkModel::AssumedWrapper).
  std::string AssumedWrapper;
};

/// pthread_atfork(Prepare, Parent, Child), handlers by USR (empty if null).
struct AtForkModel {
  Location Loc;
  std::string Prepare;
  std::string PrepareName;
  std::string Parent;
  std::string Child;
};

/// Everything the whole-program analysis needs from translation units.
struct ProgramModel {
  std::vector<ForkModel> Forks;
  std::map<std::string, FunctionModel> Functions;
  std::vector<ThreadCreationModel> ThreadCreations;
  /// Direct calls from functions of the program to functions of the
  /// program (not the libraries), by USR.
  std::map<std::string, std::vector<std::string>> Calls;
  /// For each function of the program, by the position of a parameter that
  /// holds a function's address: what its direct calls pass there, sorted
  /// (see FunctionPointerValue). A call through the parameter calls one of
  /// those functions.
  std::map<std::string, std::map<unsigned, std::vector<std::string>>>
      FunctionsPassed;
  /// For each field that holds a function's address, by USR: what the
  /// program stores in it, assigned or initialised (see
  /// FunctionPointerValue).
  std::map<std::string, std::vector<std::string>> FunctionsStored;
  /// Functions whose address is taken: anything may call them, unless only
  /// tables hold them (TableFunctions).
  std::vector<std::string> AddressTaken;
  /// The types of the functions each function calls through pointers, by
  /// caller USR, sorted; "" for a call through a pointer to a function
  /// without a prototype, which may have any type.
  std::map<std::string, std::vector<std::string>> IndirectCalls;
  /// Of IndirectCalls, the types of those in loops, where what one call
  /// leaves running runs at the next.
  std::map<std::string, std::vector<std::string>> IndirectCallsInLoops;
  /// The functions whose address only tables take (the initializers of
  /// globals and the elements of aggregates: commands, option callbacks),
  /// with their types: the program calls them through its pointers of their
  /// type, at the calls IndirectCalls lists, unless code elsewhere lets
  /// their address go (AddressEscapes) or no call of their type exists (a
  /// table handed to a library).
  std::map<std::string, std::string> TableFunctions;
  /// Of the whole program: the functions some translation unit takes the
  /// address of other than in a table (mergeModel fills it).
  std::set<std::string> AddressEscapes;
  /// The functions whose address, and the globals that may hold function
  /// addresses, each function or global of the program names, by USR: once
  /// the one naming them runs or is read, they may be too. The key "" holds
  /// what runs or is read without a visible cause (global constructors,
  /// code in blocks).
  std::map<std::string, std::vector<std::string>> References;
  /// The USRs of the main functions the translation units define: a
  /// compile database may build several programs. Each main's USR names its
  /// file (see ModelRecorder::usrOf).
  std::vector<std::string> Mains;
  /// The fork wrappers defined in the program.
  std::vector<WrapperModel> Wrappers;
  std::vector<AtForkModel> AtForkHandlers;
  /// What calling each function does to threads, when it does anything;
  /// the functions the program defines that are not listed do nothing.
  std::map<std::string, ThreadEffect> ThreadEffects;
  /// The C functions the linked program takes from the C library, by USR,
  /// when its executable says so: declared in the program's own headers,
  /// they are still library functions, which start no thread unless the
  /// thread-creation tables say so at their calls.
  std::set<std::string> LibraryFunctions;
  /// The threads that may run at the calls from a function to another, by
  /// caller and callee USR, when none ran as the caller was entered; only
  /// the calls where some may (an untracked thread of unknown origin when
  /// the caller cannot be analysed). Only main's calls are kept by callee;
  /// the other functions keep those that may run at any of their calls
  /// under the callee "", and main keeps those at its calls through
  /// pointers under the callee "*".
  std::map<std::string, std::map<std::string, std::vector<LiveThreads>>>
      ThreadsAtCalls;
  /// The global mutexes each function locks, and unlocks, by USR.
  std::map<std::string, std::vector<std::string>> MutexLocks;
  std::map<std::string, std::vector<std::string>> MutexUnlocks;
  /// The code after the forks of one function that their children may fall
  /// into, recorded once and shared by the children of all its forks: many
  /// forks in a row cost the length of the function, not its square.
  std::map<std::string, PathGraph> Continuations;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_MODEL_PROGRAMMODEL_H
