//===- Messages.h - The text of findings and notes -------------*- C++ -*-===//

#ifndef FORKSAFETY_CORE_MESSAGES_H
#define FORKSAFETY_CORE_MESSAGES_H

#include "Core/Functions/Operation.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace forksafety {

/// The warning of forksafety-unsafe-call-in-child for \p Site.
std::string unsafeSiteMessage(const UnsafeSite &Site, bool InVforkChild);
/// The note of forksafety-fork-in-threaded-program that names the worst
/// unsafe work of the child ("the child also calls..." for the others).
std::string unsafeWorkNote(const UnsafeSite &Site, bool Also = false);
/// "'become_worker' calls 'setenv' here".
std::string chainNote(const ChainLink &Link);
std::string returnNote(llvm::StringRef FunctionName, bool Also = false);
std::string contextNote(bool LoopsBack);
std::string forkInThreadedProgramMessage(llvm::StringRef ForkFunction);
std::string forkSiteNote(llvm::StringRef ForkFunction);
std::string threadCreationNote();
/// At a call to a function defined nowhere, before the fork.
std::string unseenThreadsNote();
std::string protectedMutexNote(llvm::StringRef Function, llvm::StringRef Mutex,
                               llvm::StringRef Handler);
std::string execPathSearchNote(llvm::StringRef Function);

} // namespace forksafety

#endif // FORKSAFETY_CORE_MESSAGES_H
