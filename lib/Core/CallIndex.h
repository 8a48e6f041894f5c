//===- CallIndex.h - Calls between the functions of a TU -------*- C++ -*-===//

#ifndef FORKSAFETY_CORE_CALLINDEX_H
#define FORKSAFETY_CORE_CALLINDEX_H

#include "Core/ChildPaths/Arguments.h"
#include "Core/ProgramFacts.h"
#include "Core/UserCodeVisitor.h"

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"

#include <optional>
#include <string>
#include <vector>

namespace forksafety {

inline const clang::FunctionDecl *canonical(const clang::FunctionDecl *FD) {
  return FD ? FD->getCanonicalDecl() : nullptr;
}

/// Indexes the calls between the functions of the translation unit.
class CallIndexer : public UserCodeVisitor<CallIndexer> {
public:
  explicit CallIndexer(const clang::SourceManager &SM) : UserCodeVisitor(SM) {}

  /// Indexes the calls of \p Ctx's translation unit; \p Gathering, if
  /// given, gathers the unit's facts in the same walk, and \p Stores the
  /// stores in fields of function pointers (in C, where no template is
  /// instantiated and a function's code is the code its walk meets).
  void walk(clang::ASTContext &Ctx, FactsFinder *Gathering = nullptr,
            FieldStoreFinder *Stores = nullptr) {
    Facts = Gathering;
    FieldStores = Stores;
    TraverseAST(Ctx);
    Facts = nullptr;
    FieldStores = nullptr;
  }

  bool VisitBinaryOperator(clang::BinaryOperator *Assign) {
    if (FieldStores)
      FieldStores->assignment(*Assign, enclosingPlainFunction());
    return true;
  }

  bool VisitFunctionDecl(clang::FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext())
      Definitions.push_back(FD);
    return true;
  }

  bool VisitLambdaExpr(clang::LambdaExpr *Lambda) {
    if (!Lambda->getCallOperator()->isDependentContext())
      Definitions.push_back(Lambda->getCallOperator());
    // A lambda may be called from anywhere its object goes.
    takeAddress(Lambda->getCallOperator());
    return true;
  }

  // The addresses a global's initializer takes exist once code that
  // reaches the global runs.
  bool TraverseVarDecl(clang::VarDecl *Var) {
    if (currentFunction() || !Var->hasGlobalStorage())
      return UserCodeVisitor::TraverseVarDecl(Var);
    const clang::VarDecl *Outer = InitializedGlobal;
    InitializedGlobal = Var->getCanonicalDecl();
    bool Result = UserCodeVisitor::TraverseVarDecl(Var);
    InitializedGlobal = Outer;
    return Result;
  }

  bool VisitCallExpr(clang::CallExpr *Call) {
    if (Facts)
      Facts->call(*Call, currentFunction());
    if (const clang::FunctionDecl *Callee = Call->getDirectCallee()) {
      if (currentFunction())
        DirectCalls.push_back({currentFunction(), Call});
      // A call from a block or an Objective-C method is not followed: its
      // callee may run at any time.
      if (const auto *Caller =
              clang::dyn_cast_or_null<clang::FunctionDecl>(currentFunction()))
        Calls.push_back({Caller, Call, canonical(Callee)});
      else if (currentFunction())
        takeAddress(Callee);
      else
        Initializers.insert({canonical(Callee), Call});
    } else if (const auto *Caller =
                   clang::dyn_cast_or_null<clang::FunctionDecl>(
                       currentFunction())) {
      if (std::optional<std::string> Type = pointerCallType(*Call))
        IndirectCalls.push_back(
            {Caller, Call, std::move(*Type), LoopDepth > 0});
    }
    if (const auto *Ref = clang::dyn_cast<clang::DeclRefExpr>(
            Call->getCallee()->IgnoreParenImpCasts()))
      DirectCallees.insert(Ref);
    return true;
  }

