//===- Analyzer.h - Fork-safety findings for a translation unit -*- C++ -*-===//
//
// The entry point of the analysis core, shared by every front end: it finds
// the fork sites of a translation unit, walks their child paths and returns
// findings with their text, notes and fix-its.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_ANALYZER_H
#define FORKSAFETY_CORE_ANALYZER_H

#include "Core/AnalysisOptions.h"

#include "clang/Basic/SourceLocation.h"

#include <string>
#include <vector>

namespace clang {
class ASTContext;
} // namespace clang

namespace forksafety {

enum class CheckKind { ForkInThreadedProgram, UnsafeCallInChild };

/// The check's public name, e.g. "forksafety-unsafe-call-in-child".
const char *checkName(CheckKind Kind);

struct FindingNote {
  clang::SourceLocation Loc;
  std::string Message;
};

struct FindingFix {
  clang::CharSourceRange Range;
  std::string Replacement;
};

struct Finding {
  CheckKind Check;
  clang::SourceLocation Loc;
  std::string Message;
  std::vector<FindingNote> Notes;
  std::vector<FindingFix> Fixes;
};

/// Analyses one translation unit and returns the findings of the checks in
/// \p Checks, in source order.
std::vector<Finding> analyzeTranslationUnit(clang::ASTContext &Ctx,
                                            const AnalysisOptions &Opts,
                                            std::vector<CheckKind> Checks);

} // namespace forksafety

#endif // FORKSAFETY_CORE_ANALYZER_H
