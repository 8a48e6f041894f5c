//===- Location.cpp - Source locations that outlive their AST -------------===//

#include "Core/Location.h"

#include "clang/Basic/SourceManager.h"

namespace forksafety {

Location makeLocation(const clang::SourceManager &SM,
                      clang::SourceLocation Loc) {
  Location Result;
  if (Loc.isInvalid())
    return Result;
  Result.Raw = SM.getFileLoc(Loc);
  clang::PresumedLoc Presumed = SM.getPresumedLoc(Result.Raw, false);
  if (Presumed.isInvalid())
    return Result;
  Result.File = Presumed.getFilename();
  Result.Line = Presumed.getLine();
  Result.Column = Presumed.getColumn();
  return Result;
}

} // namespace forksafety
