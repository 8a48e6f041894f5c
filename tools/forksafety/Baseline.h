//===- Baseline.h - Findings accepted earlier ------------------*- C++ -*-===//

#ifndef FORKSAFETY_TOOL_BASELINE_H
#define FORKSAFETY_TOOL_BASELINE_H

#include "Reports.h"

#include "llvm/Support/Error.h"

#include <set>
#include <string>

namespace forksafety {

/// The fingerprints of the findings in the baseline \p Path.
llvm::Expected<std::set<std::string>> readBaseline(llvm::StringRef Path);

/// Writes \p Findings as a baseline to \p Path, whole or not at all; why
/// it failed.
std::error_code writeBaseline(llvm::StringRef Path,
                              const std::vector<ReportedFinding> &Findings,
                              const ReportWriter &Writer);

} // namespace forksafety

#endif // FORKSAFETY_TOOL_BASELINE_H
