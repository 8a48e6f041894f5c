//===- ThreadState.h - The threads that may run at a point -----*- C++ -*-===//
//
// The state the thread-order analysis carries along a CFG: the threads that
// may run, by identity, with what happened on every path since each was
// created; and what creating, joining, detaching and calling do to it. It
// needs no AST.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_THREADS_THREADSTATE_H
#define FORKSAFETY_CORE_THREADS_THREADSTATE_H

#include "Core/Threads/ThreadEffects.h"

#include <map>
#include <string>
#include <vector>

namespace forksafety {

/// The threads that may run at a point, by identity. The entry token (under
/// EntryId) is not a thread: it records what every path did since the
/// function's entry.
using ThreadState = std::map<std::string, LiveThreads>;
extern const char *const EntryId;

/// The state at a function's entry, with the threads \p AtEntry.
ThreadState initialState(const std::vector<LiveThreads> &AtEntry);

/// The threads of \p State, without the entry token.
std::vector<LiveThreads> threadsIn(const ThreadState &State);

/// Where paths meet: threads live on one path or another; what happened
/// since they were created happened on both.
void mergeInto(ThreadState &Into, const ThreadState &From);
bool sameState(const ThreadState &A, const ThreadState &B);

/// New threads. A new thread in a scalar handle that still holds one makes
/// the first one untracked.
void gen(ThreadState &State, LiveThreads Threads);
/// The threads of the handle \p Key are joined.
void join(ThreadState &State, const std::string &Key);
/// The threads of the handle \p Key are detached: never joined.
void detach(ThreadState &State, const std::string &Key);
/// The thread of the handle \p From moves to the handle \p To.
void move(ThreadState &State, const std::string &From, const std::string &To);
/// The key of \p Threads in a state.
std::string threadsId(const LiveThreads &Threads);

/// A call to a function with \p Effect, on \p Object. \p OnlyOnSuccess,
/// if given, gets the ids of the threads it leaves only when it returns 0.
void applyEffect(ThreadState &State, const ThreadEffect &Effect,
                 const std::string &Object,
                 std::vector<std::string> *OnlyOnSuccess = nullptr);
/// A branch or an assignment tells that the local variable \p Var is
/// (\p NonZero) or is not 0. Threads that ran where it was known to be the
/// other are not on this path, as nothing wrote it since; those that run
/// here keep what is known now, as what held wherever they run.
void learn(ThreadState &State, const std::string &Var, bool NonZero);
/// Whether learn(State, Var, NonZero) would change nothing.
bool knows(const ThreadState &State, const std::string &Var, bool NonZero);
/// \p Var is written: what was known of it no longer holds.
void forget(ThreadState &State, const std::string &Var);
/// The call that made the threads \p Id returned a value other than 0:
/// threads it makes only on success do not run, and a call into another
/// translation unit left what its function leaves when it fails.
void callFailed(ThreadState &State, const std::string &Id);
/// A call to a function another translation unit defines, at \p Where.
void callElsewhere(ThreadState &State, const ExternalCall &Call,
                   Location Where);

} // namespace forksafety

#endif // FORKSAFETY_CORE_THREADS_THREADSTATE_H
