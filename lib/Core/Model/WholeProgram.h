//===- WholeProgram.h - Fork safety of a program as a whole ----*- C++ -*-===//
//
// The models of the translation units of a program merge into one: calls
// into functions defined in other translation units are followed, and
// whether the program creates threads is decided on its whole call graph.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_MODEL_WHOLEPROGRAM_H
#define FORKSAFETY_CORE_MODEL_WHOLEPROGRAM_H

#include "Core/AnalysisOptions.h"
#include "Core/Findings.h"
#include "Core/Model/ForkVerdict.h"
#include "Core/Model/ProgramModel.h"

#include "llvm/ADT/StringSet.h"

#include <optional>
#include <set>
#include <vector>

namespace forksafety {

/// Adds the model of one translation unit to \p Program. A function defined
/// in several (an inline function of a header) keeps its first model.
void mergeModel(ProgramModel &Program, ProgramModel Unit);

/// Where the programs of a model create threads. A model may hold several
/// programs (a compile database that builds many), one per main: a fork is
/// judged with the creations reachable from the mains that reach it, or
/// with all of them when no main does. Threads a function joins before it
/// returns count only at the forks that function reaches. A model without main
/// (a library) runs all its creations and forks.
class ProgramThreads {
public:
  explicit ProgramThreads(const ProgramModel &Program);

  /// The first creation that may run in a program that runs \p Fork.
  std::optional<ThreadCreationModel> firstFor(const ForkModel &Fork) const;

  /// Whether a main reaches the function that makes \p Fork.
  bool mainReaches(const ForkModel &Fork) const;

  /// Whether some program may run the function \p Usr.
  bool runs(const std::string &Usr) const;

  /// The first creation any program may run.
  std::optional<ThreadCreationModel> first() const;

private:
  /// What main reaches \p Usr, as their Reached sets.
  std::vector<const llvm::StringSet<> *>
  mainsReaching(const std::string &Usr) const;

  /// The first creation in \p Programs (all when empty) whose threads may
  /// run at a fork in \p ForkFunction (any function when null).
  std::optional<ThreadCreationModel>
  firstIn(const std::vector<const llvm::StringSet<> *> &Programs,
          const std::string *ForkFunction) const;

  const ProgramModel &Program;
  /// What each main reaches: calls, the functions whose address the code
  /// reached takes, and what runs without a call.
  std::vector<llvm::StringSet<>> Reached;
  /// What runs while threads a function joins before returning run: the
  /// function and what it reaches, by the function's USR.
  std::map<std::string, llvm::StringSet<>> WhileJoined;
};

struct ProgramFindings {
  std::vector<Finding> Findings;
  /// Every fork site of the program, with the reason it is reported or
  /// not, by location.
  std::vector<ForkVerdict> Verdicts;
  /// The fork sites of the program, whether threads may run at them or
  /// not: calls of fork-like functions, and calls of the fork wrappers the
  /// program defines, those that mains elsewhere reach included.
  std::set<Location> Sites;
};

/// The locations of the forks of \p Program that one of its mains reaches.
std::set<Location> forksMainsReach(const ProgramModel &Program);

/// The findings of \p Checks over the whole program. A fork no main of
/// \p Program reaches is left out when it is in \p MainsReachElsewhere:
/// the programs whose main reaches it judge it.
ProgramFindings
analyzeProgram(const ProgramModel &Program, const AnalysisOptions &Opts,
               const std::vector<CheckKind> &Checks,
               const std::set<Location> *MainsReachElsewhere = nullptr);

} // namespace forksafety

#endif // FORKSAFETY_CORE_MODEL_WHOLEPROGRAM_H
