//===- PathWalker.cpp - Paths through a CFG under one fork outcome --------===//

#include "Core/ChildPaths/PathWalker.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <cassert>

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
  // Another index may select the same element: a write to one element of
  // an array overwrites what is known of all of them.
  std::optional<size_t> Step = firstElementStep(*Key);
  StorageKey Overwritten = *Key;
  if (Step)
    Overwritten.resize(*Step);
  auto &Vars = State.ForkVars;
  llvm::erase_if(Vars, [&](const StorageKey &K) {
    return startsWith(K, Overwritten) && (!Step || firstElementStep(K) == Step);
  });
  if (Tracked)
    Vars.insert(llvm::lower_bound(Vars, *Key), *Key);
}

/// \p Places hold the fork's result.
void insertPlaces(PathState &State, llvm::SmallVector<StorageKey, 2> Places) {
  auto &Vars = State.ForkVars;
  for (StorageKey &Key : Places)
    if (auto At = llvm::lower_bound(Vars, Key); At == Vars.end() || *At != Key)
      Vars.insert(At, std::move(Key));
}

/// The object that \p Value copies whole (`p` in `struct proc q = p;`, or
/// through a trivial C++ copy), if the analysis names its place.
std::optional<StorageKey> copiedObject(const Expr &Value) {
  const Expr *E = Value.IgnoreImplicit()->IgnoreParens();
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
    const CXXConstructorDecl *Constructor = Construct->getConstructor();
    if (!Constructor->isCopyOrMoveConstructor() || !Constructor->isTrivial() ||
        Construct->getNumArgs() != 1)
      return std::nullopt;
    E = Construct->getArg(0)->IgnoreImplicit()->IgnoreParens();
  }
  if (!E->getType()->isRecordType())
    return std::nullopt;
  return storageKeyOf(E);
}

/// \p Var is written: the elements it selected are others now.
void forgetIndexedBy(PathState &State, const VarDecl *Var) {
  if (Var)
    llvm::erase_if(State.ForkVars,
                   [&](const StorageKey &K) { return isIndexedBy(K, *Var); });
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

/// The variable \p Place names, if it is one.
const VarDecl *varOf(const Expr *Place) {
  const auto *Ref = dyn_cast<DeclRefExpr>(Place->IgnoreParens());
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

/// Makes \p Fact (when given) the one fact about \p Var in \p Facts.
void setFact(llvm::SmallVectorImpl<VarFact> &Facts, const VarDecl *Var,
             std::optional<VarFact> Fact) {
  auto It = llvm::lower_bound(
      Facts, Var, [](const VarFact &F, const VarDecl *V) { return F.Var < V; });
  if (It != Facts.end() && It->Var == Var)
    It = Facts.erase(It);
  if (Fact)
    Facts.insert(It, *Fact);
}

/// Adds the variables whose value \p Designator, a glvalue, may leave
/// changeable by other means than a plain assignment to them: a reference
/// or an address taken of it, a ?: or an assignment used as a place.
void addDesignated(const Expr *Designator,
                   llvm::DenseSet<const VarDecl *> &Vars) {
  const Expr *E = Designator->IgnoreParens();
  if (const VarDecl *Var = varOf(E)) {
    Vars.insert(Var);
  } else if (const auto *Binary = dyn_cast<BinaryOperator>(E)) {
    if (Binary->isAssignmentOp())
      addDesignated(Binary->getLHS(), Vars);
    else if (Binary->getOpcode() == BO_Comma)
      addDesignated(Binary->getRHS(), Vars);
  } else if (const auto *Unary = dyn_cast<UnaryOperator>(E)) {
    if (Unary->isIncrementDecrementOp())
      addDesignated(Unary->getSubExpr(), Vars);
  } else if (const auto *Choice = dyn_cast<AbstractConditionalOperator>(E)) {
    addDesignated(Choice->getTrueExpr(), Vars);
    addDesignated(Choice->getFalseExpr(), Vars);
  } else if (const auto *Cast = dyn_cast<CastExpr>(E)) {
    if (Cast->isGLValue())
      addDesignated(Cast->getSubExpr(), Vars);
  }
}

/// The variables of \p Graph that some statement uses as a place other than
/// to read it or to assign it directly: those may change where a walk does
/// not see it. Every expression of the body is an element of the CFGs
/// walked here, so looking at the operands of each suffices.
llvm::DenseSet<const VarDecl *> escapingVars(const CFG &Graph) {
  llvm::DenseSet<const VarDecl *> Vars;
  for (const CFGBlock *Block : Graph)
    for (const CFGElement &Element : *Block) {
      std::optional<CFGStmt> S = Element.getAs<CFGStmt>();
      if (!S)
        continue;
      const Stmt *Parent = S->getStmt();
      // Its operands are those of the statement around it, or unevaluated.
      if (isa<ParenExpr, UnaryExprOrTypeTraitExpr>(Parent))
        continue;
      if (const auto *Ref = dyn_cast<DeclRefExpr>(Parent)) {
        // A lambda or a block may write what it captured by reference.
        if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
            Var && Ref->refersToEnclosingVariableOrCapture())
          Vars.insert(Var);
        continue;
      }
      if (const auto *Cast = dyn_cast<ImplicitCastExpr>(Parent);
          Cast && Cast->getCastKind() == CK_LValueToRValue)
        continue;
      const Expr *Written = nullptr;
      if (const auto *Binary = dyn_cast<BinaryOperator>(Parent);
          Binary && Binary->isAssignmentOp())
        Written = Binary->getLHS();
      else if (const auto *Unary = dyn_cast<UnaryOperator>(Parent);
               Unary && Unary->isIncrementDecrementOp())
        Written = Unary->getSubExpr();
      for (const Stmt *Child : Parent->children()) {
        const auto *Operand = dyn_cast_or_null<Expr>(Child);
        if (!Operand || !Operand->isGLValue())
          continue;
        if (Operand == Written && varOf(Operand))
          continue;
        addDesignated(Operand, Vars);
      }
    }
  return Vars;
}

/// The variables read by \p E, outside of lambdas and blocks.
void addVarsRead(const Stmt *E, llvm::DenseSet<const VarDecl *> &Vars) {
  if (!E || isa<LambdaExpr, BlockExpr>(E))
    return;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *Var = dyn_cast<VarDecl>(Ref->getDecl()))
      Vars.insert(Var);
  for (const Stmt *Child : E->children())
    addVarsRead(Child, Vars);
}

