//===- Config.h - Checks and options, read as clang-tidy does --*- C++ -*-===//

#ifndef FORKSAFETY_TOOL_CONFIG_H
#define FORKSAFETY_TOOL_CONFIG_H

#include "Core/Findings.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <string>
#include <vector>

namespace forksafety {

/// Checks run together with the same options: one analysis serves them.
struct CheckGroup {
  std::vector<CheckKind> Checks;
  AnalysisOptions Options;
};

struct AuditConfig {
  std::vector<CheckGroup> Groups;
  /// The options every group records translation units with.
  const AnalysisOptions &recordingOptions() const {
    return Groups.front().Options;
  }
};

/// Reads the checks and options that apply to files in \p Directory: the
/// nearest .clang-tidy (and the parents it inherits from), or
/// \p ConfigFile when given, then the --checks globs in \p ExtraChecks.
/// Both forksafety checks are on unless the configuration turns them off.
llvm::Expected<AuditConfig> loadConfig(llvm::StringRef Directory,
                                       llvm::StringRef ConfigFile,
                                       llvm::StringRef ExtraChecks);

/// True if the clang-tidy glob list \p Globs ("-*,forksafety-*") enables
/// \p Check.
bool globsEnable(llvm::StringRef Globs, llvm::StringRef Check, bool Default);

} // namespace forksafety

#endif // FORKSAFETY_TOOL_CONFIG_H
