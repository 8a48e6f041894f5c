//===- ThreadHandles.cpp - Where a function creates and joins threads -----===//

#include "Core/Threads/ThreadHandles.h"

#include "Core/ChildPaths/ModelRecorder.h"

#include "Core/Functions/LibraryModel.h"
#include "Core/StatementWalker.h"
#include "Core/Threads/ThreadCreators.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"

#include "llvm/ADT/STLExtras.h"

#include <deque>

namespace forksafety {

using namespace clang;

namespace {

bool isThreadClass(const CXXRecordDecl *Class) {
  return Class && forksafety::isThreadClass(*Class);
}

const FunctionDecl *libraryCallee(const CallExpr &Call) {
  const FunctionDecl *FD = Call.getDirectCallee();
  return FD && FD->getIdentifier() && hasCLibraryName(*FD) ? FD : nullptr;
}

/// The expression an argument names, through its address: &t is t.
const Expr *pointee(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Address = dyn_cast<UnaryOperator>(E);
      Address && Address->getOpcode() == UO_AddrOf)
    return Address->getSubExpr();
  return nullptr;
}

/// The thread class object a member function of it is called on, if the
/// call is to \p Method of a thread class.
const Expr *threadMemberCall(const CallExpr &Call, llvm::StringRef Method) {
  const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
  const CXXMethodDecl *Callee = Member ? Member->getMethodDecl() : nullptr;
  if (!Callee || !Callee->getIdentifier() || Callee->getName() != Method ||
      !isThreadClass(Callee->getParent()))
    return nullptr;
  return Member->getImplicitObjectArgument();
}

/// The handle a call joins: pthread_join(t, ...), t.join(), uv_thread_join.
const Expr *joinedHandle(const CallExpr &Call) {
  if (const Expr *Object = threadMemberCall(Call, "join"))
    return Object;
  const FunctionDecl *FD = libraryCallee(Call);
  if (!FD || Call.getNumArgs() == 0)
    return nullptr;
  llvm::StringRef Name = FD->getName();
  if (Name == "pthread_join" || Name == "thrd_join" || Name == "g_thread_join")
    return Call.getArg(0);
  if (Name == "uv_thread_join")
    return pointee(Call.getArg(0));
  return nullptr;
}

const Expr *detachedHandle(const CallExpr &Call) {
  if (const Expr *Object = threadMemberCall(Call, "detach"))
    return Object;
  const FunctionDecl *FD = libraryCallee(Call);
  if (!FD || Call.getNumArgs() == 0)
    return nullptr;
  llvm::StringRef Name = FD->getName();
  if (Name == "pthread_detach" || Name == "thrd_detach" ||
      Name == "g_thread_unref")
    return Call.getArg(0);
  return nullptr;
}

bool isContainerInsertion(const CXXMemberCallExpr &Call) {
  const CXXMethodDecl *Method = Call.getMethodDecl();
  if (!Method || !Method->getIdentifier())
    return false;
  static constexpr llvm::StringLiteral Insertions[] = {
      "push_back", "emplace_back", "push_front", "emplace_front",
      "emplace",   "push",         "insert"};
  return llvm::is_contained(Insertions, Method->getName());
}

/// The expressions a value is built from without a new object: the
/// temporaries, casts and elided copies around a construction.
const Expr *unwrap(const Expr *E) {
  while (true) {
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *Cast = dyn_cast<CXXFunctionalCastExpr>(E))
      E = Cast->getSubExpr();
    else if (const auto *Construct = dyn_cast<CXXConstructExpr>(E);
             Construct && Construct->getNumArgs() == 1 &&
             (Construct->getConstructor()->isCopyOrMoveConstructor()))
      E = Construct->getArg(0);
    else
      return E;
  }
}

/// The variable std::move(V) moves from.
const Expr *movedFrom(const Expr *E) {
  const auto *Call = dyn_cast<CallExpr>(E->IgnoreImplicit()->IgnoreParens());
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->isInStdNamespace() || !FD->getIdentifier() ||
      FD->getName() != "move" || Call->getNumArgs() != 1)
    return nullptr;
  return Call->getArg(0);
}

/// A counted loop, for (i = First; i < Bound; ++i), described as text so
/// that two loops over the same elements name them alike.
struct CountedLoop {
  const VarDecl *Index = nullptr;
  std::string Range;
  std::optional<int64_t> First, Last; ///< Constant bounds, inclusive.
};