/// The constant \p Value evaluates to, if it is one of 64 bits at most.
std::optional<int64_t> constantOf(const Expr *Value, ASTContext &Ctx) {
  Expr::EvalResult Result;
  if (!Value || Value->isValueDependent() ||
      !Value->EvaluateAsInt(Result, Ctx) ||
      Result.Val.getInt().getBitWidth() > 64)
    return std::nullopt;
  return Result.Val.getInt().getExtValue();
}

/// Calls \p Store with each variable \p Element writes and the value it
/// stores, null when that is no plain assignment or initializer.
void forEachStore(
    const CFGElement &Element,
    llvm::function_ref<void(const VarDecl &, const Expr *)> Store) {
  std::optional<CFGStmt> S = Element.getAs<CFGStmt>();
  if (!S)
    return;
  if (const auto *Binary = dyn_cast<BinaryOperator>(S->getStmt());
      Binary && Binary->isAssignmentOp()) {
    if (const VarDecl *Var = varOf(Binary->getLHS()))
      Store(*Var,
            Binary->getOpcode() == BO_Assign ? Binary->getRHS() : nullptr);
  } else if (const auto *Unary = dyn_cast<UnaryOperator>(S->getStmt());
             Unary && Unary->isIncrementDecrementOp()) {
    if (const VarDecl *Var = varOf(Unary->getSubExpr()))
      Store(*Var, nullptr);
  } else if (const auto *Decl = dyn_cast<DeclStmt>(S->getStmt())) {
    for (const clang::Decl *D : Decl->decls())
      if (const auto *Var = dyn_cast<VarDecl>(D); Var && Var->getInit())
        Store(*Var, Var->getInit());
  }
}

