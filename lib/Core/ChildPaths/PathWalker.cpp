//===- PathWalker.cpp - Paths through a CFG under one fork outcome --------===//

#include "Core/ChildPaths/PathWalker.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/STLExtras.h"

namespace forksafety {

using namespace clang;

PathWalker::Visitor::~Visitor() = default;

namespace {

bool startsWith(const StorageKey &Key, const StorageKey &Prefix) {
  return Key.size() >= Prefix.size() &&
         std::equal(Prefix.begin(), Prefix.end(), Key.begin());
}

/// Records a write to \p Place: it holds the fork's result afterwards only
/// if \p Tracked, and whatever was stored inside it is overwritten.
void setTracked(PathState &State, const Expr *Place, bool Tracked) {
  std::optional<StorageKey> Key = storageKeyOf(Place);
  if (!Key)
    return;
  auto &Vars = State.ForkVars;
  llvm::erase_if(Vars,
                 [&](const StorageKey &K) { return startsWith(K, *Key); });
  if (Tracked)
    Vars.insert(llvm::lower_bound(Vars, *Key), *Key);
}

bool caseMayMatch(const CaseStmt &Case, ValueRange Value, ASTContext &Ctx,
                  bool &MatchesExactly) {
  if (Case.getLHS()->isValueDependent())
    return true;
  int64_t Lo = Case.getLHS()->EvaluateKnownConstInt(Ctx).getExtValue();
  int64_t Hi = Lo;
  if (const Expr *RHS = Case.getRHS())
    Hi = RHS->EvaluateKnownConstInt(Ctx).getExtValue();
  if (Value.Hi < Lo || Hi < Value.Lo)
    return false;
  if (Value.Lo == Value.Hi)
    MatchesExactly = true;
  return true;
}

/// The return statement that ends \p Block, if any.
const ReturnStmt *returnStatementOf(const CFGBlock &Block) {
  for (auto It = Block.rbegin(), E = Block.rend(); It != E; ++It)
    if (std::optional<CFGStmt> S = It->getAs<CFGStmt>())
      if (const auto *Return = dyn_cast<ReturnStmt>(S->getStmt()))
        return Return;
  return nullptr;
}

} // namespace

ForkValueEvaluator PathWalker::evaluatorFor(const PathState &State) const {
  return ForkValueEvaluator(Ctx, State.ForkRunsAgain ? nullptr : ForkCall,
                            rangeOf(Outcome), State.ForkVars);
}

void PathWalker::updateForkVars(const CFGElement &Element,
                                PathState &State) const {
  std::optional<CFGStmt> S = Element.getAs<CFGStmt>();
  if (!S)
    return;
  // A child that runs the fork again is the parent of a new child, and that
  // new child is on the child path too. Parent and failure paths keep their
  // role: they describe the code the original process runs.
  if (ForkCall && S->getStmt() == ForkCall) {
    State.ForkRunsAgain = Outcome == ForkOutcome::Child;
    return;
  }
  ForkValueEvaluator Eval = evaluatorFor(State);
  if (const auto *Binary = dyn_cast<BinaryOperator>(S->getStmt())) {
    if (!Binary->isAssignmentOp())
      return;
    setTracked(State, Binary->getLHS(),
               Binary->getOpcode() == BO_Assign &&
                   Eval.yieldsForkResult(Binary->getRHS()));
    return;
  }
  if (const auto *Unary = dyn_cast<UnaryOperator>(S->getStmt())) {
    if (Unary->isIncrementDecrementOp())
      setTracked(State, Unary->getSubExpr(), false);
    return;
  }
  if (const auto *Decl = dyn_cast<DeclStmt>(S->getStmt())) {
    for (const clang::Decl *D : Decl->decls()) {
      const auto *Var = dyn_cast<VarDecl>(D);
      if (!Var)
        continue;
      StorageKey Key{Var};
      auto &Vars = State.ForkVars;
      llvm::erase_if(Vars,
                     [&](const StorageKey &K) { return startsWith(K, Key); });
      if (Var->getInit() && Eval.yieldsForkResult(Var->getInit()))
        Vars.insert(llvm::lower_bound(Vars, Key), Key);
    }
  }
}

llvm::SmallVector<const CFGBlock *, 2>
PathWalker::successors(const CFGBlock &Block, const PathState &State) const {
  llvm::SmallVector<const CFGBlock *, 2> Result;
  ForkValueEvaluator Eval = evaluatorFor(State);
  const Stmt *Terminator = Block.getTerminatorStmt();
  const auto *Cond = dyn_cast_or_null<Expr>(Block.getTerminatorCondition());

  if (isa_and_nonnull<SwitchStmt>(Terminator) && Cond) {
    std::optional<ValueRange> Value = Eval.evaluate(Cond);
    bool MatchesExactly = false;
    llvm::SmallVector<const CFGBlock *, 2> Defaults;
    for (const CFGBlock::AdjacentBlock &Succ : Block.succs()) {
      const CFGBlock *Target = Succ.getReachableBlock();
      if (!Target)
        continue;
      const auto *Case = dyn_cast_or_null<CaseStmt>(Target->getLabel());
      if (!Case)
        Defaults.push_back(Target);
      else if (!Value || caseMayMatch(*Case, *Value, Ctx, MatchesExactly))
        Result.push_back(Target);
    }
    if (!MatchesExactly)
      Result.append(Defaults.begin(), Defaults.end());
    return Result;
  }

  if (Block.succ_size() == 2 && Cond) {
    std::optional<bool> Taken = Eval.evaluateCondition(Cond);
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : Block.succs()) {
      bool Feasible = !Taken || *Taken == (Index == 0);
      ++Index;
      if (const CFGBlock *Target = Succ.getReachableBlock(); Target && Feasible)
        Result.push_back(Target);
    }
    return Result;
  }

