//===- Nolint.h - NOLINT comments, as clang-tidy reads them ----*- C++ -*-===//
//
// The front ends that are not clang-tidy honour the same suppression
// comments: NOLINT and NOLINTNEXTLINE for one line, NOLINTBEGIN and
// NOLINTEND around lines, each for every check or, with "(glob,...)", for
// the checks the globs name.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_NOLINT_H
#define FORKSAFETY_CORE_NOLINT_H

#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringRef.h"

#include <map>
#include <memory>

#include <string>
#include <vector>

namespace forksafety {

class NolintComments {
public:
  /// Finds the comments in \p Text, the contents of one file.
  explicit NolintComments(llvm::StringRef Text);

  /// Whether a comment suppresses \p Check on the 1-based \p Line.
  bool suppresses(unsigned Line, llvm::StringRef Check) const;

private:
  struct Suppression {
    unsigned FirstLine;
    unsigned LastLine;
    /// The globs in parentheses; empty for every check.
    std::string Checks;
  };
  std::vector<Suppression> Suppressions;
};

/// The NOLINT comments of the files of one translation unit, each file's
/// read when a location in it is first asked about.
class SourceNolints {
public:
  explicit SourceNolints(const clang::SourceManager &SM) : SM(SM) {}

  /// Whether a comment suppresses \p Check at \p Loc.
  bool suppresses(clang::SourceLocation Loc, llvm::StringRef Check);

private:
  const clang::SourceManager &SM;
  std::map<clang::FileID, std::unique_ptr<NolintComments>> Comments;
};

/// Whether the clang-tidy check glob \p Glob ("forksafety-*") names
/// \p Check.
bool checkGlobMatches(llvm::StringRef Glob, llvm::StringRef Check);

/// Whether the comma-separated globs \p Globs (as in "forksafety-*,-x")
/// name \p Check; an empty list names every check.
bool nolintNames(llvm::StringRef Globs, llvm::StringRef Check);

} // namespace forksafety

#endif // FORKSAFETY_CORE_NOLINT_H
