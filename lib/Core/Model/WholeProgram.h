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
#include "Core/Model/ProgramModel.h"

#include <optional>
#include <vector>

namespace forksafety {

/// Adds the model of one translation unit to \p Program. A function defined
/// in several (an inline function of a header) keeps its first model.
void mergeModel(ProgramModel &Program, ProgramModel Unit);

/// Where the program creates its first thread: a creation reachable from
/// main (or from any function whose address is taken, or a global
/// initializer), or, for a library without main, any creation.
std::optional<ThreadCreationModel>
findThreadCreation(const ProgramModel &Program);

struct ProgramFindings {
  std::vector<Finding> Findings;
  /// Fork sites analysed (threads may exist when they run).
  unsigned ForkSites = 0;
};

/// The findings of \p Checks over the whole program.
ProgramFindings analyzeProgram(const ProgramModel &Program,
                               const AnalysisOptions &Opts,
                               const std::vector<CheckKind> &Checks);

} // namespace forksafety

#endif // FORKSAFETY_CORE_MODEL_WHOLEPROGRAM_H
