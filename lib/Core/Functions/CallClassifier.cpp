//===- CallClassifier.cpp - What a CFG element does in a child ------------===//

#include "Core/Functions/CallClassifier.h"

#include "Core/ClangCompat.h"
#include "Core/Functions/FunctionTable.h"
#include "Core/Functions/LibraryModel.h"
#include "Core/Functions/SpinLocks.h"
#include "clang/Basic/TargetInfo.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"

namespace forksafety {

using namespace clang;

namespace {

std::string typeName(QualType T, const ASTContext &Ctx) {
  PrintingPolicy Policy(Ctx.getLangOpts());
  Policy.SuppressTagKeyword = true;
  Policy.SuppressScope = false;
  return T.getUnqualifiedType().getAsString(Policy);
}

std::string indirectCalleeName(const Expr *Callee) {
  Callee = Callee->IgnoreParenImpCasts();
  if (const auto *Deref = dyn_cast<UnaryOperator>(Callee))
    Callee = Deref->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(Callee))
    return Ref->getDecl()->getNameAsString();
  if (const auto *Member = dyn_cast<MemberExpr>(Callee))
    return Member->getMemberDecl()->getNameAsString();
  return "";
}

/// A member call is reported at the member's name, any other call where it
/// starts: for an overloaded operator, at its first operand if that comes
/// before the operator.
SourceLocation callLocation(const CallExpr &Call, const SourceManager &SM) {
  if (isa<CXXMemberCallExpr>(Call))
    return Call.getExprLoc();
  if (const auto *Operator = dyn_cast<CXXOperatorCallExpr>(&Call)) {
    SourceLocation OperatorLoc = Operator->getOperatorLoc();
    if (Operator->getNumArgs() > 0) {
      SourceLocation First = Operator->getArg(0)->getBeginLoc();
      if (First.isValid() && SM.isBeforeInTranslationUnit(First, OperatorLoc))
        return First;
    }
    return OperatorLoc;
  }
  return Call.getBeginLoc();
}

ClassifiedElement unverifiable(OperationKind Kind, std::string Subject,
                               std::string Reason, SourceLocation Loc) {
  ClassifiedElement Result;
  Result.Effect = ClassifiedElement::Unsafe;
  Result.Op.Kind = Kind;
  Result.Op.Safety = Verdict::Unverifiable;
  Result.Op.Subject = std::move(Subject);
  Result.Op.Reason = std::move(Reason);
  Result.Loc = Loc;
  return Result;
}

ClassifiedElement unsafe(OperationKind Kind, std::string Subject,
                         SourceLocation Loc) {
  ClassifiedElement Result;
  Result.Effect = ClassifiedElement::Unsafe;
  Result.Op.Kind = Kind;
  Result.Op.Subject = std::move(Subject);
  Result.Loc = Loc;
  return Result;
}

} // namespace

namespace {

// glibc's fork resets the locks of its malloc in the child, so these work
// there (glibc's manual, "Async-Signal-Safe Functions" and fork(2)); stdio
// locks are not reset.
const char *const GlibcForkSafeAllocators[] = {
    "aligned_alloc",  "calloc",  "free",    "malloc",       "memalign",
    "posix_memalign", "pvalloc", "realloc", "reallocarray", "valloc",
};

// C++ library code known to lock or allocate, by qualified-name prefix.
const char *const LockingLibraryPrefixes[] = {
    "std::basic_ostream",
    "std::basic_istream",
    "std::basic_ios",
    "std::operator<<",
    "std::operator>>",
    "std::endl",
    "std::flush",
    "std::getline",
    "std::mutex::",
    "std::recursive_mutex::",
    "std::shared_mutex::",
    "std::timed_mutex::",
    "std::lock_guard",
    "std::unique_lock",
    "std::scoped_lock",
    "std::shared_lock",
    "std::call_once",
    "std::locale",
    "std::condition_variable::wait",
    "std::to_string",
};

/// True for unsafe work known to take a lock or to allocate, rather than
/// merely not on the async-signal-safe list.
bool takesLocks(const ClassifiedElement &Element) {
  const Operation &Op = Element.Op;
  if (Op.Safety != Verdict::NotSignalSafe)
    return false;
  switch (Op.Kind) {
  case OperationKind::Allocate:
  case OperationKind::Deallocate:
  case OperationKind::Throw:
  case OperationKind::SpinLock:
  case OperationKind::Return:
  case OperationKind::Construct:
  case OperationKind::Destroy:
    // Library objects with constructors and destructors manage memory or
    // locks; throwing allocates the exception and unwinds under a lock.
    return true;
  case OperationKind::Call:
    break;
  }
  if (Op.IsExit)
    return true;
  const FunctionDecl *FD =
      Element.Call ? Element.Call->getDirectCallee() : nullptr;
  if (FD && hasCLibraryName(*FD) &&
      takesLocksOrAllocates(canonicalLibraryName(FD->getName())))
    return true;
  return llvm::any_of(LockingLibraryPrefixes, [&](const char *Prefix) {
    return llvm::StringRef(Op.Subject).starts_with(Prefix);
  });
}

/// True for allocations that only take malloc's locks: the malloc family
/// and new/delete expressions with the global allocation functions, which
/// call malloc and free.
bool allocates(const ClassifiedElement &Element) {
  if (Element.Op.Kind == OperationKind::Allocate ||
      Element.Op.Kind == OperationKind::Deallocate)
    return true;
  const FunctionDecl *FD =
      Element.Call ? Element.Call->getDirectCallee() : nullptr;
  return Element.Op.Kind == OperationKind::Call && FD && hasCLibraryName(*FD) &&
         llvm::is_contained(GlibcForkSafeAllocators,
                            canonicalLibraryName(FD->getName()));
}

} // namespace

