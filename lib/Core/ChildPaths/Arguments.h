//===- Arguments.h - Known arguments and conditions on parameters -*- C++
//-*-===//
//
// A helper often does its unsafe work only for some values of a parameter:
// it formats an error message when its error-out pointer is not null, it
// locks when a flag is set. The paths of a function record the conditions on
// parameters that their branches test, and each call the arguments known at
// it, so that the solver follows in a callee only the paths that the call's
// arguments allow.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_CHILDPATHS_ARGUMENTS_H
#define FORKSAFETY_CORE_CHILDPATHS_ARGUMENTS_H

#include "Core/Model/ProgramModel.h"

#include "llvm/ADT/DenseMap.h"

#include <optional>
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class Expr;
class FunctionDecl;
} // namespace clang

namespace forksafety {

/// The parameters of a function whose value is the caller's argument
/// wherever the function reads it: scalars that the body only reads.
class ReadOnlyParameters {
public:
  explicit ReadOnlyParameters(const clang::FunctionDecl &Function);

  /// The position of the parameter \p E names, if it is one of them.
  std::optional<unsigned> positionOf(const clang::Expr *E) const;

private:
  const clang::FunctionDecl &Function;
  /// By parameter position: read-only.
  std::vector<bool> ReadOnly;
};

/// The condition on a parameter that the branch condition \p Condition puts
/// on the path that goes on where it is \p Taken (true or false), if it
/// compares a read-only parameter with a constant.
std::optional<ParameterCondition>
parameterCondition(const clang::Expr *Condition, bool Taken,
                   const ReadOnlyParameters &Params, clang::ASTContext &Ctx);

/// The arguments of \p Call whose value is known: constants, addresses, and
/// (when \p Params is given) read-only parameters of the calling function
/// passed on.
std::vector<KnownArgument> knownArguments(const clang::CallExpr &Call,
                                          const ReadOnlyParameters *Params,
                                          clang::ASTContext &Ctx);

/// Whether \p Condition holds for an argument known to be \p Value: true,
/// false, or unknown. \p Value is a Constant or NonZero argument.
std::optional<bool> conditionHolds(const ParameterCondition &Condition,
                                   const KnownArgument &Value);

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_ARGUMENTS_H
