//===- ThreadOrder.h - May threads exist when a fork runs? -----*- C++ -*-===//
//
// A fork that can only run before the program creates its first thread (the
// classic daemon: fork, setsid, then start the workers) is safe. Within one
// translation unit that holds main, this follows the paths from main to the
// fork through the forking function and its callers; whenever the answer
// depends on something outside the translation unit, threads may exist.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_THREADORDER_H
#define FORKSAFETY_CORE_THREADORDER_H

#include "Core/ProgramFacts.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

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

class CFGCache;
class CallIndexer;

class ThreadOrder {
public:
  /// How calls to program functions defined in other translation units
  /// count.
  enum class Elsewhere {
    MayCreateThreads, ///< When unsure, threads may exist.
    CreatesNone,      ///< Assume they create none; assumedNone() lists them.
  };

  /// \p Index, if given, is the translation unit's call index; else one is
  /// built when needed.
  ThreadOrder(clang::ASTContext &Ctx, const ProgramFacts &Facts,
              CFGCache &Graphs, Elsewhere Assumption,
              const CallIndexer *Index = nullptr);

  /// False only if no thread can have been created when \p Fork runs.
  bool threadsMayExistAt(const ForkSite &Fork);

  /// With Elsewhere::CreatesNone: the functions of other translation units
  /// assumed to create no threads so far, because they may run before a
  /// fork asked about.
  const std::vector<const clang::FunctionDecl *> &assumedNone() const {
    return AssumedNone;
  }

private:
  struct CallSite {
    const clang::Decl *Caller;
    const clang::Stmt *Body;
    const clang::CallExpr *Call;
  };

  bool definesMain() const;
  void indexCalls();
  bool createsThreads(const clang::FunctionDecl *Function);
  bool callCreatesThreads(const clang::CallExpr *Call);
  bool isDefinedElsewhere(const clang::FunctionDecl *Callee) const;
  std::vector<const clang::FunctionDecl *>
  externalsReachedBy(const clang::CallExpr *Call);
  bool threadsMayExistBefore(const clang::Decl *Function,
                             const clang::Stmt *Body, const clang::Stmt *S);
  bool threadsMayExistAtEntry(const clang::Decl *Function);

  clang::ASTContext &Ctx;
  const ProgramFacts &Facts;
  CFGCache &Graphs;
  Elsewhere Assumption;
  const CallIndexer *Index;
  std::vector<const clang::FunctionDecl *> AssumedNone;
  llvm::DenseSet<const clang::FunctionDecl *> Assumed;
  std::optional<bool> HasMain;
  bool Indexed = false;
  /// Call sites of each function defined in the translation unit.
  llvm::DenseMap<const clang::FunctionDecl *, std::vector<CallSite>> Callers;
  /// Calls made by each function to functions with bodies.
  llvm::DenseMap<const clang::Decl *, std::vector<const clang::CallExpr *>>
      Callees;
  /// Functions whose address is taken: they may be called from anywhere.
  llvm::DenseSet<const clang::FunctionDecl *> AddressTaken;
  /// Statements that create threads, and the functions they are in.
  llvm::DenseSet<const clang::Stmt *> CreationSites;
  llvm::DenseMap<const clang::FunctionDecl *, bool> CreatesThreads;
  llvm::DenseMap<const clang::Decl *, bool> AtEntry;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_THREADORDER_H
