//===- ForkSafetyCheckBase.cpp - Shared shell of the forksafety checks ----===//

#include "ForkSafetyCheckBase.h"

#include "Core/Nolint.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringExtras.h"

namespace clang::tidy {
template <> struct OptionEnumMapping<forksafety::LibcProfile> {
  static ArrayRef<std::pair<forksafety::LibcProfile, StringRef>>
  getEnumMapping() {
    return forksafety::libcProfileNames();
  }
};
} // namespace clang::tidy

namespace forksafety {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

/// The options of the check whose options \p Options reads.
AnalysisOptions readSettings(const tidy::ClangTidyCheck::OptionsView &Options,
                             CheckKind Kind) {
  AnalysisOptions Settings;
  Settings.AssumeThreaded = Options.getLocalOrGlobal("AssumeThreaded", false);
  Settings.ThreadCreationFunctions =
      parseNameList(Options.getLocalOrGlobal("ThreadCreationFunctions", ""));
  Settings.AsyncSignalSafeFunctions =
      parseNameList(Options.getLocalOrGlobal("AsyncSignalSafeFunctions", ""));
  Settings.MaxCallDepth =
      Options.getLocalOrGlobal("MaxCallDepth", Settings.MaxCallDepth);
  Settings.Libc = Options.getLocalOrGlobal("LibcProfile", Settings.Libc);
  if (Kind == CheckKind::UnsafeCallInChild)
    Settings.ReportExecpFunctions =
        Options.get("ReportExecpFunctions", Settings.ReportExecpFunctions);
  return Settings;
}

} // namespace

ForkSafetyCheckBase::ForkSafetyCheckBase(StringRef Name,
                                         tidy::ClangTidyContext *Ctx,
                                         CheckKind Kind)
    : ClangTidyCheck(Name, Ctx), Settings(readSettings(Options, Kind)),
      Kind(Kind), TidyContext(Ctx) {}

std::pair<std::vector<CheckKind>, AnalysisOptions>
ForkSafetyCheckBase::plan() const {
  const char *Fork = checkName(CheckKind::ForkInThreadedProgram);
  const char *Unsafe = checkName(CheckKind::UnsafeCallInChild);
  if (!TidyContext->isCheckEnabled(Fork) ||
      !TidyContext->isCheckEnabled(Unsafe))
    return {{Kind}, Settings};
  const auto &CheckOptions = TidyContext->getOptions().CheckOptions;
  AnalysisOptions UnsafeSettings =
      readSettings(OptionsView(Unsafe, CheckOptions, TidyContext),
                   CheckKind::UnsafeCallInChild);
  AnalysisOptions ForkSettings =
      readSettings(OptionsView(Fork, CheckOptions, TidyContext),
                   CheckKind::ForkInThreadedProgram);
  // PATH-searching execs never count as the child going on, so the fork
  // check's findings do not depend on ReportExecpFunctions.
  ForkSettings.ReportExecpFunctions = UnsafeSettings.ReportExecpFunctions;
  if (!(ForkSettings == UnsafeSettings))
    return {{Kind}, Settings};
  if (Kind == CheckKind::UnsafeCallInChild)
    return {{}, Settings};
  return {{CheckKind::ForkInThreadedProgram, CheckKind::UnsafeCallInChild},
          UnsafeSettings};
}

void ForkSafetyCheckBase::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "AssumeThreaded", Settings.AssumeThreaded);
  Options.store(Opts, "ThreadCreationFunctions",
                joinNameList(Settings.ThreadCreationFunctions));
  Options.store(Opts, "AsyncSignalSafeFunctions",
                joinNameList(Settings.AsyncSignalSafeFunctions));
  Options.store(Opts, "MaxCallDepth", Settings.MaxCallDepth);
  Options.store(Opts, "LibcProfile", Settings.Libc);
}

void ForkSafetyCheckBase::registerMatchers(MatchFinder *Finder) {
  // The analysis covers the whole translation unit at once, at its end.
  // clangd matches only the main file's top-level declarations, never the
  // translation unit itself, so any function definition announces it too.
  Finder->addMatcher(translationUnitDecl().bind("unit"), this);
  Finder->addMatcher(
      functionDecl(isDefinition(), isExpansionInMainFile()).bind("function"),
      this);
}

void ForkSafetyCheckBase::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
}

void ForkSafetyCheckBase::registerPPCallbacks(const SourceManager &,
                                              Preprocessor *PP,
                                              Preprocessor *) {
  UnitPreprocessor = PP;
}

void ForkSafetyCheckBase::onEndOfTranslationUnit() {
  if (!Context)
    return;
  ASTContext &Unit = *Context;
  Context = nullptr;
  auto [Checks, Run] = plan();
  if (Checks.empty())
    return;
  std::vector<Finding> Findings = analyzeTranslationUnit(
      Unit,
      UnitPreprocessor ? &UnitPreprocessor->getHeaderSearchInfo() : nullptr,
      Run, Checks);
  // clang-tidy drops what NOLINT comments suppress; a finding it drops must
  // not take another folded into it along.
  SourceNolints Nolints(Unit.getSourceManager());
  auto Suppressed = [&](const Finding &F) {
    return Nolints.suppresses(F.Loc.Raw, checkName(F.Check));
  };
  for (const ShownFinding &Shown : showFindings(Findings, Suppressed)) {
    const Finding &F = *Shown.F;
    StringRef Check = checkName(F.Check);
    {
      DiagnosticBuilder Diag = TidyContext->diag(Check, F.Loc.Raw, "%0")
                               << F.Message << rangeOf(F.Loc);
      for (const TextEdit &Fix : F.Fixes)
        Diag << FixItHint::CreateReplacement(Fix.Raw, Fix.Replacement);
    }
    for (const ShownNote &Note : Shown.Notes)
      TidyContext->diag(Check, Note.Loc.Raw, "%0", DiagnosticIDs::Note)
          << shownNoteMessage(Note) << rangeOf(Note.Loc);
  }
}

} // namespace forksafety