CallClassifier::CallClassifier(ASTContext &Ctx, const AnalysisOptions &Opts)
    : Ctx(Ctx), Targets(Ctx), Locks(Ctx) {
  for (const std::string &Name : Opts.AsyncSignalSafeFunctions)
    UserSafeNames.insert(Name);
}

std::string CallClassifier::displayName(const FunctionDecl &FD) {
  if (const auto *Method = dyn_cast<CXXMethodDecl>(&FD))
    if (Method->getParent()->isLambda())
      return "lambda";
  // Fortified and builtin spellings go by the library function's name.
  if (hasCLibraryName(FD))
    return canonicalLibraryName(FD.getName()).str();
  return stableQualifiedName(FD);
}

bool CallClassifier::isDeclaredSafeByUser(const FunctionDecl &FD) const {
  if (UserSafeNames.empty())
    return false;
  if (FD.getIdentifier() && UserSafeNames.contains(FD.getName()))
    return true;
  return UserSafeNames.contains(stableQualifiedName(FD));
}

bool CallClassifier::isCompilerIntrinsic(const FunctionDecl &FD) const {
  unsigned ID = FD.getBuiltinID();
  if (ID == 0)
    return false;
  // A builtin is an intrinsic unless it is (or stands for) a C library
  // function: __builtin_expect is an intrinsic, __builtin_printf is printf.
  std::string BuiltinName = builtinName(Ctx.BuiltinInfo, ID);
  StringRef Library = canonicalLibraryName(BuiltinName);
  unsigned LibraryID = Ctx.Idents.get(Library).getBuiltinID();
  if (LibraryID == 0)
    return true;
  // va_start and its kin are library builtins of the compiler's own header.
  if (const char *Header = Ctx.BuiltinInfo.getHeaderName(LibraryID);
      Header && StringRef(Header) == "stdarg.h")
    return true;
  return !Ctx.BuiltinInfo.isPredefinedLibFunction(LibraryID) &&
         !Ctx.BuiltinInfo.isLibFunction(LibraryID) &&
         !Ctx.BuiltinInfo.isHeaderDependentFunction(LibraryID);
}

ClassifiedElement CallClassifier::classifyCall(const FunctionDecl &FD,
                                               OperationKind Kind,
                                               std::string Subject,
                                               SourceLocation Loc) const {
  auto [Known, Inserted] = CallVerdicts.try_emplace(
      std::make_pair(&FD, static_cast<unsigned>(Kind)));
  if (Inserted)
    Known->second = classifyCallee(FD, Kind);
  ClassifiedElement Result = Known->second;
  Result.Loc = Loc;
  Result.Op.Subject = std::move(Subject);
  return Result;
}