/// Fills Flags.AtStart: a forward pass over \p Graph, from the entry where
/// no flag holds anything yet, to the least fixpoint. A flag holds a value
/// where every path stored it; where paths stored others, or some stored
/// none, nothing is known of it. Each flag changes at most twice.
void findHeldAtStart(const CFG &Graph, FlagStores &Flags) {
  using Held = FlagStores::Held;
  // What a path knows of each flag: not stored yet, one value, or unknown.
  enum class Kind : unsigned char { NotStored, Value, Unknown };
  struct State {
    llvm::SmallVector<Kind, 2> Kinds;
    llvm::SmallVector<int64_t, 2> Values;
  };
  size_t Count = Flags.Numbered.size();
  std::vector<std::optional<State>> In(Graph.getNumBlockIDs());
  auto Join = [](State &Into, const State &From) {
    bool Changed = false;
    for (size_t F = 0; F < Into.Kinds.size(); ++F) {
      Kind Joined =
          Into.Kinds[F] == From.Kinds[F] && (Into.Kinds[F] != Kind::Value ||
                                             Into.Values[F] == From.Values[F])
              ? Into.Kinds[F]
              : Kind::Unknown;
      Changed |= Joined != Into.Kinds[F];
      Into.Kinds[F] = Joined;
    }
    return Changed;
  };
  In[Graph.getEntry().getBlockID()] =
      State{llvm::SmallVector<Kind, 2>(Count, Kind::NotStored),
            llvm::SmallVector<int64_t, 2>(Count, 0)};
  llvm::SmallVector<const CFGBlock *, 16> Work{&Graph.getEntry()};
  while (!Work.empty()) {
    const CFGBlock *Block = Work.pop_back_val();
    const std::optional<State> &Start = In[Block->getBlockID()];
    if (!Start)
      continue;
    State Out = *Start;
    for (const auto &[Element, Flag, Value] : Flags.Stores.lookup(Block)) {
      Out.Kinds[Flag] = Kind::Value;
      Out.Values[Flag] = Value;
    }
    for (const CFGBlock::AdjacentBlock &Succ : Block->succs()) {
      const CFGBlock *To = Succ.getReachableBlock();
      if (!To)
        continue;
      std::optional<State> &Next = In[To->getBlockID()];
      if (!Next) {
        Next = Out;
        Work.push_back(To);
      } else if (Join(*Next, Out)) {
        Work.push_back(To);
      }
    }
  }
  Flags.AtStart.resize(In.size());
  for (size_t Id = 0; Id < In.size(); ++Id) {
    const std::optional<State> &Known = In[Id];
    if (!Known)
      continue;
    Held &At = Flags.AtStart[Id].emplace(Count);
    for (size_t F = 0; F < Count; ++F)
      if (Known->Kinds[F] == Kind::Value)
        At[F] = Known->Values[F];
  }
}

/// The flags of \p Graph (FlagStores) and the stores to them.
FlagStores findFlags(const CFG &Graph, ASTContext &Ctx) {
  llvm::DenseSet<const VarDecl *> Tested;
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<int64_t, 2>> Stored;
  llvm::DenseSet<const VarDecl *> NotFlags;
  auto Store = [&](const VarDecl &Var, const Expr *Value) {
    if (NotFlags.contains(&Var))
      return;
    std::optional<int64_t> Constant = constantOf(Value, Ctx);
    if (!Constant) {
      NotFlags.insert(&Var);
      return;
    }
    llvm::SmallVector<int64_t, 2> &Values = Stored[&Var];
    if (!llvm::is_contained(Values, *Constant))
      Values.push_back(*Constant);
    if (Values.size() > 2)
      NotFlags.insert(&Var);
  };
  for (const CFGBlock *Block : Graph) {
    addVarsRead(Block->getTerminatorCondition(), Tested);
    for (const CFGElement &Element : *Block) {
      forEachStore(Element, Store);
      // A helper's branches may test what a call passes it.
      std::optional<CFGStmt> S = Element.getAs<CFGStmt>();
      if (const auto *Call = S ? dyn_cast<CallExpr>(S->getStmt()) : nullptr)
        for (const Expr *Argument : Call->arguments())
          if (const VarDecl *Var = varOf(Argument->IgnoreImpCasts()))
            Tested.insert(Var);
    }
  }
  FlagStores Flags;
  for (const VarDecl *Var : Tested)
    if (!NotFlags.contains(Var) && Stored.count(Var))
      Flags.Vars.insert(Var);
  if (Flags.Vars.empty())
    return Flags;
  Flags.Numbered.assign(Flags.Vars.begin(), Flags.Vars.end());
  llvm::sort(Flags.Numbered, [](const VarDecl *A, const VarDecl *B) {
    return A->getLocation() < B->getLocation();
  });
  llvm::DenseMap<const VarDecl *, unsigned> Numbers;
  for (const VarDecl *Var : Flags.Numbered)
    Numbers.try_emplace(Var, Numbers.size());
  for (const CFGBlock *Block : Graph)
    for (unsigned I = 0, E = Block->size(); I < E; ++I)
      forEachStore((*Block)[I], [&](const VarDecl &Var, const Expr *Value) {
        if (auto It = Numbers.find(&Var); It != Numbers.end())
          Flags.Stores[Block].push_back(
              {I, It->second, constantOf(Value, Ctx).value_or(0)});
      });
  findHeldAtStart(Graph, Flags);
  return Flags;
}

