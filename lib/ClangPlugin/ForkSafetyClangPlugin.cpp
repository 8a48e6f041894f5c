//===- ForkSafetyClangPlugin.cpp - The checks inside the compiler ---------===//
//
// clang -fplugin=ForkSafetyClangPlugin.so runs both forksafety checks on the
// file it compiles, in the same process and on the same AST, and reports
// their findings as clang warnings. It also embeds the file's summary in the
// object file (section .forksafety), so that the tools that cache and
// distribute compiles carry it, and `forksafety --merge` reads a program's
// summaries from its linked executable or its objects.
//
// Options: -Xclang -plugin-arg-forksafety -Xclang OPTION, where OPTION is
//   checks=GLOBS       clang-tidy globs applied after the .clang-tidy Checks
//   config-file=FILE   read the checks and options from FILE
//   werror             report findings as errors
//   no-warnings        only embed the summary
//   no-summary         only report findings
//
//===----------------------------------------------------------------------===//

#include "Config/Config.h"
#include "Core/Analyzer.h"
#include "Core/ChildPaths/ModelRecorder.h"
#include "Core/Functions/LibraryModel.h"
#include "Core/Model/ModelSerialization.h"
#include "Core/Model/SummarySection.h"
#include "Core/Nolint.h"
#include "Core/ProgramFacts.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Basic/TargetInfo.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/Support/BuryPointer.h"
#include "llvm/Support/Path.h"

#include <map>
#include <memory>
#include <optional>

namespace forksafety {

using namespace clang;

namespace {

struct PluginSettings {
  std::string Checks;
  std::string ConfigFile;
  bool WarningsAsErrors = false;
  bool Warnings = true;
  bool Summary = true;
};

/// The file the translation unit compiles, as its line markers name it
/// (a preprocessed .i file names its source).
std::string mainSourceFile(const SourceManager &SM) {
  FileID Main = SM.getMainFileID();
  PresumedLoc AtEnd = SM.getPresumedLoc(SM.getLocForEndOfFile(Main));
  if (AtEnd.isValid())
    return AtEnd.getFilename();
  OptionalFileEntryRef Entry = SM.getFileEntryRefForID(Main);
  return Entry ? Entry->getName().str() : std::string();
}

/// The directory the compile's relative file names are relative to. A
/// distributed compile (icecream) runs elsewhere, but the driver records
/// the directory the build ran in as the compilation directory.
std::string workingDirectory(CompilerInstance &CI) {
  const std::string &Compilation = CI.getCodeGenOpts().DebugCompilationDir;
  if (llvm::sys::path::is_absolute(Compilation))
    return Compilation;
  const std::string &Configured =
      CI.getFileManager().getFileSystemOpts().WorkingDir;
  if (!Configured.empty())
    return Configured;
  llvm::ErrorOr<std::string> Current =
      CI.getFileManager().getVirtualFileSystem().getCurrentWorkingDirectory();
  return Current ? *Current : std::string();
}

/// Reports findings as clang diagnostics, honouring NOLINT comments as
/// clang-tidy does.
class FindingReporter {
public:
  FindingReporter(ASTContext &Ctx, bool AsErrors)
      : SM(Ctx.getSourceManager()), Diags(Ctx.getDiagnostics()),
        // -w silences warnings; findings made errors are still reported.
        Silenced(!AsErrors && Diags.getIgnoreAllWarnings()), Nolints(SM) {
    WarningID = Diags.getCustomDiagID(AsErrors ? DiagnosticsEngine::Error
                                               : DiagnosticsEngine::Warning,
                                      "%0 [%1]");
    NoteID = Diags.getCustomDiagID(DiagnosticsEngine::Note, "%0");
  }

