//===- Nolint.cpp - NOLINT comments, as clang-tidy reads them -------------===//

#include "Core/Nolint.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Regex.h"

namespace forksafety {

bool SourceNolints::suppresses(clang::SourceLocation Loc,
                               llvm::StringRef Check) {
  if (Loc.isInvalid())
    return false;
  // As in clang-tidy, a comment on the line of a macro's use or of its
  // definition suppresses what the macro expands to.
  for (clang::SourceLocation At :
       {SM.getExpansionLoc(Loc), SM.getSpellingLoc(Loc)}) {
    clang::FileID File = SM.getFileID(At);
    auto [It, New] = Comments.try_emplace(File, nullptr);
    if (New) {
      bool Invalid = false;
      llvm::StringRef Text = SM.getBufferData(File, &Invalid);
      It->second =
          std::make_unique<NolintComments>(Invalid ? llvm::StringRef() : Text);
    }
    if (It->second->suppresses(SM.getLineNumber(File, SM.getFileOffset(At)),
                               Check))
      return true;
  }
  return false;
}

bool checkGlobMatches(llvm::StringRef Glob, llvm::StringRef Check) {
  if (!Glob.contains('*'))
    return Glob == Check;
  std::string Pattern = "^";
  for (char C : Glob)
    Pattern +=
        C == '*' ? std::string(".*") : llvm::Regex::escape(std::string(1, C));
  return llvm::Regex(Pattern + "$").match(Check);
}

bool nolintNames(llvm::StringRef Globs, llvm::StringRef Check) {
  if (Globs.trim().empty())
    return true;
  llvm::SmallVector<llvm::StringRef, 4> Items;
  Globs.split(Items, ',', -1, /*KeepEmpty=*/false);
  // As in clang-tidy, negative globs name nothing.
  for (llvm::StringRef Item : Items)
    if (!Item.trim().starts_with("-") && checkGlobMatches(Item.trim(), Check))
      return true;
  return false;
}

NolintComments::NolintComments(llvm::StringRef Text) {
  struct Open {
    unsigned Line;
    std::string Checks;
  };
  std::vector<Open> Begun;
  unsigned Line = 1;
  size_t LineStart = 0;
  for (size_t At = Text.find("NOLINT"); At != llvm::StringRef::npos;
       At = Text.find("NOLINT", At + 1)) {
    for (size_t I = Text.find('\n', LineStart);
         I != llvm::StringRef::npos && I < At; I = Text.find('\n', I + 1)) {
      ++Line;
      LineStart = I + 1;
    }
    llvm::StringRef Rest = Text.substr(At + 6);
    enum { SameLine, NextLine, Begin, End } Kind = SameLine;
    if (Rest.consume_front("NEXTLINE"))
      Kind = NextLine;
    else if (Rest.consume_front("BEGIN"))
      Kind = Begin;
    else if (Rest.consume_front("END"))
      Kind = End;
    std::string Checks;
    if (Rest.starts_with("(")) {
      size_t Close = Rest.find(')');
      size_t EndOfLine = Rest.find('\n');
      if (Close == llvm::StringRef::npos || Close > EndOfLine)
        continue; // Malformed: clang-tidy ignores it too.
      Checks = Rest.substr(1, Close - 1).str();
    } else if (!Rest.empty() &&
               (llvm::isAlnum(Rest.front()) || Rest.front() == '_')) {
      continue; // Another word that starts with NOLINT.
    }
    switch (Kind) {
    case SameLine:
      Suppressions.push_back({Line, Line, Checks});
      break;
    case NextLine:
      Suppressions.push_back({Line + 1, Line + 1, Checks});
      break;
    case Begin:
      Begun.push_back({Line, Checks});
      break;
    case End:
      for (auto It = Begun.rbegin(); It != Begun.rend(); ++It)
        if (It->Checks == Checks) {
          Suppressions.push_back({It->Line, Line, Checks});
          Begun.erase(std::next(It).base());
          break;
        }
      break;
    }
  }
}

bool NolintComments::suppresses(unsigned Line, llvm::StringRef Check) const {
  for (const Suppression &S : Suppressions)
    if (S.FirstLine <= Line && Line <= S.LastLine &&
        nolintNames(S.Checks, Check))
      return true;
  return false;
}

} // namespace forksafety
