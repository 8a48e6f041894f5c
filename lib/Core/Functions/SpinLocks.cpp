//===- SpinLocks.cpp - Hand-rolled spin locks -----------------------------===//

#include "Core/Functions/SpinLocks.h"

#include "Core/ClangCompat.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/Builtins.h"
#include "llvm/ADT/DenseMap.h"

namespace forksafety {

using namespace clang;

namespace {

/// What an atomic operation returns, as far as a waiting loop cares.
enum class AtomicResult {
  OldValue, ///< exchange, test-and-set: the loop waits while it is set.
  Success,  ///< compare-and-swap: the loop waits while it fails.
};

/// One atomic read-modify-write: the object it works on, and for a
/// compare-and-swap the value it expects to find.
struct AtomicAccess {
  const Expr *Object = nullptr;
  AtomicResult Result = AtomicResult::OldValue;
  /// A compare-and-swap's expected value (`__sync_*`), or the variable that
  /// holds it (`compare_exchange_*`, `__atomic_compare_exchange*`).
  const Expr *Expected = nullptr;
  /// The value an exchange stores; null for a test-and-set, which stores
  /// "set".
  const Expr *Stored = nullptr;
};

AtomicAccess exchange(const Expr *Object, const Expr *Stored) {
  return AtomicAccess{Object, AtomicResult::OldValue, nullptr, Stored};
}

AtomicAccess testAndSet(const Expr *Object) {
  return AtomicAccess{Object, AtomicResult::OldValue, nullptr, nullptr};
}

std::optional<AtomicAccess> atomicExprAccess(const AtomicExpr &Atomic) {
  switch (Atomic.getOp()) {
  case AtomicExpr::AO__c11_atomic_exchange:
  case AtomicExpr::AO__atomic_exchange_n:
  // __atomic_exchange stores through a pointer: its value is not known.
  case AtomicExpr::AO__atomic_exchange:
    return exchange(Atomic.getPtr(), Atomic.getVal1());
#if FORKSAFETY_LLVM_MAJOR >= 20
  // Earlier clangs call __atomic_test_and_set as a builtin (builtinAccess).
  case AtomicExpr::AO__atomic_test_and_set:
    return testAndSet(Atomic.getPtr());
#endif
  case AtomicExpr::AO__c11_atomic_compare_exchange_strong:
  case AtomicExpr::AO__c11_atomic_compare_exchange_weak:
  case AtomicExpr::AO__atomic_compare_exchange_n:
  case AtomicExpr::AO__atomic_compare_exchange:
    return AtomicAccess{Atomic.getPtr(), AtomicResult::Success,
                        Atomic.getVal1()};
  default:
    return std::nullopt;
  }
}

std::optional<AtomicAccess> builtinAccess(const CallExpr &Call) {
  const FunctionDecl *FD = Call.getDirectCallee();
  if (!FD || !FD->getIdentifier() || Call.getNumArgs() < 2)
    return std::nullopt;
  llvm::StringRef Name = FD->getName();
  // Despite its name, __sync_lock_test_and_set is an exchange.
  if (Name.starts_with("__sync_lock_test_and_set"))
    return exchange(Call.getArg(0), Call.getArg(1));
  if (Name == "__atomic_test_and_set")
    return testAndSet(Call.getArg(0));
  if (Call.getNumArgs() < 3)
    return std::nullopt;
  if (Name.starts_with("__sync_val_compare_and_swap"))
    return AtomicAccess{Call.getArg(0), AtomicResult::OldValue, Call.getArg(1),
                        nullptr};
  if (Name.starts_with("__sync_bool_compare_and_swap"))
    return AtomicAccess{Call.getArg(0), AtomicResult::Success, Call.getArg(1),
                        nullptr};
  return std::nullopt;
}

/// `std::atomic<T>::exchange`, `std::atomic_flag::test_and_set`,
/// `compare_exchange_weak/strong`.
std::optional<AtomicAccess> memberAccess(const CXXMemberCallExpr &Call) {
  const CXXMethodDecl *Method = Call.getMethodDecl();
  if (!Method || !Method->getIdentifier())
    return std::nullopt;
  // The name first: the class's qualified name is built only for these.
  llvm::StringRef Name = Method->getName();
  bool Swap = Name.starts_with("compare_exchange") && Call.getNumArgs() > 0;
  if (Name != "exchange" && Name != "test_and_set" && !Swap)
    return std::nullopt;
  std::string Class = Method->getParent()->getQualifiedNameAsString();
  if (!llvm::StringRef(Class).starts_with("std::") ||
      !llvm::StringRef(Class).contains("atomic"))
    return std::nullopt;
  const Expr *Object = Call.getImplicitObjectArgument();
  if (Swap)
    return AtomicAccess{Object, AtomicResult::Success, Call.getArg(0), nullptr};
  if (Name == "test_and_set")
    return testAndSet(Object);
  return Call.getNumArgs() > 0 ? std::optional(exchange(Object, Call.getArg(0)))
                               : std::nullopt;
}

std::optional<AtomicAccess> atomicAccess(const Stmt &S) {
  if (const auto *Atomic = dyn_cast<AtomicExpr>(&S))
    return atomicExprAccess(*Atomic);
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&S))
    return memberAccess(*Member);
  if (const auto *Call = dyn_cast<CallExpr>(&S))
    return builtinAccess(*Call);
  return std::nullopt;
}

