//===- CFGCache.h - One CFG per function body ------------------*- C++ -*-===//

#ifndef FORKSAFETY_CORE_CHILDPATHS_CFGCACHE_H
#define FORKSAFETY_CORE_CHILDPATHS_CFGCACHE_H

#include "llvm/ADT/DenseMap.h"

#include <map>
#include <memory>
#include <set>

namespace clang {
class ASTContext;
class CFG;
class CFGBlock;
class Decl;
class Stmt;
} // namespace clang

namespace forksafety {

class BranchSites;

class CFGCache {
public:
  explicit CFGCache(clang::ASTContext &Ctx);
  ~CFGCache();

  /// Builds (once) the CFG of \p Body, the body of \p D; null when Clang
  /// cannot build it.
  const clang::CFG *get(const clang::Decl &D, const clang::Stmt &Body);
  /// Finds the element of the call or construction \p S in the CFG of \p D,
  /// which was built: its first block and its index there. The index is
  /// built once per CFG.
  bool locate(const clang::Decl &D, const clang::Stmt *S,
              const clang::CFGBlock *&Block, int &Index);
  /// Frees the CFG of \p D, which is built again if asked for, unless it
  /// is kept.
  void forget(const clang::Decl &D);
  /// Where the CFG of \p D, which was built, decides its tests and
  /// computes its ?: (found once, for the walks from all its forks).
  const BranchSites &branches(const clang::Decl &D);
  /// Keeps the CFG of \p D for as long as this cache lives: something
  /// refers to its blocks.
  void keep(const clang::Decl &D) { Kept.insert(&D); }

private:
  clang::ASTContext &Ctx;
  std::map<const clang::Decl *, std::unique_ptr<clang::CFG>> Graphs;
  /// What each graph was built from.
  std::map<const clang::Decl *, const clang::Stmt *> Bodies;
  std::set<const clang::Decl *> Kept;
  std::map<const clang::Decl *,
           llvm::DenseMap<const clang::Stmt *,
                          std::pair<const clang::CFGBlock *, int>>>
      Elements;
  std::map<const clang::Decl *, std::unique_ptr<BranchSites>> Branches;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_CFGCACHE_H