/// True if \p S writes \p Var, or holds a label or a case of a switch
/// around it, by which a path may enter it without the test that chose it.
bool writesOrMayBeEntered(const Stmt *S, const VarDecl *Var,
                          bool InSwitch = false) {
  if (isa<LabelStmt>(S) || (isa<SwitchCase>(S) && !InSwitch))
    return true;
  if (const auto *Binary = dyn_cast<BinaryOperator>(S);
      Binary && Binary->isAssignmentOp() && varOf(Binary->getLHS()) == Var)
    return true;
  if (const auto *Unary = dyn_cast<UnaryOperator>(S);
      Unary && Unary->isIncrementDecrementOp() &&
      varOf(Unary->getSubExpr()) == Var)
    return true;
  InSwitch |= isa<SwitchStmt>(S);
  for (const Stmt *Child : S->children())
    if (Child && writesOrMayBeEntered(Child, Var, InSwitch))
      return true;
  return false;
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
                            rangeOf(Outcome), State.ForkVars, State.Facts,
                            State.ForkArmTaken);
}

bool PathWalker::mayKnow(const VarDecl &Var) {
  QualType Type = Var.getType();
  if (!Var.hasLocalStorage() || Type.isVolatileQualified() ||
      !(Type->isIntegralOrEnumerationType() || Type->isPointerType()) ||
      Var.hasAttr<BlocksAttr>())
    return false;
  if (Branches)
    return !Branches->escaping().contains(&Var);
  if (!Escaping)
    Escaping = escapingVars(Graph);
  return !Escaping->contains(&Var);
}

bool PathWalker::isFlag(const VarDecl &Var) const {
  return Branches && Branches->flags(Ctx).Vars.contains(&Var);
}

std::optional<VarFact> PathWalker::factFromValue(const VarDecl *Var,
                                                 const Expr *Value,
                                                 const PathState &State) {
  // A path that knows nothing of the fork's result learns nothing new.
  if (!Var || !Value ||
      (State.ForkVars.empty() && State.Facts.empty() &&
       (!ForkCall || State.ForkRunsAgain)))
    return std::nullopt;
  std::optional<ValueRange> Known = evaluatorFor(State).evaluate(Value);
  if (!Known)
    return std::nullopt;
  // What every path knows, constants first, would only multiply the
  // states; but a flag set on the way tells the branches that test it.
  std::optional<ValueRange> Always =
      ForkValueEvaluator(Ctx, nullptr, rangeOf(Outcome), {}).evaluate(Value);
  if ((Always && *Always == *Known && !isFlag(*Var)) ||
      !fitsIn(Var->getType(), *Known, Ctx) || !mayKnow(*Var))
    return std::nullopt;
  return VarFact{Var, *Known, false};
}

