//===- UnitRecorder.h - Phase 1: one translation unit's summary -*- C++ -*-===//

#ifndef FORKSAFETY_TOOL_UNITRECORDER_H
#define FORKSAFETY_TOOL_UNITRECORDER_H

#include "Core/Model/ModelSerialization.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

namespace forksafety {

/// Summaries kept on disk between runs, keyed by the compile command and the
/// options; an entry is used only while every file it read is unchanged.
/// A cache that cannot be written is turned off: the run goes on without
/// it, with the same findings.
class SummaryStore {
public:
  /// An empty \p Directory disables the store.
  explicit SummaryStore(std::string Directory)
      : Directory(std::move(Directory)) {}

  bool enabled() const { return !Directory.empty() && !Failed; }
  /// Creates the directory; when it cannot be created or written, says why
  /// and turns the store off.
  llvm::Error prepare();
  std::string keyFor(const clang::tooling::CompileCommand &Command,
                     llvm::StringRef OptionsKey) const;
  /// The stored summary for \p Key if it is still valid, without the files
  /// it was recorded from (checked here; only a fresh summary is stored or
  /// has its dependencies written). A corrupt entry is described in
  /// \p Warning and treated as missing.
  std::optional<UnitSummary> lookup(llvm::StringRef Key,
                                    std::string &Warning) const;
  /// Stores \p Summary whole or not at all. The first write that fails
  /// turns the store off.
  void store(llvm::StringRef Key, const UnitSummary &Summary);
  /// Why the store was turned off, if it was.
  std::optional<std::string> failure() const;

private:
  std::string pathFor(llvm::StringRef Key) const;
  std::string Directory;
  std::atomic<bool> Failed{false};
  mutable std::mutex FailureMutex;
  std::string Failure;
};

/// The outcome of phase 1 for one translation unit.
struct UnitResult {
  std::string Source;
  std::optional<UnitSummary> Summary;
  /// Compiler errors, or why the unit could not be analysed.
  std::string Errors;
  bool FromCache = false;
};

/// Parses the translation unit of \p Command and records its summary with
/// \p Opts and the fork wrappers of other translation units it calls,
/// unless \p Store holds a valid one.
UnitResult recordUnit(const clang::tooling::CompileCommand &Command,
                      const AnalysisOptions &Opts,
                      const std::vector<WrapperModel> &ExternalWrappers,
                      SummaryStore &Store);

} // namespace forksafety

#endif // FORKSAFETY_TOOL_UNITRECORDER_H
