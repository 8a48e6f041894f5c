//===- ForkSiteList.h - Every fork site with its verdict -------*- C++ -*-===//
//
// The audit's table of contents: each fork-like call of the program, with
// the reason the analysis reports it or not.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_TOOL_FORKSITELIST_H
#define FORKSAFETY_TOOL_FORKSITELIST_H

#include "Reports.h"

#include "Core/Model/ForkVerdict.h"

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace forksafety {

/// How many findings of the fork \p Site the report leaves out: \p LeftOut
/// are the findings NOLINT comments and the baseline keep out of it. A
/// finding another fork's child shares is reported once, with that fork:
/// it is not left out.
unsigned leftOutFindings(const ForkVerdict &Site,
                         const std::vector<ReportedFinding> &LeftOut);

/// "the child calls exec at once; threads created at pool.c:8:3": the
/// verdict on \p Site with its evidence, paths as \p Writer shows them;
/// \p LeftOut of its findings are not in the report.
std::string describeVerdict(const ForkVerdict &Site, unsigned LeftOut,
                            const ReportWriter &Writer);

/// One line per fork site, clang style:
/// "main.c:9:15: 'fork' in 'main': VERDICT [verdict-id]".
void writeForkSiteText(llvm::raw_ostream &OS,
                       const std::vector<ForkVerdict> &Sites,
                       const std::vector<ReportedFinding> &LeftOut,
                       const ReportWriter &Writer);

/// The fork sites as JSON, then the summary of the run.
void writeForkSiteJSON(llvm::raw_ostream &OS,
                       const std::vector<ForkVerdict> &Sites,
                       const std::vector<ReportedFinding> &Shown,
                       const std::vector<ReportedFinding> &LeftOut,
                       const AuditStatistics &Stats,
                       const ReportWriter &Writer);

} // namespace forksafety

#endif // FORKSAFETY_TOOL_FORKSITELIST_H
