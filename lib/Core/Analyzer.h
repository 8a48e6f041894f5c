//===- Analyzer.h - Fork-safety findings for a translation unit -*- C++ -*-===//
//
// The entry points of the analysis core, shared by every front end: one
// translation unit analysed alone (the clang-tidy checks, clangd), or
// recorded as part of a program analysed as a whole (the forksafety tool).
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_ANALYZER_H
#define FORKSAFETY_CORE_ANALYZER_H

#include "Core/AnalysisOptions.h"
#include "Core/Findings.h"
#include "Core/Model/ProgramModel.h"

#include <vector>

namespace clang {
class ASTContext;
class HeaderSearch;
} // namespace clang

namespace forksafety {

class UnitFacts;

/// Analyses one translation unit and returns the findings of the checks in
/// \p Checks, in source order. \p Headers, the unit's header search, tells
/// which headers are a library's (LibraryHeaders); null: those the compiler
/// calls system headers.
/// \p Facts, when given, keeps what is found of the unit for the next
/// analysis of the same unit.
std::vector<Finding> analyzeTranslationUnit(clang::ASTContext &Ctx,
                                            const clang::HeaderSearch *Headers,
                                            const AnalysisOptions &Opts,
                                            std::vector<CheckKind> Checks,
                                            UnitFacts *Facts = nullptr);

/// Records what the whole-program analysis needs from one translation unit:
/// its fork sites, every function it defines in user code, its thread
/// creations and its calls. Calls to \p ExternalWrappers, fork wrappers
/// defined in other translation units, are fork sites too. \p Headers and
/// \p Facts as for analyzeTranslationUnit.
ProgramModel
recordTranslationUnit(clang::ASTContext &Ctx,
                      const clang::HeaderSearch *Headers,
                      const AnalysisOptions &Opts,
                      const std::vector<WrapperModel> &ExternalWrappers = {},
                      UnitFacts *Facts = nullptr);

} // namespace forksafety

#endif // FORKSAFETY_CORE_ANALYZER_H