std::optional<int64_t> constantValue(ASTContext &Ctx, const Expr &E) {
  if (E.isValueDependent())
    return std::nullopt;
  if (std::optional<llvm::APSInt> Value = E.getIntegerConstantExpr(Ctx);
      Value && Value->isRepresentableByInt64())
    return Value->getExtValue();
  return std::nullopt;
}

std::string printed(ASTContext &Ctx, const Expr &E) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  E.printPretty(OS, nullptr, PrintingPolicy(Ctx.getLangOpts()));
  return Text;
}

const VarDecl *referencedVar(const Expr *E) {
  const auto *Ref =
      E ? dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()) : nullptr;
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

std::optional<CountedLoop> countedLoop(ASTContext &Ctx, const ForStmt &Loop) {
  CountedLoop Result;
  const Expr *First = nullptr;
  if (const auto *Decl = dyn_cast_or_null<DeclStmt>(Loop.getInit());
      Decl && Decl->isSingleDecl())
    if (const auto *Var = dyn_cast<VarDecl>(Decl->getSingleDecl())) {
      Result.Index = Var;
      First = Var->getInit();
    }
  if (const auto *Assign = dyn_cast_or_null<BinaryOperator>(Loop.getInit());
      Assign && Assign->getOpcode() == BO_Assign) {
    Result.Index = referencedVar(Assign->getLHS());
    First = Assign->getRHS();
  }
  const auto *Cond = dyn_cast_or_null<BinaryOperator>(Loop.getCond());
  if (!Result.Index || !First || !Cond ||
      referencedVar(Cond->getLHS()) != Result.Index)
    return std::nullopt;
  const Expr *Step = Loop.getInc() ? Loop.getInc()->IgnoreParens() : nullptr;
  const auto *Increment = dyn_cast_or_null<UnaryOperator>(Step);
  if (!Increment || !Increment->isIncrementOp() ||
      referencedVar(Increment->getSubExpr()) != Result.Index)
    return std::nullopt;
  llvm::StringRef Op;
  int LastOffset = 0;
  switch (Cond->getOpcode()) {
  case BO_LT:
  case BO_NE:
    Op = "<";
    LastOffset = -1;
    break;
  case BO_LE:
    Op = "<=";
    break;
  default:
    return std::nullopt;
  }
  const Expr *Bound = Cond->getRHS()->IgnoreParenImpCasts();
  Result.Range = printed(Ctx, *First->IgnoreParenImpCasts()) + ".." + Op.str() +
                 printed(Ctx, *Bound);
  Result.First = constantValue(Ctx, *First);
  if (std::optional<int64_t> Last = constantValue(Ctx, *Bound))
    Result.Last = *Last + LastOffset;
  return Result;
}

/// Whether a function body changes where the pointer \p Var points, or
/// lets other code do it.
class PointerChanges : public StatementWalker<PointerChanges> {
public:
  PointerChanges(const VarDecl &Var, const Stmt &Body) : Var(Var) {
    walk(&Body);
  }

  void visitStatement(const Stmt &S) {
    if (const auto *Op = dyn_cast<BinaryOperator>(&S))
      assignment(*Op);
    else if (const auto *Op = dyn_cast<UnaryOperator>(&S))
      step(*Op);
  }

  bool Changed = false;
  /// The value of the one plain assignment, when that is all that changes
  /// the pointer.
  const Expr *Assigned = nullptr;
  bool Other = false;

private:
  void assignment(const BinaryOperator &Op) {
    if (Op.isAssignmentOp() && names(Op.getLHS())) {
      Changed = true;
      // Remembered while it stays the only change.
      Assigned = Op.getOpcode() == BO_Assign && !Assigned && !Other
                     ? Op.getRHS()
                     : nullptr;
      Other |= !Assigned;
    }
  }
  /// Once it is stepped or its address taken, nothing more is to learn.
  void step(const UnaryOperator &Op) {
    if ((Op.isIncrementDecrementOp() || Op.getOpcode() == UO_AddrOf) &&
        names(Op.getSubExpr())) {
      Changed = Other = true;
      Assigned = nullptr;
    }
    if (Other)
      stop();
  }
  bool names(const Expr *E) const {
    const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return Ref && Ref->getDecl() == &Var;
  }
  const VarDecl &Var;
};

