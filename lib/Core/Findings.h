//===- Findings.h - What the checks report ---------------------*- C++ -*-===//

#ifndef FORKSAFETY_CORE_FINDINGS_H
#define FORKSAFETY_CORE_FINDINGS_H

#include "Core/ChildPaths/ChildPathSolver.h"
#include "Core/Location.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>
#include <string>
#include <vector>

namespace forksafety {

enum class CheckKind { ForkInThreadedProgram, UnsafeCallInChild };

/// The check's public name, e.g. "forksafety-unsafe-call-in-child".
const char *checkName(CheckKind Kind);

struct FindingNote {
  Location Loc;
  std::string Message;
  /// The note names a cause of the finding (the thread creation, the fork)
  /// rather than a step from the fork to it.
  bool IsCause = false;
};

struct Finding {
  CheckKind Check;
  Location Loc;
  std::string Message;
  std::vector<FindingNote> Notes;
  std::vector<TextEdit> Fixes;
  /// Where the program creates threads (an invalid location when unknown),
  /// for reports that show the whole flow from the threads to the finding.
  /// Text diagnostics name it only where it explains the finding, as one of
  /// the notes.
  FindingNote ThreadCreation;
  /// The fork whose child the finding is about: reports group the findings
  /// of one child under it.
  Location Fork;
};

/// Adds the findings of the checks in \p Checks about the child of \p Fork,
/// which does \p Child. \p Threads is where the program creates threads, if
/// known; \p ThreadsUnseen when it is a call to a function defined nowhere,
/// which may have left threads running.
void appendForkFindings(const ForkModel &Fork, const ChildBehaviour &Child,
                        const ThreadCreationModel *Threads, bool ThreadsUnseen,
                        const std::vector<CheckKind> &Checks,
                        std::vector<Finding> &Findings);

/// A note as diagnostics show it. A finding of another check shown in a
/// note's place names its check.
struct ShownNote {
  Location Loc;
  std::string Message;
  std::optional<CheckKind> Check;
};

/// A finding as diagnostics show it, with the findings folded into it.
struct ShownFinding {
  const Finding *F = nullptr;
  std::vector<ShownNote> Notes;
};

/// The text of \p Note in a diagnostic: a finding folded in names its
/// check, as its warning would.
std::string shownNoteMessage(const ShownNote &Note);

/// Shows \p Findings so that one cause gives one warning. The fork finding
/// of a child leads; an unsafe call that one of its notes names as what the
/// child goes on to do takes that note's place, followed by its own steps,
/// instead of being a warning that repeats them. A call with a fix stays a
/// warning of its own (tools apply the fixes of warnings), and so does
/// every finding \p Suppressed says a comment suppresses: its report may
/// vanish, and must not take another with it.
std::vector<ShownFinding>
showFindings(const std::vector<Finding> &Findings,
             llvm::function_ref<bool(const Finding &)> Suppressed);

/// The notes of \p Lead, a fork finding, with the findings of \p Rest it
/// names folded in as showFindings does; those are taken out of \p Rest.
std::vector<ShownNote> foldIntoLead(const Finding &Lead,
                                    std::vector<const Finding *> &Rest);

/// Sorts findings by location and drops repeated ones (template
/// instantiations repeat the findings of their pattern; headers repeat
/// theirs in every translation unit).
void sortFindings(std::vector<Finding> &Findings);

} // namespace forksafety

#endif // FORKSAFETY_CORE_FINDINGS_H
