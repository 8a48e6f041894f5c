//===- ForkInThreadedProgramCheck.h - forksafety-fork-in-threaded-program -===//

#ifndef FORKSAFETY_TIDYMODULE_FORKINTHREADEDPROGRAMCHECK_H
#define FORKSAFETY_TIDYMODULE_FORKINTHREADEDPROGRAMCHECK_H

#include "ForkSafetyCheckBase.h"

namespace forksafety {

/// Finds forks in programs that create threads whose child may go on running
/// program code instead of calling exec or _exit.
class ForkInThreadedProgramCheck : public ForkSafetyCheckBase {
public:
  ForkInThreadedProgramCheck(llvm::StringRef Name,
                             clang::tidy::ClangTidyContext *Context)
      : ForkSafetyCheckBase(Name, Context, CheckKind::ForkInThreadedProgram) {}
};

} // namespace forksafety

#endif // FORKSAFETY_TIDYMODULE_FORKINTHREADEDPROGRAMCHECK_H