/// The loops of a function body: counted loops by the subscripts their
/// index selects, and range-based loops by their loop variable. The body
/// is walked when first asked: most functions name no handle.
class LoopIndex : public RecursiveASTVisitor<LoopIndex> {
public:
  LoopIndex(ASTContext &Ctx, const Stmt *Body) : Ctx(Ctx), Body(Body) {}

  /// The range-based loop whose variable \p Var is, if one.
  const CXXForRangeStmt *rangeLoopOf(const VarDecl *Var) {
    if (!Ctx.getLangOpts().CPlusPlus)
      return nullptr; // C has none: no need to index the body.
    index();
    return RangeLoops.lookup(Var);
  }

  /// The counted loop whose index selects \p Subscript, if one.
  const std::pair<const ForStmt *, CountedLoop> *
  loopSelecting(const Expr *Subscript) {
    index();
    auto It = Subscripts.find(Subscript);
    return It == Subscripts.end() ? nullptr : &It->second;
  }

  bool TraverseForStmt(ForStmt *Loop) {
    std::optional<CountedLoop> Counted = countedLoop(Ctx, *Loop);
    if (Counted)
      Enclosing.push_back({Loop, std::move(*Counted)});
    bool Result = RecursiveASTVisitor::TraverseForStmt(Loop);
    if (Counted)
      Enclosing.pop_back();
    return Result;
  }

  bool VisitCXXForRangeStmt(CXXForRangeStmt *Loop) {
    RangeLoops[Loop->getLoopVariable()] = Loop;
    return true;
  }

  bool VisitArraySubscriptExpr(ArraySubscriptExpr *E) {
    noteSubscript(E, E->getIdx());
    return true;
  }

  /// `base + i` selects an element like `base[i]`.
  bool VisitBinaryOperator(BinaryOperator *E) {
    if (E->getOpcode() == BO_Add && E->getLHS()->getType()->isPointerType())
      noteSubscript(E, E->getRHS());
    return true;
  }

  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *E) {
    if (E->getOperator() == OO_Subscript && E->getNumArgs() == 2)
      noteSubscript(E, E->getArg(1));
    return true;
  }

private:
  void index() {
    if (!std::exchange(Indexed, true))
      TraverseStmt(const_cast<Stmt *>(Body));
  }

  ASTContext &Ctx;
  const Stmt *Body;
  bool Indexed = false;
  std::vector<std::pair<const ForStmt *, CountedLoop>> Enclosing;
  llvm::DenseMap<const Expr *, std::pair<const ForStmt *, CountedLoop>>
      Subscripts;
  llvm::DenseMap<const VarDecl *, const CXXForRangeStmt *> RangeLoops;

  void noteSubscript(const Expr *Subscript, const Expr *Idx) {
    const VarDecl *Index = referencedVar(Idx);
    for (auto It = Enclosing.rbegin(); It != Enclosing.rend(); ++It)
      if (Index && It->second.Index == Index) {
        Subscripts[Subscript] = *It;
        return;
      }
  }
};

/// Names handles by keys; subscripts by the loops that select them.
class KeyNamer {
public:
  KeyNamer(ASTContext &Ctx, LoopIndex *Loops,
           const ParmVarDecl *Receiver = nullptr)
      : Ctx(Ctx), Loops(Loops), Receiver(Receiver) {}

