//===- Location.h - Source locations that outlive their AST ----*- C++ -*-===//
//
// The analysis reports places in files that may belong to other translation
// units, read back from summaries written by other processes. A Location is
// a file, line and column; while the AST it came from is alive, it also keeps
// the SourceLocation, which front ends inside the compiler use.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_LOCATION_H
#define FORKSAFETY_CORE_LOCATION_H

#include "Core/InternedString.h"

#include "clang/Basic/SourceLocation.h"

#include <string>
#include <tuple>

namespace clang {
class SourceManager;
} // namespace clang

namespace forksafety {

struct Location {
  InternedString File;
  unsigned Line = 0;
  unsigned Column = 0;
  /// One past the last column of the range that starts at Column on the
  /// same line (the callee's name of a call), or 0 for a point. Equality
  /// and order look at the start only.
  unsigned EndColumn = 0;
  /// Only valid in the process that parsed the translation unit.
  clang::SourceLocation Raw;

  bool isValid() const { return Line != 0; }
  bool operator==(const Location &Other) const {
    return Line == Other.Line && Column == Other.Column && File == Other.File;
  }
  bool operator!=(const Location &Other) const { return !(*this == Other); }
  /// File order, then line and column; invalid locations come last.
  bool operator<(const Location &Other) const {
    if (isValid() != Other.isValid())
      return isValid();
    return std::tie(File, Line, Column) <
           std::tie(Other.File, Other.Line, Other.Column);
  }
};

/// The file location where \p Loc is written, or where the macro holding it
/// is expanded.
Location makeLocation(const clang::SourceManager &SM,
                      clang::SourceLocation Loc);

/// The characters of \p Loc's range, for diagnostics in the process that
/// parsed it; an invalid range for a point.
clang::CharSourceRange rangeOf(const Location &Loc);

/// A replacement of the text from Begin up to (not including) End.
struct TextEdit {
  Location Begin;
  Location End;
  std::string Replacement;
  /// Only valid in the process that parsed the translation unit.
  clang::CharSourceRange Raw;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_LOCATION_H
