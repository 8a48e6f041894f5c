//===- Reports.h - Findings as text, JSON and SARIF ------------*- C++ -*-===//

#ifndef FORKSAFETY_TOOL_REPORTS_H
#define FORKSAFETY_TOOL_REPORTS_H

#include "Core/Findings.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <string>
#include <vector>

namespace forksafety {

/// A finding with what identifies it across runs.
struct ReportedFinding {
  const Finding *F;
  /// Stable across edits that only move the finding's line: built from the
  /// check, the file, the message and the text of the flagged line.
  std::string Fingerprint;
};

/// What the run did, for the closing summary.
struct AuditStatistics {
  unsigned Files = 0;
  unsigned FromCache = 0;
  unsigned ForkSites = 0;
  std::vector<std::string> FailedFiles;
  /// The first compiler error of each failed file, where there is one.
  std::map<std::string, std::string> FailureReasons;
  /// Findings left out because the baseline holds them.
  unsigned Baselined = 0;
};

/// The "summary" object of the JSON reports, with \p Findings findings
/// reported.
llvm::json::Object summaryJSON(const AuditStatistics &Stats, size_t Findings);

class ReportWriter {
public:
  /// Paths in reports are relative to \p SourceRoot when inside it. Rules
  /// link to \p DocsUrl/<check>.md, or else to the doc pages installed in
  /// \p InstalledDocs, if any.
  ReportWriter(std::string SourceRoot, std::string DocsUrl,
               std::string InstalledDocs)
      : SourceRoot(std::move(SourceRoot)), DocsUrl(std::move(DocsUrl)),
        InstalledDocs(std::move(InstalledDocs)) {}

  std::vector<ReportedFinding> identify(const std::vector<Finding> &Findings);

  void writeText(llvm::raw_ostream &OS,
                 const std::vector<ReportedFinding> &Findings);
  void writeJSON(llvm::raw_ostream &OS,
                 const std::vector<ReportedFinding> &Findings,
                 const AuditStatistics &Stats);
  // SARIF: SarifReport.h.

  /// "src/child.c", or the absolute path outside the source root.
  std::string displayPath(llvm::StringRef File) const;
  /// {"file", "line", "column"} of \p Loc, as JSON reports give places.
  llvm::json::Object placeJSON(const Location &Loc) const;
  /// The text of line \p Line of \p File, or empty.
  llvm::StringRef lineText(const std::string &File, unsigned Line);
  const std::string &sourceRoot() const { return SourceRoot; }
  const std::string &docsUrl() const { return DocsUrl; }
  const std::string &installedDocs() const { return InstalledDocs; }

private:
  void writeSourceLine(llvm::raw_ostream &OS, const Location &Loc);
  /// "file:line:col: warning: message [check]".
  void writeDiagnostic(llvm::raw_ostream &OS, const Location &Loc, bool IsNote,
                       llvm::StringRef Message, llvm::StringRef Check = "");
  void writeFixes(llvm::raw_ostream &OS, const std::vector<TextEdit> &Fixes);
  void writeNote(llvm::raw_ostream &OS, const FindingNote &Note);
  /// A child's fork finding, with the findings in \p Rest of the calls its
  /// notes name folded in as notes; those are taken out of \p Rest.
  void writeLead(llvm::raw_ostream &OS, const Finding &Lead,
                 std::vector<const Finding *> &Rest);
  /// A finding of a child; unless it is the \p First warning of the child,
  /// it refers to the fork shown before instead of showing it again.
  void writeFollower(llvm::raw_ostream &OS, const Finding &F, bool First);

  std::string SourceRoot;
  std::string DocsUrl;
  std::string InstalledDocs;
  std::map<std::string, std::vector<std::string>> Lines;
};

} // namespace forksafety

#endif // FORKSAFETY_TOOL_REPORTS_H
