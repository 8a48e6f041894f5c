//===- InternedString.h - Strings stored once per process ------*- C++ -*-===//
//
// Names that the analysis copies by the thousand (USRs, handle keys, file
// names) are stored once for the whole process: copying one is copying a
// pointer, and two are equal when their pointers are. The pool is shared
// by the threads that record translation units and only grows: a
// whole-program audit of Redis interns 5,774 names (171 KB). Local variables
// are named with their file offset (ThreadHandles.cpp), so in a
// long-lived process (forksafety-clangd) an edit that moves them adds
// their new names when the file is analysed again: Redis's 152 summaries
// name 358 local variables in all.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_INTERNEDSTRING_H
#define FORKSAFETY_CORE_INTERNEDSTRING_H

#include "llvm/ADT/DenseMapInfo.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace forksafety {

class InternedString {
public:
  /// The empty string.
  InternedString() : Text(&emptyString()) {}
  InternedString(llvm::StringRef S)
      : Text(S.empty() ? &emptyString() : &intern(S)) {}
  InternedString(const std::string &S) : InternedString(llvm::StringRef(S)) {}
  InternedString(const char *S) : InternedString(llvm::StringRef(S)) {}

  const std::string &str() const { return *Text; }
  operator llvm::StringRef() const { return *Text; }
  /// Identifies the string within this process: for hashing, and for
  /// orders that need not be the same in another one.
  const void *address() const { return Text; }
  bool empty() const { return Text->empty(); }
  size_t size() const { return Text->size(); }

  friend bool operator==(InternedString A, InternedString B) {
    return A.Text == B.Text;
  }
  friend bool operator!=(InternedString A, InternedString B) {
    return A.Text != B.Text;
  }
  friend bool operator==(InternedString A, llvm::StringRef B) {
    return llvm::StringRef(*A.Text) == B;
  }
  friend bool operator!=(InternedString A, llvm::StringRef B) {
    return !(A == B);
  }
  friend bool operator==(InternedString A, const std::string &B) {
    return A == llvm::StringRef(B);
  }
  friend bool operator!=(InternedString A, const std::string &B) {
    return !(A == B);
  }
  friend bool operator==(InternedString A, const char *B) {
    return A == llvm::StringRef(B);
  }
  friend bool operator!=(InternedString A, const char *B) { return !(A == B); }
  /// The order of the text, so that what is written in this order reads
  /// the same in every process.
  friend bool operator<(InternedString A, InternedString B) {
    return A.Text != B.Text && *A.Text < *B.Text;
  }

private:
  friend struct llvm::DenseMapInfo<InternedString>;
  explicit InternedString(const std::string *Text) : Text(Text) {}
  static const std::string &emptyString();
  static const std::string &intern(llvm::StringRef S);

  const std::string *Text;
};

inline std::string operator+(const std::string &A, InternedString B) {
  return A + B.str();
}
inline std::string operator+(InternedString A, const std::string &B) {
  return A.str() + B;
}
inline std::string operator+(InternedString A, const char *B) {
  return A.str() + B;
}
inline std::string operator+(InternedString A, char B) { return A.str() + B; }

inline llvm::raw_ostream &operator<<(llvm::raw_ostream &OS, InternedString S) {
  return OS << S.str();
}

} // namespace forksafety

/// Hashes the address: equal strings share it.
template <> struct llvm::DenseMapInfo<forksafety::InternedString> {
  using Pointers = DenseMapInfo<const std::string *>;
  static forksafety::InternedString getEmptyKey() {
    return forksafety::InternedString(Pointers::getEmptyKey());
  }
  static forksafety::InternedString getTombstoneKey() {
    return forksafety::InternedString(Pointers::getTombstoneKey());
  }
  static unsigned getHashValue(forksafety::InternedString S) {
    return Pointers::getHashValue(S.Text);
  }
  static bool isEqual(forksafety::InternedString A,
                      forksafety::InternedString B) {
    return A.Text == B.Text;
  }
};

#endif // FORKSAFETY_CORE_INTERNEDSTRING_H
