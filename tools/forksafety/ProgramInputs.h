//===- ProgramInputs.h - Programs from summaries and binaries --*- C++ -*-===//
//
// Phase 2 reads summaries written by --emit-summary (.fsum files) or carried
// in the .forksafety section of object files compiled with the compiler
// plugin, and of the archives, executables and shared objects linked from
// them. The linker defines the programs:
//   - objects, archives and summary files given together form one program;
//   - each executable is a program, with the shared objects among the inputs
//     that it needs (DT_NEEDED, transitively) and the plugins it may load
//     (shared objects that take unversioned symbols it exports, as a plugin
//     takes its host's API from an executable linked with -rdynamic);
//   - each shared object that no executable among the inputs needs or loads
//     is a program of its own (a library, judged as one);
//   - a directory stands for the executables and shared objects under it
//     that carry summaries.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_TOOL_PROGRAMINPUTS_H
#define FORKSAFETY_TOOL_PROGRAMINPUTS_H

#include "Core/Model/ModelSerialization.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace forksafety {

/// A summary and the file it was read from ("lib.a(child.o)" for an
/// archive member).
struct ReadSummary {
  std::string Origin;
  UnitSummary Summary;
};

struct ProgramInput {
  /// The executable or shared object, or "" for the program made of the
  /// objects, archives and summary files given.
  std::string Name;
  std::vector<ReadSummary> Summaries;
  /// The functions its linked files take from the C library (glibc's
  /// versioned symbols), by name.
  std::set<std::string> CLibraryImports;
};

/// The programs that \p Inputs make up, with their summaries.
llvm::Expected<std::vector<ProgramInput>>
readPrograms(const std::vector<std::string> &Inputs);

} // namespace forksafety

#endif // FORKSAFETY_TOOL_PROGRAMINPUTS_H
