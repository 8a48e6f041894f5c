//===- Launcher.h - Phase 1 as a compiler launcher -------------*- C++ -*-===//

#ifndef FORKSAFETY_TOOL_LAUNCHER_H
#define FORKSAFETY_TOOL_LAUNCHER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace forksafety {

/// Runs the compile command \p Compile (the compiler first), then records
/// the summary of its source file next to its output, as OUTPUT.fsum.
/// Checks and options come from the .clang-tidy nearest to the source, or
/// \p ConfigFile, then \p ExtraChecks. Returns the compiler's exit status,
/// or 2 when the summary cannot be written.
int compileAndRecord(llvm::ArrayRef<std::string> Compile,
                     llvm::StringRef ConfigFile, llvm::StringRef ExtraChecks);

} // namespace forksafety

#endif // FORKSAFETY_TOOL_LAUNCHER_H