  std::string key(const Expr *E) const {
    E = E->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(E))
      return "this";
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
      return variableKey(dyn_cast<VarDecl>(Ref->getDecl()));
    if (const auto *Member = dyn_cast<MemberExpr>(E)) {
      const Expr *Base = Member->getBase()->IgnoreParenImpCasts();
      std::string Root;
      if (Member->isArrow() && isReceiver(Base))
        Root = "this";
      else if (Member->isArrow() && !isa<CXXThisExpr>(Base))
        Root = pointeeKey(Base);
      else
        Root = key(Base);
      return Root.empty()
                 ? ""
                 : Root + "." + Member->getMemberDecl()->getNameAsString();
    }
    if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(E))
      return element(E, Subscript->getBase(), Subscript->getIdx());
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
        Op && Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2)
      return element(E, Op->getArg(0), Op->getArg(1));
    return "";
  }

  std::string variableKey(const VarDecl *Var) const {
    if (!Var)
      return "";
    if (Loops)
      if (const CXXForRangeStmt *Loop = Loops->rangeLoopOf(Var)) {
        std::string Range = key(Loop->getRangeInit());
        return Range.empty() ? "" : Range + "[*]";
      }
    if (Var->getType()->isReferenceType())
      return "";
    if (Var->hasGlobalStorage())
      return ModelRecorder::usrOf(*Var);
    const SourceManager &SM = Ctx.getSourceManager();
    return "local:" + Var->getNameAsString() + "@" +
           std::to_string(
               SM.getFileOffset(SM.getExpansionLoc(Var->getLocation())));
  }

  /// The loop that selects the element \p Subscript, if counted.
  const std::pair<const ForStmt *, CountedLoop> *
  selectingLoop(const Expr *Subscript) const {
    return Loops ? Loops->loopSelecting(Subscript) : nullptr;
  }

  /// The counted loop that selects the element \p Handle is or lies in:
  /// `t[i]`, `jobs[i].tid`, or `job->tid` with `job = jobs + i`.
  const std::pair<const ForStmt *, CountedLoop> *
  elementLoop(const Expr *Handle) const {
    const Expr *E = Handle->IgnoreParenImpCasts();
    while (E) {
      if (const auto *Selected = selectingLoop(E))
        return Selected;
      const auto *Member = dyn_cast<MemberExpr>(E);
      if (!Member)
        return nullptr;
      const VarDecl *Var = nullptr;
      E = Member->isArrow() ? stableElement(Member->getBase(), Var)
                            : Member->getBase()->IgnoreParenImpCasts();
    }
    return nullptr;
  }

private:
  /// The key of what \p Pointer points to, when it is a local variable that
  /// keeps pointing where it was initialised to: an element
  /// (`job = jobs + i`, `&jobs[i]`) or an object of its own.
  std::string pointeeKey(const Expr *Pointer) const {
    const VarDecl *Var = nullptr;
    const Expr *Element = stableElement(Pointer, Var);
    if (const auto *Sum = dyn_cast_or_null<BinaryOperator>(Element))
      return element(Sum, Sum->getLHS(), Sum->getRHS());
    if (Element)
      return key(Element);
    std::string Own = Var ? variableKey(Var) : "";
    return Own.empty() ? "" : Own + "*";
  }

  /// When \p Pointer is a local variable that keeps pointing where it was
  /// initialised to, sets \p Var to it and returns the element it points
  /// to (`jobs + i`, `jobs[i]` of `&jobs[i]`), if one.
  const Expr *stableElement(const Expr *Pointer, const VarDecl *&Var) const {
    const auto *Ref = dyn_cast<DeclRefExpr>(Pointer->IgnoreParenImpCasts());
    const auto *Local = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    if (!Local)
      return nullptr;
    // Each asks for the whole body: a function names its handles through
    // the same few pointers many times.
    auto [It, Inserted] = Stable.try_emplace(Local);
    if (Inserted)
      It->second.first = stableElementOf(*Local, It->second.second);
    Var = It->second.second;
    return It->second.first;
  }

  const Expr *stableElementOf(const VarDecl &Local, const VarDecl *&Var) const {
    const auto *Function =
        dyn_cast_or_null<FunctionDecl>(Local.getParentFunctionOrMethod());
    if (!Local.hasLocalStorage() || isa<ParmVarDecl>(Local) || !Function ||
        !Function->getBody())
      return nullptr;
    // Set once: initialised and never changed, or assigned once.
    PointerChanges Changes(Local, *Function->getBody());
    const Expr *Value = Local.getInit();
    if (!Value && !Changes.Other)
      Value = Changes.Assigned;
    else if (Changes.Changed)
      Value = nullptr;
    if (!Value)
      return nullptr;
    Var = &Local;
    const Expr *Init = Value->IgnoreParenImpCasts();
    if (const auto *Sum = dyn_cast<BinaryOperator>(Init);
        Sum && Sum->getOpcode() == BO_Add &&
        Sum->getLHS()->getType()->isPointerType())
      return Sum;
    if (const auto *Address = dyn_cast<UnaryOperator>(Init);
        Address && Address->getOpcode() == UO_AddrOf &&
        isa<ArraySubscriptExpr>(Address->getSubExpr()->IgnoreParens()))
      return Address->getSubExpr()->IgnoreParens();
    return nullptr;
  }

  std::string element(const Expr *Subscript, const Expr *Base,
                      const Expr *Idx) const {
    std::string Root = key(Base);
    if (Root.empty())
      return "";
    if (const auto *Loop = selectingLoop(Subscript))
      return Root + "[" + Loop->second.Range + "]";
    if (std::optional<int64_t> Value = constantValue(Ctx, *Idx))
      return Root + "[" + std::to_string(*Value) + "]";
    return Root + "[?]";
  }

  bool isReceiver(const Expr *E) const {
    const auto *Ref = dyn_cast<DeclRefExpr>(E);
    return Receiver && Ref && Ref->getDecl() == Receiver;
  }

  ASTContext &Ctx;
  LoopIndex *Loops;
  const ParmVarDecl *Receiver;
  /// stableElement of each variable asked about: the element and the
  /// variable it sets.
  mutable llvm::DenseMap<const VarDecl *,
                         std::pair<const Expr *, const VarDecl *>>
      Stable;
};

