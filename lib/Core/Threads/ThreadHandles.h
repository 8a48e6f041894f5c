//===- ThreadHandles.h - Where a function creates and joins threads -*- C++
//-*-===//
//
// Finds, in the body of one function, the handle each thread creation
// stores its thread in (pthread_create(&t, ...), std::thread t(...),
// threads.emplace_back(...)), the joins and detaches of handles, and the
// loops that join every element of an array or container. Handles are named
// by keys (see ThreadEffects.h).
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_THREADS_THREADHANDLES_H
#define FORKSAFETY_CORE_THREADS_THREADHANDLES_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <string>
#include <utility>
#include <vector>

namespace clang {
class ASTContext;
class CFG;
class CFGBlock;
class CallExpr;
class Decl;
class Expr;
class FunctionDecl;
class ParmVarDecl;
class Stmt;
class VarDecl;
} // namespace clang

namespace forksafety {

/// What the statements of one function do to thread handles.
struct ThreadOps {
  /// Thread creations, with the key of the handle that keeps the thread
  /// (empty when none does).
  llvm::DenseMap<const clang::Stmt *, std::string> Creations;
  /// Joins of one handle, effective where they run.
  llvm::DenseMap<const clang::Stmt *, std::string> Joins;
  /// Detaches: the thread is no longer joinable.
  llvm::DenseMap<const clang::Stmt *, std::string> Detaches;
  /// A handle moved into another (threads.push_back(std::move(t))).
  llvm::DenseMap<const clang::Stmt *, std::pair<std::string, std::string>>
      Moves;
  /// Objects constructed into a named variable or member, by key.
  llvm::DenseMap<const clang::Stmt *, std::string> Constructed;
  /// Loops that join every element of an array or container, by the block
  /// that holds their condition: the handles are joined on the edge that
  /// leaves the loop (its exit block may be reached by paths that skip it).
  llvm::DenseMap<const clang::CFGBlock *, std::vector<std::string>> LoopJoins;
  /// The function's receiver (receiverParameter), found once.
  const clang::ParmVarDecl *Receiver = nullptr;
};

/// Finds the thread operations of the function \p Function, whose body
/// \p Graph was built from; \p CreationSites are the statements that create
/// threads.
ThreadOps
findThreadOps(clang::ASTContext &Ctx, const clang::Decl &Function,
              const clang::CFG &Graph,
              const llvm::DenseSet<const clang::Stmt *> &CreationSites);

/// The key of the handle \p Var is, destroyed at the end of its scope, when
/// its destructor joins threads (std::jthread, a container of them); else
/// empty.
std::string joiningDestructorKey(clang::ASTContext &Ctx,
                                 const clang::VarDecl &Var);

/// The key of the handle \p E names, or empty. Within a function whose
/// receiver is \p Receiver (see receiverParameter), the object it points to
/// is "this".
std::string handleKey(clang::ASTContext &Ctx, const clang::Expr &E,
                      const clang::ParmVarDecl *Receiver = nullptr);

/// Whether calls to \p FD pass an object as their first argument, a
/// pointer to a structure, as C APIs do (start_job(&job), wait_job(&job)):
/// handles kept in it are named like members ("this.field").
bool takesReceiver(const clang::FunctionDecl &FD);

/// The first parameter of \p FD when \p FD takes a receiver and never
/// changes where it points; else null.
const clang::ParmVarDecl *receiverParameter(const clang::FunctionDecl &FD);

/// The key of the handle the variable \p Var is.
std::string variableHandleKey(clang::ASTContext &Ctx,
                              const clang::VarDecl &Var);

/// Whether \p Call is pthread_create, thrd_create or uv_thread_create: it
/// keeps the thread where its first argument points, and returns 0 only
/// when the thread runs.
bool startsThreadThroughFirstArgument(const clang::CallExpr &Call);

/// Whether calling \p FD joins or detaches a thread.
bool isThreadHandleOperation(const clang::FunctionDecl &FD);

/// Whether \p Key names a local variable of a function.
bool isLocalKey(const std::string &Key);

} // namespace forksafety

#endif // FORKSAFETY_CORE_THREADS_THREADHANDLES_H
