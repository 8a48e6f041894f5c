//===- CFGCache.cpp - One CFG per function body ---------------------------===//

#include "Core/ChildPaths/CFGCache.h"

#include "Core/ChildPaths/PathWalker.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Analysis/CFG.h"

namespace forksafety {

CFGCache::CFGCache(clang::ASTContext &Ctx) : Ctx(Ctx) {}

CFGCache::~CFGCache() = default;

void CFGCache::forget(const clang::Decl &D) {
  if (Kept.count(&D))
    return;
  Graphs.erase(&D);
  Bodies.erase(&D);
  Elements.erase(&D);
  Branches.erase(&D);
}

const BranchSites &CFGCache::branches(const clang::Decl &D) {
  std::unique_ptr<BranchSites> &Known = Branches[&D];
  if (!Known)
    Known = std::make_unique<BranchSites>(*Graphs.at(&D), *Bodies.at(&D),
                                          Ctx.getSourceManager());
  return *Known;
}

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
    Bodies[&D] = &Body;
  }
  return It->second.get();
}

bool CFGCache::locate(const clang::Decl &D, const clang::Stmt *S,
                      const clang::CFGBlock *&Block, int &Index) {
  auto Graph = Graphs.find(&D);
  if (Graph == Graphs.end() || !Graph->second)
    return false;
  auto [It, Inserted] = Elements.try_emplace(&D);
  if (Inserted)
    for (const clang::CFGBlock *B : *Graph->second)
      for (unsigned I = 0, E = B->size(); I < E; ++I)
        if (std::optional<clang::CFGStmt> Element =
                (*B)[I].getAs<clang::CFGStmt>())
          if (llvm::isa<clang::CallExpr, clang::CXXConstructExpr>(
                  Element->getStmt()))
            It->second.try_emplace(Element->getStmt(), B, static_cast<int>(I));
  auto Found = It->second.find(S);
  if (Found == It->second.end())
    return false;
  Block = Found->second.first;
  Index = Found->second.second;
  return true;
}

} // namespace forksafety