  /// The type of a function, as calls through pointers name it.
  static std::string functionTypeName(clang::QualType Type) {
    return Type.getCanonicalType().getAsString();
  }

  bool TraverseForStmt(clang::ForStmt *S) {
    return inLoop([&] { return UserCodeVisitor::TraverseForStmt(S); });
  }
  bool TraverseWhileStmt(clang::WhileStmt *S) {
    return inLoop([&] { return UserCodeVisitor::TraverseWhileStmt(S); });
  }
  bool TraverseDoStmt(clang::DoStmt *S) {
    return inLoop([&] { return UserCodeVisitor::TraverseDoStmt(S); });
  }
  bool TraverseCXXForRangeStmt(clang::CXXForRangeStmt *S) {
    return inLoop([&] { return UserCodeVisitor::TraverseCXXForRangeStmt(S); });
  }

  // The functions named as elements of aggregates (tables of commands, of
  // option callbacks) are held there, global or local. An initializer list
  // is visited before its elements.
  bool VisitInitListExpr(clang::InitListExpr *List) {
    if (FieldStores)
      FieldStores->initializers(*List, enclosingPlainFunction());
    for (const clang::Expr *Init : List->inits()) {
      const clang::Expr *E = Init ? Init->IgnoreParenCasts() : nullptr;
      if (const auto *Designated =
              clang::dyn_cast_or_null<clang::DesignatedInitExpr>(E))
        E = Designated->getInit()->IgnoreParenCasts();
      if (const auto *Address =
              clang::dyn_cast_or_null<clang::UnaryOperator>(E);
          Address && Address->getOpcode() == clang::UO_AddrOf)
        E = Address->getSubExpr()->IgnoreParenCasts();
      if (const auto *Ref = clang::dyn_cast_or_null<clang::DeclRefExpr>(E))
        TableElements.insert(Ref);
    }
    return true;
  }

  // A constructor runs like a called function.
  bool VisitCXXConstructExpr(clang::CXXConstructExpr *Construct) {
    if (Facts)
      Facts->construct(*Construct, currentFunction());
    const auto *Caller =
        clang::dyn_cast_or_null<clang::FunctionDecl>(currentFunction());
    if (!Construct->getConstructor())
      return true;
    if (Caller)
      Calls.push_back(
          {Caller, Construct, canonical(Construct->getConstructor())});
    else if (!currentFunction())
      Initializers.insert({canonical(Construct->getConstructor()), Construct});
    return true;
  }

  // A function named anywhere but as a direct callee (its address passed as
  // a callback, stored...) may be called from anywhere. Calls are visited
  // before their callee expressions, so DirectCallees is complete here.
  bool VisitDeclRefExpr(clang::DeclRefExpr *Ref) {
    if (Facts)
      Facts->reference(*Ref, currentFunction());
    if (const auto *FD = clang::dyn_cast<clang::FunctionDecl>(Ref->getDecl());
        FD && !DirectCallees.contains(Ref))
      takeAddress(FD, TableElements.contains(Ref));
    else if (const auto *Var = clang::dyn_cast<clang::VarDecl>(Ref->getDecl());
             Var && mayHoldCodeAddresses(*Var))
      References.push_back({taker(), Var->getCanonicalDecl()});
    return true;
  }

  bool VisitOMPExecutableDirective(clang::OMPExecutableDirective *Directive) {
    if (Facts)
      Facts->directive(*Directive, currentFunction());
    return true;
  }

