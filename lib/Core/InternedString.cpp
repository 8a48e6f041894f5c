//===- InternedString.cpp - Strings stored once per process ---------------===//

#include "Core/InternedString.h"

#include "llvm/ADT/StringMap.h"

#include <mutex>

namespace forksafety {

namespace {

struct Pool {
  std::mutex Lock;
  /// Entries never move when the map grows, so the strings' addresses
  /// last.
  llvm::StringMap<std::string> Strings;
};

Pool &pool() {
  // Never destroyed: names may be used by static objects' destructors.
  static Pool *P = new Pool;
  return *P;
}

} // namespace

const std::string &InternedString::emptyString() {
  static const std::string *Empty = new std::string;
  return *Empty;
}

const std::string &InternedString::intern(llvm::StringRef S) {
  Pool &P = pool();
  std::lock_guard<std::mutex> Guard(P.Lock);
  auto It = P.Strings.find(S);
  if (It == P.Strings.end())
    It = P.Strings.try_emplace(S, S.str()).first;
  return It->second;
}

} // namespace forksafety
