//===- ThreadOrder.cpp - May threads exist when a fork runs? --------------===//

#include "Core/ThreadOrder.h"

#include "Core/CFGCache.h"
#include "Core/CallIndex.h"
#include "Core/LibraryModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"

#include <deque>

namespace forksafety {

using namespace clang;

ThreadOrder::ThreadOrder(ASTContext &Ctx, const ProgramFacts &Facts,
                         CFGCache &Graphs)
    : Ctx(Ctx), Facts(Facts), Graphs(Graphs) {
  for (const ThreadCreationSite &Site : Facts.ThreadCreations)
    CreationSites.insert(Site.S);
}

void ThreadOrder::indexCalls() {
  Indexed = true;
  CallIndexer Indexer(Ctx.getSourceManager());
  Indexer.TraverseAST(Ctx);
  AddressTaken = std::move(Indexer.AddressTaken);
  for (const CallIndexer::Call &Call : Indexer.Calls) {
    Callers[Call.Callee].push_back(
        {Call.Caller, Call.Caller->getBody(), Call.Expr});
    Callees[Call.Caller].push_back(Call.Expr);
  }
  for (const ThreadCreationSite &Site : Facts.ThreadCreations)
    if (const auto *FD = dyn_cast_or_null<FunctionDecl>(Site.Function))
      CreatesThreads[FD] = true;
}

/// A function of the program defined in another translation unit: it may
/// create threads. Library functions create threads only when the table or
/// ThreadCreationFunctions says so, and their calls are creation sites.
bool ThreadOrder::definedElsewhere(const FunctionDecl *Callee) const {
  return Callee && !Callee->hasBody() && Callee->getBuiltinID() == 0 &&
         !isInSystemHeader(*Callee, Ctx.getSourceManager());
}

bool ThreadOrder::callCreatesThreads(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  const FunctionDecl *Definition = nullptr;
  if (Callee && Callee->hasBody(Definition) && Definition)
    return createsThreads(Definition);
  return definedElsewhere(Callee);
}

bool ThreadOrder::createsThreads(const FunctionDecl *Function) {
  auto [It, Inserted] = CreatesThreads.try_emplace(Function, false);
  if (!Inserted)
    return It->second; // Also breaks recursion: a cycle adds nothing.
  bool Creates = false;
  for (const CallExpr *Call : Callees.lookup(Function)) {
    if (callCreatesThreads(Call)) {
      Creates = true;
      break;
    }
  }
  CreatesThreads[Function] = Creates;
  return Creates;
}

bool ThreadOrder::definesMain() const {
  IdentifierInfo &Name = Ctx.Idents.get("main");
  for (const NamedDecl *D :
       Ctx.getTranslationUnitDecl()->lookup(DeclarationName(&Name)))
    if (const auto *FD = dyn_cast<FunctionDecl>(D); FD && FD->isMain())
      if (FD->hasBody())
        return true;
  return false;
}

bool ThreadOrder::threadsMayExistAt(const ForkSite &Fork) {
  // Without main here, the callers of any function are unknown: no need
  // to index the calls.
  if (!HasMain)
    HasMain = definesMain();
  if (!*HasMain)
    return true;
  if (!Indexed)
    indexCalls();
  return threadsMayExistBefore(Fork.Function, Fork.Body, Fork.Call);
}

bool ThreadOrder::threadsMayExistBefore(const Decl *Function, const Stmt *Body,
                                        const Stmt *S) {
  if (threadsMayExistAtEntry(Function))
    return true;
  const CFG *Graph = Graphs.get(*Function, *Body);
  if (!Graph)
    return true;
  // Threads may exist at S if S can be reached from a statement that creates
  // them: a creation site, or a call to a function that creates threads.
  auto CreatesHere = [&](const Stmt *Element) {
    if (CreationSites.contains(Element))
      return true;
    const auto *Call = dyn_cast<CallExpr>(Element);
    return Call && callCreatesThreads(Call);
  };
  llvm::DenseSet<const CFGBlock *> Seen;
  std::deque<const CFGBlock *> Work;
  for (const CFGBlock *Block : *Graph) {
    bool Created = false;
    for (const CFGElement &Element : *Block) {
      std::optional<CFGStmt> Stmt = Element.getAs<CFGStmt>();
      if (!Stmt)
        continue;
      if (Created && Stmt->getStmt() == S)
        return true;
      Created = Created || CreatesHere(Stmt->getStmt());
    }
    if (Created)
      for (const CFGBlock::AdjacentBlock &Succ : Block->succs())
        if (const CFGBlock *Next = Succ.getReachableBlock())
          if (Seen.insert(Next).second)
            Work.push_back(Next);
  }
  while (!Work.empty()) {
    const CFGBlock *Block = Work.front();
    Work.pop_front();
    for (const CFGElement &Element : *Block)
      if (std::optional<CFGStmt> Stmt = Element.getAs<CFGStmt>();
          Stmt && Stmt->getStmt() == S)
        return true;
    for (const CFGBlock::AdjacentBlock &Succ : Block->succs())
      if (const CFGBlock *Next = Succ.getReachableBlock())
        if (Seen.insert(Next).second)
          Work.push_back(Next);
  }
  return false;
}

bool ThreadOrder::threadsMayExistAtEntry(const Decl *Function) {
  auto [It, Inserted] = AtEntry.try_emplace(Function, true);
  if (!Inserted)
    return It->second; // Recursion: unsure.
  bool MayExist = true;
  const auto *FD = dyn_cast<FunctionDecl>(Function);
  if (FD && FD->isMain()) {
    // Threads created outside any function (a global initializer) or in a
    // constructor (of a global object, perhaps) may predate main.
    MayExist = false;
    for (const ThreadCreationSite &Site : Facts.ThreadCreations)
      if (!Site.Function || isa<CXXConstructorDecl>(Site.Function))
        MayExist = true;
  } else if (FD && !FD->isExternallyVisible() &&
             !AddressTaken.contains(canonical(FD))) {
    // Only this translation unit calls it, and only directly.
    auto Sites = Callers.find(canonical(FD));
    MayExist = Sites == Callers.end();
    if (!MayExist)
      for (const CallSite &Site : Sites->second)
        if (!Site.Body ||
            threadsMayExistBefore(Site.Caller, Site.Body, Site.Call)) {
          MayExist = true;
          break;
        }
  }
  AtEntry[Function] = MayExist;
  return MayExist;
}

} // namespace forksafety
