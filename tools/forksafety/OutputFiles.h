//===- OutputFiles.h - Files written whole or not at all -------*- C++ -*-===//

#ifndef FORKSAFETY_TOOL_OUTPUTFILES_H
#define FORKSAFETY_TOOL_OUTPUTFILES_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <system_error>

namespace forksafety {

/// Writes \p Contents to \p Path ("-" is standard output), whole or not at
/// all: a regular file is replaced by renaming a complete temporary file
/// over it, and a signal removes the temporary file. A device or a pipe is
/// written directly. Returns why it failed.
std::error_code writeWholeFile(llvm::StringRef Path, llvm::StringRef Contents);

/// Makes SIGHUP, SIGINT and SIGTERM end the run once the files being
/// written are whole or removed, with the temporary files LLVM created
/// removed too. Called once, before any thread starts.
void endRunsWithoutPartialFiles();

/// Writes \p Contents to standard output; returns why it failed.
std::error_code writeStandardOutput(llvm::StringRef Contents);

/// Text rendered in memory before it is written, coloured as it would be
/// on a terminal when \p Terminal is set.
class RenderedText : public llvm::raw_string_ostream {
public:
  RenderedText(std::string &Text, bool Terminal)
      : llvm::raw_string_ostream(Text), Terminal(Terminal) {
    // As on a file stream, --color=true colours the text anywhere.
    enable_colors(true);
  }
  bool has_colors() const override { return Terminal; }

private:
  bool Terminal;
};

} // namespace forksafety

#endif // FORKSAFETY_TOOL_OUTPUTFILES_H
