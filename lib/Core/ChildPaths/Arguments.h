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
#include "llvm/ADT/STLFunctionalExtras.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class BinaryOperator;
class CallExpr;
class Expr;
class FieldDecl;
class FunctionDecl;
class InitListExpr;
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

/// The read-only parameters of each function of a translation unit, found
/// once: each fork, recorded function and function-pointer argument of a
/// function asks again.
class ReadOnlyParameterCache {
public:
  const ReadOnlyParameters &of(const clang::FunctionDecl &Function);

private:
  llvm::DenseMap<const clang::FunctionDecl *,
                 std::unique_ptr<ReadOnlyParameters>>
      Known;
};

/// The condition on a parameter that the branch condition \p Condition puts
/// on the path that goes on where it is \p Taken (true or false), if it
/// compares a read-only parameter with a constant.
std::optional<ParameterCondition>
parameterCondition(const clang::Expr *Condition, bool Taken,
                   const ReadOnlyParameters &Params, clang::ASTContext &Ctx);

/// The function \p E is the address of, if it names one.
const clang::FunctionDecl *functionNamedBy(const clang::Expr *E);

/// The arguments of \p Call whose value is known: constants, functions,
/// other addresses, and (when \p Params is given) read-only parameters of
/// the calling function passed on. \p ValueOnPath, if given, tells the
/// value the path knows an argument has (the fork's result in its child).
std::vector<KnownArgument>
knownArguments(const clang::CallExpr &Call, const ReadOnlyParameters *Params,
               clang::ASTContext &Ctx,
               llvm::function_ref<std::optional<int64_t>(const clang::Expr &)>
                   ValueOnPath = nullptr);

/// What the program gives its function pointers (see FunctionPointerValue):
/// the arguments of calls for parameters that hold a function's address,
/// and the values stored in fields that do.
class FunctionPointerFlow {
public:
  /// \p Params, if given, is shared with the recording of the translation
  /// unit.
  explicit FunctionPointerFlow(clang::ASTContext &Ctx,
                               ReadOnlyParameterCache *Params = nullptr);
  ~FunctionPointerFlow();

  /// What \p Call, made in \p Caller, passes to its callee's parameters
  /// that hold a function's address, by position.
  std::vector<std::pair<unsigned, std::string>>
  passedBy(const clang::CallExpr &Call, const clang::FunctionDecl *Caller);
  /// Adds to \p Model::FunctionsStored what the translation unit stores in
  /// fields that hold a function's address, in a walk of its own.
  void recordStores(ProgramModel &Model);
  /// What \p E, evaluated in \p Enclosing, gives a function pointer.
  std::string valueOf(const clang::Expr *E,
                      const clang::FunctionDecl *Enclosing);

private:
  clang::ASTContext &Ctx;
  ReadOnlyParameterCache OwnParams;
  ReadOnlyParameterCache &Params;
};

/// Finds the values stored in fields that hold a function's address in
/// the code a walk over the translation unit meets: assignments to fields
/// and the initializer lists of records, each with the function declared
/// as one (not a method, lambda or block) that holds it, null outside
/// any. The walk that indexes a C unit's calls feeds it.
class FieldStoreFinder {
public:
  FieldStoreFinder(FunctionPointerFlow &Flow, ProgramModel &Model)
      : Flow(Flow), Model(Model) {}
  void assignment(const clang::BinaryOperator &Assign,
                  const clang::FunctionDecl *Enclosing);
  void initializers(const clang::InitListExpr &List,
                    const clang::FunctionDecl *Enclosing);
  /// Puts each field's values in order, once the walk is over.
  void finish();

private:
  void store(const clang::FieldDecl &Field, const clang::Expr *Value,
             const clang::FunctionDecl *Enclosing);

  FunctionPointerFlow &Flow;
  ProgramModel &Model;
};

/// What the parameters of a function that forks are known to hold, from
/// \p Passed (ProgramModel::FunctionsPassed of the function, with the
/// values that name parameters and fields resolved): the positions where
/// every call passes a known function.
std::vector<KnownArgument>
parameterValues(const std::map<unsigned, std::vector<std::string>> &Passed);

/// Whether \p Condition holds for an argument known to be \p Value: true,
/// false, or unknown. \p Value is a Constant or NonZero argument.
std::optional<bool> conditionHolds(const ParameterCondition &Condition,
                                   const KnownArgument &Value);

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_ARGUMENTS_H
