//===- AnalysisOptions.h - User-facing knobs of the analysis ---*- C++ -*-===//

#ifndef FORKSAFETY_CORE_ANALYSISOPTIONS_H
#define FORKSAFETY_CORE_ANALYSISOPTIONS_H

#include <string>
#include <vector>

namespace forksafety {

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

  bool operator==(const AnalysisOptions &Other) const {
    return AssumeThreaded == Other.AssumeThreaded &&
           ThreadCreationFunctions == Other.ThreadCreationFunctions &&
           AsyncSignalSafeFunctions == Other.AsyncSignalSafeFunctions &&
           ReportExecpFunctions == Other.ReportExecpFunctions &&
           MaxCallDepth == Other.MaxCallDepth;
  }
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_ANALYSISOPTIONS_H