  /// Reports \p Findings, each cause once (showFindings).
  void report(const std::vector<Finding> &Findings) {
    if (Silenced)
      return;
    auto Suppressed = [&](const Finding &F) {
      return Nolints.suppresses(F.Loc.Raw, checkName(F.Check));
    };
    for (const ShownFinding &Shown : showFindings(Findings, Suppressed))
      if (Shown.F->Loc.Raw.isValid() &&
          !SM.isInSystemHeader(Shown.F->Loc.Raw) && !Suppressed(*Shown.F))
        report(Shown);
  }

private:
  void report(const ShownFinding &Shown) {
    const Finding &F = *Shown.F;
    // Findings are warnings a build opts into as errors with `werror`;
    // the build's own -Werror does not turn them into errors.
    bool WasErrors = Diags.getWarningsAsErrors();
    Diags.setWarningsAsErrors(false);
    {
      DiagnosticBuilder Diag = Diags.Report(F.Loc.Raw, WarningID);
      Diag << F.Message << checkName(F.Check) << rangeOf(F.Loc);
      for (const TextEdit &Fix : F.Fixes)
        Diag << FixItHint::CreateReplacement(Fix.Raw, Fix.Replacement);
    }
    for (const ShownNote &Note : Shown.Notes)
      Diags.Report(Note.Loc.Raw, NoteID)
          << shownNoteMessage(Note) << rangeOf(Note.Loc);
    Diags.setWarningsAsErrors(WasErrors);
  }

  const SourceManager &SM;
  DiagnosticsEngine &Diags;
  bool Silenced;
  unsigned WarningID;
  unsigned NoteID;
  SourceNolints Nolints;
};

class ForkSafetyConsumer : public ASTConsumer {
public:
  ForkSafetyConsumer(CompilerInstance &CI, PluginSettings Settings)
      : CI(CI), Settings(std::move(Settings)) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    DiagnosticsEngine &Diags = Ctx.getDiagnostics();
    if (Diags.hasErrorOccurred())
      return;
    std::string Source = mainSourceFile(Ctx.getSourceManager());
    llvm::SmallString<256> Directory(Source);
    CI.getFileManager().makeAbsolutePath(Directory);
    llvm::sys::path::remove_filename(Directory);
    llvm::Expected<AuditConfig> Config =
        loadConfigAllowingNone(Directory, Settings.ConfigFile, Settings.Checks);
    if (!Config) {
      Diags.Report(
          Diags.getCustomDiagID(DiagnosticsEngine::Error, "forksafety: %0"))
          << llvm::toString(Config.takeError());
      return;
    }
    // The checks and the summary share what is known of the headers and
    // found in the unit, and the unit's USRs.
    LibraryHeaders Library(Ctx.getSourceManager(), headerSearch());
    bool Embeds = Settings.Summary && producesObject();
    UnitFacts Facts(Ctx, /*FindStores=*/Embeds);
    ModelRecorder::UsrMemo Usrs(Ctx);
    for (const std::string &Warning : Config->Warnings)
      Diags.Report(
          Diags.getCustomDiagID(DiagnosticsEngine::Warning, "forksafety: %0"))
          << Warning;
    if (Settings.Warnings) {
      FindingReporter Reporter(Ctx, Settings.WarningsAsErrors);
      std::vector<Finding> Findings;
      for (const CheckGroup &Group : Config->Groups) {
        std::vector<Finding> Found = analyzeTranslationUnit(
            Ctx, &headerSearch(), Group.Options, Group.Checks, &Facts);
        Findings.insert(Findings.end(), Found.begin(), Found.end());
      }
      sortFindings(Findings);
      Reporter.report(Findings);
    }
    if (Embeds)
      embedSummary(Ctx, *Config, Source, Directory, Facts);
  }

private:
  const HeaderSearch &headerSearch() const {
    return CI.getPreprocessor().getHeaderSearchInfo();
  }

  bool producesObject() const {
    switch (CI.getFrontendOpts().ProgramAction) {
    case frontend::EmitAssembly:
    case frontend::EmitBC:
    case frontend::EmitLLVM:
    case frontend::EmitObj:
      return true;
    default:
      return false;
    }
  }