/// Whether every iteration of the loop whose condition is in \p Header runs
/// \p Join: no path from the body's entry comes back to the header, or
/// leaves the loop, without it. An iteration may skip the join of a thread
/// that is not joinable (if (t.joinable()) t.join()).
bool joinsEveryIteration(const CFGBlock &Header, const Stmt *Join,
                         const KeyNamer &Keys, const std::string &Handle) {
  if (Header.succ_size() != 2 || !Header.succ_begin()->getReachableBlock())
    return false;
  const CFGBlock *Exit = (Header.succ_begin() + 1)->getReachableBlock();
  auto HasJoin = [&](const CFGBlock &Block) {
    return llvm::any_of(Block, [&](const CFGElement &Element) {
      std::optional<CFGStmt> S = Element.getAs<CFGStmt>();
      return S && S->getStmt() == Join;
    });
  };
  auto GuardsJoinable = [&](const CFGBlock &Block) {
    const auto *Condition =
        dyn_cast_or_null<Expr>(Block.getTerminatorCondition());
    const auto *Cond = dyn_cast_or_null<CallExpr>(
        Condition ? Condition->IgnoreParenImpCasts() : nullptr);
    const Expr *Object = Cond ? threadMemberCall(*Cond, "joinable") : nullptr;
    return Object && Keys.key(Object) == Handle;
  };
  llvm::DenseSet<const CFGBlock *> Seen;
  std::deque<const CFGBlock *> Work{Header.succ_begin()->getReachableBlock()};
  while (!Work.empty()) {
    const CFGBlock *Block = Work.front();
    Work.pop_front();
    if (Block == &Header || Block == Exit)
      return false;
    if (!Seen.insert(Block).second || HasJoin(*Block))
      continue;
    unsigned Followed = GuardsJoinable(*Block) ? 1 : Block->succ_size();
    for (auto Succ = Block->succ_begin(); Followed--; ++Succ)
      if (const CFGBlock *Next = Succ->getReachableBlock())
        Work.push_back(Next);
  }
  return true;
}

const CFGBlock *headerOf(const CFG &Graph, const Stmt *Loop) {
  for (const CFGBlock *Block : Graph)
    if (Block->getTerminatorStmt() == Loop)
      return Block;
  return nullptr;
}

class OpsFinder {
public:
  OpsFinder(ASTContext &Ctx, const CFG &Graph,
            const llvm::DenseSet<const Stmt *> &CreationSites, LoopIndex &Loops,
            const ParmVarDecl *Receiver)
      : Ctx(Ctx), Graph(Graph), CreationSites(CreationSites), Loops(Loops),
        Keys(Ctx, &Loops, Receiver) {}

  void element(const CFGElement &Element) {
    if (std::optional<CFGInitializer> Init = Element.getAs<CFGInitializer>()) {
      const CXXCtorInitializer *Initializer = Init->getInitializer();
      if (const FieldDecl *Field = Initializer->getMember())
        noteTarget(Initializer->getInit(),
                   [&] { return "this." + Field->getNameAsString(); });
      return;
    }
    std::optional<CFGStmt> S = Element.getAs<CFGStmt>();
    if (!S)
      return;
    const Stmt *St = S->getStmt();
    if (CreationSites.contains(St))
      Sites.push_back(St);
    if (const auto *Decl = dyn_cast<DeclStmt>(St)) {
      for (const clang::Decl *D : Decl->decls())
        if (const auto *Var = dyn_cast<VarDecl>(D); Var && Var->getInit())
          noteTarget(Var->getInit(), [&] { return Keys.variableKey(Var); });
    } else if (const auto *Assign = dyn_cast<BinaryOperator>(St);
               Assign && Assign->getOpcode() == BO_Assign) {
      noteTarget(Assign->getRHS(), [&] { return Keys.key(Assign->getLHS()); });
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(St);
               Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2) {
      noteTarget(Op->getArg(1), [&] { return Keys.key(Op->getArg(0)); });
    } else if (const auto *Call = dyn_cast<CallExpr>(St)) {
      call(*Call);
    }
  }

