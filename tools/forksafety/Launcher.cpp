//===- Launcher.cpp - Phase 1 as a compiler launcher ----------------------===//

#include "Launcher.h"

#include "Config/Config.h"
#include "OutputFiles.h"
#include "UnitRecorder.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

namespace forksafety {

namespace {

int fail(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "forksafety") << Message << "\n";
  return 2;
}

bool isSource(llvm::StringRef Arg) {
  llvm::StringRef Extension = llvm::sys::path::extension(Arg);
  return llvm::is_contained(
             {".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".m", ".mm"},
             Extension) &&
         !Arg.starts_with("-");
}

/// The source file and the output file of a compile command; empty when it
/// does not compile exactly one source (a link, a preprocessing run).
std::pair<std::string, std::string>
sourceAndOutput(llvm::ArrayRef<std::string> Compile) {
  std::string Source, Output;
  bool CompileOnly = false;
  for (size_t I = 1; I < Compile.size(); ++I) {
    llvm::StringRef Arg = Compile[I];
    if (Arg == "-c") {
      CompileOnly = true;
    } else if (Arg == "-o" && I + 1 < Compile.size()) {
      Output = Compile[++I];
    } else if (Arg.starts_with("-o") && Arg.size() > 2) {
      Output = Arg.drop_front(2).str();
    } else if (isSource(Arg)) {
      if (!Source.empty())
        return {};
      Source = Arg.str();
    }
  }
  if (!CompileOnly || Source.empty())
    return {};
  if (Output.empty())
    Output = llvm::sys::path::stem(Source).str() + ".o";
  return {Source, Output};
}

} // namespace

int compileAndRecord(llvm::ArrayRef<std::string> Compile,
                     llvm::StringRef ConfigFile, llvm::StringRef ExtraChecks) {
  if (Compile.empty())
    return fail("--launch needs a compile command after --");
  llvm::ErrorOr<std::string> Compiler =
      llvm::sys::findProgramByName(Compile.front());
  if (!Compiler)
    return fail("cannot find the compiler '" + Compile.front() + "'");
  std::vector<llvm::StringRef> Args(Compile.begin(), Compile.end());
  std::string Error;
  int Status = llvm::sys::ExecuteAndWait(*Compiler, Args, std::nullopt, {}, 0,
                                         0, &Error);
  if (Status < 0)
    return fail("cannot run " + Compile.front() + ": " + Error);
  auto [Source, Output] = sourceAndOutput(Compile);
  if (Status != 0 || Source.empty())
    return Status;

  llvm::SmallString<256> Directory;
  llvm::sys::fs::current_path(Directory);
  llvm::SmallString<256> SourcePath(Source);
  llvm::sys::fs::make_absolute(SourcePath);
  llvm::Expected<AuditConfig> Config = loadConfig(
      llvm::sys::path::parent_path(SourcePath), ConfigFile, ExtraChecks);
  if (!Config)
    return fail(llvm::toString(Config.takeError()));
  for (const std::string &Warning : Config->Warnings)
    llvm::WithColor::warning(llvm::errs(), "forksafety") << Warning << "\n";
  clang::tooling::CompileCommand Command(Directory, Source, Compile.vec(),
                                         Output);
  SummaryStore NoStore("");
  UnitResult Result =
      recordUnit(Command, Config->recordingOptions(), {}, NoStore);
  llvm::errs() << Result.Errors;
  if (!Result.Summary)
    return fail(Source + ": no summary written");
  std::string SummaryPath = Output + ".fsum";
  if (std::error_code EC =
          writeWholeFile(SummaryPath, writeUnitSummary(*Result.Summary)))
    return fail("cannot write summary '" + SummaryPath + "': " + EC.message());
  return 0;
}

} // namespace forksafety
