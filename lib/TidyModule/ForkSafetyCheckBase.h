//===- ForkSafetyCheckBase.h - Shared shell of the forksafety checks ------===//

#ifndef FORKSAFETY_TIDYMODULE_FORKSAFETYCHECKBASE_H
#define FORKSAFETY_TIDYMODULE_FORKSAFETYCHECKBASE_H

#include "Core/Analyzer.h"

#include "clang-tidy/ClangTidyCheck.h"

namespace forksafety {

/// Reads the options shared by the forksafety checks, runs the core analysis
/// once per translation unit and turns its findings into diagnostics.
class ForkSafetyCheckBase : public clang::tidy::ClangTidyCheck {
public:
  ForkSafetyCheckBase(llvm::StringRef Name, clang::tidy::ClangTidyContext *Ctx,
                      CheckKind Kind);

  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void
  check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void registerPPCallbacks(const clang::SourceManager &SM,
                           clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;
  void onEndOfTranslationUnit() override;

protected:
  AnalysisOptions Settings;

private:
  /// The checks whose findings this instance reports for the translation
  /// unit, and the settings to analyse it with: the fork check reports for
  /// both when both are enabled with the same settings, so that the analysis
  /// runs once.
  std::pair<std::vector<CheckKind>, AnalysisOptions> plan() const;

  CheckKind Kind;
  clang::tidy::ClangTidyContext *TidyContext;
  /// The translation unit being matched, analysed once at its end.
  clang::ASTContext *Context = nullptr;
  /// Its preprocessor, whose system directories hold library headers.
  const clang::Preprocessor *UnitPreprocessor = nullptr;
};

} // namespace forksafety

#endif // FORKSAFETY_TIDYMODULE_FORKSAFETYCHECKBASE_H
