//===- ModelSerialization.h - Program models on disk -----------*- C++ -*-===//
//
// Summaries of translation units are JSON Lines, so that a build system can
// produce them anywhere and one step can merge them: a header with the
// format version and the tables of files and strings, then one record per
// line (a fork, a function, a continuation, the calls of a function, what a
// function does to threads, and the rest of the program).
// Small documents keep reading linear in the size of the summary. A reader
// rejects any other version and any malformed record with a message that
// says what is wrong and on which line.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_MODEL_MODELSERIALIZATION_H
#define FORKSAFETY_CORE_MODEL_MODELSERIALIZATION_H

#include "Core/Model/ProgramModel.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace forksafety {

/// The version of the summary format; caches key their entries with it.
constexpr int SummaryFormatVersion = 27;

/// What one translation unit contributes to the program.
struct UnitSummary {
  /// The main source file, as the compile command names it.
  std::string Source;
  /// The directory that relative file names in the model are relative to,
  /// when known: the written summary names them absolutely, so that it can
  /// be read anywhere.
  std::string Directory;
  /// Fingerprint of the options that shaped the model.
  std::string OptionsKey;
  /// The files the translation unit read, with a hash of their contents,
  /// to tell when the summary is out of date.
  std::vector<std::pair<std::string, std::string>> Inputs;
  /// The names it looked for and did not find (a header searched for in an
  /// include directory before the one that holds it): the summary is out of
  /// date once one of them exists. Sorted.
  std::vector<std::string> Absent;
  ProgramModel Model;
};

/// How a summary is written for where it goes.
struct SummaryLayout {
  /// The files read and the names not found: a cache entry keeps them
  /// apart, ahead of the summary.
  bool Inputs = true;
  /// Each distinct record of threads once, in a table that lists of threads
  /// refer to: a file's functions repeat the records of the calls they
  /// reach, and a reader parses fewer bytes. Object files carry summaries
  /// compressed, and the compressor finds the repeats better than the
  /// indices that replace them: there, lists keep their records in place.
  bool SharedThreads = true;
};

/// The text of \p Summary.
std::string writeUnitSummary(const UnitSummary &Summary,
                             SummaryLayout Layout = {});

/// Reads a summary written by writeUnitSummary; \p Text came from \p Origin
/// (a file name, for messages). Without its lists of files read and names
/// not found, those of the result are empty. Given \p KeepsTextAlive, which
/// owns \p Text, the caller knows the text whole (its checksum held): each
/// function's path graph stays in it until a walk first asks for it
/// (FunctionModel::DeferredPaths).
llvm::Expected<UnitSummary>
readUnitSummary(llvm::StringRef Text, llvm::StringRef Origin,
                std::shared_ptr<const void> KeepsTextAlive = nullptr);

} // namespace forksafety

#endif // FORKSAFETY_CORE_MODEL_MODELSERIALIZATION_H
