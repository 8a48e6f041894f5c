//===- ForkSafetyClangd.cpp - clangd with the forksafety checks built in --===//
//
// clangd cannot load clang-tidy plugins, so this is clangd itself with the
// forksafety module linked in. Two of clangd's tidy hooks are wrapped at link
// time (ld --wrap), both called across object files of clangd's libraries:
//
//  - provideDefaultChecks: clangd's last word on the checks to run; the
//    forksafety checks are added unless the project's configuration names
//    them. A .clang-tidy or .clangd file can turn them off or set options.
//  - isFastTidyCheck: clangd drops checks it has not timed as fast; the
//    forksafety checks run once per translation unit and cost a small
//    fraction of the AST build (see docs/performance.md), so they are kept.
//
//===----------------------------------------------------------------------===//

#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace clang {
namespace clangd {
int clangdMain(int Argc, char *Argv[]);
// As declared in clangd's TidyProvider.h, which is not installed.
using TidyProviderRef =
    llvm::function_ref<void(tidy::ClangTidyOptions &, llvm::StringRef)>;
} // namespace clangd
} // namespace clang

// Keeps the statically linked module's registration.
extern volatile int ForkSafetyModuleAnchorSource;
static int ForkSafetyModuleAnchorDestination = ForkSafetyModuleAnchorSource;

using clang::clangd::TidyProviderRef;

// The wrappers are C++ functions with the symbol names the linker gives the
// wrapped functions (__wrap_X) and their originals (__real_X).
TidyProviderRef realProvideDefaultChecks() asm(
    "__real__ZN5clang6clangd20provideDefaultChecksEv");
TidyProviderRef wrapProvideDefaultChecks() asm(
    "__wrap__ZN5clang6clangd20provideDefaultChecksEv");
std::optional<bool> realIsFastTidyCheck(llvm::StringRef Check) asm(
    "__real__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE");
std::optional<bool> wrapIsFastTidyCheck(llvm::StringRef Check) asm(
    "__wrap__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE");

// clangd applies its defaults after the project's .clang-tidy and .clangd
// files. The forksafety checks are added unless that configuration names
// them, so that "-forksafety-*" in .clang-tidy or "Remove: forksafety-*" in
// .clangd turns them off even where the project's own list starts with "-*".
static void provideDefaultAndForkSafetyChecks(
    clang::tidy::ClangTidyOptions &Options, llvm::StringRef File) {
  realProvideDefaultChecks()(Options, File);
  if (!Options.Checks)
    Options.Checks.emplace();
  if (!llvm::StringRef(*Options.Checks).contains("forksafety"))
    *Options.Checks += ",forksafety-*";
}

TidyProviderRef wrapProvideDefaultChecks() {
  return provideDefaultAndForkSafetyChecks;
}

std::optional<bool> wrapIsFastTidyCheck(llvm::StringRef Check) {
  if (Check.starts_with("forksafety-"))
    return true;
  return realIsFastTidyCheck(Check);
}

int main(int Argc, char *Argv[]) {
  (void)ForkSafetyModuleAnchorDestination;
  return clang::clangd::clangdMain(Argc, Argv);
}