  struct Call {
    const clang::FunctionDecl *Caller;
    const clang::Expr *Expr; ///< A call or a construction.
    const clang::FunctionDecl *Callee;
  };
  std::vector<Call> Calls;
  /// Every direct call in the code of a function, method, lambda or block,
  /// in the order of the walk, with the code that holds it.
  struct DirectCall {
    const clang::Decl *Function;
    const clang::CallExpr *Expr;
  };
  std::vector<DirectCall> DirectCalls;
  /// A call through a pointer to a function of type Type (functionTypeName;
  /// empty for a function without a prototype). InLoop: in the body of a
  /// loop, where one call may follow another.
  struct IndirectCall {
    const clang::FunctionDecl *Caller;
    const clang::CallExpr *Expr;
    std::string Type;
    bool InLoop;
  };
  std::vector<IndirectCall> IndirectCalls;
  /// The functions with a body, in the order they are defined.
  std::vector<const clang::FunctionDecl *> Definitions;
  llvm::DenseSet<const clang::FunctionDecl *> AddressTaken;
  /// Of AddressTaken, those whose address code takes other than to
  /// initialize a global or an element of an aggregate: code or a library
  /// may keep it anywhere.
  llvm::DenseSet<const clang::FunctionDecl *> AddressEscapes;
  /// A function or global variable whose address the code of Taker takes:
  /// it may run, or be read, once Taker runs (or is read). Taker is a
  /// function, a global whose initializer takes the address, or null where
  /// no function or global holds the code (a block, a method).
  struct Reference {
    const clang::Decl *Taker;
    const clang::Decl *Target;
  };
  std::vector<Reference> References;
  /// Functions and constructors the initializers of globals call, with the
  /// first such call: they run before main.
  llvm::MapVector<const clang::FunctionDecl *, const clang::Expr *>
      Initializers;

private:
  FactsFinder *Facts = nullptr;
  FieldStoreFinder *FieldStores = nullptr;

  template <typename Traverse> bool inLoop(Traverse &&Body) {
    ++LoopDepth;
    bool Result = Body();
    --LoopDepth;
    return Result;
  }

  /// \p InTable: the address initializes an element of an aggregate.
  void takeAddress(const clang::FunctionDecl *FD, bool InTable = false) {
    AddressTaken.insert(canonical(FD));
    References.push_back({taker(), canonical(FD)});
    if (!InTable && (currentFunction() || !InitializedGlobal))
      AddressEscapes.insert(canonical(FD));
  }

  /// The type of the function \p Call calls through a pointer; none for
  /// calls of members through pointers and of block or dependent callees.
  static std::optional<std::string>
  pointerCallType(const clang::CallExpr &Call) {
    const clang::Expr *Callee = Call.getCallee();
    if (!Callee || Callee->isTypeDependent())
      return std::nullopt;
    clang::QualType Type = Callee->getType();
    if (const auto *Pointer = Type->getAs<clang::PointerType>())
      Type = Pointer->getPointeeType();
    else if (const auto *Reference = Type->getAs<clang::ReferenceType>())
      Type = Reference->getPointeeType();
    if (Type->getAs<clang::FunctionNoProtoType>())
      return std::string();
    if (!Type->getAs<clang::FunctionProtoType>())
      return std::nullopt;
    return functionTypeName(Type);
  }

  const clang::Decl *taker() const {
    if (const auto *FD =
            clang::dyn_cast_or_null<clang::FunctionDecl>(currentFunction()))
      return canonical(FD);
    return currentFunction() ? nullptr : InitializedGlobal;
  }

  /// Globals of arithmetic types, and pointers to them, hold no function
  /// addresses: reaching them reaches no code.
  bool mayHoldCodeAddresses(const clang::VarDecl &Var) const {
    if (!Var.hasGlobalStorage() || Var.isStaticLocal() ||
        isInSystemHeader(Var, SM))
      return false;
    const clang::Type *T = Var.getType()->getBaseElementTypeUnsafe();
    if (T->isPointerType())
      T = T->getPointeeType()->getBaseElementTypeUnsafe();
    return !T->isArithmeticType();
  }

  llvm::DenseSet<const clang::DeclRefExpr *> DirectCallees;
  llvm::DenseSet<const clang::DeclRefExpr *> TableElements;
  unsigned LoopDepth = 0;
  const clang::VarDecl *InitializedGlobal = nullptr;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CALLINDEX_H