ClassifiedElement CallClassifier::classifyCallee(const FunctionDecl &FD,
                                                 OperationKind Kind) const {
  ClassifiedElement Result;
  Result.Op.Kind = Kind;

  if (hasCLibraryName(FD)) {
    switch (classifyLibraryFunction(FD.getName())) {
    case LibraryFunctionKind::SignalSafe:
    case LibraryFunctionKind::ExitProcess:
      return Result;
    case LibraryFunctionKind::AssertionFailure:
      Result.Effect = ClassifiedElement::Unreachable;
      return Result;
    case LibraryFunctionKind::Exec:
      Result.Effect = ClassifiedElement::Exec;
      return Result;
    case LibraryFunctionKind::ExecPathSearch:
      Result.Effect = ClassifiedElement::ExecPathSearch;
      Result.Op.IsExecPathSearch = true;
      return Result;
    case LibraryFunctionKind::ExitWithHandlers:
      Result.Effect = ClassifiedElement::Unsafe;
      Result.Op.IsExit = true;
      return Result;
    case LibraryFunctionKind::NotListed:
      break;
    }
  }
  if (isDeclaredSafeByUser(FD) || isCompilerIntrinsic(FD))
    return Result;
  // alloca only moves the stack pointer.
  if (FD.getIdentifier() && canonicalLibraryName(FD.getName()) == "alloca")
    return Result;

  const SourceManager &SM = Ctx.getSourceManager();
  const FunctionDecl *Definition = nullptr;
  bool HasBody = FD.hasBody(Definition) && Definition;
  if (isInSystemHeader(FD, SM)) {
    if (isSignalSafeLibraryMember(FD, Ctx))
      return Result;
    // Small static inline helpers of the C library headers (__bswap_16,
    // __uint16_identity) are followed; the rest of the library is opaque.
    bool CHelper = HasBody && isLibraryHelperName(FD);
    if (!CHelper) {
      Result.Effect = ClassifiedElement::Unsafe;
      return Result;
    }
  } else if (!HasBody) {
    // A C library function the user declared by hand is still a library
    // function.
    unsigned ID = FD.getBuiltinID();
    if (ID && (Ctx.BuiltinInfo.isPredefinedLibFunction(ID) ||
               Ctx.BuiltinInfo.isLibFunction(ID))) {
      Result.Effect = ClassifiedElement::Unsafe;
      return Result;
    }
    // Another translation unit may define it: the callee is kept for the
    // whole-program analysis.
    ClassifiedElement Undefined =
        unverifiable(Kind, "", "no definition is visible", SourceLocation());
    Undefined.Callee = &FD;
    // Defined nowhere, it is the C library's (isCLibraryFunctionUsr).
    Undefined.SystemCall = isLinuxSystemCallOnLinux(FD);
    return Undefined;
  }
  Result.Effect = ClassifiedElement::CallsDefined;
  Result.Callee = Definition;
  return Result;
}

ClassifiedElement CallClassifier::classifyStmt(const Stmt &S) const {
  // Before the call itself: the atomic operations of spin locks are
  // async-signal-safe, the loops around them are not.
  if (std::optional<std::string> Lock = Locks.acquiredBy(S))
    return unsafe(OperationKind::SpinLock, std::move(*Lock), S.getBeginLoc());
  if (const auto *Call = dyn_cast<CallExpr>(&S)) {
    SourceLocation Loc = callLocation(*Call, Ctx.getSourceManager());
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD) {
      if (Call->isTypeDependent() ||
          isa<CXXPseudoDestructorExpr>(Call->getCallee()->IgnoreParens()))
        return {};
      if (const FunctionDecl *Target = Targets.resolveIndirect(*Call)) {
        ClassifiedElement Result = classifyCall(*Target, OperationKind::Call,
                                                displayName(*Target), Loc);
        Result.Call = Call;
        return Result;
      }
      std::string Name = indirectCalleeName(Call->getCallee());
      ClassifiedElement Result = unverifiable(
          OperationKind::Call, Name, "it is called through a pointer", Loc);
      Result.Call = Call;
      return Result;
    }
    if (std::optional<const FunctionDecl *> Target =
            Targets.resolveVirtual(*Call)) {
      if (!*Target) {
        ClassifiedElement Result = unverifiable(
            OperationKind::Call, displayName(*FD),
            "the object's dynamic type decides what it calls", Loc);
        Result.Call = Call;
        return Result;
      }
      FD = *Target;
    }
    ClassifiedElement Result =
        classifyCall(*FD, OperationKind::Call, displayName(*FD), Loc);
    Result.Call = Call;
    return Result;
  }
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&S)) {
    const CXXConstructorDecl *Ctor = Construct->getConstructor();
    if (!Ctor || Ctor->isTrivial())
      return {};
    return classifyCall(*Ctor, OperationKind::Construct,
                        typeName(Construct->getType(), Ctx),
                        Construct->getBeginLoc());
  }
  if (const auto *New = dyn_cast<CXXNewExpr>(&S)) {
    const FunctionDecl *Allocator = New->getOperatorNew();
    if (Allocator && Allocator->isReservedGlobalPlacementOperator())
      return {};
    return unsafe(OperationKind::Allocate, "new", New->getBeginLoc());
  }
  if (const auto *Delete = dyn_cast<CXXDeleteExpr>(&S))
    return unsafe(OperationKind::Deallocate, "delete", Delete->getBeginLoc());
  if (const auto *Throw = dyn_cast<CXXThrowExpr>(&S))
    return unsafe(OperationKind::Throw, "throw", Throw->getBeginLoc());
  return {};
}

