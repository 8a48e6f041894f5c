//===- CacheEntry.cpp - The layout of a cache entry -----------------------===//

#include "CacheEntry.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

namespace forksafety {

const char CacheEntryTag[] = "forksafety-cache-entry-2";

std::string writeCacheEntry(const UnitSummary &Summary) {
  SummaryLayout Layout;
  Layout.Inputs = false;
  std::string Text = writeUnitSummary(Summary, Layout);
  std::string Entry;
  llvm::raw_string_ostream OS(Entry);
  OS << CacheEntryTag << ' ' << Summary.Inputs.size() << ' '
     << Summary.Absent.size() << ' '
     << llvm::format_hex_no_prefix(llvm::xxh3_64bits(Text), 16) << '\n';
  for (const auto &[File, Description] : Summary.Inputs)
    OS << File << '\0' << Description << '\0';
  for (const std::string &Name : Summary.Absent)
    OS << Name << '\0';
  OS << Text;
  OS.flush();
  return Entry;
}

llvm::Expected<CacheEntryParts> splitCacheEntry(llvm::StringRef Text,
                                                llvm::StringRef Origin) {
  auto Fail = [&](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s: not a valid cache entry: %s",
                                   Origin.str().c_str(), Why.str().c_str());
  };
  auto [Head, Body] = Text.split('\n');
  llvm::StringRef Rest = Body;
  llvm::SmallVector<llvm::StringRef, 4> Fields;
  Head.split(Fields, ' ', /*MaxSplit=*/3);
  Fields.resize(4);
  auto [Tag, InputText, AbsentText, ChecksumText] =
      std::tie(Fields[0], Fields[1], Fields[2], Fields[3]);
  size_t InputCount = 0, AbsentCount = 0;
  uint64_t Checksum = 0;
  if (Tag != CacheEntryTag)
    return Fail(llvm::Twine("it does not start with '") + CacheEntryTag + "'");
  // Every name ends with a NUL character, so the counts are bounded by the
  // text that is left.
  if (InputText.getAsInteger(10, InputCount) ||
      AbsentText.getAsInteger(10, AbsentCount) ||
      InputCount > Rest.size() / 2 || AbsentCount > Rest.size() ||
      ChecksumText.getAsInteger(16, Checksum))
    return Fail("expected the numbers of files read and of names not found, "
                "and the summary's checksum, after the tag");
  auto Take = [&Rest](llvm::StringRef &Name) {
    size_t End = Rest.find('\0');
    if (End == llvm::StringRef::npos)
      return false;
    Name = Rest.take_front(End);
    Rest = Rest.drop_front(End + 1);
    return true;
  };
  CacheEntryParts Parts;
  Parts.Inputs.resize(InputCount);
  for (auto &[File, Description] : Parts.Inputs)
    if (!Take(File) || !Take(Description))
      return Fail("it ends within its list of files read");
  Parts.Absent.resize(AbsentCount);
  for (llvm::StringRef &Name : Parts.Absent)
    if (!Take(Name))
      return Fail("it ends within its list of names not found");
  if (llvm::xxh3_64bits(Rest) != Checksum)
    return Fail("its summary does not match its checksum");
  Parts.Summary = Rest;
  return Parts;
}

} // namespace forksafety
