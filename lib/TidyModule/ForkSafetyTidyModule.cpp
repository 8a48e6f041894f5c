//===- ForkSafetyTidyModule.cpp - The forksafety clang-tidy module --------===//

#include "ForkInThreadedProgramCheck.h"
#include "UnsafeCallInChildCheck.h"

#include "clang-tidy/ClangTidyModule.h"
// LLVM 22 moved the registry into ClangTidyModule.h.
#if FORKSAFETY_LLVM_MAJOR < 22
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif

namespace forksafety {
namespace {

class ForkSafetyModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(
      clang::tidy::ClangTidyCheckFactories &CheckFactories) override {
    CheckFactories.registerCheck<ForkInThreadedProgramCheck>(
        checkName(CheckKind::ForkInThreadedProgram));
    CheckFactories.registerCheck<UnsafeCallInChildCheck>(
        checkName(CheckKind::UnsafeCallInChild));
  }
};

clang::tidy::ClangTidyModuleRegistry::Add<ForkSafetyModule>
    Registration("forksafety-module",
                 "Checks what the child of a fork may do in a multithreaded "
                 "program.");

} // namespace
} // namespace forksafety

// Referenced by front ends that link the module statically (clangd, the
// command-line tool) so that the registration above is kept.
volatile int ForkSafetyModuleAnchorSource = 0;
