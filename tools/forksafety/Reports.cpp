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
    llvm::SplitString(lineText(F.Loc.File.str(), F.Loc.Line), Words);
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
  llvm::StringRef Text = lineText(Loc.File.str(), Loc.Line);
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

} // namespace

void ReportWriter::writeLead(llvm::raw_ostream &OS, const Finding &Lead,
                             std::vector<const Finding *> &Rest) {
  writeDiagnostic(OS, Lead.Loc, /*IsNote=*/false, Lead.Message,
                  checkName(Lead.Check));
  writeSourceLine(OS, Lead.Loc);
  writeFixes(OS, Lead.Fixes);
  for (const ShownNote &Note : foldIntoLead(Lead, Rest)) {
    writeDiagnostic(OS, Note.Loc, /*IsNote=*/true, Note.Message,
                    Note.Check ? checkName(*Note.Check) : "");
    writeSourceLine(OS, Note.Loc);
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

json::Object ReportWriter::placeJSON(const Location &Loc) const {
  return json::Object{{"file", displayPath(Loc.File)},
                      {"line", Loc.Line},
                      {"column", Loc.Column}};
}

json::Object summaryJSON(const AuditStatistics &Stats, size_t Findings) {
  return json::Object{{"filesAnalysed", Stats.Files},
                      {"filesFromCache", Stats.FromCache},
                      {"filesFailed", json::Array(Stats.FailedFiles)},
                      {"forkSites", Stats.ForkSites},
                      {"findings", static_cast<int64_t>(Findings)},
                      {"baselined", Stats.Baselined}};
}

void ReportWriter::writeJSON(llvm::raw_ostream &OS,
                             const std::vector<ReportedFinding> &Findings,
                             const AuditStatistics &Stats) {
  json::Array Items;
  std::map<std::string, unsigned> PerCheck;
  for (const ReportedFinding &R : Findings) {
    const Finding &F = *R.F;
    ++PerCheck[checkName(F.Check)];
    json::Array Notes, Fixes;
    for (const FindingNote &Note : F.Notes) {
      json::Object N = placeJSON(Note.Loc);
      N["message"] = Note.Message;
      if (Note.IsCause)
        N["cause"] = true;
      Notes.push_back(std::move(N));
    }
    for (const TextEdit &Fix : F.Fixes)
      Fixes.push_back(json::Object{{"file", displayPath(Fix.Begin.File)},
                                   {"begin", placeJSON(Fix.Begin)},
                                   {"end", placeJSON(Fix.End)},
                                   {"replacement", Fix.Replacement}});
    json::Object Item = placeJSON(F.Loc);
    Item["check"] = checkName(F.Check);
    Item["message"] = F.Message;
    Item["notes"] = std::move(Notes);
    Item["fixes"] = std::move(Fixes);
    Item["fingerprint"] = R.Fingerprint;
    if (F.Fork.isValid())
      Item["fork"] = placeJSON(F.Fork);
    Items.push_back(std::move(Item));
  }
  json::Object Counts;
  for (const auto &[Check, Count] : PerCheck)
    Counts[Check] = Count;
  json::Object Summary = summaryJSON(Stats, Findings.size());
  Summary["findingsPerCheck"] = std::move(Counts);
  OS << llvm::formatv(
            "{0:2}", json::Value(json::Object{{"version", 1},
                                              {"findings", std::move(Items)},
                                              {"summary", std::move(Summary)}}))
     << "\n";
}

} // namespace forksafety
