//===- Location.cpp - Source locations that outlive their AST -------------===//

#include "Core/Location.h"

#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

namespace forksafety {

namespace {

/// Whether the main file is preprocessed output (clang -save-temps compiles
/// a .i file; icecream and distcc pipe it to the compiler's standard input):
/// its line markers name the real source, which the findings must point to.
/// Elsewhere a #line directive is the code's own business, and clang-tidy
/// reports the file as written.
bool mainFileIsPreprocessed(const clang::SourceManager &SM) {
  clang::OptionalFileEntryRef Main =
      SM.getFileEntryRefForID(SM.getMainFileID());
  if (!Main)
    return false;
  llvm::StringRef Name = Main->getName();
  return Name.ends_with(".i") || Name.ends_with(".ii") || Name == "<stdin>";
}

} // namespace

Location makeLocation(const clang::SourceManager &SM,
                      clang::SourceLocation Loc) {
  Location Result;
  if (Loc.isInvalid())
    return Result;
  Result.Raw = SM.getFileLoc(Loc);
  clang::PresumedLoc Presumed =
      SM.getPresumedLoc(Result.Raw, mainFileIsPreprocessed(SM));
  if (Presumed.isInvalid())
    return Result;
  Result.File = Presumed.getFilename();
  Result.Line = Presumed.getLine();
  Result.Column = Presumed.getColumn();
  // The token there: the callee's name of a call, the name of the macro it
  // expands, a 'return' keyword. Names and keywords lex the same in every
  // language mode.
  static const clang::LangOptions AnyLanguage;
  if (unsigned Length =
          clang::Lexer::MeasureTokenLength(Result.Raw, SM, AnyLanguage))
    Result.EndColumn = Result.Column + Length;
  return Result;
}

clang::CharSourceRange rangeOf(const Location &Loc) {
  if (Loc.Raw.isInvalid() || Loc.EndColumn <= Loc.Column)
    return {};
  return clang::CharSourceRange::getCharRange(
      Loc.Raw, Loc.Raw.getLocWithOffset(Loc.EndColumn - Loc.Column));
}

} // namespace forksafety
