//===- ThreadOrder.cpp - May threads exist when a fork runs? --------------===//

#include "Core/ThreadOrder.h"

#include "Core/CFGCache.h"
#include "Core/CallIndex.h"
#include "Core/LibraryModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"

#include "llvm/ADT/STLExtras.h"

#include <deque>

namespace forksafety {

using namespace clang;

ThreadOrder::ThreadOrder(ASTContext &Ctx, const ProgramFacts &Facts,
                         CFGCache &Graphs, Elsewhere Assumption,
                         const CallIndexer *Index)
    : Ctx(Ctx), Facts(Facts), Graphs(Graphs), Assumption(Assumption),
      Index(Index) {
  for (const ThreadCreationSite &Site : Facts.ThreadCreations)
    CreationSites.insert(Site.S);
}

void ThreadOrder::indexCalls() {
  Indexed = true;
  std::optional<CallIndexer> Own;
  if (!Index) {
    Own.emplace(Ctx.getSourceManager());
    Own->TraverseAST(Ctx);
  }
  const CallIndexer &Indexer = Index ? *Index : *Own;
  AddressTaken = Indexer.AddressTaken;
  for (const CallIndexer::Call &Call : Indexer.Calls) {
    Callers[Call.Callee].push_back(
        {Call.Caller, Call.Caller->getBody(), Call.Expr});
    Callees[Call.Caller].push_back(Call.Expr);
  }
  for (const ThreadCreationSite &Site : Facts.ThreadCreations)
    if (const auto *FD = dyn_cast_or_null<FunctionDecl>(Site.Function))
      CreatesThreads[FD] = true;
}

/// A function of the program defined in another translation unit may create
/// threads, unless the assumption is that it does not. Library functions
/// create threads only when the table or ThreadCreationFunctions says so,
/// and their calls are creation sites.
bool ThreadOrder::isDefinedElsewhere(const FunctionDecl *Callee) const {
  return Callee && !Callee->hasBody() && Callee->getBuiltinID() == 0 &&
         !isInSystemHeader(*Callee, Ctx.getSourceManager());
}

bool ThreadOrder::callCreatesThreads(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  const FunctionDecl *Definition = nullptr;
  if (Callee && Callee->hasBody(Definition) && Definition)
    return createsThreads(Definition);
  return Assumption == Elsewhere::MayCreateThreads &&
         isDefinedElsewhere(Callee);
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

namespace {

/// A place in a CFG: right after element Index of Block.
using Point = std::pair<const CFGBlock *, unsigned>;

/// Whether a path from one of \p From reaches the statement \p S.
bool reaches(const std::vector<Point> &From, const Stmt *S) {
  auto IsS = [&](const CFGElement &Element) {
    std::optional<CFGStmt> Stmt = Element.getAs<CFGStmt>();
    return Stmt && Stmt->getStmt() == S;
  };
  llvm::DenseSet<const CFGBlock *> Seen;
  std::deque<const CFGBlock *> Work;
  auto Successors = [&](const CFGBlock &Block) {
    for (const CFGBlock::AdjacentBlock &Succ : Block.succs())
      if (const CFGBlock *Next = Succ.getReachableBlock())
        if (Seen.insert(Next).second)
          Work.push_back(Next);
  };
  for (auto [Block, Index] : From) {
    for (unsigned I = Index + 1, E = Block->size(); I < E; ++I)
      if (IsS((*Block)[I]))
        return true;
    Successors(*Block);
  }
  while (!Work.empty()) {
    const CFGBlock *Block = Work.front();
    Work.pop_front();
    if (llvm::any_of(*Block, IsS))
      return true;
    Successors(*Block);
  }
  return false;
}

} // namespace

std::vector<const FunctionDecl *>
ThreadOrder::externalsReachedBy(const CallExpr *Call) {
  // Only assumed to create no threads: the defined callee and the defined
  // functions it calls may call functions of other translation units.
  std::vector<const FunctionDecl *> Found;
  const FunctionDecl *Callee = Call->getDirectCallee();
  const FunctionDecl *Definition = nullptr;
  if (isDefinedElsewhere(Callee))
    return {Callee->getCanonicalDecl()};
  if (!Callee || !Callee->hasBody(Definition) || !Definition)
    return {};
  llvm::DenseSet<const FunctionDecl *> Seen{Definition};
  std::vector<const FunctionDecl *> Work{Definition};
  while (!Work.empty()) {
    const FunctionDecl *Function = Work.back();
    Work.pop_back();
    for (const CallExpr *Inner : Callees.lookup(Function)) {
      const FunctionDecl *Next = Inner->getDirectCallee();
      const FunctionDecl *NextDefinition = nullptr;
      if (isDefinedElsewhere(Next))
        Found.push_back(Next->getCanonicalDecl());
      else if (Next && Next->hasBody(NextDefinition) && NextDefinition &&
               Seen.insert(NextDefinition).second)
        Work.push_back(NextDefinition);
    }
  }
  return Found;
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
  // Calls that only may, through functions of other translation units, are
  // the assumptions of Elsewhere::CreatesNone when they reach S.
  std::vector<Point> Creations;
  std::vector<std::pair<Point, const CallExpr *>> Assumptions;
  for (const CFGBlock *Block : *Graph) {
    for (unsigned I = 0, E = Block->size(); I < E; ++I) {
      std::optional<CFGStmt> Element = (*Block)[I].getAs<CFGStmt>();
      if (!Element)
        continue;
      const auto *Call = dyn_cast<CallExpr>(Element->getStmt());
      if (CreationSites.contains(Element->getStmt()) ||
          (Call && callCreatesThreads(Call)))
        Creations.push_back({Block, I});
      else if (Call && Assumption == Elsewhere::CreatesNone)
        Assumptions.push_back({{Block, I}, Call});
    }
  }
  if (reaches(Creations, S))
    return true;
  for (const auto &[Where, Call] : Assumptions) {
    std::vector<const FunctionDecl *> Externals = externalsReachedBy(Call);
    if (Externals.empty() || !reaches({Where}, S))
      continue;
    for (const FunctionDecl *External : Externals)
      if (Assumed.insert(External).second)
        AssumedNone.push_back(External);
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
