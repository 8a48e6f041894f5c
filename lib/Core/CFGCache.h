//===- CFGCache.h - One CFG per function body ------------------*- C++ -*-===//

#ifndef FORKSAFETY_CORE_CFGCACHE_H
#define FORKSAFETY_CORE_CFGCACHE_H

#include <map>
#include <memory>

namespace clang {
class ASTContext;
class CFG;
class Decl;
class Stmt;
} // namespace clang

namespace forksafety {

class CFGCache {
public:
  explicit CFGCache(clang::ASTContext &Ctx);
  ~CFGCache();

  /// Builds (once) the CFG of \p Body, the body of \p D; null when Clang
  /// cannot build it.
  const clang::CFG *get(const clang::Decl &D, const clang::Stmt &Body);
  /// Frees the CFG of \p D, which is built again if asked for.
  void forget(const clang::Decl &D) { Graphs.erase(&D); }

private:
  clang::ASTContext &Ctx;
  std::map<const clang::Decl *, std::unique_ptr<clang::CFG>> Graphs;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CFGCACHE_H