  void creations() {
    for (const Stmt *Site : Sites) {
      // pthread_create(&t, ...) keeps the thread in t whatever holds its
      // result, a status (int err = pthread_create(...)).
      std::string Key;
      if (const auto *Call = dyn_cast<CallExpr>(Site))
        Key = createdHandle(*Call);
      if (auto It = Targets.find(Site); Key.empty() && It != Targets.end())
        Key = It->second;
      Ops.Creations[Site] = Key;
    }
  }

  ThreadOps Ops;

private:
  /// The handle a thread creation stores its thread in, through its first
  /// argument or into a container.
  std::string createdHandle(const CallExpr &Call) {
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
        Member && isContainerInsertion(*Member)) {
      std::string Container = Keys.key(Member->getImplicitObjectArgument());
      return Container.empty() ? "" : Container + "[]";
    }
    if (startsThreadThroughFirstArgument(Call))
      if (const Expr *Handle = pointee(Call.getArg(0)))
        return Keys.key(Handle);
    return "";
  }

  /// \p Value is stored in the handle \p KeyOf names: if it is a thread
  /// creation, the thread is kept there. The key is named only for a
  /// creation or an object: most values are neither, and naming a key can
  /// walk the function's body.
  void noteTarget(const Expr *Value, llvm::function_ref<std::string()> KeyOf) {
    if (!Value)
      return;
    const Expr *Made = unwrap(Value);
    if (CreationSites.contains(Made)) {
      Targets[Made] = KeyOf();
    } else if (isa<CXXConstructExpr>(Made)) {
      if (std::string Key = KeyOf(); !Key.empty())
        Ops.Constructed[Made] = std::move(Key);
    }
  }

  void call(const CallExpr &Call) {
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
        Member && isContainerInsertion(*Member) && Call.getNumArgs() == 1) {
      std::string Container = Keys.key(Member->getImplicitObjectArgument());
      if (!Container.empty()) {
        noteTarget(Call.getArg(0), [&] { return Container + "[]"; });
        if (const Expr *Moved = movedFrom(Call.getArg(0)))
          if (std::string From = Keys.key(Moved); !From.empty())
            Ops.Moves[&Call] = {From, Container + "[]"};
      }
    }
    if (const Expr *Handle = detachedHandle(Call)) {
      Ops.Detaches[&Call] = Keys.key(Handle);
      return;
    }
    const Expr *Handle = joinedHandle(Call);
    if (!Handle)
      return;
    if (!loopJoin(Call, Handle))
      Ops.Joins[&Call] = Keys.key(Handle);
  }

  /// A join of the element a loop selects; true if \p Handle is one.
  bool loopJoin(const CallExpr &Call, const Expr *Handle) {
    const Expr *E = Handle->IgnoreParenImpCasts();
    std::vector<std::string> Joined;
    const Stmt *Loop = nullptr;
    if (const VarDecl *Var = referencedVar(E)) {
      const CXXForRangeStmt *Range = Loops.rangeLoopOf(Var);
      if (!Range)
        return false;
      Loop = Range;
      Joined.push_back(Keys.variableKey(Var));
    } else if (const auto *Selected = Keys.elementLoop(E)) {
      Loop = Selected->first;
      std::string Element = Keys.key(E);
      Joined.push_back(Element);
      if (coversArray(E, Selected->second))
        if (const auto *Array = dyn_cast<ArraySubscriptExpr>(E))
          if (std::string Root = Keys.key(Array->getBase()); !Root.empty())
            Joined.push_back(Root + "[*]");
    } else {
      return false;
    }
    const CFGBlock *Header = headerOf(Graph, Loop);
    if (Joined.front().empty() || !Header ||
        !joinsEveryIteration(*Header, &Call, Keys, Keys.key(E)))
      return true; // A join of some elements only: nothing is joined.
    for (std::string &Key : Joined)
      Ops.LoopJoins[Header].push_back(std::move(Key));
    return true;
  }

  /// Whether a counted loop from 0 reaches every element of a constant
  /// array.
  bool coversArray(const Expr *Subscript, const CountedLoop &Loop) const {
    const auto *Array = dyn_cast<ArraySubscriptExpr>(Subscript);
    if (!Array || !Loop.First || !Loop.Last || *Loop.First != 0)
      return false;
    const auto *Type = Ctx.getAsConstantArrayType(
        Array->getBase()->IgnoreParenImpCasts()->getType());
    return Type && *Loop.Last + 1 >=
                       static_cast<int64_t>(Type->getSize().getZExtValue());
  }

  ASTContext &Ctx;
  const CFG &Graph;
  const llvm::DenseSet<const Stmt *> &CreationSites;
  LoopIndex &Loops;
  KeyNamer Keys;
  std::vector<const Stmt *> Sites;
  llvm::DenseMap<const Stmt *, std::string> Targets;
};

} // namespace

