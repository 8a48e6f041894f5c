//===- CallTargets.h - Resolving indirect and virtual calls ----*- C++ -*-===//
//
// Calls through function pointers and virtual calls have no direct callee.
// Some can still be resolved: a pointer that only ever holds one function,
// a virtual call on a final class or method or on a complete object.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_FUNCTIONS_CALLTARGETS_H
#define FORKSAFETY_CORE_FUNCTIONS_CALLTARGETS_H

#include "llvm/ADT/DenseMap.h"

#include <optional>

namespace clang {
class ASTContext;
class CallExpr;
class FunctionDecl;
class VarDecl;
} // namespace clang

namespace forksafety {

class CallTargets {
public:
  explicit CallTargets(clang::ASTContext &Ctx) : Ctx(Ctx) {}

  /// The function an indirect call certainly calls, if it can be resolved:
  /// through a variable of internal linkage (or a const one) whose every
  /// initialisation and assignment in the translation unit names the same
  /// function and whose address is never taken.
  const clang::FunctionDecl *resolveIndirect(const clang::CallExpr &Call);

  /// For a call to a virtual member function: the function it certainly
  /// calls (the static target of a qualified call, the final overrider on a
  /// final class or method or on a complete object), or null when the
  /// dynamic type decides. Not set for other calls.
  std::optional<const clang::FunctionDecl *>
  resolveVirtual(const clang::CallExpr &Call) const;

private:
  struct PointerWrites {
    const clang::FunctionDecl *Only = nullptr;
    bool Unknown = false;
  };
  /// The code whose writes are indexed: the program's, or the whole
  /// unit's, libraries' headers included.
  enum class Coverage { None, ProgramCode, WholeUnit };
  void indexPointerWrites(Coverage Wanted);

  clang::ASTContext &Ctx;
  Coverage Indexed = Coverage::None;
  llvm::DenseMap<const clang::VarDecl *, PointerWrites> Writes;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_FUNCTIONS_CALLTARGETS_H