/// For each expression a loop's condition is, seen through negations,
/// comparisons with constants, casts and `__builtin_expect`: the loop, and
/// whether it repeats while the expression is true. Only loop conditions
/// are indexed: a parent map of every node of the unit took over 5 MB for
/// GLib's gmain.c.
class LoopConditions : public TypeSkippingVisitor<LoopConditions> {
public:
  using Index = llvm::DenseMap<const Stmt *, std::pair<const Stmt *, bool>>;

  LoopConditions(ASTContext &Ctx, Index &Found) : Ctx(Ctx), Found(Found) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  bool VisitWhileStmt(WhileStmt *While) {
    return test(While->getCond(), While);
  }
  bool VisitDoStmt(DoStmt *Do) { return test(Do->getCond(), Do); }
  bool VisitForStmt(ForStmt *For) { return test(For->getCond(), For); }

private:
  bool test(const Expr *Condition, const Stmt *Loop) {
    if (Condition)
      add(*Condition, Loop, /*WaitsWhileTrue=*/true, /*Depth=*/0);
    return true;
  }

  void add(const Stmt &Node, const Stmt *Loop, bool WaitsWhileTrue,
           unsigned Depth) {
    if (Depth > 16)
      return;
    Found.try_emplace(&Node, Loop, WaitsWhileTrue);
    auto Into = [&](const Stmt *Child, bool Waits) {
      if (Child)
        add(*Child, Loop, Waits, Depth + 1);
    };
    if (const auto *Not = dyn_cast<UnaryOperator>(&Node)) {
      if (Not->getOpcode() == UO_LNot)
        Into(Not->getSubExpr(), !WaitsWhileTrue);
    } else if (const auto *Compare = dyn_cast<BinaryOperator>(&Node)) {
      if (!Compare->isEqualityOp())
        return;
      for (auto [Side, Other] :
           {std::pair(Compare->getLHS(), Compare->getRHS()),
            std::pair(Compare->getRHS(), Compare->getLHS())}) {
        Expr::EvalResult Value;
        if (!Other->EvaluateAsInt(Value, Ctx))
          continue;
        // `X == 0` and `X != 1` wait while X is false.
        bool Flips =
            (Compare->getOpcode() == BO_EQ) == Value.Val.getInt().isZero();
        Into(Side, Flips ? !WaitsWhileTrue : WaitsWhileTrue);
      }
    } else if (const auto *Call = dyn_cast<CallExpr>(&Node)) {
      if (Call->getBuiltinCallee() == Builtin::BI__builtin_expect)
        for (const Expr *Argument : Call->arguments())
          Into(Argument, WaitsWhileTrue);
    } else if (isa<ParenExpr, ImplicitCastExpr, CStyleCastExpr,
                   ExprWithCleanups, MaterializeTemporaryExpr>(&Node)) {
      for (const Stmt *Child : Node.children())
        Into(Child, WaitsWhileTrue);
    }
  }

  ASTContext &Ctx;
  Index &Found;
};

const VarDecl *variableOf(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *AddressOf = dyn_cast<UnaryOperator>(E);
      AddressOf && AddressOf->getOpcode() == UO_AddrOf)
    E = AddressOf->getSubExpr()->IgnoreParenImpCasts();
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

/// Whether \p Loop sets \p Expected to a constant: the loop waits for one
/// state of the lock instead of retrying with what it read.
bool resetsToConstant(const Stmt &Loop, const VarDecl &Expected,
                      ASTContext &Ctx) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const VarDecl &Expected;
    ASTContext &Ctx;
    bool Found = false;
    Finder(const VarDecl &Expected, ASTContext &Ctx)
        : Expected(Expected), Ctx(Ctx) {}
    bool VisitBinaryOperator(BinaryOperator *Assign) {
      Expr::EvalResult Value;
      if (Assign->getOpcode() == BO_Assign &&
          variableOf(Assign->getLHS()) == &Expected &&
          Assign->getRHS()->EvaluateAsInt(Value, Ctx))
        Found = true;
      return !Found;
    }
  } Visitor(Expected, Ctx);
  Visitor.TraverseStmt(const_cast<Stmt *>(&Loop));
  return Visitor.Found;
}

