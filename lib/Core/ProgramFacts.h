//===- ProgramFacts.h - Fork sites and thread creation in a TU -*- C++ -*-===//

#ifndef FORKSAFETY_CORE_PROGRAMFACTS_H
#define FORKSAFETY_CORE_PROGRAMFACTS_H

#include "Core/AnalysisOptions.h"
#include "Core/FunctionTable.h"

#include "clang/Basic/SourceLocation.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class Decl;
class FunctionDecl;
class Stmt;
} // namespace clang

namespace forksafety {

struct ForkSite {
  const clang::CallExpr *Call;
  ForkKind Kind;
  std::string ForkFunction;    ///< "fork", "vfork", "daemon"...
  const clang::Decl *Function; ///< The function, method, lambda or block.
  const clang::Stmt *Body;
  std::string FunctionName;
};

struct ThreadCreation {
  clang::SourceLocation Loc;
  std::string
      What; ///< "pthread_create", "std::thread", "OpenMP parallel region"
};

/// Where a thread is created: the statement, and the function, method,
/// lambda or block it is in (null outside any, e.g. a global initializer).
struct ThreadCreationSite {
  const clang::Stmt *S;
  const clang::Decl *Function;
  std::string What;
};

struct ProgramFacts {
  std::vector<ForkSite> Forks;
  std::optional<ThreadCreation> FirstThreadCreation;
  std::vector<ThreadCreationSite> ThreadCreations;
};

/// Finds the fork-like calls and the first evidence of thread creation in
/// the user code (not the system headers) of a translation unit.
ProgramFacts collectProgramFacts(clang::ASTContext &Ctx,
                                 const AnalysisOptions &Opts);

/// A function that returns the result of a fork-like call to its caller.
struct ForkWrapper {
  ForkKind Kind;
  std::string Name;
};

/// Finds the calls to \p Wrappers (keyed by canonical declaration) in the
/// user code of a translation unit: each is a fork site of its own.
std::vector<ForkSite> collectWrapperCalls(
    clang::ASTContext &Ctx,
    const std::map<const clang::FunctionDecl *, ForkWrapper> &Wrappers);

} // namespace forksafety

#endif // FORKSAFETY_CORE_PROGRAMFACTS_H
