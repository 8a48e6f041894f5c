//===- Reports.cpp - Findings as text, JSON and SARIF ---------------------===//

#include "Reports.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MD5.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

namespace forksafety {

namespace json = llvm::json;

namespace {

struct CheckDoc {
  const char *Name;
  const char *Markdown;
};

// Generated from docs/checks/*.md by CMake.
#include "CheckDocs.inc"

const CheckDoc *docOf(llvm::StringRef Check) {
  for (const CheckDoc &Doc : CheckDocs)
    if (Check == Doc.Name)
      return &Doc;
  return nullptr;
}

/// The one-sentence summary that opens a check's doc page.
std::string summaryOf(llvm::StringRef Markdown) {
  llvm::StringRef Body = Markdown.split('\n').second.ltrim();
  llvm::StringRef Paragraph = Body.split("\n\n").first;
  llvm::SmallVector<llvm::StringRef, 4> Lines;
  Paragraph.split(Lines, '\n');
  return llvm::join(Lines, " ");
}

std::string percentEncode(llvm::StringRef Path) {
  std::string Uri;
  for (char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-_.~").contains(C))
      Uri += C;
    else
      Uri += "%" + llvm::utohexstr(static_cast<unsigned char>(C), false, 2);
  }
  return Uri;
}

/// "ForkInThreadedProgram" for "forksafety-fork-in-threaded-program".
std::string ruleName(llvm::StringRef Check) {
  Check.consume_front("forksafety-");
  llvm::SmallVector<llvm::StringRef, 4> Words;
  Check.split(Words, '-');
  std::string Name;
  for (llvm::StringRef Word : Words)
    Name += llvm::toUpper(Word.front()) + Word.drop_front().str();
  return Name;
}

std::string fileUri(llvm::StringRef Path) {
  return "file://" + percentEncode(Path);
}

} // namespace

std::string ReportWriter::displayPath(llvm::StringRef File) const {
  llvm::StringRef Relative = File;
  if (!SourceRoot.empty() && Relative.consume_front(SourceRoot) &&
      (SourceRoot.back() == '/' || Relative.consume_front("/")))
    return Relative.str();
  return File.str();
}

llvm::StringRef ReportWriter::lineText(const std::string &File, unsigned Line) {
  auto [It, Inserted] = Lines.try_emplace(File);
  if (Inserted) {
    if (llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Text =
            llvm::MemoryBuffer::getFile(File)) {
      llvm::SmallVector<llvm::StringRef, 0> Split;
      (*Text)->getBuffer().split(Split, '\n');
      for (llvm::StringRef L : Split)
        It->second.push_back(L.rtrim("\r").str());
    }
  }
  if (Line == 0 || Line > It->second.size())
    return "";
  return It->second[Line - 1];
}

std::vector<ReportedFinding>
ReportWriter::identify(const std::vector<Finding> &Findings) {
  std::vector<ReportedFinding> Result;
  std::map<std::string, unsigned> Occurrences;
  for (const Finding &F : Findings) {
    // Whitespace changes and moved lines keep the fingerprint.
    llvm::SmallVector<llvm::StringRef, 16> Words;
    llvm::SplitString(lineText(F.Loc.File, F.Loc.Line), Words);
    llvm::MD5 Hash;
    std::string Path = displayPath(F.Loc.File);
    for (llvm::StringRef Part :
         {llvm::StringRef(checkName(F.Check)), llvm::StringRef(Path),
          llvm::StringRef(F.Message)}) {
      Hash.update(Part);
      Hash.update(llvm::ArrayRef<uint8_t>{0});
    }
    for (llvm::StringRef Word : Words) {
      Hash.update(Word);
      Hash.update(llvm::ArrayRef<uint8_t>{' '});
    }
    llvm::MD5::MD5Result Digest;
    Hash.final(Digest);
    std::string Base = Digest.digest().str().str();
    unsigned Index = Occurrences[Base]++;
    Result.push_back({&F, Base + ":" + std::to_string(Index)});
  }
  return Result;
}

void ReportWriter::writeSourceLine(llvm::raw_ostream &OS, const Location &Loc) {
  llvm::StringRef Text = lineText(Loc.File, Loc.Line);
  if (Text.empty())
    return;
  std::string Number = std::to_string(Loc.Line);
  OS.indent(Number.size() < 5 ? 5 - Number.size() : 0)
      << Number << " | " << Text << "\n";
  OS.indent(5) << " | ";
  for (unsigned I = 1; I < Loc.Column && I <= Text.size(); ++I)
    OS << (Text[I - 1] == '\t' ? '\t' : ' ');
  // The range, clipped to the line, as clang underlines it.
  unsigned End = std::min<size_t>(Loc.EndColumn, Text.size() + 1);
  std::string Marker = "^";
  if (End > Loc.Column + 1)
    Marker.append(End - Loc.Column - 1, '~');
  llvm::WithColor(OS, llvm::raw_ostream::GREEN, /*Bold=*/true) << Marker;
  OS << "\n";
}

void ReportWriter::writeDiagnostic(llvm::raw_ostream &OS, const Location &Loc,
                                   bool IsNote, llvm::StringRef Message,
                                   llvm::StringRef Check) {
  llvm::WithColor(OS, llvm::raw_ostream::SAVEDCOLOR, true)
      << displayPath(Loc.File) << ":" << Loc.Line << ":" << Loc.Column << ": ";
  if (IsNote)
    llvm::WithColor(OS, llvm::raw_ostream::BLACK, true) << "note: ";
  else
    llvm::WithColor(OS, llvm::raw_ostream::MAGENTA, true) << "warning: ";
  llvm::WithColor(OS, llvm::raw_ostream::SAVEDCOLOR, !IsNote) << Message;
  if (!Check.empty())
    llvm::WithColor(OS, llvm::raw_ostream::SAVEDCOLOR, !IsNote)
        << " [" << Check << "]";
  OS << "\n";
}

void ReportWriter::writeFixes(llvm::raw_ostream &OS,
                              const std::vector<TextEdit> &Fixes) {
  for (const TextEdit &Fix : Fixes) {
    OS.indent(5) << " | ";
    OS.indent(Fix.Begin.Column > 0 ? Fix.Begin.Column - 1 : 0);
    llvm::WithColor(OS, llvm::raw_ostream::GREEN) << Fix.Replacement;
    OS << "\n";
  }
}

void ReportWriter::writeNote(llvm::raw_ostream &OS, const FindingNote &Note) {
  writeDiagnostic(OS, Note.Loc, /*IsNote=*/true, Note.Message);
  writeSourceLine(OS, Note.Loc);
}

namespace {

/// The findings about one child of a fork, in report order.
using ChildFindings = std::vector<const Finding *>;

/// Groups \p Findings by the child they are about, in the order of each
/// child's first finding.
std::vector<ChildFindings>
groupByChild(const std::vector<ReportedFinding> &Findings) {
  std::vector<ChildFindings> Groups;
  std::map<Location, size_t> GroupOfFork;
  for (const ReportedFinding &R : Findings) {
    const Location &Fork = R.F->Fork;
    auto Known = Fork.isValid() ? GroupOfFork.find(Fork) : GroupOfFork.end();
    if (Known != GroupOfFork.end()) {
      Groups[Known->second].push_back(R.F);
      continue;
    }
    if (Fork.isValid())
      GroupOfFork[Fork] = Groups.size();
    Groups.push_back({R.F});
  }
  return Groups;
}

/// The fork finding of a child, which the text leads with: it names the
/// threads and what the child goes on to do.
const Finding *leadOf(const ChildFindings &Child) {
  for (const Finding *F : Child)
    if (F->Check == CheckKind::ForkInThreadedProgram)
      return F;
  return nullptr;
}

bool sameNote(const FindingNote &L, const FindingNote &R) {
  return L.Loc == R.Loc && L.Message == R.Message;
}

} // namespace

void ReportWriter::writeLead(llvm::raw_ostream &OS, const Finding &Lead,
                             std::vector<const Finding *> &Rest) {
  writeDiagnostic(OS, Lead.Loc, /*IsNote=*/false, Lead.Message,
                  checkName(Lead.Check));
  writeSourceLine(OS, Lead.Loc);
  writeFixes(OS, Lead.Fixes);
  for (size_t I = 0; I < Lead.Notes.size(); ++I) {
    const FindingNote &Note = Lead.Notes[I];
    // An unsafe call the note names as what the child goes on to do is the
    // same cause: its finding takes the note's place.
    auto Folded = llvm::find_if(Rest, [&](const Finding *F) {
      return F->Check == CheckKind::UnsafeCallInChild && !Note.IsCause &&
             F->Loc == Note.Loc;
    });
    if (Folded == Rest.end()) {
      writeNote(OS, Note);
      continue;
    }
    const Finding &Call = **Folded;
    Rest.erase(Folded);
    writeDiagnostic(OS, Call.Loc, /*IsNote=*/true, Call.Message,
                    checkName(Call.Check));
    writeSourceLine(OS, Call.Loc);
    writeFixes(OS, Call.Fixes);
    for (const FindingNote &Step : Call.Notes) {
      if (Step.IsCause)
        continue;
      // The lead's own notes on the same calls are not repeated.
      if (I + 1 < Lead.Notes.size() && sameNote(Lead.Notes[I + 1], Step))
        ++I;
      writeNote(OS, Step);
    }
  }
}

void ReportWriter::writeFollower(llvm::raw_ostream &OS, const Finding &F,
                                 bool First) {
  writeDiagnostic(OS, F.Loc, /*IsNote=*/false, F.Message, checkName(F.Check));
  writeSourceLine(OS, F.Loc);
  writeFixes(OS, F.Fixes);
  for (const FindingNote &Note : F.Notes) {
    if (First || !Note.IsCause || Note.Loc != F.Fork)
      writeNote(OS, Note);
    else
      // The warning before it showed this child's fork.
      writeDiagnostic(OS, Note.Loc, /*IsNote=*/true,
                      "same child process as the previous warning");
  }
}

void ReportWriter::writeText(llvm::raw_ostream &OS,
                             const std::vector<ReportedFinding> &Findings) {
  for (ChildFindings &Child : groupByChild(Findings)) {
    const Finding *Lead = leadOf(Child);
    if (Lead) {
      llvm::erase_if(Child, [&](const Finding *F) { return F == Lead; });
      writeLead(OS, *Lead, Child);
    }
    bool First = !Lead;
    for (const Finding *F : Child) {
      writeFollower(OS, *F, First);
      First = false;
    }
  }
}

void ReportWriter::writeJSON(llvm::raw_ostream &OS,
                             const std::vector<ReportedFinding> &Findings,
                             const AuditStatistics &Stats) {
  auto Place = [&](const Location &Loc) {
    return json::Object{{"file", displayPath(Loc.File)},
                        {"line", Loc.Line},
                        {"column", Loc.Column}};
  };
  json::Array Items;
  std::map<std::string, unsigned> PerCheck;
  for (const ReportedFinding &R : Findings) {
    const Finding &F = *R.F;
    ++PerCheck[checkName(F.Check)];
    json::Array Notes, Fixes;
    for (const FindingNote &Note : F.Notes) {
      json::Object N = Place(Note.Loc);
      N["message"] = Note.Message;
      Notes.push_back(std::move(N));
    }
    for (const TextEdit &Fix : F.Fixes)
      Fixes.push_back(json::Object{{"file", displayPath(Fix.Begin.File)},
                                   {"begin", Place(Fix.Begin)},
                                   {"end", Place(Fix.End)},
                                   {"replacement", Fix.Replacement}});
    json::Object Item = Place(F.Loc);
    Item["check"] = checkName(F.Check);
    Item["message"] = F.Message;
    Item["notes"] = std::move(Notes);
    Item["fixes"] = std::move(Fixes);
    Item["fingerprint"] = R.Fingerprint;
    Items.push_back(std::move(Item));
  }
  json::Object Counts;
  for (const auto &[Check, Count] : PerCheck)
    Counts[Check] = Count;
  json::Object Summary{{"filesAnalysed", Stats.Files},
                       {"filesFromCache", Stats.FromCache},
                       {"filesFailed", json::Array(Stats.FailedFiles)},
                       {"forkSites", Stats.ForkSites},
                       {"findings", static_cast<int64_t>(Findings.size())},
                       {"findingsPerCheck", std::move(Counts)},
                       {"baselined", Stats.Baselined}};
  OS << llvm::formatv(
            "{0:2}", json::Value(json::Object{{"version", 1},
                                              {"findings", std::move(Items)},
                                              {"summary", std::move(Summary)}}))
     << "\n";
}

void ReportWriter::writeSARIF(llvm::raw_ostream &OS,
                              const std::vector<ReportedFinding> &Findings,
                              const std::vector<ReportedFinding> &Suppressed,
                              const std::vector<CheckKind> &Checks) {
  auto Physical = [&](const Location &Loc) {
    std::string Path = displayPath(Loc.File);
    json::Object Artifact{{"uri", llvm::sys::path::is_absolute(Path)
                                      ? fileUri(Path)
                                      : percentEncode(Path)}};
    if (!llvm::sys::path::is_absolute(Path))
      Artifact["uriBaseId"] = "%SRCROOT%";
    return json::Object{{"artifactLocation", std::move(Artifact)},
                        {"region", json::Object{{"startLine", Loc.Line},
                                                {"startColumn", Loc.Column}}}};
  };
  auto Step = [&](const Location &Loc, llvm::StringRef Message) {
    return json::Object{
        {"location",
         json::Object{{"physicalLocation", Physical(Loc)},
                      {"message", json::Object{{"text", Message}}}}}};
  };

  json::Array Rules;
  std::map<CheckKind, unsigned> RuleIndex;
  for (CheckKind Kind : Checks) {
    const CheckDoc *Doc = docOf(checkName(Kind));
    std::string Summary = Doc ? summaryOf(Doc->Markdown) : "";
    json::Object Rule{
        {"id", checkName(Kind)},
        {"name", ruleName(checkName(Kind))},
        {"shortDescription", json::Object{{"text", Summary}}},
        {"fullDescription", json::Object{{"text", Summary}}},
        {"help", json::Object{{"text", Summary},
                              {"markdown", Doc ? Doc->Markdown : ""}}},
        {"defaultConfiguration", json::Object{{"level", "warning"}}},
        {"properties",
         json::Object{{"tags", json::Array{"reliability", "concurrency"}}}}};
    if (!DocsUrl.empty())
      Rule["helpUri"] = DocsUrl + "/" + checkName(Kind) + ".md";
    else if (!InstalledDocs.empty())
      Rule["helpUri"] = fileUri(InstalledDocs + "/" + checkName(Kind) + ".md");
    RuleIndex[Kind] = Rules.size();
    Rules.push_back(std::move(Rule));
  }

  json::Array Results;
  auto AddResult = [&](const ReportedFinding &R, bool InSourceSuppression) {
    const Finding &F = *R.F;
    // The code flow walks from the cause to the finding: thread creation
    // and fork first, then the calls down to the unsafe operation.
    json::Array Flow, Related;
    for (const FindingNote &Note : F.Notes)
      if (Note.IsCause)
        Flow.push_back(Step(Note.Loc, Note.Message));
    Flow.push_back(Step(F.Loc, F.Message));
    for (const FindingNote &Note : F.Notes)
      if (!Note.IsCause)
        Flow.push_back(Step(Note.Loc, Note.Message));
    unsigned Id = 0;
    for (const FindingNote &Note : F.Notes) {
      json::Object Place{{"id", Id++},
                         {"physicalLocation", Physical(Note.Loc)}};
      Place["message"] = json::Object{{"text", Note.Message}};
      Related.push_back(std::move(Place));
    }
    json::Object Result{
        {"ruleId", checkName(F.Check)},
        {"ruleIndex", RuleIndex[F.Check]},
        {"level", "warning"},
        {"message", json::Object{{"text", F.Message}}},
        {"locations",
         json::Array{json::Object{{"physicalLocation", Physical(F.Loc)}}}},
        {"relatedLocations", std::move(Related)},
        {"codeFlows",
         json::Array{json::Object{
             {"threadFlows",
              json::Array{json::Object{{"locations", std::move(Flow)}}}}}}},
        {"partialFingerprints",
         json::Object{{"forksafetyFindingHash/v1", R.Fingerprint}}}};
    json::Array Fixes;
    for (const TextEdit &Fix : F.Fixes) {
      json::Object Changed = Physical(Fix.Begin);
      json::Object Replacement{
          {"deletedRegion", json::Object{{"startLine", Fix.Begin.Line},
                                         {"startColumn", Fix.Begin.Column},
                                         {"endLine", Fix.End.Line},
                                         {"endColumn", Fix.End.Column}}},
          {"insertedContent", json::Object{{"text", Fix.Replacement}}}};
      Fixes.push_back(json::Object{
          {"description",
           json::Object{{"text", "replace with '" + Fix.Replacement + "'"}}},
          {"artifactChanges",
           json::Array{json::Object{
               {"artifactLocation",
                std::move(*Changed.get("artifactLocation"))},
               {"replacements", json::Array{std::move(Replacement)}}}}}});
    }
    if (!Fixes.empty())
      Result["fixes"] = std::move(Fixes);
    if (InSourceSuppression)
      Result["suppressions"] = json::Array{json::Object{{"kind", "inSource"}}};
    Results.push_back(std::move(Result));
  };
  for (const ReportedFinding &R : Findings)
    AddResult(R, false);
  for (const ReportedFinding &R : Suppressed)
    AddResult(R, true);

  json::Object Driver{{"name", "forksafety"},
                      {"version", FORKSAFETY_VERSION},
                      {"semanticVersion", FORKSAFETY_VERSION},
                      {"rules", std::move(Rules)}};
  if (!DocsUrl.empty())
    Driver["informationUri"] = DocsUrl;
  else if (!InstalledDocs.empty())
    Driver["informationUri"] = fileUri(InstalledDocs);
  std::string Root = SourceRoot;
  if (!Root.empty() && Root.back() != '/')
    Root += '/';
  json::Object Run{{"tool", json::Object{{"driver", std::move(Driver)}}},
                   {"results", std::move(Results)},
                   {"columnKind", "unicodeCodePoints"}};
  if (!Root.empty())
    Run["originalUriBaseIds"] =
        json::Object{{"%SRCROOT%", json::Object{{"uri", fileUri(Root)}}}};
  OS << llvm::formatv(
            "{0:2}",
            json::Value(json::Object{
                {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", json::Array{std::move(Run)}}}))
     << "\n";
}

} // namespace forksafety
