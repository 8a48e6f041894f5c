//===- ForkVerdict.h - Why a fork is reported or not -----------*- C++ -*-===//
//
// The whole-program analysis decides every fork site of a program: it is
// reported, or it is not, for one reason. The decision is a value, so that
// a front end can list every fork with the reason the analysis had, from
// the same code path that produces the findings.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_MODEL_FORKVERDICT_H
#define FORKSAFETY_CORE_MODEL_FORKVERDICT_H

#include "Core/Findings.h"
#include "Core/Model/ProgramModel.h"

#include <optional>
#include <string>
#include <vector>

namespace forksafety {

/// Ordered from the least to the most telling: when a fork runs in several
/// programs (or under several check groups), the greatest verdict stands.
enum class ForkVerdictKind {
  NoThreads,     ///< The programs that run the fork create no threads.
  BeforeThreads, ///< No thread has been created when the fork runs.
  /// No thread runs at the fork, and the program joins threads somewhere:
  /// the fork comes before the first thread or after the last join.
  NoRunningThreads,
  ThreadsJoined, ///< Every thread created before the fork is joined.
  /// The fork runs in the child of an earlier fork, where only the thread
  /// that forked runs, and starts no thread before it.
  InForkChild,
  InWrapper,         ///< A fork wrapper's fork: its call sites are judged.
  ExecsAtOnce,       ///< Every child path calls exec before any other work.
  CarefulChild,      ///< Child paths do only safe work and exec or _exit.
  ProtectedByAtFork, ///< As CarefulChild, with mutexes atfork handlers keep.
  Unchecked,         ///< The child is unsafe, but its checks are disabled.
  Reported,          ///< The checks report the fork's child.
};

struct ForkVerdict {
  Location Loc;
  std::string ForkFunction; ///< "fork", or the fork wrapper's name.
  std::string FunctionName; ///< The function that forks.
  ForkVerdictKind Kind = ForkVerdictKind::NoThreads;
  /// Evidence: where threads that may run (or that were joined) were
  /// created, when known.
  std::optional<Location> ThreadsCreated;
  /// For InForkChild: the earlier fork.
  std::optional<Location> ChildOf;
  /// For Reported: the checks that report it, in order, and how many
  /// findings they give.
  std::vector<CheckKind> Checks;
  unsigned Findings = 0;
  /// For ProtectedByAtFork: the prepare handler that protects the first
  /// mutex the child uses.
  std::string Handler;
};

/// "reported", "careful-child"...: the verdict's stable identifier.
const char *verdictId(ForkVerdictKind Kind);

/// "the child calls exec before any other work"...: the verdict in words.
const char *verdictDescription(ForkVerdictKind Kind);

/// Whether every path of \p Child calls exec before doing anything else the
/// model records (a call into the program, unsafe work, an end without
/// exec).
bool execsAtOnce(const PathGraph &Child);

/// The verdict on a fork at which no thread runs, given \p Threads, the
/// threads its file recorded at it. Threads joined in its own file leave no
/// trace there: those recorded only show threads that calls into other
/// files started and others stopped. So the fork comes after joins when
/// those show it (\p Finder finds threads in them, joins left aside), before
/// any thread when the program joins none, and is not told apart otherwise.
ForkVerdictKind noThreadsAtFork(const std::vector<LiveThreads> &Threads,
                                const ProgramModel &Program,
                                std::optional<Location> &Created,
                                RunningThreadsFinder &Finder);

/// Adds \p Verdict to \p Known, one per fork location: the greatest verdict
/// stands, with the union of the checks that report the fork.
void mergeVerdict(std::vector<ForkVerdict> &Known, ForkVerdict Verdict);

/// Sorts verdicts by location.
void sortVerdicts(std::vector<ForkVerdict> &Verdicts);

} // namespace forksafety

#endif // FORKSAFETY_CORE_MODEL_FORKVERDICT_H
