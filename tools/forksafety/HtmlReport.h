//===- HtmlReport.h - One self-contained HTML page -------------*- C++ -*-===//
//
// The audit as a page to read in a browser: the summary, every fork site
// with its verdict, and each finding with the source of its child path.
// Styles and scripts are inline: the page loads nothing.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_TOOL_HTMLREPORT_H
#define FORKSAFETY_TOOL_HTMLREPORT_H

#include "Reports.h"

#include "Core/Model/ForkVerdict.h"

#include "llvm/Support/raw_ostream.h"

#include <vector>

namespace forksafety {

/// Writes the page for \p Findings (those reported: NOLINT comments and
/// the baseline keep \p LeftOut out) and the fork sites \p Sites.
void writeHTML(llvm::raw_ostream &OS,
               const std::vector<ReportedFinding> &Findings,
               const std::vector<ReportedFinding> &LeftOut,
               const std::vector<ForkVerdict> &Sites,
               const AuditStatistics &Stats, const ReportWriter &Writer);

} // namespace forksafety

#endif // FORKSAFETY_TOOL_HTMLREPORT_H
