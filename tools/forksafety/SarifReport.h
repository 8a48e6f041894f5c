//===- SarifReport.h - Findings as SARIF 2.1.0 -----------------*- C++ -*-===//
//
// The SARIF log of an audit, shaped for GitHub code scanning: result
// messages that link their related locations, code flows from the thread
// creation to the finding, rules with help pages, the run's category, its
// invocation and the files that failed, and baseline states.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_TOOL_SARIFREPORT_H
#define FORKSAFETY_TOOL_SARIFREPORT_H

#include "Baseline.h"
#include "Reports.h"

#include <optional>
#include <string>
#include <vector>

namespace forksafety {

/// A file the audit could not analyse, and why.
struct FailedFile {
  std::string File;
  /// The first compiler error, or empty.
  std::string Reason;
};

/// Everything one SARIF run shows.
struct SarifRun {
  /// The rules: the enabled checks.
  std::vector<CheckKind> Checks;
  /// Findings the report keeps.
  std::vector<ReportedFinding> Reported;
  /// Findings NOLINT comments suppress: results with an in-source
  /// suppression.
  std::vector<ReportedFinding> Suppressed;
  /// Findings the baseline holds: results with an external suppression.
  std::vector<ReportedFinding> Baselined;
  /// The baseline compared against, if any: each result gets a baseline
  /// state, and its findings no longer found become absent results.
  std::optional<BaselineFindings> Baseline;
  std::string BaselinePath;
  /// runs[].automationDetails.id, if any.
  std::string Category;
  std::vector<FailedFile> Failed;
};

/// GitHub's convention for a category: the automation id up to its last
/// "/". "linux" becomes "linux/"; "" when \p Name is empty or only
/// whitespace, which is not a category.
std::string automationId(llvm::StringRef Name);

/// The number of UTF-16 code units in the first \p ByteColumn - 1 bytes of
/// \p Line, plus one: the UTF-16 column of byte column \p ByteColumn.
/// Bytes past the end of the line, and bytes that are not UTF-8, count one
/// unit each.
unsigned utf16Column(llvm::StringRef Line, unsigned ByteColumn);

/// Writes \p Run as a SARIF 2.1.0 log; paths, source lines and doc links
/// come from \p Writer.
void writeSARIF(llvm::raw_ostream &OS, ReportWriter &Writer,
                const SarifRun &Run);

} // namespace forksafety

#endif // FORKSAFETY_TOOL_SARIFREPORT_H
