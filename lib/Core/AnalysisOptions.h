//===- AnalysisOptions.h - User-facing knobs of the analysis ---*- C++ -*-===//

#ifndef FORKSAFETY_CORE_ANALYSISOPTIONS_H
#define FORKSAFETY_CORE_ANALYSISOPTIONS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <utility>
#include <vector>

namespace forksafety {

/// Which C library's guarantees the analysis may rely on.
enum class LibcProfile {
  Posix, ///< Only what POSIX promises: the async-signal-safe list.
  Linux, ///< Also the thin system-call wrappers, on Linux targets.
  Glibc, ///< Linux, and what glibc makes safe in the child of fork: malloc.
};

/// What the child of one fork site may call.
enum class ChildRules {
  AsyncSignalSafe, ///< The async-signal-safe functions.
  SystemCallsToo,  ///< Those and the thin Linux system-call wrappers.
  AllocationToo,   ///< Those and the malloc family (glibc's fork).
  ExecOrExitOnly,  ///< Only exec and _exit (vfork).
};

struct AnalysisOptions {
  /// Treat every translation unit as part of a program that creates threads.
  bool AssumeThreaded = false;
  /// Extra functions whose call is evidence that the program creates threads
  /// (plain or qualified names).
  std::vector<std::string> ThreadCreationFunctions;
  /// Extra functions the user declares async-signal-safe (plain or qualified
  /// names).
  std::vector<std::string> AsyncSignalSafeFunctions;
  /// Report execlp/execvp/execvpe, whose PATH search is not
  /// async-signal-safe.
  bool ReportExecpFunctions = false;
  /// How deep calls into functions defined in the translation unit are
  /// followed from the forking function.
  unsigned MaxCallDepth = 16;
  /// The C library whose guarantees apply.
  LibcProfile Libc = LibcProfile::Linux;

  bool operator==(const AnalysisOptions &Other) const {
    return AssumeThreaded == Other.AssumeThreaded &&
           ThreadCreationFunctions == Other.ThreadCreationFunctions &&
           AsyncSignalSafeFunctions == Other.AsyncSignalSafeFunctions &&
           ReportExecpFunctions == Other.ReportExecpFunctions &&
           MaxCallDepth == Other.MaxCallDepth && Libc == Other.Libc;
  }
};

/// The option values that name each profile, as .clang-tidy spells them.
llvm::ArrayRef<std::pair<LibcProfile, llvm::StringRef>> libcProfileNames();

/// Splits a ';'-separated list of names, dropping blanks.
std::vector<std::string> parseNameList(llvm::StringRef List);
std::string joinNameList(const std::vector<std::string> &Names);

/// The options that shape the model recorded from a translation unit (the
/// others only matter when the model is solved), as one string.
std::string recordingKey(const AnalysisOptions &Opts);

} // namespace forksafety

#endif // FORKSAFETY_CORE_ANALYSISOPTIONS_H