ClassifiedElement
CallClassifier::classifyElement(const CFGElement &Element) const {
  if (std::optional<CFGStmt> S = Element.getAs<CFGStmt>())
    return classifyStmt(*S->getStmt());
  if (std::optional<CFGAutomaticObjDtor> Auto =
          Element.getAs<CFGAutomaticObjDtor>()) {
    const CXXDestructorDecl *Dtor = Auto->getDestructorDecl(Ctx);
    if (!Dtor || Dtor->isTrivial())
      return {};
    return classifyCall(*Dtor, OperationKind::Destroy,
                        Auto->getVarDecl()->getNameAsString(),
                        Auto->getTriggerStmt()->getEndLoc());
  }
  if (std::optional<CFGMemberDtor> Member = Element.getAs<CFGMemberDtor>()) {
    const CXXDestructorDecl *Dtor = Member->getDestructorDecl(Ctx);
    if (!Dtor || Dtor->isTrivial())
      return {};
    const FieldDecl *Field = Member->getFieldDecl();
    return classifyCall(*Dtor, OperationKind::Destroy, Field->getNameAsString(),
                        Field->getLocation());
  }
  if (std::optional<CFGBaseDtor> Base = Element.getAs<CFGBaseDtor>()) {
    const CXXDestructorDecl *Dtor = Base->getDestructorDecl(Ctx);
    if (!Dtor || Dtor->isTrivial())
      return {};
    return classifyCall(
        *Dtor, OperationKind::Destroy,
        typeName(QualType(Base->getBaseSpecifier()->getType()), Ctx),
        Base->getBaseSpecifier()->getBeginLoc());
  }
  return {};
}

ClassifiedElement CallClassifier::classify(const CFGElement &Element) const {
  // Built in place: most elements are no call, and leave at once.
  ClassifiedElement Result = classifyElement(Element);
  if (Result.Effect == ClassifiedElement::Unsafe)
    refineUnsafe(Result);
  else if (Result.Effect == ClassifiedElement::NoEffect && Result.Call &&
           !Result.Op.Subject.empty())
    Result.ForbiddenAfterVfork = forbiddenAfterVfork(*Result.Call);
  return Result;
}

void CallClassifier::refineUnsafe(ClassifiedElement &Result) const {
  if (allocates(Result))
    Result.OnlyAllocates = true;
  if (Result.Callee)
    return;
  Result.Op.TakesLocks = takesLocks(Result);
  if (Result.Op.Kind == OperationKind::Call && Result.Call)
    if (const FunctionDecl *FD = Result.Call->getDirectCallee())
      Result.SystemCall = isLinuxSystemCallOnLinux(*FD);
}

bool CallClassifier::isLinuxSystemCallOnLinux(const FunctionDecl &FD) const {
  return Ctx.getTargetInfo().getTriple().isOSLinux() && hasCLibraryName(FD) &&
         isLinuxSystemCall(canonicalLibraryName(FD.getName()));
}

bool CallClassifier::forbiddenAfterVfork(const CallExpr &Call) const {
  const FunctionDecl *FD = Call.getDirectCallee();
  bool EndsProcess = FD && hasCLibraryName(*FD) &&
                     (classifyLibraryFunction(FD->getName()) ==
                          LibraryFunctionKind::ExitProcess ||
                      isErrnoAccessor(FD->getName()));
  return FD && !EndsProcess && !isCompilerIntrinsic(*FD);
}

} // namespace forksafety
