//===- ProgramFacts.h - Fork sites and thread creation in a TU -*- C++ -*-===//

#ifndef FORKSAFETY_CORE_PROGRAMFACTS_H
#define FORKSAFETY_CORE_PROGRAMFACTS_H

#include "Core/AnalysisOptions.h"
#include "Core/Functions/FunctionTable.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class CXXConstructExpr;
class Decl;
class DeclRefExpr;
class FunctionDecl;
class OMPExecutableDirective;
class Stmt;
class VarDecl;
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

/// pthread_atfork(Prepare, Parent, Child): handlers named directly, or null.
struct AtForkRegistration {
  clang::SourceLocation Loc;
  const clang::FunctionDecl *Prepare;
  const clang::FunctionDecl *Parent;
  const clang::FunctionDecl *Child;
};

/// A function that locks or unlocks a mutex held in a global variable.
struct MutexUse {
  const clang::FunctionDecl *Function;
  const clang::VarDecl *Mutex;
  bool Locks; ///< Else unlocks.
};

struct ProgramFacts {
  std::vector<ForkSite> Forks;
  std::optional<ThreadCreation> FirstThreadCreation;
  std::vector<ThreadCreationSite> ThreadCreations;
  std::vector<AtForkRegistration> AtForkRegistrations;
  std::vector<MutexUse> MutexUses;
};

/// The global mutex \p Call locks or unlocks (pthread_mutex_lock(&m),
/// pthread_mutex_unlock(&m)), if any; \p Locks tells which.
const clang::VarDecl *globalMutexOperand(const clang::CallExpr &Call,
                                         bool &Locks);

class CallIndexer;
class ReadOnlyParameterCache;

/// Gathers the facts of a translation unit from the code a walk over its
/// user code meets, each with the innermost function, method, lambda or
/// block that holds it (null outside any): the walk that indexes calls
/// gathers them too.
class FactsFinder {
public:
  explicit FactsFinder(const AnalysisOptions &Opts);
  void call(const clang::CallExpr &Call, const clang::Decl *Function);
  void construct(const clang::CXXConstructExpr &Construct,
                 const clang::Decl *Function);
  void reference(const clang::DeclRefExpr &Ref, const clang::Decl *Function);
  void directive(const clang::OMPExecutableDirective &Directive,
                 const clang::Decl *Function);

  ProgramFacts Facts;

private:
  bool isUserThreadCreator(const clang::FunctionDecl &FD) const;
  bool createsThreads(const clang::FunctionDecl &FD) const;
  void recordForkHandlers(const clang::CallExpr &Call,
                          const clang::FunctionDecl &FD,
                          const clang::Decl *Function);
  void recordThreads(const clang::Stmt &S, const clang::Decl *Function,
                     std::string What);

  /// What a callee may make a call of it: a fork, threads, a fork handler
  /// or a lock of a mutex; or nothing, whatever its arguments.
  enum class CalleeRole { Fork, Threads, Other, None };
  CalleeRole roleOf(const clang::FunctionDecl &FD);

  llvm::StringSet<> UserThreadCreators;
  /// Large translation units call the same few functions many times.
  llvm::DenseMap<const clang::FunctionDecl *, CalleeRole> Roles;
};

/// Finds the fork-like calls and the first evidence of thread creation in
/// the user code (not the system headers) of a translation unit.
ProgramFacts collectProgramFacts(clang::ASTContext &Ctx,
                                 const AnalysisOptions &Opts);

/// The facts of one translation unit, collected once for the analyses that
/// share it (the compiler plugin checks a unit and records its summary):
/// they differ only with ThreadCreationFunctions.
class UnitFacts {
public:
  /// \p FindStores: in C, the walk that builds the index also finds the
  /// stores in fields of function pointers, for the unit's summary, with
  /// the read-only parameters of \p Params if given (the recorder's).
  explicit UnitFacts(clang::ASTContext &Ctx, bool FindStores = false,
                     ReadOnlyParameterCache *Params = nullptr);
  ~UnitFacts();
  const ProgramFacts &get(const AnalysisOptions &Opts);
  /// The unit's call index, built by the walk that gathers the first facts.
  const CallIndexer &index();
  /// What the unit stores in fields of function pointers
  /// (ProgramModel::FunctionsStored), if the index's walk found it.
  const std::map<std::string, std::vector<std::string>> *fieldStores() const {
    return Stores ? &*Stores : nullptr;
  }

private:
  void buildIndex(FactsFinder *Finder);

  clang::ASTContext &Ctx;
  bool FindStores;
  ReadOnlyParameterCache *Params;
  std::unique_ptr<CallIndexer> Index;
  std::map<std::vector<std::string>, ProgramFacts> Collected;
  std::optional<std::map<std::string, std::vector<std::string>>> Stores;
};

/// Drops the thread creations in functions no code of the translation unit
/// can run: functions of internal linkage that no code that can run calls
/// or takes the address of, and no initializer runs. Templates never
/// instantiated leave no creation to drop.
void forgetUnreachableThreadCreations(ProgramFacts &Facts,
                                      const CallIndexer &Index);

/// A function that returns the result of a fork-like call to its caller.
struct ForkWrapper {
  ForkKind Kind;
  std::string Name;
};

/// The calls to \p Wrappers (keyed by canonical declaration) among the
/// calls \p Index holds: each is a fork site of its own.
std::vector<ForkSite> collectWrapperCalls(
    const CallIndexer &Index,
    const std::map<const clang::FunctionDecl *, ForkWrapper> &Wrappers);

} // namespace forksafety

#endif // FORKSAFETY_CORE_PROGRAMFACTS_H
