//===- ForkSafetyTool.cpp - Whole-program fork-safety audits --------------===//
//
// forksafety analyses the translation units of a program as one: phase 1
// records a summary of each (in parallel, cached on disk), phase 2 merges
// them and reports the findings of the forksafety checks as text, JSON or
// SARIF, with exit statuses and baselines for CI.
//
//===----------------------------------------------------------------------===//

#include "Baseline.h"
#include "Config/Config.h"
#include "ForkSiteList.h"
#include "HtmlReport.h"
#include "Launcher.h"
#include "OutputFiles.h"
#include "ProgramInputs.h"
#include "Reports.h"
#include "SarifReport.h"
#include "UnitRecorder.h"

#include "Core/Model/WholeProgram.h"
#include "Core/Nolint.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/BuryPointer.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/WithColor.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

using namespace forksafety;
namespace cl = llvm::cl;

namespace {

enum ExitStatus { Clean = 0, FindingsRemain = 1, BadInput = 2 };
enum class OutputFormat { Text, JSON, SARIF, HTML };

cl::OptionCategory Category("forksafety options");

cl::list<std::string> Inputs(cl::Positional, cl::desc("<source or summary>..."),
                             cl::cat(Category));
cl::opt<std::string>
    BuildPath("p",
              cl::desc("Build directory holding compile_commands.json; without "
                       "source files, every file in it is analysed"),
              cl::value_desc("build-dir"), cl::cat(Category));
cl::opt<std::string> Checks(
    "checks",
    cl::desc("clang-tidy style globs applied after the .clang-tidy Checks, "
             "e.g. '-*,forksafety-unsafe-call-in-child'"),
    cl::cat(Category));
cl::opt<std::string> ConfigFile(
    "config-file",
    cl::desc("Read checks and options from this file instead of the nearest "
             ".clang-tidy"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<unsigned> Jobs("j",
                       cl::desc("Translation units parsed in parallel "
                                "(default: one per core)"),
                       cl::init(0), cl::Prefix, cl::cat(Category));
cl::opt<OutputFormat> Format(
    "format", cl::desc("Output format"), cl::init(OutputFormat::Text),
    cl::values(clEnumValN(OutputFormat::Text, "text", "clang-style text"),
               clEnumValN(OutputFormat::JSON, "json", "JSON"),
               clEnumValN(OutputFormat::SARIF, "sarif", "SARIF 2.1.0"),
               clEnumValN(OutputFormat::HTML, "html",
                          "one self-contained HTML page with the fork sites "
                          "and the source of each finding")),
    cl::cat(Category));
cl::opt<bool> ListForkSites(
    "list-fork-sites",
    cl::desc("Report every fork site with the reason it is reported or not, "
             "as text or JSON, instead of the findings; the exit status is "
             "that of the findings"),
    cl::cat(Category));
cl::opt<std::string> OutputFile("o", cl::desc("Write the report to <file>"),
                                cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string>
    Baseline("baseline",
             cl::desc("Report only findings that are not in this baseline"),
             cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> WriteBaseline(
    "write-baseline",
    cl::desc("Write the findings of this run as a baseline to <file>"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string>
    CacheDir("cache-dir",
             cl::desc("Where summaries are cached (default: the user's cache "
                      "directory, forksafety/)"),
             cl::value_desc("dir"), cl::cat(Category));
cl::opt<bool> NoCache("no-cache", cl::desc("Neither read nor write the cache"),
                      cl::cat(Category));
cl::opt<std::string> EmitSummary(
    "emit-summary",
    cl::desc("Phase 1 only: write the summary of the one source file to "
             "<file>"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> DepFile(
    "depfile",
    cl::desc("With --emit-summary: also write a Makefile rule naming every "
             "file the summary depends on, for Ninja and Make"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<bool> Launch(
    "launch",
    cl::desc("Phase 1 as a compiler launcher: run the compile command after "
             "--, then write the summary of its source as OUTPUT.fsum"),
    cl::cat(Category));
cl::opt<bool> Merge(
    "merge",
    cl::desc("Phase 2 only: the inputs are summaries written by "
             "--emit-summary, or objects, archives, executables and shared "
             "objects compiled with the compiler plugin, or directories "
             "holding linked ones; each executable is a program"),
    cl::cat(Category));
cl::opt<std::string> SourceRoot(
    "source-root",
    cl::desc("Paths in reports are relative to this directory (default: "
             "the current directory)"),
    cl::value_desc("dir"), cl::cat(Category));
cl::opt<std::string> DocsUrl(
    "docs-url",
    cl::desc("Base URL of the check documentation, linked from SARIF rules "
             "(empty: the pages installed next to forksafety)"),
    cl::init(FORKSAFETY_DOCS_URL), cl::value_desc("url"), cl::cat(Category));
cl::opt<bool> DumpConfig(
    "dump-config",
    cl::desc("Print the configuration that applies to the first input (or "
             "to the current directory), with every enabled check's "
             "options, as clang-tidy --dump-config does, then exit"),
    cl::cat(Category));
cl::opt<std::string> SarifCategory(
    "category",
    cl::desc("SARIF only: the category of the analysis in GitHub code "
             "scanning (runs[].automationDetails.id NAME/), which tells the "
             "reports of several audits of one commit apart"),
    cl::value_desc("name"), cl::cat(Category));
cl::opt<bool> Quiet("quiet",
                    cl::desc("Print neither progress nor the closing summary"),
                    cl::cat(Category));
cl::opt<unsigned> ProgressInterval(
    "progress-interval",
    cl::desc("When standard error is not a terminal, print a progress line "
             "at most every <seconds> (default: 10; 0 prints one per file)"),
    cl::init(10), cl::value_desc("seconds"), cl::cat(Category));

const char Overview[] = R"(forksafety: whole-program fork-safety audit

Finds code that runs in the child of fork() in multithreaded programs where
POSIX allows only async-signal-safe functions, across all translation units
of a program. The checks and options are those of the clang-tidy module
forksafety, read from .clang-tidy.

  forksafety -p BUILD_DIR [FILE...]     every (or the given) file of
                                        BUILD_DIR/compile_commands.json
  forksafety FILE... -- COMPILER_FLAGS  the given files, compiled with the
                                        flags after --
  forksafety --emit-summary=OUT [--depfile=OUT.d] FILE
             (-p BUILD_DIR | -- FLAGS)  phase 1 for one file
  forksafety --launch -- COMPILER ARGS...
                                        compile, then phase 1 for the
                                        compiled file (a compiler launcher)
  forksafety --merge INPUT...           phase 2 over written summaries, or
                                        over the summaries the compiler
                                        plugin embeds in objects, archives,
                                        executables and shared objects (each
                                        executable is a program; a directory
                                        stands for those under it)

Reports are text, JSON, SARIF or one HTML page (--format); --list-fork-sites
lists every fork site with the reason it is reported or not instead.

Exit status: 0 when no finding remains, 1 when findings remain, 2 for usage
errors, unreadable inputs and translation units that fail to compile.
)";

int fail(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "forksafety") << Message << "\n";
  return BadInput;
}

/// "cannot write report 'FILE': reason" and exit status 2.
int cannotWrite(llvm::StringRef What, llvm::StringRef Path,
                std::error_code EC) {
  return fail("cannot write " + What + " '" + Path + "': " + EC.message());
}

std::string absolutePath(llvm::StringRef Path) {
  llvm::SmallString<256> Absolute(Path);
  llvm::sys::fs::make_absolute(Absolute);
  llvm::sys::path::remove_dots(Absolute, /*remove_dot_dot=*/true);
  return std::string(Absolute);
}

/// --cache-dir, or the user's cache directory.
std::string cacheDirectory() {
  if (!CacheDir.empty())
    return CacheDir;
  llvm::SmallString<256> Directory;
  if (!llvm::sys::path::cache_directory(Directory))
    return "";
  llvm::sys::path::append(Directory, "forksafety");
  return std::string(Directory);
}

void warnAboutConfig(const AuditConfig &Config) {
  for (const std::string &Warning : Config.Warnings)
    llvm::WithColor::warning(llvm::errs(), "forksafety") << Warning << "\n";
}

void warnWithoutCache(llvm::StringRef Why) {
  llvm::WithColor::warning(llvm::errs(), "forksafety")
      << Why << "; continuing without the cache\n";
}

/// Where the doc pages are installed next to this executable, if they are.
std::string installedDocs(const char *Argv0) {
  static int Anchor;
  std::string Exe = llvm::sys::fs::getMainExecutable(Argv0, &Anchor);
  llvm::SmallString<256> Docs(
      llvm::sys::path::parent_path(llvm::sys::path::parent_path(Exe)));
  llvm::sys::path::append(Docs, "share", "doc", "forksafety", "checks");
  return llvm::sys::fs::is_directory(Docs) ? std::string(Docs) : "";
}

/// "src/server.c" for the source of \p Command under the current directory.
std::string progressPath(const clang::tooling::CompileCommand &Command) {
  llvm::SmallString<256> File(Command.Filename), Current;
  if (!llvm::sys::path::is_absolute(File)) {
    File = Command.Directory;
    llvm::sys::path::append(File, Command.Filename);
  }
  llvm::sys::path::remove_dots(File, /*remove_dot_dot=*/true);
  llvm::StringRef Relative = File;
  if (!llvm::sys::fs::current_path(Current) &&
      Relative.consume_front(Current) && Relative.consume_front("/"))
    return Relative.str();
  return std::string(File);
}

/// Shows which translation unit is being parsed. On a terminal, one line
/// that is rewritten in place; elsewhere (a CI log), plain lines, at most
/// one per --progress-interval, so that a log of 10,000 files stays short
/// and a quick run prints none.
class Progress {
public:
  Progress(size_t Total)
      : Total(Total), Terminal(llvm::sys::Process::StandardErrIsDisplayed()),
        LastLine(std::chrono::steady_clock::now()) {}
  void start(const clang::tooling::CompileCommand &Command) {
    if (Quiet)
      return;
    std::lock_guard<std::mutex> Lock(Mutex);
    ++Started;
    if (Terminal)
      return rewriteLine(progressPath(Command));
    auto Now = std::chrono::steady_clock::now();
    if (Now - LastLine < std::chrono::seconds(ProgressInterval))
      return;
    LastLine = Now;
    llvm::errs() << "forksafety: [" << Started << "/" << Total << "] analysing "
                 << progressPath(Command) << "\n";
  }
  ~Progress() {
    if (!Quiet && Terminal && Started)
      llvm::errs() << "\r\x1b[K";
  }

private:
  void rewriteLine(llvm::StringRef File) {
    llvm::errs() << "\r\x1b[K[" << Started << "/" << Total << "] " << File;
    llvm::errs().flush();
  }

  std::mutex Mutex;
  size_t Total;
  size_t Started = 0;
  bool Terminal;
  std::chrono::steady_clock::time_point LastLine;
};

/// Records the translation units \p Which of \p Commands into \p Results,
/// each with its own fork wrappers defined elsewhere.
void recordUnits(const std::vector<clang::tooling::CompileCommand> &Commands,
                 const std::vector<size_t> &Which, const AnalysisOptions &Opts,
                 const std::vector<std::vector<WrapperModel>> &Wrappers,
                 SummaryStore &Store, std::vector<UnitResult> &Results) {
  unsigned Workers = Jobs ? Jobs : std::thread::hardware_concurrency();
  Workers = std::max(1u, std::min<unsigned>(Workers, Which.size()));
  Progress Bar(Which.size());
  std::atomic<size_t> Next{0};
  auto Work = [&] {
    for (size_t I = Next++; I < Which.size(); I = Next++) {
      size_t Unit = Which[I];
      Bar.start(Commands[Unit]);
      Results[Unit] = recordUnit(Commands[Unit], Opts, Wrappers[Unit], Store);
    }
  };
  std::vector<std::thread> Threads;
  for (unsigned I = 1; I < Workers; ++I)
    Threads.emplace_back(Work);
  Work();
  for (std::thread &T : Threads)
    T.join();
}

/// Whether a unit other than \p Unit calls the function \p Usr.
bool calledElsewhere(const std::vector<UnitResult> &Results,
                     const UnitResult &Unit, const std::string &Usr) {
  return llvm::any_of(Results, [&](const UnitResult &Other) {
    return &Other != &Unit && Other.Summary &&
           llvm::any_of(Other.Summary->Model.Calls, [&](const auto &Entry) {
             return llvm::is_contained(Entry.second, Usr);
           });
  });
}

/// Whether \p Unit, recorded without knowing \p Wrapper, already took its
/// calls for what they are: fork sites that hold if the function is a
/// wrapper (ForkModel::AssumedWrapper), of the kind and name it has. The
/// whole program keeps them, as it keeps the sites of a unit compiled on
/// its own; recording the unit again would only drop the assumption. Not
/// so when other units call a wrapper of its own that rests on it: they
/// learn that one once it no longer does.
bool assumedAlready(const std::vector<UnitResult> &Results,
                    const UnitResult &Unit, const WrapperModel &Wrapper) {
  const ProgramModel &Model = Unit.Summary->Model;
  if (llvm::any_of(Model.Wrappers, [&](const WrapperModel &Own) {
        return Own.AssumedWrapper == Wrapper.Usr &&
               calledElsewhere(Results, Unit, Own.Usr);
      }))
    return false;
  bool Assumed = false;
  for (const ForkModel &Fork : Model.Forks) {
    if (Fork.AssumedWrapper != Wrapper.Usr)
      continue;
    if (Fork.Kind != Wrapper.Kind || Fork.WrapperUsr != Wrapper.Usr ||
        Fork.ForkFunction != Wrapper.Name)
      return false;
    Assumed = true;
  }
  return Assumed;
}

/// The fork wrappers defined in \p Results that \p Unit calls without
/// knowing them, beyond those in \p Known.
std::vector<WrapperModel>
wrappersToLearn(const std::vector<UnitResult> &Results, const UnitResult &Unit,
                const std::vector<WrapperModel> &Known) {
  std::set<std::string> Callees, Own;
  for (const auto &Entry : Unit.Summary->Model.Calls)
    Callees.insert(Entry.second.begin(), Entry.second.end());
  for (const WrapperModel &Wrapper : Unit.Summary->Model.Wrappers)
    Own.insert(Wrapper.Usr);
  for (const WrapperModel &Wrapper : Known)
    Own.insert(Wrapper.Usr);
  std::vector<WrapperModel> Found;
  for (const UnitResult &Other : Results) {
    if (!Other.Summary)
      continue;
    // A wrapper that rests on an assumption becomes known once the file
    // that defines it is recorded again knowing the wrapper it calls.
    for (const WrapperModel &Wrapper : Other.Summary->Model.Wrappers)
      if (Wrapper.AssumedWrapper.empty() && Callees.count(Wrapper.Usr) &&
          Own.insert(Wrapper.Usr).second &&
          !assumedAlready(Results, Unit, Wrapper))
        Found.push_back(Wrapper);
  }
  return Found;
}

/// Phase 1 over every translation unit. A fork wrapper defined in one
/// translation unit makes its calls in others fork sites: those are
/// recorded again knowing it, layer after layer of wrappers.
std::vector<UnitResult>
recordAll(const std::vector<clang::tooling::CompileCommand> &Commands,
          const AnalysisOptions &Opts, SummaryStore &Store) {
  constexpr unsigned MaxWrapperLayers = 4;
  std::vector<UnitResult> Results(Commands.size());
  std::vector<std::vector<WrapperModel>> Wrappers(Commands.size());
  std::vector<size_t> Which(Commands.size());
  for (size_t I = 0; I < Which.size(); ++I)
    Which[I] = I;
  for (unsigned Layer = 0; !Which.empty() && Layer <= MaxWrapperLayers;
       ++Layer) {
    recordUnits(Commands, Which, Opts, Wrappers, Store, Results);
    Which.clear();
    for (size_t I = 0; I < Results.size(); ++I) {
      if (!Results[I].Summary)
        continue;
      std::vector<WrapperModel> Learnt =
          wrappersToLearn(Results, Results[I], Wrappers[I]);
      if (Learnt.empty())
        continue;
      Wrappers[I].insert(Wrappers[I].end(), Learnt.begin(), Learnt.end());
      Which.push_back(I);
    }
  }
  return Results;
}

/// Whether \p Command only preprocesses or lists dependencies (`-E`, `-M`,
/// `-MM`), or is the compiler's own front end (`clang -cc1`), which build
/// interceptors such as bear record next to the compile that spawned it.
bool compilesNothing(const clang::tooling::CompileCommand &Command) {
  const std::vector<std::string> &Args = Command.CommandLine;
  if (Args.size() > 1 && Args[1] == "-cc1")
    return true;
  return llvm::any_of(Args, [](llvm::StringRef Arg) {
    return Arg == "-E" || Arg == "-M" || Arg == "-MM";
  });
}

/// The first of \p ForFile that compiles the file; the first of all when
/// none does, so that its errors say why.
std::vector<clang::tooling::CompileCommand>::iterator
compilingCommand(std::vector<clang::tooling::CompileCommand> &ForFile) {
  auto Compiling = llvm::find_if_not(ForFile, compilesNothing);
  return Compiling == ForFile.end() ? ForFile.begin() : Compiling;
}

/// The compile commands of the sources to analyse, or an error message.
llvm::Expected<std::vector<clang::tooling::CompileCommand>>
selectCommands(const clang::tooling::CompilationDatabase &Database,
               bool FromBuildDir) {
  std::vector<std::string> Files;
  // The database guesses commands for files it does not list; an audit
  // takes only the listed ones.
  std::set<std::string> Listed;
  if (FromBuildDir)
    for (const std::string &File : Database.getAllFiles())
      Listed.insert(absolutePath(File));
  if (Inputs.empty())
    Files.assign(Listed.begin(), Listed.end());
  for (const std::string &Input : Inputs)
    Files.push_back(absolutePath(Input));
  if (Files.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "no source files to analyse");
  std::vector<clang::tooling::CompileCommand> Commands;
  std::set<std::string> Seen;
  for (const std::string &File : Files) {
    if (!Seen.insert(File).second)
      continue;
    if (!llvm::sys::fs::exists(File))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "%s: no such file", File.c_str());
    std::vector<clang::tooling::CompileCommand> ForFile =
        Database.getCompileCommands(File);
    if (ForFile.empty() || (FromBuildDir && !Listed.count(File)))
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "%s: not in the compilation database %s/compile_commands.json",
          File.c_str(), BuildPath.c_str());
    Commands.push_back(std::move(*compilingCommand(ForFile)));
  }
  return Commands;
}

std::string escapeForMake(llvm::StringRef Path) {
  std::string Escaped;
  for (char C : Path) {
    if (C == ' ' || C == '#')
      Escaped += '\\';
    else if (C == '$')
      Escaped += '$';
    Escaped += C;
  }
  return Escaped;
}

int emitSummary(const std::vector<clang::tooling::CompileCommand> &Commands,
                const AuditConfig &Config) {
  if (Commands.size() != 1)
    return fail("--emit-summary takes exactly one source file");
  SummaryStore NoStore("");
  UnitResult Result =
      recordUnit(Commands.front(), Config.recordingOptions(), {}, NoStore);
  llvm::errs() << Result.Errors;
  if (!Result.Summary)
    return fail(Commands.front().Filename + ": no summary written");
  if (std::error_code EC =
          writeWholeFile(EmitSummary, writeUnitSummary(*Result.Summary)))
    return cannotWrite("summary", EmitSummary, EC);
  if (DepFile.empty())
    return Clean;
  std::string Rule = escapeForMake(EmitSummary) + ":";
  for (const auto &Input : Result.Summary->Inputs)
    Rule += " \\\n  " + escapeForMake(Input.first);
  Rule += "\n";
  if (std::error_code EC = writeWholeFile(DepFile, Rule))
    return cannotWrite("depfile", DepFile, EC);
  return Clean;
}

/// The message of the first error in the compiler output \p Errors.
std::optional<std::string> firstError(llvm::StringRef Errors) {
  llvm::SmallVector<llvm::StringRef, 8> Lines;
  Errors.split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    size_t At = Line.find("error: ");
    if (At != llvm::StringRef::npos)
      return Line.drop_front(At + 7).trim().str();
  }
  return std::nullopt;
}

/// Moves the findings that NOLINT comments suppress, as clang-tidy reads
/// them, from \p Reported to the result.
std::vector<ReportedFinding>
takeSuppressed(std::vector<ReportedFinding> &Reported) {
  std::map<std::string, std::optional<NolintComments>> Comments;
  auto IsSuppressed = [&](const ReportedFinding &R) {
    const Finding &F = *R.F;
    auto [It, New] = Comments.try_emplace(F.Loc.File.str());
    if (New)
      if (llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Text =
              llvm::MemoryBuffer::getFile(F.Loc.File.str()))
        It->second.emplace((*Text)->getBuffer());
    return It->second && It->second->suppresses(F.Loc.Line, checkName(F.Check));
  };
  // Both keep their order, without the temporary buffer of
  // std::stable_partition.
  std::vector<ReportedFinding> Kept, Suppressed;
  for (ReportedFinding &R : Reported)
    (IsSuppressed(R) ? Suppressed : Kept).push_back(std::move(R));
  Reported = std::move(Kept);
  return Suppressed;
}

/// The findings of phase 2 over each of \p Programs, each once; counts
/// their fork sites into \p Stats, and adds the verdict on each to
/// \p Verdicts.
std::vector<Finding> analyzeAll(const std::vector<ProgramModel> &Programs,
                                const AuditConfig &Config,
                                AuditStatistics &Stats,
                                std::vector<ForkVerdict> &Verdicts) {
  std::vector<Finding> Findings;
  // A library linked into programs that do not all run its forks.
  std::optional<std::set<Location>> MainsReach;
  if (Programs.size() > 1) {
    MainsReach.emplace();
    for (const ProgramModel &Program : Programs)
      MainsReach->merge(forksMainsReach(Program));
  }
  // A fork in code linked into several programs is one fork site.
  std::set<Location> ForkSites;
  for (const ProgramModel &Program : Programs) {
    for (const CheckGroup &Group : Config.Groups) {
      ProgramFindings Found =
          analyzeProgram(Program, Group.Options, Group.Checks,
                         MainsReach ? &*MainsReach : nullptr);
      if (&Group == &Config.Groups.front())
        ForkSites.merge(Found.Sites);
      Findings.insert(Findings.end(), Found.Findings.begin(),
                      Found.Findings.end());
      for (ForkVerdict &Verdict : Found.Verdicts)
        mergeVerdict(Verdicts, std::move(Verdict));
    }
  }
  Stats.ForkSites = ForkSites.size();
  // A library linked into several programs is judged in each; its findings
  // are reported once.
  sortFindings(Findings);
  sortVerdicts(Verdicts);
  return Findings;
}

bool reportToFile() { return !OutputFile.empty() && OutputFile != "-"; }

/// The report in the chosen format, rendered whole before anything is
/// written, so that a failed write leaves no partial report.
std::string renderReport(ReportWriter &Writer, SarifRun &Run,
                         const std::vector<ForkVerdict> &Verdicts,
                         const AuditStatistics &Stats,
                         const AuditConfig &Config) {
  std::string Text;
  RenderedText OS(Text, !reportToFile() && llvm::outs().has_colors());
  std::vector<ReportedFinding> LeftOut = Run.Suppressed;
  llvm::append_range(LeftOut, Run.Baselined);
  if (Format == OutputFormat::HTML) {
    writeHTML(OS, Run.Reported, LeftOut, Verdicts, Stats, Writer);
  } else if (ListForkSites && Format == OutputFormat::Text) {
    writeForkSiteText(OS, Verdicts, LeftOut, Writer);
  } else if (ListForkSites) {
    writeForkSiteJSON(OS, Verdicts, Run.Reported, LeftOut, Stats, Writer);
  } else if (Format == OutputFormat::Text) {
    Writer.writeText(OS, Run.Reported);
  } else if (Format == OutputFormat::JSON) {
    Writer.writeJSON(OS, Run.Reported, Stats);
  } else {
    for (const CheckGroup &Group : Config.Groups)
      Run.Checks.insert(Run.Checks.end(), Group.Checks.begin(),
                        Group.Checks.end());
    std::sort(Run.Checks.begin(), Run.Checks.end());
    Run.Category = automationId(SarifCategory);
    for (const std::string &File : Stats.FailedFiles) {
      auto Reason = Stats.FailureReasons.find(File);
      Run.Failed.push_back({File, Reason == Stats.FailureReasons.end()
                                      ? std::string()
                                      : Reason->second});
    }
    writeSARIF(OS, Writer, Run);
  }
  OS.flush();
  return Text;
}

/// Writes \p Text to -o FILE or to standard output; the exit status of a
/// failure, if it fails.
std::optional<int> writeReport(llvm::StringRef Text) {
  if (!reportToFile()) {
    if (std::error_code EC = writeStandardOutput(Text))
      return fail("cannot write the report to standard output: " +
                  EC.message());
    return std::nullopt;
  }
  if (std::error_code EC = writeWholeFile(OutputFile, Text))
    return cannotWrite("report", OutputFile, EC);
  return std::nullopt;
}

/// The closing summary on standard error.
void printSummary(const AuditStatistics &Stats,
                  const std::vector<ReportedFinding> &Reported) {
  std::map<std::string, unsigned> PerCheck;
  for (const ReportedFinding &R : Reported)
    ++PerCheck[checkName(R.F->Check)];
  llvm::raw_ostream &Err = llvm::errs();
  Err << "forksafety: " << Stats.Files << " file"
      << (Stats.Files == 1 ? "" : "s") << " analysed";
  if (Stats.FromCache)
    Err << " (" << Stats.FromCache << " from cache)";
  Err << ", " << Stats.ForkSites << " fork site"
      << (Stats.ForkSites == 1 ? "" : "s") << ", " << Reported.size()
      << " finding" << (Reported.size() == 1 ? "" : "s");
  if (!PerCheck.empty()) {
    Err << " (";
    bool First = true;
    for (const auto &[Check, Count] : PerCheck) {
      Err << (First ? "" : ", ") << Check << ": " << Count;
      First = false;
    }
    Err << ")";
  }
  if (Stats.Baselined)
    Err << ", " << Stats.Baselined << " in the baseline";
  Err << "\n";
  if (!Stats.FailedFiles.empty()) {
    Err << "forksafety: " << Stats.FailedFiles.size() << " file"
        << (Stats.FailedFiles.size() == 1 ? "" : "s") << " failed to parse:";
    for (const std::string &Failed : Stats.FailedFiles)
      Err << " " << Failed;
    Err << "\n";
  }
}

/// Why a graph the analysis read late, from a summary whose checksum held,
/// could not be read, if one could not: the findings then cannot be
/// trusted.
std::optional<std::string>
unreadableGraph(const std::vector<ProgramModel> &Programs) {
  for (const ProgramModel &Program : Programs)
    for (const auto &Entry : Program.Functions)
      if (const auto &Deferred = Entry.second.DeferredPaths;
          Deferred && !Deferred->error().empty())
        return Deferred->error();
  return std::nullopt;
}

/// Phase 2 over each of \p Programs and the report; the exit status.
int report(const std::vector<ProgramModel> &Programs, const AuditConfig &Config,
           AuditStatistics Stats, const char *Argv0) {
  std::vector<ForkVerdict> Verdicts;
  std::vector<Finding> Findings = analyzeAll(Programs, Config, Stats, Verdicts);
  if (std::optional<std::string> Unread = unreadableGraph(Programs))
    return fail(*Unread);
  ReportWriter Writer(
      absolutePath(SourceRoot.empty() ? "." : SourceRoot.getValue()), DocsUrl,
      installedDocs(Argv0));
  SarifRun Run;
  Run.Reported = Writer.identify(Findings);
  // Only SARIF shows suppressed findings, marked as such.
  Run.Suppressed = takeSuppressed(Run.Reported);
  if (!WriteBaseline.empty())
    if (std::error_code EC = writeBaseline(WriteBaseline, Run.Reported, Writer))
      return cannotWrite("baseline", WriteBaseline, EC);
  if (!Baseline.empty()) {
    llvm::Expected<BaselineFindings> Known = readBaseline(Baseline);
    if (!Known)
      return fail(llvm::toString(Known.takeError()));
    // Only SARIF shows the findings the baseline holds, marked as such.
    std::vector<ReportedFinding> New;
    for (ReportedFinding &R : Run.Reported)
      (Known->count(R.Fingerprint) ? Run.Baselined : New)
          .push_back(std::move(R));
    Run.Reported = std::move(New);
    Stats.Baselined = Run.Baselined.size();
    Run.Baseline = std::move(*Known);
    Run.BaselinePath = Baseline;
  }

  if (std::optional<int> Failed =
          writeReport(renderReport(Writer, Run, Verdicts, Stats, Config)))
    return *Failed;
  if (!Quiet)
    printSummary(Stats, Run.Reported);
  if (!Stats.FailedFiles.empty())
    return BadInput;
  return Run.Reported.empty() ? Clean : FindingsRemain;
}

/// report(), for the last use of \p Programs before the process exits:
/// freeing them would take a tenth of a cached audit, as clang -cc1 leaves
/// its AST to the exit.
int reportAndExit(std::vector<ProgramModel> Programs, const AuditConfig &Config,
                  AuditStatistics Stats, const char *Argv0) {
  auto Kept = std::make_unique<std::vector<ProgramModel>>(std::move(Programs));
  int Status = report(*Kept, Config, std::move(Stats), Argv0);
  llvm::BuryPointer(std::move(Kept));
  return Status;
}

int mergeSummaries(const AuditConfig &Config, const char *Argv0) {
  if (Inputs.empty())
    return fail("--merge needs summary files, object files, archives, "
                "executables, shared objects or a build directory");
  llvm::Expected<std::vector<ProgramInput>> Read = readPrograms(Inputs);
  if (!Read)
    return fail(llvm::toString(Read.takeError()));
  std::vector<ProgramModel> Programs;
  AuditStatistics Stats;
  std::string Expected = recordingKey(Config.recordingOptions());
  // A file linked into several programs is analysed in each, counted once.
  std::set<std::string> Sources;
  for (ProgramInput &Input : *Read) {
    ProgramModel &Program = Programs.emplace_back();
    for (const std::string &Name : Input.CLibraryImports)
      Program.LibraryFunctions.insert("c:@F@" + Name);
    for (ReadSummary &Unit : Input.Summaries) {
      if (Unit.Summary.OptionsKey != Expected)
        return fail(Unit.Origin +
                    ": recorded with other ThreadCreationFunctions or "
                    "AsyncSignalSafeFunctions than the configuration sets; "
                    "write it again");
      Sources.insert(Unit.Summary.Source);
      mergeModel(Program, std::move(Unit.Summary.Model));
    }
  }
  Stats.Files = Sources.size();
  return reportAndExit(std::move(Programs), Config, Stats, Argv0);
}

/// Why the options given together cannot run, if they cannot: the exit
/// status after saying so.
std::optional<int> conflictingOptions() {
  if (Merge && !EmitSummary.empty())
    return fail("--merge and --emit-summary exclude each other");
  if (!DepFile.empty() && EmitSummary.empty())
    return fail("--depfile needs --emit-summary");
  if (SarifCategory.getNumOccurrences()) {
    if (Format != OutputFormat::SARIF)
      return fail("--category needs --format=sarif");
    if (automationId(SarifCategory).empty())
      return fail("--category needs a name that is not empty or only "
                  "whitespace");
  }
  if (ListForkSites && Format == OutputFormat::SARIF)
    return fail("--list-fork-sites writes text or JSON, not SARIF");
  return std::nullopt;
}

/// The compile commands of -p BUILD_DIR, or \p Fixed, the flags after --.
llvm::Expected<std::unique_ptr<clang::tooling::CompilationDatabase>>
loadDatabase(std::unique_ptr<clang::tooling::FixedCompilationDatabase> Fixed) {
  auto Failure = [](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Why);
  };
  if (BuildPath.empty()) {
    if (!Fixed)
      return Failure(
          "give -p BUILD_DIR or compiler flags after -- (see --help)");
    return std::move(Fixed);
  }
  if (Fixed)
    return Failure("give either -p or compiler flags after --, not both");
  std::string Error;
  std::unique_ptr<clang::tooling::CompilationDatabase> Database =
      clang::tooling::CompilationDatabase::loadFromDirectory(BuildPath, Error);
  if (!Database)
    return Failure("cannot load " + BuildPath +
                   "/compile_commands.json: " + Error);
  return std::move(Database);
}

/// Both phases over \p Commands, with the cache unless --no-cache.
int audit(const std::vector<clang::tooling::CompileCommand> &Commands,
          const AuditConfig &Config, const char *Argv0) {
  SummaryStore Store(NoCache ? std::string() : cacheDirectory());
  // The cache only saves time: the audit goes on without it.
  if (Store.enabled())
    if (llvm::Error E = Store.prepare())
      warnWithoutCache(llvm::toString(std::move(E)));

  std::vector<UnitResult> Results =
      recordAll(Commands, Config.recordingOptions(), Store);
  if (std::optional<std::string> Failure = Store.failure())
    warnWithoutCache(*Failure);
  ProgramModel Program;
  AuditStatistics Stats;
  for (UnitResult &Result : Results) {
    llvm::errs() << Result.Errors;
    ++Stats.Files;
    if (!Result.Summary) {
      Stats.FailedFiles.push_back(Result.Source);
      if (std::optional<std::string> Reason = firstError(Result.Errors))
        Stats.FailureReasons[Result.Source] = *Reason;
      continue;
    }
    Stats.FromCache += Result.FromCache;
    mergeModel(Program, std::move(Result.Summary->Model));
  }
  // Not a braced list: its elements would be copied.
  std::vector<ProgramModel> Programs;
  Programs.push_back(std::move(Program));
  return reportAndExit(std::move(Programs), Config, Stats, Argv0);
}

} // namespace

int main(int argc, const char **argv) {
  llvm::sys::PrintStackTraceOnErrorSignal(argv[0]);
  endRunsWithoutPartialFiles();
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "forksafety " << FORKSAFETY_VERSION << " (LLVM "
       << FORKSAFETY_LLVM_MAJOR << ")\n";
  });
  // LLVM's own --color (on a terminal by default) colours the text report;
  // it moves to this tool's category, so that --help lists it once.
  if (cl::Option *UseColor = cl::getRegisteredOptions().lookup("color"))
    UseColor->Categories.assign({&Category});
  cl::HideUnrelatedOptions(Category);
  // A launcher passes the compile command on untouched.
  std::vector<std::string> AfterDashes;
  for (int I = 1; I < argc; ++I)
    if (llvm::StringRef(argv[I]) == "--") {
      AfterDashes.assign(argv + I + 1, argv + argc);
      break;
    }
  std::string FixedError;
  std::unique_ptr<clang::tooling::FixedCompilationDatabase> Fixed =
      clang::tooling::FixedCompilationDatabase::loadFromCommandLine(argc, argv,
                                                                    FixedError);
  if (!cl::ParseCommandLineOptions(argc, argv, Overview, &llvm::errs()))
    return BadInput;
  if (Launch)
    return Inputs.empty() && !Merge && EmitSummary.empty() && BuildPath.empty()
               ? compileAndRecord(AfterDashes, ConfigFile, Checks)
               : fail("--launch takes only a compile command after --");
  if (!FixedError.empty())
    return fail(FixedError);
  if (std::optional<int> Conflict = conflictingOptions())
    return *Conflict;

  std::string ConfigDir = Inputs.empty()
                              ? std::string(".")
                              : std::string(llvm::sys::path::parent_path(
                                    absolutePath(Inputs.front())));
  llvm::Expected<AuditConfig> Config =
      DumpConfig ? loadConfigAllowingNone(ConfigDir, ConfigFile, Checks)
                 : loadConfig(ConfigDir, ConfigFile, Checks);
  if (!Config)
    return fail(llvm::toString(Config.takeError()));
  warnAboutConfig(*Config);
  if (DumpConfig) {
    llvm::outs() << Config->EffectiveText;
    return 0;
  }
  if (Merge)
    return mergeSummaries(*Config, argv[0]);

  llvm::Expected<std::unique_ptr<clang::tooling::CompilationDatabase>>
      Database = loadDatabase(std::move(Fixed));
  if (!Database)
    return fail(llvm::toString(Database.takeError()));
  llvm::Expected<std::vector<clang::tooling::CompileCommand>> Commands =
      selectCommands(**Database, !BuildPath.empty());
  if (!Commands)
    return fail(llvm::toString(Commands.takeError()));
  if (!EmitSummary.empty())
    return emitSummary(*Commands, *Config);
  return audit(*Commands, *Config, argv[0]);
}
