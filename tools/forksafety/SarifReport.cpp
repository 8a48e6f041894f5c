//===- SarifReport.cpp - Findings as SARIF 2.1.0 --------------------------===//

#include "SarifReport.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include <map>
#include <set>

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

/// The paragraph that opens a check's doc page, under its title, on one
/// line.
std::string summaryOf(llvm::StringRef Markdown) {
  llvm::StringRef Body = Markdown.split('\n').second.ltrim();
  llvm::StringRef Paragraph = Body.split("\n\n").first;
  llvm::SmallVector<llvm::StringRef, 4> Lines;
  Paragraph.split(Lines, '\n');
  return llvm::join(Lines, " ");
}

/// What code scanning lists a rule by: shorter than the doc page's summary.
llvm::StringRef shortDescriptionOf(CheckKind Kind) {
  switch (Kind) {
  case CheckKind::ForkInThreadedProgram:
    return "Child of a fork in a multithreaded program may run program code";
  case CheckKind::UnsafeCallInChild:
    return "Call that is not async-signal-safe in the child of a fork";
  }
  return "";
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

std::string fileUri(llvm::StringRef Path) {
  return "file://" + percentEncode(Path);
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

/// \p Target, a link on the page \p Page in the directory \p Directory, as
/// an absolute URL.
std::string resolveLink(llvm::StringRef Directory, llvm::StringRef Page,
                        llvm::StringRef Target) {
  if (Target.contains("://") || Target.starts_with("mailto:"))
    return Target.str();
  if (Target.starts_with("#"))
    return (Page + Target).str();
  std::string Base = Directory.rtrim('/').str();
  // Never above the host of an URL.
  size_t Root = Base.find("://");
  Root = Root == std::string::npos ? 0 : Base.find('/', Root + 3);
  while (true) {
    if (Target.consume_front("./"))
      continue;
    if (!Target.starts_with("../"))
      break;
    Target = Target.drop_front(3);
    size_t Slash = Base.rfind('/');
    if (Slash != std::string::npos && Root != std::string::npos && Slash > Root)
      Base.resize(Slash);
  }
  return Base + "/" + Target.str();
}

/// \p Markdown, the page \p Page in \p Directory, with the targets of its
/// inline links made absolute; code blocks are left alone.
std::string absoluteLinks(llvm::StringRef Markdown, llvm::StringRef Directory,
                          llvm::StringRef Page) {
  std::string Result;
  bool InCode = false;
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Markdown.split(Lines, '\n');
  for (size_t I = 0; I < Lines.size(); ++I) {
    llvm::StringRef Line = Lines[I];
    if (Line.ltrim().starts_with("```"))
      InCode = !InCode;
    size_t From = 0;
    for (size_t Open;
         !InCode && (Open = Line.find("](", From)) != llvm::StringRef::npos;) {
      size_t Close = Line.find(')', Open + 2);
      if (Close == llvm::StringRef::npos)
        break;
      Result += Line.slice(From, Open + 2);
      Result += resolveLink(Directory, Page, Line.slice(Open + 2, Close));
      From = Close;
    }
    Result += Line.substr(From);
    if (I + 1 < Lines.size())
      Result += '\n';
  }
  return Result;
}

/// Plain SARIF message text shows "[" and "]" only as escapes: unescaped,
/// they would start an embedded link.
std::string escapeBrackets(llvm::StringRef Text) {
  std::string Escaped;
  for (char C : Text) {
    if (C == '[' || C == ']')
      Escaped += '\\';
    Escaped += C;
  }
  return Escaped;
}

json::Object message(llvm::StringRef Text) {
  return json::Object{{"text", escapeBrackets(Text)}};
}

/// A step of a finding's flow other than the finding itself.
struct Step {
  const FindingNote *Note;
  /// Its relatedLocations id.
  unsigned Id;
};

/// The notes of \p F in the order of its flow: the thread creation and
/// the fork, then the notes from the fork down to the finding. The thread
/// creation comes first even when no note names it.
std::pair<std::vector<Step>, std::vector<Step>> flowOf(const Finding &F) {
  std::vector<Step> Causes, After;
  unsigned Id = 1;
  bool Named = llvm::any_of(F.Notes, [&](const FindingNote &Note) {
    return Note.Loc == F.ThreadCreation.Loc &&
           Note.Message == F.ThreadCreation.Message;
  });
  if (F.ThreadCreation.Loc.isValid() && !Named)
    Causes.push_back({&F.ThreadCreation, Id++});
  for (const FindingNote &Note : F.Notes)
    if (Note.IsCause)
      Causes.push_back({&Note, Id++});
  for (const FindingNote &Note : F.Notes)
    if (!Note.IsCause)
      After.push_back({&Note, Id++});
  return {std::move(Causes), std::move(After)};
}

/// How a finding appears among the results.
enum class Disposition { Reported, SuppressedInSource, Baselined };

class SarifBuilder {
public:
  SarifBuilder(ReportWriter &Writer, const SarifRun &Run)
      : Writer(Writer), Run(Run) {}

  json::Object run();

private:
  json::Object artifactLocation(llvm::StringRef DisplayPath);
  json::Object region(const Location &Loc);
  json::Object physical(const Location &Loc);
  json::Object threadFlowLocation(const Location &Loc, llvm::StringRef Message);

  std::string helpUri(llvm::StringRef Check);
  json::Object rule(CheckKind Kind);
  json::Object driver();

  json::Object result(const ReportedFinding &R, Disposition How);
  json::Array fixes(const Finding &F);
  json::Object absentResult(const std::string &Fingerprint,
                            const BaselineEntry &Entry);
  json::Array results();
  json::Object invocation();

  ReportWriter &Writer;
  const SarifRun &Run;
  std::map<std::string, unsigned> RuleIndex;
};

json::Object SarifBuilder::artifactLocation(llvm::StringRef DisplayPath) {
  if (llvm::sys::path::is_absolute(DisplayPath))
    return json::Object{{"uri", fileUri(DisplayPath)}};
  return json::Object{{"uri", percentEncode(DisplayPath)},
                      {"uriBaseId", "%SRCROOT%"}};
}

json::Object SarifBuilder::region(const Location &Loc) {
  json::Object Region{{"startLine", Loc.Line}};
  if (Loc.Column)
    Region["startColumn"] =
        utf16Column(Writer.lineText(Loc.File.str(), Loc.Line), Loc.Column);
  return Region;
}

json::Object SarifBuilder::physical(const Location &Loc) {
  json::Object Place{
      {"artifactLocation", artifactLocation(Writer.displayPath(Loc.File))}};
  if (Loc.isValid())
    Place["region"] = region(Loc);
  return Place;
}

json::Object SarifBuilder::threadFlowLocation(const Location &Loc,
                                              llvm::StringRef Message) {
  return json::Object{
      {"location", json::Object{{"physicalLocation", physical(Loc)},
                                {"message", message(Message)}}}};
}

std::string SarifBuilder::helpUri(llvm::StringRef Check) {
  if (!Writer.docsUrl().empty())
    return Writer.docsUrl() + "/" + Check.str() + ".md";
  if (!Writer.installedDocs().empty())
    return fileUri(Writer.installedDocs() + "/" + Check.str() + ".md");
  return "";
}

json::Object SarifBuilder::rule(CheckKind Kind) {
  std::string Check = checkName(Kind);
  const CheckDoc *Doc = docOf(Check);
  std::string Summary = Doc ? summaryOf(Doc->Markdown) : "";
  std::string Uri = helpUri(Check);
  std::string Markdown = Doc ? Doc->Markdown : "";
  // Code scanning shows the help away from the docs: relative links would
  // lead nowhere.
  if (!Uri.empty())
    Markdown = absoluteLinks(
        Markdown,
        llvm::sys::path::parent_path(Uri, llvm::sys::path::Style::posix), Uri);
  json::Object Rule{
      {"id", Check},
      {"name", ruleName(Check)},
      {"shortDescription", json::Object{{"text", shortDescriptionOf(Kind)}}},
      {"fullDescription", json::Object{{"text", Summary}}},
      {"help", json::Object{{"text", Summary}, {"markdown", Markdown}}},
      {"defaultConfiguration", json::Object{{"level", "warning"}}},
      {"properties",
       json::Object{{"tags", json::Array{"reliability", "concurrency"}}}}};
  if (!Uri.empty())
    Rule["helpUri"] = Uri;
  return Rule;
}

json::Object SarifBuilder::driver() {
  json::Array Rules;
  for (CheckKind Kind : Run.Checks) {
    RuleIndex[checkName(Kind)] = Rules.size();
    Rules.push_back(rule(Kind));
  }
  json::Object Driver{{"name", "forksafety"},
                      {"version", FORKSAFETY_VERSION},
                      {"semanticVersion", FORKSAFETY_VERSION},
                      {"rules", std::move(Rules)}};
  llvm::StringRef Home = FORKSAFETY_HOMEPAGE_URL;
  if (!Home.empty())
    Driver["informationUri"] = Home;
  return Driver;
}

json::Object SarifBuilder::result(const ReportedFinding &R, Disposition How) {
  const Finding &F = *R.F;
  auto [Causes, After] = flowOf(F);
  // The message links every related location, in the order of the flow:
  // "... (threads are created here; child process created by 'fork' here)"
  // in plain text, each note a link to its place in code scanning.
  std::string Text = escapeBrackets(F.Message);
  json::Array Related, Flow;
  auto Add = [&](const Step &S, llvm::StringRef Separator) {
    Text += Separator;
    Text += "[" + escapeBrackets(S.Note->Message) + "](" +
            std::to_string(S.Id) + ")";
    Related.push_back(json::Object{{"id", S.Id},
                                   {"physicalLocation", physical(S.Note->Loc)},
                                   {"message", message(S.Note->Message)}});
    Flow.push_back(threadFlowLocation(S.Note->Loc, S.Note->Message));
  };
  for (const Step &S : Causes)
    Add(S, Related.empty() ? " (" : "; ");
  Flow.push_back(threadFlowLocation(F.Loc, F.Message));
  for (const Step &S : After)
    Add(S, Related.empty() ? " (" : "; ");
  if (!Related.empty())
    Text += ")";

  json::Object Result{
      {"ruleId", checkName(F.Check)},
      {"ruleIndex", RuleIndex[checkName(F.Check)]},
      {"level", "warning"},
      {"message", json::Object{{"text", Text}}},
      {"locations",
       json::Array{json::Object{{"physicalLocation", physical(F.Loc)}}}},
      {"relatedLocations", std::move(Related)},
      {"codeFlows",
       json::Array{json::Object{
           {"threadFlows",
            json::Array{json::Object{{"locations", std::move(Flow)}}}}}}},
      {"partialFingerprints",
       json::Object{{"forksafetyFindingHash/v1", R.Fingerprint}}}};
  json::Array Fixes = fixes(F);
  if (!Fixes.empty())
    Result["fixes"] = std::move(Fixes);
  if (How == Disposition::SuppressedInSource)
    Result["suppressions"] = json::Array{json::Object{{"kind", "inSource"}}};
  if (How == Disposition::Baselined)
    Result["suppressions"] = json::Array{json::Object{
        {"kind", "external"},
        {"justification", "accepted in the baseline " + Run.BaselinePath}}};
  if (Run.Baseline)
    Result["baselineState"] =
        Run.Baseline->count(R.Fingerprint) ? "unchanged" : "new";
  return Result;
}

json::Array SarifBuilder::fixes(const Finding &F) {
  json::Array Fixes;
  for (const TextEdit &Fix : F.Fixes) {
    json::Object Deleted = region(Fix.Begin);
    Deleted["endLine"] = Fix.End.Line;
    Deleted["endColumn"] = utf16Column(
        Writer.lineText(Fix.End.File.str(), Fix.End.Line), Fix.End.Column);
    json::Object Replacement{
        {"deletedRegion", std::move(Deleted)},
        {"insertedContent", json::Object{{"text", Fix.Replacement}}}};
    Fixes.push_back(json::Object{
        {"description",
         json::Object{{"text", "replace with '" + Fix.Replacement + "'"}}},
        {"artifactChanges",
         json::Array{json::Object{
             {"artifactLocation",
              artifactLocation(Writer.displayPath(Fix.Begin.File))},
             {"replacements", json::Array{std::move(Replacement)}}}}}});
  }
  return Fixes;
}

json::Object SarifBuilder::absentResult(const std::string &Fingerprint,
                                        const BaselineEntry &Entry) {
  // The baseline names the finding's check, file and message, not its
  // line: the message names the file, and the result has no location.
  // Nothing is wrong any more: it passes.
  std::string Text = Entry.Message.empty() ? "finding accepted in the baseline"
                                           : Entry.Message;
  Text += Entry.File.empty() ? " (" : " (in " + Entry.File + "; ";
  Text += "no longer found)";
  json::Object Result{{"kind", "pass"},
                      {"level", "none"},
                      {"message", message(Text)},
                      {"partialFingerprints",
                       json::Object{{"forksafetyFindingHash/v1", Fingerprint}}},
                      {"baselineState", "absent"}};
  if (!Entry.Check.empty()) {
    Result["ruleId"] = Entry.Check;
    auto Index = RuleIndex.find(Entry.Check);
    if (Index != RuleIndex.end())
      Result["ruleIndex"] = Index->second;
  }
  return Result;
}

json::Array SarifBuilder::results() {
  json::Array Results;
  std::set<std::string> Found;
  auto AddAll = [&](const std::vector<ReportedFinding> &Findings,
                    Disposition How) {
    for (const ReportedFinding &R : Findings) {
      Results.push_back(result(R, How));
      Found.insert(R.Fingerprint);
    }
  };
  AddAll(Run.Reported, Disposition::Reported);
  AddAll(Run.Suppressed, Disposition::SuppressedInSource);
  AddAll(Run.Baselined, Disposition::Baselined);
  if (Run.Baseline)
    for (const auto &[Fingerprint, Entry] : *Run.Baseline)
      if (!Found.count(Fingerprint))
        Results.push_back(absentResult(Fingerprint, Entry));
  return Results;
}

json::Object SarifBuilder::invocation() {
  json::Array Notifications;
  for (const FailedFile &Failed : Run.Failed) {
    // A file that cannot be read fails like one that does not compile.
    std::string Message = "cannot analyse this file";
    if (!Failed.Reason.empty())
      Message += "; first error: " + Failed.Reason;
    Notifications.push_back(json::Object{
        {"level", "error"},
        {"message", message(Message)},
        {"locations", json::Array{json::Object{
                          {"physicalLocation",
                           json::Object{{"artifactLocation",
                                         artifactLocation(Writer.displayPath(
                                             Failed.File))}}}}}}});
  }
  return json::Object{{"executionSuccessful", Run.Failed.empty()},
                      {"toolExecutionNotifications", std::move(Notifications)}};
}

json::Object SarifBuilder::run() {
  json::Object Result{{"tool", json::Object{{"driver", driver()}}},
                      {"invocations", json::Array{invocation()}},
                      {"results", results()},
                      {"columnKind", "utf16CodeUnits"}};
  std::string Root = Writer.sourceRoot();
  if (!Root.empty() && Root.back() != '/')
    Root += '/';
  if (!Root.empty())
    Result["originalUriBaseIds"] =
        json::Object{{"%SRCROOT%", json::Object{{"uri", fileUri(Root)}}}};
  if (!Run.Category.empty())
    Result["automationDetails"] = json::Object{{"id", Run.Category}};
  return Result;
}

} // namespace

std::string automationId(llvm::StringRef Name) {
  if (Name.trim().empty())
    return "";
  return Name.ends_with("/") ? Name.str() : Name.str() + "/";
}

unsigned utf16Column(llvm::StringRef Line, unsigned ByteColumn) {
  if (ByteColumn == 0)
    return 0;
  size_t End = ByteColumn - 1;
  unsigned Units = 0;
  size_t I = 0;
  while (I < End && I < Line.size()) {
    auto *Begin = reinterpret_cast<const llvm::UTF8 *>(Line.data() + I);
    unsigned Length = llvm::getNumBytesForUTF8(*Begin);
    if (I + Length > Line.size() ||
        !llvm::isLegalUTF8Sequence(Begin, Begin + Length))
      Length = 1;
    // Characters beyond the Basic Multilingual Plane are surrogate pairs.
    Units += Length == 4 ? 2 : 1;
    I += Length;
  }
  if (I < End)
    Units += End - I;
  return Units + 1;
}

void writeSARIF(llvm::raw_ostream &OS, ReportWriter &Writer,
                const SarifRun &Run) {
  json::Object Log{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                   {"version", "2.1.0"},
                   {"runs", json::Array{SarifBuilder(Writer, Run).run()}}};
  OS << llvm::formatv("{0:2}", json::Value(std::move(Log))) << "\n";
}

} // namespace forksafety
