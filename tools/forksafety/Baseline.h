//===- Baseline.h - Findings accepted earlier ------------------*- C++ -*-===//

#ifndef FORKSAFETY_TOOL_BASELINE_H
#define FORKSAFETY_TOOL_BASELINE_H

#include "Reports.h"

#include "llvm/Support/Error.h"

#include <map>
#include <string>

namespace forksafety {

/// A finding accepted in a baseline, as the baseline describes it.
struct BaselineEntry {
  std::string Check;
  /// As reports show it: relative to the source root when inside it.
  std::string File;
  std::string Message;
};

/// The findings of a baseline by fingerprint.
using BaselineFindings = std::map<std::string, BaselineEntry>;

/// The findings in the baseline \p Path.
llvm::Expected<BaselineFindings> readBaseline(llvm::StringRef Path);

/// Writes \p Findings as a baseline to \p Path, whole or not at all; why
/// it failed.
std::error_code writeBaseline(llvm::StringRef Path,
                              const std::vector<ReportedFinding> &Findings,
                              const ReportWriter &Writer);

} // namespace forksafety

#endif // FORKSAFETY_TOOL_BASELINE_H
