//===- Location.cpp - Source locations that outlive their AST -------------===//

#include "Core/Location.h"

#include "clang/Basic/CharInfo.h"
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

/// The length of the name at \p P when nothing after it can make it
/// another token, else 0 for the lexer to tell: a quote makes a prefix of
/// a literal (L"", u8''), and a backslash, a dollar sign or a byte past
/// ASCII may continue the name.
unsigned plainNameLength(const char *P) {
  if (!clang::isAsciiIdentifierStart(*P))
    return 0;
  const char *End = P + 1;
  while (clang::isAsciiIdentifierContinue(*End))
    ++End;
  unsigned char After = *End;
  if (After == '"' || After == '\'' || After == '\\' || After == '$' ||
      After >= 0x80)
    return 0;
  return End - P;
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
  bool Invalid = false;
  const char *Text = SM.getCharacterData(Result.Raw, &Invalid);
  unsigned Length = Invalid ? 0 : plainNameLength(Text);
  static const clang::LangOptions AnyLanguage;
  if (!Length)
    Length = clang::Lexer::MeasureTokenLength(Result.Raw, SM, AnyLanguage);
  if (Length)
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
