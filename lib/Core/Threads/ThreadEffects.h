//===- ThreadEffects.h - Which threads may still run ----------*- C++ -*-===//
//
// A fork is only dangerous while another thread runs. A thread created with
// a handle the program keeps (pthread_t, std::thread, an array or vector of
// them) stops counting once the program joins it on every path. This is the
// part of that reasoning that needs no AST: what may still run at a point,
// what calling a function does to threads, and how calls into other
// translation units resolve once the whole program is known.
//
// Handles are named by keys: the USR of a global variable, "this" for the
// object of a member function, or a function's local variable; then
// ".member" for members and "[...]" for the elements of an array or
// container. "[*]" stands for all the elements.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_THREADS_THREADEFFECTS_H
#define FORKSAFETY_CORE_THREADS_THREADEFFECTS_H

#include "Core/InternedString.h"
#include "Core/Location.h"

#include "llvm/ADT/StringRef.h"

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace forksafety {

/// A call to a program function that another translation unit defines.
struct ExternalCall {
  InternedString Usr;
  /// For a member function: the key of the object it is called on, or
  /// empty when it cannot be named.
  InternedString Object;
  bool operator<(const ExternalCall &Other) const {
    return Usr != Other.Usr ? Usr < Other.Usr : Object < Other.Object;
  }
  bool operator==(const ExternalCall &Other) const {
    return Usr == Other.Usr && Object == Other.Object;
  }
};

/// Threads that may still run at a point of a path.
struct LiveThreads {
  enum KindType {
    Untracked, ///< No handle joins them: detached, pooled, lost.
    Handle,    ///< Joined through the handle Key.
    CallOf,    ///< Whatever the external function Key leaves running.
  };
  KindType Kind = Untracked;
  InternedString Key;
  /// CallOf: the key of the object a member function was called on.
  InternedString Object;
  /// Handles joined on every path since the threads were created.
  std::set<InternedString> JoinedSince;
  /// External calls made on every path since the threads were created.
  std::set<ExternalCall> CalledSince;
  /// Where they were created; for CallOf, the call.
  Location Created;
  /// CallOf: the call returned a value other than 0 on every path here. It
  /// left no threads its function leaves OnlyOnSuccess.
  bool Failed = false;
  /// Among what a function leaves (ThreadEffect::Leaves): it returns 0 on
  /// every path that leaves them, as pthread_create does.
  bool OnlyOnSuccess = false;
  /// Within one function's flow: what was known of its local variables
  /// on every path where they were created, none written since
  /// (ThreadState.h). For the entry record, what is known at the point.
  std::set<InternedString> Guards;
};

/// What calling a function does to threads, from its entry to its return.
struct ThreadEffect {
  /// The threads it may leave running, when none ran at its entry.
  std::vector<LiveThreads> Leaves;
  /// The handles it joins on every path.
  std::set<InternedString> Joins;
  /// The external calls it makes on every path.
  std::set<ExternalCall> Calls;
};

/// Whether joining \p Joined joins the thread of \p Handle.
bool joinsHandle(llvm::StringRef Joined, llvm::StringRef Handle);

/// Whether \p Key names a handle through the object of a member function.
bool isMemberKey(llvm::StringRef Key);

/// \p Key with the object of a member function replaced by \p Object;
/// empty when \p Object is empty.
std::string rebaseKey(llvm::StringRef Key, llvm::StringRef Object);
/// rebaseKey for an interned key: one that is not the object's stays the
/// same name, with nothing built.
InternedString rebaseName(InternedString Key, llvm::StringRef Object);

/// \p Threads, seen from a call on \p Object of the function it belongs to.
LiveThreads rebase(const LiveThreads &Threads, llvm::StringRef Object);

/// The effects of the functions other translation units define.
class ThreadEffects {
public:
  enum class Known { Nowhere, NoEffect, Effect };
  virtual ~ThreadEffects() = default;
  /// Whether the program defines \p Usr; with Effect, \p Out is set.
  virtual Known lookup(InternedString Usr, const ThreadEffect *&Out) = 0;
};

/// Whether any of \p Threads may still run, given the functions \p Effects
/// knows; a function defined nowhere may leave threads running.
bool anyMayRun(const std::vector<LiveThreads> &Threads, ThreadEffects &Effects);

/// Where threads that may run at a fork come from.
struct RunningThreads {
  /// Where they were created, as precisely as known: inside the function a
  /// call left them running from, if defined; invalid when unknown.
  Location Created;
  /// Created is a call to a function defined nowhere: whether it left
  /// threads running is unknown, not seen.
  bool Unseen = false;
};

/// The threads that may still run, preferring a creation the program shows
/// to a call that may have left some; none when no thread may run.
std::optional<RunningThreads>
runningThreadsCreation(const std::vector<LiveThreads> &Threads,
                       ThreadEffects &Effects);

/// Whether \p A and \p B are the same threads, whatever was joined or
/// called since.
bool sameThreads(const LiveThreads &A, const LiveThreads &B);

/// Adds \p Threads to \p Known, the threads at several calls of one
/// function: the same threads at another call keep only what was joined or
/// called since on both paths.
void mergeThreads(std::vector<LiveThreads> &Known, LiveThreads Threads);

/// Keeps in \p Kept only what was joined or called since on the path of
/// \p Other too.
void keepCommonSince(LiveThreads &Kept, const LiveThreads &Other);

/// runningThreadsCreation for many questions about one program: what each
/// function leaves running is worked out once.
class RunningThreadsFinder {
public:
  explicit RunningThreadsFinder(ThreadEffects &Effects);
  ~RunningThreadsFinder();

  std::optional<RunningThreads> find(const std::vector<LiveThreads> &Threads);

private:
  class Resolver;
  std::unique_ptr<Resolver> R;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_THREADS_THREADEFFECTS_H
