//===- HtmlReport.cpp - One self-contained HTML page ----------------------===//

#include "HtmlReport.h"

#include "ForkSiteList.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <map>
#include <set>

namespace forksafety {

namespace {

/// Text from sources, paths and messages, safe in element content and in
/// quoted attribute values.
std::string escape(llvm::StringRef Text) {
  std::string Out;
  Out.reserve(Text.size());
  for (char C : Text) {
    switch (C) {
    case '&':
      Out += "&amp;";
      break;
    case '<':
      Out += "&lt;";
      break;
    case '>':
      Out += "&gt;";
      break;
    case '"':
      Out += "&quot;";
      break;
    case '\'':
      Out += "&#39;";
      break;
    default:
      Out += C;
    }
  }
  return Out;
}

const char Style[] = R"css(
:root { color-scheme: light; --warn: #a3154a; --ok: #1d6b3a; --muted: #5c6470; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem;
       padding: 1rem 1.5rem 3rem; color: #1c2128; background: #fbfbfc; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #d5d9de; padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; margin: 0 0 0.3rem; }
h4 { font-size: 0.9rem; margin: 0.8rem 0 0.2rem; color: var(--muted); }
code, pre, .loc { font-family: ui-monospace, monospace; font-size: 0.85rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e3e6ea;
         vertical-align: top; }
th { background: #eef1f4; }
.counts td:last-child { text-align: right; font-variant-numeric: tabular-nums; }
.counts tbody { display: grid; column-gap: 2rem;
                grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); }
.counts tr { display: flex; justify-content: space-between; }
.counts td { border: none; padding: 0.15rem 0.5rem; }
.verdict { font-weight: 600; color: var(--ok); white-space: nowrap; }
.verdict-reported .verdict, .verdict-unchecked .verdict { color: var(--warn); }
#filters { display: flex; gap: 1.5rem; align-items: center; margin: 1rem 0;
           padding: 0.6rem 0.8rem; background: #eef1f4; border-radius: 6px; }
.finding { background: #fff; border: 1px solid #d5d9de; border-left: 4px solid var(--warn);
           border-radius: 6px; padding: 0.8rem 1rem; margin: 1rem 0; }
.check { color: var(--muted); font-weight: normal; }
.notes, .threads { margin: 0; padding-left: 1.4rem; }
figure { margin: 0.6rem 0 0; }
figcaption { font-family: ui-monospace, monospace; font-size: 0.8rem; color: var(--muted); }
pre { background: #f6f8fa; border: 1px solid #e3e6ea; border-radius: 4px; margin: 0.2rem 0 0;
      padding: 0.4rem 0; overflow-x: auto; }
.line { display: inline-block; min-width: 100%; box-sizing: border-box;
        padding: 0 0.6rem; white-space: pre; }
.ln { display: inline-block; width: 3.5em; color: var(--muted); user-select: none; }
.mark-finding { background: #fde2e7; }
.mark-fork { background: #fff1c2; }
.mark-step { background: #e4efff; }
.mark-threads { background: #e6f4ea; }
.tag { font: 0.75rem system-ui, sans-serif; color: var(--muted); margin-left: 1rem; }
.unreadable { color: var(--warn); font-style: italic; }
#no-findings { color: var(--ok); }
)css";

/// Applies the filters; a URL fragment "check=NAME&file=PATH" preselects
/// them. Marks the document once it ran, for tests and for readers.
const char Script[] = R"js(
(function () {
  'use strict';
  var check = document.getElementById('filter-check');
  var file = document.getElementById('filter-file');
  var findings = document.querySelectorAll('.finding');
  var sites = document.querySelectorAll('#fork-sites tbody tr');
  function matches(el) {
    var checks = (el.getAttribute('data-checks') || '').split(' ');
    return (check.value === '' || checks.indexOf(check.value) >= 0) &&
           (file.value === '' || el.getAttribute('data-file') === file.value);
  }
  function apply() {
    var shown = 0;
    findings.forEach(function (el) {
      el.hidden = !matches(el);
      if (!el.hidden) shown++;
    });
    sites.forEach(function (el) { el.hidden = !matches(el); });
    document.getElementById('shown').textContent =
        shown + ' of ' + findings.length + ' findings shown';
  }
  function preselect(select, value) {
    for (var i = 0; i < select.options.length; i++)
      if (select.options[i].value === value) select.value = value;
  }
  new URLSearchParams(window.location.hash.slice(1)).forEach(function (v, k) {
    if (k === 'check') preselect(check, v);
    if (k === 'file') preselect(file, v);
  });
  check.addEventListener('change', apply);
  file.addEventListener('change', apply);
  apply();
  document.documentElement.setAttribute('data-script', 'ready');
})();
)js";

/// The lines of the source files the page shows, read once each.
class SourceFiles {
public:
  struct File {
    std::vector<std::string> Lines;
    std::string Error; ///< Why it cannot be read, if it cannot.
  };

  const File &get(const std::string &Path) {
    auto [It, New] = Files.try_emplace(Path);
    if (!New)
      return It->second;
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Text =
        llvm::MemoryBuffer::getFile(Path);
    if (!Text) {
      It->second.Error = Text.getError().message();
      return It->second;
    }
    llvm::SmallVector<llvm::StringRef, 0> Split;
    (*Text)->getBuffer().split(Split, '\n');
    for (llvm::StringRef Line : Split)
      It->second.Lines.push_back(Line.rtrim("\r").str());
    return It->second;
  }

private:
  std::map<std::string, File> Files;
};

/// The lines to show around the marked lines \p Low to \p High: up to the
/// head of the enclosing function (the nearest line above that starts a
/// top-level declaration) and down to its closing brace, within limits.
std::pair<unsigned, unsigned>
enclosingLines(const std::vector<std::string> &Lines, unsigned Low,
               unsigned High) {
  constexpr unsigned MaxAround = 40;
  auto StartsDeclaration = [&](unsigned Line) {
    llvm::StringRef Text = Lines[Line - 1];
    return !Text.empty() && !llvm::StringRef(" \t}#/*").contains(Text[0]);
  };
  unsigned First = std::min<unsigned>(Low, Lines.size());
  while (First > 1 && Low - First < MaxAround && !StartsDeclaration(First))
    --First;
  unsigned Last = std::min<unsigned>(High, Lines.size());
  while (Last < Lines.size() && Last - High < MaxAround &&
         !llvm::StringRef(Lines[Last - 1]).starts_with("}"))
    ++Last;
  return {First, Last};
}

struct Mark {
  Location Loc;
  const char *Kind; ///< "finding", "fork", "step" or "threads".
  std::string Label;
};

class PageWriter {
public:
  PageWriter(llvm::raw_ostream &OS, const std::vector<ReportedFinding> &Found,
             const std::vector<ReportedFinding> &LeftOut,
             const std::vector<ForkVerdict> &Sites,
             const AuditStatistics &Stats, const ReportWriter &Writer)
      : OS(OS), Found(Found), LeftOut(LeftOut), Sites(Sites), Stats(Stats),
        Writer(Writer) {}

  void write() {
    OS << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
       << "<meta charset=\"utf-8\">\n"
       << "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n"
       << "<title>forksafety report</title>\n"
       << "<script>window.addEventListener('error', function (e) { "
          "document.documentElement.setAttribute('data-script-error', "
          "String(e.message)); });</script>\n"
       << "<style>" << Style << "</style>\n</head>\n<body>\n"
       << "<h1>forksafety report</h1>\n";
    writeSummary();
    writeFilters();
    writeForkSites();
    writeFindings();
    OS << "<script>" << Script << "</script>\n</body>\n</html>\n";
  }

private:
  std::string place(const Location &Loc) const {
    return Writer.displayPath(Loc.File) + ":" + std::to_string(Loc.Line) + ":" +
           std::to_string(Loc.Column);
  }

  void countRow(llvm::StringRef Name, size_t Count) {
    OS << "<tr><td>" << escape(Name) << "</td><td>" << Count << "</td></tr>\n";
  }

  void writeSummary() {
    std::map<std::string, size_t> PerCheck, PerVerdict;
    for (const ReportedFinding &R : Found)
      ++PerCheck[checkName(R.F->Check)];
    for (const ForkVerdict &Site : Sites)
      ++PerVerdict[verdictId(Site.Kind)];
    OS << "<section id=\"summary\">\n<h2>Summary</h2>\n"
       << "<table class=\"counts\">\n<tbody>\n";
    countRow("files analysed", Stats.Files);
    if (Stats.FromCache)
      countRow("files from the cache", Stats.FromCache);
    countRow("fork sites", Sites.size());
    countRow("fork sites where threads may run", Stats.ForkSites);
    countRow("findings", Found.size());
    for (const auto &[Check, Count] : PerCheck)
      countRow(Check, Count);
    for (const auto &[Verdict, Count] : PerVerdict)
      countRow("fork sites: " + Verdict, Count);
    if (Stats.Baselined)
      countRow("findings in the baseline", Stats.Baselined);
    OS << "</tbody>\n</table>\n";
    if (!Stats.FailedFiles.empty()) {
      OS << "<p class=\"unreadable\">Files that failed to parse:</p>\n<ul>\n";
      for (const std::string &Failed : Stats.FailedFiles)
        OS << "<li><code>" << escape(Writer.displayPath(Failed))
           << "</code></li>\n";
      OS << "</ul>\n";
    }
    OS << "</section>\n";
  }

  void option(llvm::StringRef Value, llvm::StringRef Text) {
    OS << "<option value=\"" << escape(Value) << "\">" << escape(Text)
       << "</option>\n";
  }

  void writeFilters() {
    std::set<std::string> Checks, Files;
    for (const ReportedFinding &R : Found) {
      Checks.insert(checkName(R.F->Check));
      Files.insert(Writer.displayPath(R.F->Loc.File));
    }
    for (const ForkVerdict &Site : Sites) {
      for (CheckKind Check : Site.Checks)
        Checks.insert(checkName(Check));
      Files.insert(Writer.displayPath(Site.Loc.File));
    }
    OS << "<section id=\"filters\">\n<label>Check <select "
          "id=\"filter-check\">\n";
    option("", "all checks");
    for (const std::string &Check : Checks)
      option(Check, Check);
    OS << "</select></label>\n<label>File <select id=\"filter-file\">\n";
    option("", "all files");
    for (const std::string &File : Files)
      option(File, File);
    OS << "</select></label>\n<span id=\"shown\"></span>\n</section>\n";
  }

  void writeForkSites() {
    OS << "<section>\n<h2>Fork sites</h2>\n<table id=\"fork-sites\">\n"
       << "<thead><tr><th>Location</th><th>Call</th><th>In function</th>"
          "<th>Verdict</th><th>Why</th></tr></thead>\n<tbody>\n";
    for (const ForkVerdict &Site : Sites) {
      std::vector<std::string> Checks;
      for (CheckKind Check : Site.Checks)
        Checks.push_back(checkName(Check));
      OS << "<tr class=\"verdict-" << verdictId(Site.Kind) << "\" data-file=\""
         << escape(Writer.displayPath(Site.Loc.File)) << "\" data-checks=\""
         << escape(llvm::join(Checks, " ")) << "\">"
         << "<td class=\"loc\">" << escape(place(Site.Loc)) << "</td><td><code>"
         << escape(Site.ForkFunction) << "</code></td><td><code>"
         << escape(Site.FunctionName) << "</code></td><td class=\"verdict\">"
         << verdictId(Site.Kind) << "</td><td>"
         << escape(
                describeVerdict(Site, leftOutFindings(Site, LeftOut), Writer))
         << "</td></tr>\n";
    }
    OS << "</tbody>\n</table>\n</section>\n";
  }

  /// The verdict on the fork whose child \p F is about, if listed.
  const ForkVerdict *forkOf(const Finding &F) const {
    for (const ForkVerdict &Site : Sites) {
      if (Site.Loc == F.Loc)
        return &Site;
      for (const FindingNote &Note : F.Notes)
        if (Note.IsCause && Note.Loc == Site.Loc)
          return &Site;
    }
    return nullptr;
  }

  std::vector<Mark> marksOf(const Finding &F, const ForkVerdict *Fork) const {
    std::vector<Mark> Marks;
    if (Fork)
      Marks.push_back({Fork->Loc, "fork", "fork site"});
    for (const FindingNote &Note : F.Notes)
      if (!Note.IsCause)
        Marks.push_back({Note.Loc, "step", Note.Message});
    Marks.push_back({F.Loc, "finding", "finding"});
    if (Fork && Fork->ThreadsCreated)
      Marks.push_back({*Fork->ThreadsCreated, "threads", "threads created"});
    return Marks;
  }

  void writeFindings() {
    OS << "<section>\n<h2>Findings</h2>\n";
    if (Found.empty())
      OS << "<p id=\"no-findings\">No findings.</p>\n";
    for (const ReportedFinding &R : Found)
      writeFinding(*R.F);
    OS << "</section>\n";
  }

  void writeFinding(const Finding &F) {
    const ForkVerdict *Fork = forkOf(F);
    OS << "<article class=\"finding\" data-checks=\"" << checkName(F.Check)
       << "\" data-file=\"" << escape(Writer.displayPath(F.Loc.File))
       << "\">\n<h3>" << escape(F.Message) << " <span class=\"check\">["
       << checkName(F.Check) << "]</span></h3>\n<p class=\"loc\">"
       << escape(place(F.Loc)) << "</p>\n<h4>Threads created at</h4>\n";
    if (Fork && Fork->ThreadsCreated)
      OS << "<ul class=\"threads\"><li class=\"loc\">"
         << escape(place(*Fork->ThreadsCreated)) << "</li></ul>\n";
    else
      OS << "<p>not recorded</p>\n";
    OS << "<h4>Notes</h4>\n<ol class=\"notes\">\n";
    for (const FindingNote &Note : F.Notes)
      OS << "<li><span class=\"loc\">" << escape(place(Note.Loc)) << "</span> "
         << escape(Note.Message) << "</li>\n";
    OS << "</ol>\n<h4>Source of the child path</h4>\n";
    writeSource(marksOf(F, Fork));
    OS << "</article>\n";
  }

  /// One excerpt per file, in the order the marks first name the files.
  void writeSource(const std::vector<Mark> &Marks) {
    std::vector<std::string> Order;
    for (const Mark &M : Marks)
      if (M.Loc.isValid() && !llvm::is_contained(Order, M.Loc.File))
        Order.push_back(M.Loc.File.str());
    for (const std::string &Path : Order) {
      OS << "<figure>\n<figcaption>" << escape(Writer.displayPath(Path))
         << "</figcaption>\n";
      const SourceFiles::File &File = Sources.get(Path);
      if (!File.Error.empty())
        OS << "<p class=\"unreadable\">source not available: "
           << escape(File.Error) << "</p>\n";
      else
        writeExcerpt(File.Lines, Path, Marks);
      OS << "</figure>\n";
    }
  }

  /// The marked lines of one file, each shown with its enclosing function;
  /// functions that hold several marks, or that touch, show once.
  void writeExcerpt(const std::vector<std::string> &Lines,
                    const std::string &Path, const std::vector<Mark> &Marks) {
    std::map<unsigned, std::vector<const Mark *>> ByLine;
    for (const Mark &M : Marks)
      if (M.Loc.File == Path && M.Loc.Line >= 1 && M.Loc.Line <= Lines.size())
        ByLine[M.Loc.Line].push_back(&M);
    std::vector<std::pair<unsigned, unsigned>> Ranges;
    for (const auto &Entry : ByLine) {
      std::pair<unsigned, unsigned> Range =
          enclosingLines(Lines, Entry.first, Entry.first);
      if (!Ranges.empty() && Range.first <= Ranges.back().second + 1)
        Ranges.back().second = std::max(Ranges.back().second, Range.second);
      else
        Ranges.push_back(Range);
    }
    for (const auto &[First, Last] : Ranges) {
      OS << "<pre><code>";
      for (unsigned Line = First; Line <= Last; ++Line)
        writeLine(Line, Lines[Line - 1], ByLine);
      OS << "</code></pre>\n";
    }
  }

  void writeLine(unsigned Line, llvm::StringRef Text,
                 const std::map<unsigned, std::vector<const Mark *>> &ByLine) {
    auto It = ByLine.find(Line);
    OS << "<span class=\"line";
    if (It != ByLine.end())
      OS << " mark-" << It->second.back()->Kind;
    OS << "\"><span class=\"ln\">" << Line << "</span>" << escape(Text);
    if (It != ByLine.end()) {
      std::vector<std::string> Labels;
      for (const Mark *M : It->second)
        Labels.push_back(M->Label);
      OS << "<span class=\"tag\">&larr; " << escape(llvm::join(Labels, "; "))
         << "</span>";
    }
    OS << "</span>\n";
  }

  llvm::raw_ostream &OS;
  const std::vector<ReportedFinding> &Found;
  const std::vector<ReportedFinding> &LeftOut;
  const std::vector<ForkVerdict> &Sites;
  const AuditStatistics &Stats;
  const ReportWriter &Writer;
  SourceFiles Sources;
};

} // namespace

void writeHTML(llvm::raw_ostream &OS,
               const std::vector<ReportedFinding> &Findings,
               const std::vector<ReportedFinding> &LeftOut,
               const std::vector<ForkVerdict> &Sites,
               const AuditStatistics &Stats, const ReportWriter &Writer) {
  PageWriter(OS, Findings, LeftOut, Sites, Stats, Writer).write();
}

} // namespace forksafety
