//===- ForkSiteList.cpp - Every fork site with its verdict ----------------===//

#include "ForkSiteList.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/WithColor.h"

#include <map>

namespace forksafety {

namespace json = llvm::json;

namespace {

std::string place(const Location &Loc, const ReportWriter &Writer) {
  return Writer.displayPath(Loc.File) + ":" + std::to_string(Loc.Line) + ":" +
         std::to_string(Loc.Column);
}

std::string checkList(const ForkVerdict &Site) {
  std::vector<std::string> Names;
  for (CheckKind Check : Site.Checks)
    Names.push_back(checkName(Check));
  return llvm::join(Names, ", ");
}

} // namespace

unsigned leftOutFindings(const ForkVerdict &Site,
                         const std::vector<ReportedFinding> &LeftOut) {
  if (Site.Kind != ForkVerdictKind::Reported)
    return 0;
  // A finding about the fork's child is at the fork, or names it as its
  // cause.
  return llvm::count_if(LeftOut, [&](const ReportedFinding &R) {
    return R.F->Loc == Site.Loc ||
           llvm::any_of(R.F->Notes, [&](const FindingNote &Note) {
             return Note.IsCause && Note.Loc == Site.Loc;
           });
  });
}

std::string describeVerdict(const ForkVerdict &Site, unsigned LeftOut,
                            const ReportWriter &Writer) {
  std::string Text;
  if (Site.Kind == ForkVerdictKind::Reported)
    Text = "reported, " + std::to_string(Site.Findings) + " finding" +
           (Site.Findings == 1 ? "" : "s") + " (" + checkList(Site) + ")";
  else
    Text = verdictDescription(Site.Kind);
  if (LeftOut)
    Text += ", " + std::to_string(LeftOut) +
            " left out by NOLINT comments or the baseline";
  if (!Site.Handler.empty())
    Text += " ('" + Site.Handler + "')";
  if (Site.ThreadsCreated)
    Text += "; threads created at " + place(*Site.ThreadsCreated, Writer);
  if (Site.ChildOf)
    Text += "; the earlier fork is at " + place(*Site.ChildOf, Writer);
  return Text;
}

void writeForkSiteText(llvm::raw_ostream &OS,
                       const std::vector<ForkVerdict> &Sites,
                       const std::vector<ReportedFinding> &LeftOut,
                       const ReportWriter &Writer) {
  for (const ForkVerdict &Site : Sites) {
    llvm::WithColor(OS, llvm::raw_ostream::SAVEDCOLOR, true)
        << place(Site.Loc, Writer) << ": ";
    OS << "'" << Site.ForkFunction << "'";
    if (!Site.FunctionName.empty())
      OS << " in '" << Site.FunctionName << "'";
    OS << ": ";
    bool Reported = Site.Kind == ForkVerdictKind::Reported;
    llvm::WithColor(
        OS, Reported ? llvm::raw_ostream::MAGENTA : llvm::raw_ostream::GREEN,
        Reported)
        << describeVerdict(Site, leftOutFindings(Site, LeftOut), Writer);
    OS << " [" << verdictId(Site.Kind) << "]\n";
  }
}

void writeForkSiteJSON(llvm::raw_ostream &OS,
                       const std::vector<ForkVerdict> &Sites,
                       const std::vector<ReportedFinding> &Shown,
                       const std::vector<ReportedFinding> &LeftOut,
                       const AuditStatistics &Stats,
                       const ReportWriter &Writer) {
  json::Array Items;
  std::map<std::string, unsigned> PerVerdict;
  for (const ForkVerdict &Site : Sites) {
    ++PerVerdict[verdictId(Site.Kind)];
    json::Object Item = Writer.placeJSON(Site.Loc);
    Item["forkFunction"] = Site.ForkFunction;
    Item["function"] = Site.FunctionName;
    Item["verdict"] = verdictId(Site.Kind);
    Item["description"] = verdictDescription(Site.Kind);
    json::Array Checks;
    for (CheckKind Check : Site.Checks)
      Checks.push_back(checkName(Check));
    Item["checks"] = std::move(Checks);
    Item["findings"] = Site.Findings;
    Item["findingsLeftOut"] = leftOutFindings(Site, LeftOut);
    if (Site.ThreadsCreated)
      Item["threadsCreated"] = Writer.placeJSON(*Site.ThreadsCreated);
    if (Site.ChildOf)
      Item["childOf"] = Writer.placeJSON(*Site.ChildOf);
    if (!Site.Handler.empty())
      Item["atforkHandler"] = Site.Handler;
    Items.push_back(std::move(Item));
  }
  json::Object Counts;
  for (const auto &[Verdict, Count] : PerVerdict)
    Counts[Verdict] = Count;
  json::Object Summary = summaryJSON(Stats, Shown.size());
  Summary["forkSitesPerVerdict"] = std::move(Counts);
  OS << llvm::formatv(
            "{0:2}", json::Value(json::Object{{"version", 1},
                                              {"forkSites", std::move(Items)},
                                              {"summary", std::move(Summary)}}))
     << "\n";
}

} // namespace forksafety
