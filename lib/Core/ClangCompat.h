//===- ClangCompat.h - Differences between supported LLVM versions -*- C++
//-*-===//
//
// forksafety builds against LLVM 16 to 22. Where Clang's API differs between
// those versions, the difference is bridged here and nowhere else.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_CLANGCOMPAT_H
#define FORKSAFETY_CORE_CLANGCOMPAT_H

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/Builtins.h"

#include <string>

namespace forksafety {

/// The name of builtin \p ID ("__builtin_memcpy"). Builtin::Context::getName
/// returns a StringRef up to LLVM 20 and a std::string from LLVM 21, which a
/// StringRef would dangle on; a std::string fits both.
inline std::string builtinName(const clang::Builtin::Context &Builtins,
                               unsigned ID) {
  return std::string(Builtins.getName(ID));
}

/// A RecursiveASTVisitor that does not descend into types. LLVM 22 added a
/// parameter to TraverseType and TraverseTypeLoc; these accept either form.
template <typename Derived>
class TypeSkippingVisitor : public clang::RecursiveASTVisitor<Derived> {
public:
  template <typename... Rest> bool TraverseType(clang::QualType, Rest...) {
    return true;
  }
  template <typename... Rest> bool TraverseTypeLoc(clang::TypeLoc, Rest...) {
    return true;
  }
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CLANGCOMPAT_H