  for (const CFGBlock::AdjacentBlock &Succ : Block.succs())
    if (const CFGBlock *Target = Succ.getReachableBlock())
      Result.push_back(Target);
  return Result;
}

void PathWalker::walk(const CFGBlock &Start, int StartIndex, Visitor &V) {
  Visited.clear();
  run({{&Start, static_cast<unsigned>(StartIndex + 1), {}}}, V);
}

void PathWalker::walkOn(const CFGBlock &Start, PathState State, Visitor &V) {
  std::vector<Item> Worklist;
  enqueue(Start, std::move(State), Worklist);
  run(std::move(Worklist), V);
}

void PathWalker::enqueue(const CFGBlock &To, PathState State,
                         std::vector<Item> &Worklist) {
  if (Visited
          .insert({To.getBlockID(), State.ExecSeen, State.ForkRunsAgain,
                   VarSets.idOf(State.ForkVars)})
          .second)
    Worklist.push_back({&To, 0, std::move(State)});
}

void PathWalker::run(std::vector<Item> Worklist, Visitor &V) {
  while (!Worklist.empty()) {
    Item Current = std::move(Worklist.back());
    Worklist.pop_back();
    const CFGBlock &Block = *Current.Block;
    PathState &State = Current.State;
    V.enterBlock(Block, Current.FirstElement, State);
    bool Stopped = false;
    for (unsigned I = Current.FirstElement, E = Block.size(); I < E; ++I) {
      const CFGElement &Element = Block[I];
      updateForkVars(Element, State);
      Step Next = V.visitElement(Element, State);
      if (Next == Step::Stop) {
        Stopped = true;
        break;
      }
      if (Next == Step::MarkExecSeen) {
        State.ExecSeen = true;
      } else if (Next == Step::Split && !State.ExecSeen) {
        // The copy resumes after this element as a path that reached exec.
        PathState Execed = State;
        Execed.ExecSeen = true;
        Worklist.push_back({&Block, I + 1, std::move(Execed)});
      }
    }
    if (Stopped)
      continue;
    for (const CFGBlock *Succ : successors(Block, State)) {
      if (Succ == &Graph.getExit()) {
        // A block ending in a noreturn call also leads to the exit block.
        if (!Block.hasNoReturnElement())
          V.visitReturn(returnStatementOf(Block), State);
        continue;
      }
      PathState Next = State;
      if (V.visitEdge(Block, *Succ, Next))
        enqueue(*Succ, std::move(Next), Worklist);
    }
  }
}

} // namespace forksafety
