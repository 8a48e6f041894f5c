//===- UnsafeCallInChildCheck.h - forksafety-unsafe-call-in-child ---------===//

#ifndef FORKSAFETY_TIDYMODULE_UNSAFECALLINCHILDCHECK_H
#define FORKSAFETY_TIDYMODULE_UNSAFECALLINCHILDCHECK_H

#include "ForkSafetyCheckBase.h"

namespace forksafety {

/// Finds calls to functions that are not async-signal-safe in the child of a
/// fork, before exec or _exit, in programs that create threads.
class UnsafeCallInChildCheck : public ForkSafetyCheckBase {
public:
  UnsafeCallInChildCheck(llvm::StringRef Name,
                         clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
};

} // namespace forksafety

#endif // FORKSAFETY_TIDYMODULE_UNSAFECALLINCHILDCHECK_H