void PathWalker::updateForkVars(const CFGElement &Element, PathState &State) {
  std::optional<CFGStmt> S = Element.getAs<CFGStmt>();
  if (!S)
    return;
  // A child that runs the fork again is the parent of a new child, and that
  // new child is on the child path too. Parent and failure paths keep their
  // role: they describe the code the original process runs.
  if (ForkCall && S->getStmt() == ForkCall) {
    State.ForkRunsAgain = Outcome == ForkOutcome::Child;
    State.ForkArmTaken = !State.ForkRunsAgain && ChoiceBlock.has_value();
    return;
  }
  if (const auto *Binary = dyn_cast<BinaryOperator>(S->getStmt())) {
    if (!Binary->isAssignmentOp())
      return;
    bool Plain = Binary->getOpcode() == BO_Assign;
    bool Tracked =
        Plain && evaluatorFor(State).yieldsForkResult(Binary->getRHS());
    const VarDecl *Var = varOf(Binary->getLHS());
    std::optional<VarFact> Fact;
    if (Plain && !Tracked)
      Fact = factFromValue(Var, Binary->getRHS(), State);
    llvm::SmallVector<StorageKey, 2> Holding;
    if (Plain && !Tracked)
      if (std::optional<StorageKey> Place = storageKeyOf(Binary->getLHS()))
        Holding = placesHoldingAfterStore(*Place, *Binary->getRHS(), State);
    forgetIndexedBy(State, Var);
    setTracked(State, Binary->getLHS(), Tracked);
    insertPlaces(State, std::move(Holding));
    if (Var)
      setFact(State.Facts, Var, Fact);
    return;
  }
  // C++ assigns objects through operator=: a trivial one copies what the
  // other object's places hold, any other leaves them unknown.
  if (const auto *Assign = dyn_cast<CXXOperatorCallExpr>(S->getStmt());
      Assign && Assign->getOperator() == OO_Equal &&
      Assign->getNumArgs() == 2) {
    const auto *Method =
        dyn_cast_or_null<CXXMethodDecl>(Assign->getDirectCallee());
    llvm::SmallVector<StorageKey, 2> Holding;
    if (Method && Method->isTrivial())
      if (std::optional<StorageKey> Place = storageKeyOf(Assign->getArg(0)))
        Holding = placesHoldingAfterStore(*Place, *Assign->getArg(1), State);
    setTracked(State, Assign->getArg(0), false);
    insertPlaces(State, std::move(Holding));
    return;
  }
  if (const auto *Unary = dyn_cast<UnaryOperator>(S->getStmt())) {
    if (Unary->isIncrementDecrementOp()) {
      setTracked(State, Unary->getSubExpr(), false);
      const VarDecl *Var = varOf(Unary->getSubExpr());
      forgetIndexedBy(State, Var);
      if (Var)
        setFact(State.Facts, Var, std::nullopt);
    }
    return;
  }
  if (const auto *Decl = dyn_cast<DeclStmt>(S->getStmt())) {
    for (const clang::Decl *D : Decl->decls()) {
      const auto *Var = dyn_cast<VarDecl>(D);
      if (!Var)
        continue;
      const Expr *Init = Var->getInit();
      bool Tracked = Init && evaluatorFor(State).yieldsForkResult(Init);
      std::optional<VarFact> Fact;
      if (!Tracked)
        Fact = factFromValue(Var, Init, State);
      forgetIndexedBy(State, Var);
      StorageKey Key{Var};
      llvm::SmallVector<StorageKey, 2> Holding;
      if (Tracked)
        Holding.push_back(Key);
      else if (Init)
        Holding = placesHoldingAfterStore(Key, *Init, State);
      llvm::erase_if(State.ForkVars,
                     [&](const StorageKey &K) { return startsWith(K, Key); });
      insertPlaces(State, std::move(Holding));
      setFact(State.Facts, Var, Fact);
    }
  }
}

llvm::SmallVector<StorageKey, 2>
PathWalker::placesHoldingAfterStore(const StorageKey &Place, const Expr &Value,
                                    const PathState &State) const {
  llvm::SmallVector<StorageKey, 2> Holding;
  // A structure copied whole, into the place or into one its initializer
  // gives a value (`{"worker", proc}`), holds the result where it did.
  auto Copy = [&](const StorageKey &Into, const Expr &From) {
    if (std::optional<StorageKey> Source = copiedObject(From))
      for (const StorageKey &Held : State.ForkVars)
        if (Held.size() > Source->size() && startsWith(Held, *Source)) {
          StorageKey Copied = Into;
          Copied.append(Held.begin() + Source->size(), Held.end());
          Holding.push_back(std::move(Copied));
        }
  };
  Copy(Place, Value);
  forEachInitializedPlace(Place, Value,
                          [&](const StorageKey &Inside, const Expr &Given) {
                            if (yieldsForkResult(&Given, State))
                              Holding.push_back(Inside);
                            else
                              Copy(Inside, Given);
                          });
  return Holding;
}

