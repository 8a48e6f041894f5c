//===- UnsafeCallInChildCheck.cpp - forksafety-unsafe-call-in-child -------===//

#include "UnsafeCallInChildCheck.h"

namespace forksafety {

UnsafeCallInChildCheck::UnsafeCallInChildCheck(
    llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
    : ForkSafetyCheckBase(Name, Context, CheckKind::UnsafeCallInChild) {}

void UnsafeCallInChildCheck::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  ForkSafetyCheckBase::storeOptions(Opts);
  Options.store(Opts, "ReportExecpFunctions", Settings.ReportExecpFunctions);
}

} // namespace forksafety
