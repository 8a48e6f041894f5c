//===- CacheEntry.h - The layout of a cache entry --------------*- C++ -*-===//
//
// A cache entry is used only while every file its translation unit read is
// unchanged, and most entries of a re-audit are. The entry therefore starts
// with those files, in a form read without a JSON parser, and holds the
// summary after them: an entry whose files changed costs no parse of its
// summary, and one that is still valid does not pass its file list (29% of
// its bytes) through the JSON parser. A checksum of the summary tells that
// it is whole before it is read, so that its functions' path graphs (half
// of the rest) may stay unread until a walk needs them.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_TOOLS_CACHEENTRY_H
#define FORKSAFETY_TOOLS_CACHEENTRY_H

#include "Core/Model/ModelSerialization.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace forksafety {

/// Tells entries of another layout apart; part of every entry's key.
extern const char CacheEntryTag[];

/// The text of the entry for \p Summary: the tag, how many files follow
/// and the summary's checksum (XXH3, 16 hexadecimal digits), then each file
/// read and its description and each name not found, every one ended by a
/// NUL character, then the summary without them.
std::string writeCacheEntry(const UnitSummary &Summary);

/// An entry taken apart, its parts referring to the entry's text.
struct CacheEntryParts {
  std::vector<std::pair<llvm::StringRef, llvm::StringRef>> Inputs;
  std::vector<llvm::StringRef> Absent;
  llvm::StringRef Summary;
};

/// The parts of the entry \p Text, read from \p Origin (named in errors),
/// once its summary matches its checksum.
llvm::Expected<CacheEntryParts> splitCacheEntry(llvm::StringRef Text,
                                                llvm::StringRef Origin);

} // namespace forksafety

#endif // FORKSAFETY_TOOLS_CACHEENTRY_H
