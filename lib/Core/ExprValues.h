//===- ExprValues.h - Values expressions are known to have -----*- C++ -*-===//
//
// The few facts about an expression's value that the analyses read from
// branch conditions, arguments and initializers: integer constants, the
// value that __builtin_expect (likely/unlikely) passes through, and what a
// braced initializer gives each field.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_EXPRVALUES_H
#define FORKSAFETY_CORE_EXPRVALUES_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>
#include <optional>

namespace clang {
class ASTContext;
class Expr;
class FieldDecl;
class InitListExpr;
} // namespace clang

namespace forksafety {

/// The value of \p E, casts aside, if it is an integer constant of at most
/// 64 bits or a null pointer literal (0).
std::optional<int64_t> integerConstant(const clang::Expr *E,
                                       clang::ASTContext &Ctx);

/// The argument whose value \p E passes through when it is a call to
/// __builtin_expect; else null.
const clang::Expr *expectedValue(const clang::Expr *E);

/// The braced initializer \p E is, through implicit nodes, parentheses, a
/// compound literal (`(struct proc){...}`) or a functional cast
/// (`Proc{...}`), in its semantic form; else null.
const clang::InitListExpr *bracedInitializer(const clang::Expr &E);

/// Calls \p Visit with each field of a structure that the braced
/// initializer \p List gives a value, in order, and that value, as code
/// generation pairs them: C++ bases come first and unnamed bit-fields take
/// none. Of a union, the one member it initializes.
void forEachFieldInitializer(
    const clang::InitListExpr &List,
    llvm::function_ref<void(const clang::FieldDecl &, const clang::Expr &)>
        Visit);

} // namespace forksafety

#endif // FORKSAFETY_CORE_EXPRVALUES_H
