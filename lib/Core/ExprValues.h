//===- ExprValues.h - Values expressions are known to have -----*- C++ -*-===//
//
// The few facts about an expression's value that the analyses read from
// branch conditions and arguments: integer constants, and the value that
// __builtin_expect (likely/unlikely) passes through.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_EXPRVALUES_H
#define FORKSAFETY_CORE_EXPRVALUES_H

#include <cstdint>
#include <optional>

namespace clang {
class ASTContext;
class Expr;
} // namespace clang

namespace forksafety {

/// The value of \p E, casts aside, if it is an integer constant of at most
/// 64 bits or a null pointer literal (0).
std::optional<int64_t> integerConstant(const clang::Expr *E,
                                       clang::ASTContext &Ctx);

/// The argument whose value \p E passes through when it is a call to
/// __builtin_expect; else null.
const clang::Expr *expectedValue(const clang::Expr *E);

} // namespace forksafety

#endif // FORKSAFETY_CORE_EXPRVALUES_H
