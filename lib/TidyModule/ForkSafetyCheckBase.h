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
  void onEndOfTranslationUnit() override;

protected:
  AnalysisOptions Settings;

private:
  CheckKind Kind;
  /// The translation unit being matched, analysed once at its end.
  clang::ASTContext *Context = nullptr;
};

} // namespace forksafety

#endif // FORKSAFETY_TIDYMODULE_FORKSAFETYCHECKBASE_H