  /// Records the summary and hands it to code generation as file-scope
  /// assembly that fills the .forksafety section.
  void embedSummary(ASTContext &Ctx, const AuditConfig &Config,
                    llvm::StringRef Source, llvm::StringRef SourceDirectory,
                    UnitFacts &Facts) {
    if (!Ctx.getTargetInfo().getTriple().isOSBinFormatELF())
      return;
    // A configuration that turns both checks off still records a summary,
    // with the options it would give them.
    std::optional<AuditConfig> Enabled;
    if (Config.Groups.empty()) {
      llvm::Expected<AuditConfig> Forced =
          loadConfigAllowingNone(SourceDirectory, Settings.ConfigFile,
                                 Settings.Checks + ",forksafety-*");
      if (!Forced) {
        llvm::consumeError(Forced.takeError());
        return;
      }
      Enabled = std::move(*Forced);
    }
    const AnalysisOptions &Options =
        (Enabled ? *Enabled : Config).recordingOptions();
    UnitSummary Summary;
    Summary.Source = Source.str();
    Summary.Directory = workingDirectory(CI);
    Summary.OptionsKey = recordingKey(Options);
    Summary.Model =
        recordTranslationUnit(Ctx, &headerSearch(), Options, {}, &Facts);
    // Sections are compressed: the compressor finds repeated thread
    // records better than a table of them would let it.
    SummaryLayout Layout;
    Layout.SharedThreads = false;
    std::string Assembly =
        sectionAssembly(frameSummary(writeUnitSummary(Summary, Layout)));

    QualType ArrayType = Ctx.getConstantArrayType(
        Ctx.CharTy.withConst(), llvm::APInt(32, Assembly.size() + 1), nullptr,
        ArraySizeModifier::Normal, 0);
    StringLiteral *Text =
        StringLiteral::Create(Ctx, Assembly, StringLiteralKind::Ordinary,
                              /*Pascal=*/false, ArrayType, SourceLocation());
    FileScopeAsmDecl *Decl =
        FileScopeAsmDecl::Create(Ctx, Ctx.getTranslationUnitDecl(), Text,
                                 SourceLocation(), SourceLocation());
    // The compiler's consumer: code generation sees the declaration before
    // it finishes the module, as if the source had written it.
    CI.getASTConsumer().HandleTopLevelDecl(DeclGroupRef(Decl));
    // Under -disable-free (what the driver asks for), clang leaves its AST
    // to the process's exit; so does the model, whose maps of strings and
    // graphs take longer to free than the summary takes to write.
    if (CI.getFrontendOpts().DisableFree)
      llvm::BuryPointer(
          std::make_unique<ProgramModel>(std::move(Summary.Model)));
  }

  CompilerInstance &CI;
  PluginSettings Settings;
};

class ForkSafetyAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    return std::make_unique<ForkSafetyConsumer>(CI, Settings);
  }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    for (llvm::StringRef Arg : Args) {
      if (Arg.consume_front("checks="))
        Settings.Checks = Arg.str();
      else if (Arg.consume_front("config-file="))
        Settings.ConfigFile = Arg.str();
      else if (Arg == "werror")
        Settings.WarningsAsErrors = true;
      else if (Arg == "no-warnings")
        Settings.Warnings = false;
      else if (Arg == "no-summary")
        Settings.Summary = false;
      else
        return rejectArgument(CI, Arg);
    }
    return true;
  }

  ActionType getActionType() override { return AddBeforeMainAction; }

private:
  bool rejectArgument(const CompilerInstance &CI, llvm::StringRef Arg) {
    DiagnosticsEngine &Diags = CI.getDiagnostics();
    Diags.Report(Diags.getCustomDiagID(
        DiagnosticsEngine::Error,
        "forksafety: unknown plugin argument '%0' (expected checks=GLOBS, "
        "config-file=FILE, werror, no-warnings or no-summary)"))
        << Arg;
    return false;
  }

  PluginSettings Settings;
};

} // namespace

} // namespace forksafety

static clang::FrontendPluginRegistry::Add<forksafety::ForkSafetyAction>
    RegisterForkSafety("forksafety",
                       "fork-safety checks and summaries for forksafety");
