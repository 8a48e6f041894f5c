//===- Config.h - Checks and options, read as clang-tidy does --*- C++ -*-===//

#ifndef FORKSAFETY_CONFIG_CONFIG_H
#define FORKSAFETY_CONFIG_CONFIG_H

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
  /// The file the configuration came from, or "command line".
  std::string Origin;
  /// The check globs in effect, in the order they apply.
  std::string Globs;
  /// Problems with option values, in clang-tidy's words; the options keep
  /// their defaults then, as in clang-tidy.
  std::vector<std::string> Warnings;
  /// The merged configuration with every enabled check's options, as
  /// `clang-tidy --dump-config` prints it.
  std::string EffectiveText;
  /// The options every group records translation units with.
  const AnalysisOptions &recordingOptions() const {
    return Groups.front().Options;
  }
};

/// Reads the checks and options that apply to files in \p Directory, through
/// clang-tidy's options machinery: the nearest .clang-tidy (and the parents
/// it inherits from), or \p ConfigFile when given (which may inherit from
/// the files above \p Directory), then the --checks globs in \p ExtraChecks.
/// A file that clang-tidy cannot parse is an error, with clang-tidy's
/// diagnostics.
/// Both forksafety checks are on unless the configuration turns them off;
/// a configuration that turns both off is an error.
llvm::Expected<AuditConfig> loadConfig(llvm::StringRef Directory,
                                       llvm::StringRef ConfigFile,
                                       llvm::StringRef ExtraChecks);

/// As loadConfig, but a configuration that turns both checks off gives no
/// group (a compile that runs the plugin stays quiet then).
llvm::Expected<AuditConfig> loadConfigAllowingNone(llvm::StringRef Directory,
                                                   llvm::StringRef ConfigFile,
                                                   llvm::StringRef ExtraChecks);

} // namespace forksafety

#endif // FORKSAFETY_CONFIG_CONFIG_H
