//===- CFGCache.cpp - One CFG per function body ---------------------------===//

#include "Core/CFGCache.h"

#include "clang/AST/ASTContext.h"
#include "clang/Analysis/CFG.h"

namespace forksafety {

CFGCache::CFGCache(clang::ASTContext &Ctx) : Ctx(Ctx) {}

CFGCache::~CFGCache() = default;

const clang::CFG *CFGCache::get(const clang::Decl &D, const clang::Stmt &Body) {
  auto [It, Inserted] = Graphs.try_emplace(&D);
  if (Inserted) {
    clang::CFG::BuildOptions Options;
    Options.AddImplicitDtors = true;
    Options.AddTemporaryDtors = true;
    Options.AddInitializers = true;
    Options.AddCXXDefaultInitExprInCtors = true;
    Options.setAllAlwaysAdd();
    It->second = clang::CFG::buildCFG(&D, const_cast<clang::Stmt *>(&Body),
                                      &Ctx, Options);
  }
  return It->second.get();
}

} // namespace forksafety
