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

/// "the child calls exec at once; threads created at pool.c:8:3": the
/// verdict on \p Site with its evidence, paths as \p Writer shows them.
std::string describeVerdict(const ForkVerdict &Site,
                            const ReportWriter &Writer);

/// One line per fork site, clang style:
/// "main.c:9:15: 'fork' in 'main': VERDICT [verdict-id]".
void writeForkSiteText(llvm::raw_ostream &OS,
                       const std::vector<ForkVerdict> &Sites,
                       const ReportWriter &Writer);

/// The fork sites as JSON, then the summary of the run.
void writeForkSiteJSON(llvm::raw_ostream &OS,
                       const std::vector<ForkVerdict> &Sites,
                       const AuditStatistics &Stats, size_t Findings,
                       const ReportWriter &Writer);

} // namespace forksafety

#endif // FORKSAFETY_TOOL_FORKSITELIST_H
