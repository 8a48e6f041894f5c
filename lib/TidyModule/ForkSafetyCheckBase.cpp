//===- ForkSafetyCheckBase.cpp - Shared shell of the forksafety checks ----===//

#include "ForkSafetyCheckBase.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/StringExtras.h"

namespace forksafety {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

std::vector<std::string> parseNameList(StringRef List) {
  llvm::SmallVector<StringRef, 8> Parts;
  List.split(Parts, ';', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Names;
  for (StringRef Part : Parts)
    if (StringRef Name = Part.trim(); !Name.empty())
      Names.push_back(Name.str());
  return Names;
}

std::string joinNameList(const std::vector<std::string> &Names) {
  return llvm::join(Names, ";");
}

} // namespace

ForkSafetyCheckBase::ForkSafetyCheckBase(StringRef Name,
                                         tidy::ClangTidyContext *Ctx,
                                         CheckKind Kind)
    : ClangTidyCheck(Name, Ctx), Kind(Kind) {
  Settings.AssumeThreaded = Options.getLocalOrGlobal("AssumeThreaded", false);
  Settings.ThreadCreationFunctions =
      parseNameList(Options.getLocalOrGlobal("ThreadCreationFunctions", ""));
  Settings.AsyncSignalSafeFunctions =
      parseNameList(Options.getLocalOrGlobal("AsyncSignalSafeFunctions", ""));
  Settings.MaxCallDepth =
      Options.getLocalOrGlobal("MaxCallDepth", Settings.MaxCallDepth);
}

void ForkSafetyCheckBase::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "AssumeThreaded", Settings.AssumeThreaded);
  Options.store(Opts, "ThreadCreationFunctions",
                joinNameList(Settings.ThreadCreationFunctions));
  Options.store(Opts, "AsyncSignalSafeFunctions",
                joinNameList(Settings.AsyncSignalSafeFunctions));
  Options.store(Opts, "MaxCallDepth", Settings.MaxCallDepth);
}

void ForkSafetyCheckBase::registerMatchers(MatchFinder *Finder) {
  // The analysis covers the whole translation unit at once, at its end.
  // clangd matches only the main file's top-level declarations, never the
  // translation unit itself, so any function definition announces it too.
  Finder->addMatcher(translationUnitDecl().bind("unit"), this);
  Finder->addMatcher(functionDecl(isDefinition()).bind("function"), this);
}

void ForkSafetyCheckBase::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
}

void ForkSafetyCheckBase::onEndOfTranslationUnit() {
  if (!Context)
    return;
  ASTContext &Unit = *Context;
  Context = nullptr;
  for (const Finding &F : analyzeTranslationUnit(Unit, Settings, {Kind})) {
    {
      DiagnosticBuilder Diag = diag(F.Loc, "%0") << F.Message;
      for (const FindingFix &Fix : F.Fixes)
        Diag << FixItHint::CreateReplacement(Fix.Range, Fix.Replacement);
    }
    for (const FindingNote &Note : F.Notes)
      diag(Note.Loc, "%0", DiagnosticIDs::Note) << Note.Message;
  }
}

} // namespace forksafety