BranchSites::BranchSites(const CFG &Graph, const Stmt &Body,
                         const SourceManager &SM)
    : Graph(Graph), Body(Body), SM(SM) {
  unsigned Order = 0;
  for (const CFGBlock *Block : Graph) {
    for (const CFGElement &Element : *Block)
      if (std::optional<CFGStmt> S = Element.getAs<CFGStmt>())
        if (isa<ConditionalOperator>(S->getStmt()))
          Sites[S->getStmt()].push_back({Order++, Block, false});
    if (const Stmt *Terminator = Block->getTerminatorStmt();
        isa_and_nonnull<IfStmt, ConditionalOperator>(Terminator))
      Sites[Terminator].push_back({Order++, Block, true});
  }
}

const FlagStores &BranchSites::flags(ASTContext &Ctx) const {
  if (!Flags)
    Flags = findFlags(Graph, Ctx);
  return *Flags;
}

const llvm::DenseSet<const VarDecl *> &BranchSites::escaping() const {
  if (!Escaping)
    Escaping = escapingVars(Graph);
  return *Escaping;
}

const BranchSites::Holders &BranchSites::holdersOf(const Stmt &S) const {
  if (&S == LastAsked)
    return LastHolders;
  bool First = !LastAsked;
  LastAsked = &S;
  LastHolders.clear();
  if (First && descendTo(S, LastHolders))
    return LastHolders;
  LastHolders.clear();
  if (!Parents)
    Parents.emplace(const_cast<Stmt *>(&Body));
  for (const Stmt *Held = &S; Held; Held = Parents->getParent(Held))
    LastHolders.insert(Held);
  return LastHolders;
}

/// Follows, from the body down, the statement whose source range holds
/// \p S: the tree has one path to it, so reaching it finds its holders.
/// False when the ranges lead elsewhere (macros, implicit code), and the
/// parent map decides.
bool BranchSites::descendTo(const Stmt &S, Holders &Found) const {
  SourceLocation At = SM.getExpansionLoc(S.getBeginLoc());
  auto Holds = [&](const Stmt &Candidate) {
    SourceRange Range = Candidate.getSourceRange();
    if (Range.isInvalid())
      return false;
    SourceLocation Begin = SM.getExpansionLoc(Range.getBegin());
    SourceLocation End = SM.getExpansionRange(Range.getEnd()).getEnd();
    return !SM.isBeforeInTranslationUnit(At, Begin) &&
           !SM.isBeforeInTranslationUnit(End, At);
  };
  if (At.isInvalid())
    return false;
  for (const Stmt *Holder = &Body; Holder;) {
    Found.insert(Holder);
    if (Holder == &S)
      return true;
    const Stmt *Next = nullptr;
    for (const Stmt *Child : Holder->children())
      if (Child && (Child == &S || Holds(*Child))) {
        Next = Child;
        break;
      }
    Holder = Next;
  }
  return false;
}