ThreadOps findThreadOps(ASTContext &Ctx, const Decl &Function, const CFG &Graph,
                        const llvm::DenseSet<const Stmt *> &CreationSites) {
  LoopIndex Loops(Ctx, Function.getBody());
  const auto *FD = dyn_cast<FunctionDecl>(&Function);
  const ParmVarDecl *Receiver = FD ? receiverParameter(*FD) : nullptr;
  OpsFinder Finder(Ctx, Graph, CreationSites, Loops, Receiver);
  for (const CFGBlock *Block : Graph)
    for (const CFGElement &Element : *Block)
      Finder.element(Element);
  Finder.creations();
  Finder.Ops.Receiver = Receiver;
  return std::move(Finder.Ops);
}

std::string joiningDestructorKey(ASTContext &Ctx, const VarDecl &Var) {
  QualType Type = Var.getType();
  KeyNamer Keys(Ctx, nullptr);
  auto IsJthread = [](const CXXRecordDecl *Class) {
    return Class &&
           matchesLibraryName("std::jthread", stableQualifiedName(*Class));
  };
  if (IsJthread(Type->getAsCXXRecordDecl()))
    return Keys.variableKey(&Var);
  if (IsJthread(containerElementClass(Type->getAsCXXRecordDecl())))
    if (std::string Key = Keys.variableKey(&Var); !Key.empty())
      return Key + "[*]";
  return "";
}

std::string variableHandleKey(ASTContext &Ctx, const VarDecl &Var) {
  return KeyNamer(Ctx, nullptr).variableKey(&Var);
}

bool startsThreadThroughFirstArgument(const CallExpr &Call) {
  const FunctionDecl *FD = libraryCallee(Call);
  if (!FD || Call.getNumArgs() == 0)
    return false;
  llvm::StringRef Name = FD->getName();
  return Name == "pthread_create" || Name == "thrd_create" ||
         Name.starts_with("uv_thread_create");
}

bool isThreadHandleOperation(const FunctionDecl &FD) {
  if (!FD.getIdentifier())
    return false;
  llvm::StringRef Name = FD.getName();
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&FD))
    return (Name == "join" || Name == "detach") &&
           isThreadClass(Method->getParent());
  static constexpr llvm::StringLiteral Operations[] = {
      "pthread_join",   "thrd_join",   "g_thread_join", "uv_thread_join",
      "pthread_detach", "thrd_detach", "g_thread_unref"};
  return hasCLibraryName(FD) && llvm::is_contained(Operations, Name);
}

std::string handleKey(ASTContext &Ctx, const Expr &E,
                      const ParmVarDecl *Receiver) {
  return KeyNamer(Ctx, nullptr, Receiver).key(&E);
}

bool takesReceiver(const FunctionDecl &FD) {
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&FD);
      Method && Method->isInstance())
    return false;
  if (FD.getNumParams() == 0)
    return false;
  QualType Type = FD.getParamDecl(0)->getType();
  return Type->isPointerType() && Type->getPointeeType()->isRecordType();
}

const ParmVarDecl *receiverParameter(const FunctionDecl &FD) {
  if (!takesReceiver(FD) || !FD.getBody())
    return nullptr;
  const ParmVarDecl *Param = FD.getParamDecl(0);
  PointerChanges Changes(*Param, *FD.getBody());
  return Changes.Changed ? nullptr : Param;
}

bool isLocalKey(const std::string &Key) {
  return llvm::StringRef(Key).starts_with("local:");
}

} // namespace forksafety