/// Whether the compare-and-swap waits for a constant state.
bool expectsConstant(const AtomicAccess &Access, const Stmt &Loop,
                     ASTContext &Ctx) {
  Expr::EvalResult Value;
  if (Access.Expected->EvaluateAsInt(Value, Ctx))
    return true;
  const VarDecl *Expected = variableOf(Access.Expected);
  return Expected && resetsToConstant(Loop, *Expected, Ctx);
}

/// Whether an exchange stores a constant "set" value, which a loop waiting
/// while the old value is set then reads back forever.
bool storesSet(const Expr &Stored, ASTContext &Ctx) {
  Expr::EvalResult Value;
  return Stored.EvaluateAsInt(Value, Ctx) && !Value.Val.getInt().isZero();
}

/// The lock's name as the code spells it (`q->locked`, `g_lock`), or
/// nothing if the object is a local variable of the function: no other
/// thread could have held it.
std::optional<std::string> sharedObjectName(const Expr &Object) {
  // Members from the lock outwards, each with the operator before it.
  llvm::SmallVector<std::string, 4> Members;
  bool ThroughPointer = false;
  auto Spelled = [&](std::string Base) {
    for (const std::string &Member : llvm::reverse(Members))
      Base += Member;
    return Base;
  };
  const Expr *E = &Object;
  while (E) {
    E = E->IgnoreParenCasts();
    if (const auto *Unary = dyn_cast<UnaryOperator>(E)) {
      if (Unary->getOpcode() == UO_Deref)
        ThroughPointer = true;
      else if (Unary->getOpcode() != UO_AddrOf)
        return std::nullopt;
      E = Unary->getSubExpr();
    } else if (const auto *Field = dyn_cast<MemberExpr>(E)) {
      const Expr *Base = Field->getBase()->IgnoreParenCasts();
      const auto *AddressOf = dyn_cast<UnaryOperator>(Base);
      bool Arrow = Field->isArrow() &&
                   !(AddressOf && AddressOf->getOpcode() == UO_AddrOf);
      ThroughPointer |= Arrow;
      // Library-internal members (`_Value`) name less than their object.
      llvm::StringRef Name = Field->getMemberDecl()->getName();
      if (!Name.empty() && !Name.starts_with("_"))
        Members.push_back((Arrow ? "->" : ".") + Name.str());
      E = Field->getBase();
    } else if (const auto *Element = dyn_cast<ArraySubscriptExpr>(E)) {
      ThroughPointer |= Element->getBase()->getType()->isPointerType();
      E = Element->getBase();
    } else if (isa<CXXThisExpr>(E)) {
      if (Members.empty())
        return std::nullopt;
      // A member of the object itself: its name alone, as in the class.
      return Spelled("").substr(Members.back()[0] == '-' ? 2 : 1);
    } else if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
      const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
      if (!Var)
        return std::nullopt;
      bool Local = Var->hasLocalStorage() && !ThroughPointer &&
                   !Var->getType()->isPointerType() &&
                   !Var->getType()->isReferenceType();
      if (Local)
        return std::nullopt;
      return Spelled(Var->getNameAsString());
    } else {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

} // namespace

SpinLocks::SpinLocks(ASTContext &Ctx) : Ctx(Ctx) {}

SpinLocks::~SpinLocks() = default;

std::optional<std::string> SpinLocks::acquiredBy(const Stmt &S) {
  std::optional<AtomicAccess> Access = atomicAccess(S);
  if (!Access || !Access->Object)
    return std::nullopt;
  if (!Tests) {
    Tests = std::make_unique<LoopTests>();
    LoopConditions(Ctx, *Tests).TraverseAST(Ctx);
  }
  auto Test = Tests->find(&S);
  if (Test == Tests->end())
    return std::nullopt;
  auto [Loop, WaitsWhileTrue] = Test->second;
  bool Waits = Access->Result == AtomicResult::OldValue ? WaitsWhileTrue
                                                        : !WaitsWhileTrue;
  if (!Waits)
    return std::nullopt;
  if (Access->Expected && !expectsConstant(*Access, *Loop, Ctx))
    return std::nullopt;
  // An exchange that stores "free" (`while (pending.exchange(false))`)
  // drains a flag: in a child, with no other thread to set it again, the
  // loop ends.
  if (Access->Stored && !storesSet(*Access->Stored, Ctx))
    return std::nullopt;
  return sharedObjectName(*Access->Object);
}

} // namespace forksafety