void PathWalker::examineForkCall() {
  if (ForkCallExamined || !ForkCall)
    return;
  ForkCallExamined = true;
  assert(Branches && "a walker that tracks a fork needs its CFG's branches");
  const BranchSites &Sites = *Branches;
  // Only what holds the fork call can choose it, in the order of the CFG.
  const BranchSites::Holders &Holders = Sites.holdersOf(*ForkCall);
  llvm::SmallVector<std::pair<const Stmt *, BranchSites::Site>, 4> Found;
  for (const Stmt *Holder : Holders)
    for (const BranchSites::Site &Site : Sites.of(Holder))
      Found.push_back({Holder, Site});
  llvm::sort(Found, [](const auto &A, const auto &B) {
    return A.second.Order < B.second.Order;
  });
  // The ?:s whose arm leads to the fork call, with the blocks that compute
  // them; the outermost is the arm of none of the others.
  llvm::SmallVector<std::pair<const ConditionalOperator *, unsigned>, 1>
      Choices;
  for (const auto &[Holder, Site] : Found) {
    if (!Site.IsTerminator) {
      const auto *Choice = cast<ConditionalOperator>(Holder);
      if (hasArmLeadingTo(*Choice, ForkCall))
        Choices.push_back({Choice, Site.Block->getBlockID()});
      continue;
    }
    // A test whose then or else holds the fork call ran just before it.
    const Expr *Cond = nullptr;
    const Stmt *Arms[2] = {nullptr, nullptr};
    if (const auto *If = dyn_cast<IfStmt>(Holder)) {
      Cond = If->getCond();
      Arms[0] = If->getThen();
      Arms[1] = If->getElse();
    } else if (const auto *Choice = dyn_cast<ConditionalOperator>(Holder)) {
      Cond = Choice->getCond();
      Arms[0] = Choice->getTrueExpr();
      Arms[1] = Choice->getFalseExpr();
    }
    if (!Cond)
      continue;
    for (unsigned Arm = 0; Arm < 2; ++Arm) {
      if (!Arms[Arm] || !Holders.contains(Arms[Arm]))
        continue;
      std::optional<VarTest> Test = simpleTest(Cond, Ctx);
      if (!Test || !mayKnow(*Test->IfTrue.Var) ||
          writesOrMayBeEntered(Arms[Arm], Test->IfTrue.Var))
        break;
      const VarFact &Fact = Arm == 0 ? Test->IfTrue : Test->IfFalse;
      // Nested tests of one variable: a value says more than an exclusion.
      auto Known = llvm::find_if(
          ChoosingFacts, [&](const VarFact &F) { return F.Var == Fact.Var; });
      if (Known == ChoosingFacts.end() || (Known->Excluded && !Fact.Excluded))
        setFact(ChoosingFacts, Fact.Var, Fact);
      break;
    }
  }
  for (const auto &[Choice, Block] : Choices)
    if (llvm::none_of(Choices, [&, Choice = Choice](const auto &Outer) {
          return Outer.first != Choice && hasArmLeadingTo(*Outer.first, Choice);
        }))
      ChoiceBlock = Block;
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
  PathState Initial;
  if (ForkCall) {
    examineForkCall();
    Initial.Facts = ChoosingFacts;
    for (const VarFact &Fact : flagsKnownAt(Start, StartIndex))
      if (llvm::none_of(Initial.Facts,
                        [&](const VarFact &F) { return F.Var == Fact.Var; }))
        setFact(Initial.Facts, Fact.Var, Fact);
    Initial.ForkArmTaken = ChoiceBlock.has_value();
  }
  run({{&Start, static_cast<unsigned>(StartIndex + 1), std::move(Initial)}}, V);
}

llvm::SmallVector<VarFact, 2> PathWalker::flagsKnownAt(const CFGBlock &Block,
                                                       int Index) {
  if (!Branches)
    return {};
  const FlagStores &Flags = Branches->flags(Ctx);
  if (Flags.Vars.empty())
    return {};
  const std::optional<FlagStores::Held> &AtStart =
      Flags.AtStart[Block.getBlockID()];
  if (!AtStart)
    return {};
  FlagStores::Held Held = *AtStart;
  for (const auto &[Element, Flag, Value] : Flags.Stores.lookup(&Block))
    if (static_cast<int>(Element) < Index)
      Held[Flag] = Value;
  llvm::SmallVector<VarFact, 2> Facts;
  for (size_t F = 0; F < Held.size(); ++F) {
    const VarDecl *Var = Flags.Numbered[F];
    const std::optional<int64_t> &Stored = Held[F];
    if (!Stored || !mayKnow(*Var))
      continue;
    ValueRange Value{*Stored, *Stored};
    if (fitsIn(Var->getType(), Value, Ctx))
      Facts.push_back(VarFact{Var, Value, false});
  }
  llvm::sort(Facts);
  return Facts;
}

void PathWalker::walkOn(const CFGBlock &Start, PathState State, Visitor &V) {
  std::vector<Item> Worklist;
  enqueue(Start, std::move(State), Worklist);
  run(std::move(Worklist), V);
}

void PathWalker::enqueue(const CFGBlock &To, PathState State,
                         std::vector<Item> &Worklist) {
  if (Visited
          .insert({To.getBlockID(), State.flags(), VarSets.idOf(State.ForkVars),
                   FactIds.idOf(State.Facts)})
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
      // The ?: that called fork is computed: its value is wherever the
      // path stored it.
      if (ChoiceBlock && Block.getBlockID() == *ChoiceBlock)
        Next.ForkArmTaken = false;
      if (V.visitEdge(Block, *Succ, Next))
        enqueue(*Succ, std::move(Next), Worklist);
    }
  }
}

} // namespace forksafety
