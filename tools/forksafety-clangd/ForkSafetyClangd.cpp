//===- ForkSafetyClangd.cpp - clangd with the forksafety checks built in --===//
//
// clangd cannot load clang-tidy plugins, so this is clangd itself with the
// forksafety module linked in. Three of clangd's functions are wrapped at link
// time (ld --wrap), all called across object files of clangd's libraries:
//
//  - provideDefaultChecks: clangd's last word on the checks to run; the
//    forksafety checks are added unless the project's configuration names
//    them. A .clang-tidy or .clangd file can turn them off or set options.
//  - isFastTidyCheck: clangd drops checks it has not timed as fast; the
//    forksafety checks run once per translation unit and cost a small
//    fraction of the AST build (see docs/performance.md), so they are kept.
//  - newJSONTransport: the editor's side of the connection goes through a
//    stream that links the forksafety diagnostics to this project's check
//    documentation (see DiagnosticDocLinks.h).
//
// clangd's headers are not installed; the declarations below follow them, per
// LLVM version where they differ.
//
//===----------------------------------------------------------------------===//

#include "DiagnosticDocLinks.h"

#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/FunctionExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstdio>
#include <memory>
#include <optional>

namespace clang {
namespace clangd {
int clangdMain(int Argc, char *Argv[]);
// The type provideDefaultChecks returns, as in clangd's TidyProvider.h.
#if FORKSAFETY_LLVM_MAJOR >= 22
using DefaultChecksProvider = llvm::unique_function<void(
    tidy::ClangTidyOptions &, llvm::StringRef) const>;
#else
using DefaultChecksProvider =
    llvm::function_ref<void(tidy::ClangTidyOptions &, llvm::StringRef)>;
#endif
// As in clangd's Transport.h, where the destructor is also the first virtual
// member; the transport is only passed through here.
class Transport {
public:
  virtual ~Transport() = default;
};
enum JSONStreamStyle { Standard, Delimited };
} // namespace clangd
} // namespace clang

// Keeps the statically linked module's registration.
extern volatile int ForkSafetyModuleAnchorSource;
static int ForkSafetyModuleAnchorDestination = ForkSafetyModuleAnchorSource;

using clang::clangd::DefaultChecksProvider;
using clang::clangd::JSONStreamStyle;
using clang::clangd::Transport;

// The wrappers are C++ functions with the symbol names the linker gives the
// wrapped functions (__wrap_X) and their originals (__real_X).
DefaultChecksProvider realProvideDefaultChecks() asm(
    "__real__ZN5clang6clangd20provideDefaultChecksEv");
DefaultChecksProvider wrapProvideDefaultChecks() asm(
    "__wrap__ZN5clang6clangd20provideDefaultChecksEv");
std::optional<bool> realIsFastTidyCheck(llvm::StringRef Check) asm(
    "__real__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE");
std::optional<bool> wrapIsFastTidyCheck(llvm::StringRef Check) asm(
    "__wrap__ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE");
std::unique_ptr<Transport> realNewJSONTransport(
    std::FILE *In, llvm::raw_ostream &Out, llvm::raw_ostream *InMirror,
    bool Pretty,
    JSONStreamStyle Style) asm("__real__ZN5clang6clangd16newJSONTransportEP8_"
                               "IO_FILERN4llvm11raw_"
                               "ostreamEPS4_bNS0_15JSONStreamStyleE");
std::unique_ptr<Transport> wrapNewJSONTransport(
    std::FILE *In, llvm::raw_ostream &Out, llvm::raw_ostream *InMirror,
    bool Pretty,
    JSONStreamStyle Style) asm("__wrap__ZN5clang6clangd16newJSONTransportEP8_"
                               "IO_FILERN4llvm11raw_"
                               "ostreamEPS4_bNS0_15JSONStreamStyleE");

// clangd applies its defaults after the project's .clang-tidy and .clangd
// files. The forksafety checks are added unless that configuration names
// them, so that "-forksafety-*" in .clang-tidy or "Remove: forksafety-*" in
// .clangd turns them off even where the project's own list starts with "-*".
static void
provideDefaultAndForkSafetyChecks(clang::tidy::ClangTidyOptions &Options,
                                  llvm::StringRef File) {
  realProvideDefaultChecks()(Options, File);
  if (!Options.Checks)
    Options.Checks.emplace();
  if (!llvm::StringRef(*Options.Checks).contains("forksafety"))
    *Options.Checks += ",forksafety-*";
}

DefaultChecksProvider wrapProvideDefaultChecks() {
  return provideDefaultAndForkSafetyChecks;
}

std::optional<bool> wrapIsFastTidyCheck(llvm::StringRef Check) {
  if (Check.starts_with("forksafety-"))
    return true;
  return realIsFastTidyCheck(Check);
}

// clangd creates one transport, before it serves the editor; the stream
// outlives it and everything clangd writes through it.
std::unique_ptr<Transport> wrapNewJSONTransport(std::FILE *In,
                                                llvm::raw_ostream &Out,
                                                llvm::raw_ostream *InMirror,
                                                bool Pretty,
                                                JSONStreamStyle Style) {
  static forksafety::DocLinkingLSPStream Editor(Out, FORKSAFETY_DOCS_URL,
                                                Pretty);
  return realNewJSONTransport(In, Editor, InMirror, Pretty, Style);
}

int main(int Argc, char *Argv[]) {
  (void)ForkSafetyModuleAnchorDestination;
  return clang::clangd::clangdMain(Argc, Argv);
}
