//===- ProgramFacts.cpp - Fork sites and thread creation in a TU ----------===//

#include "Core/ProgramFacts.h"

#include "Core/CallIndex.h"
#include "Core/ChildPaths/Arguments.h"
#include "Core/Functions/CallClassifier.h"
#include "Core/Functions/LibraryModel.h"
#include "Core/Threads/ThreadCreators.h"
#include "Core/UserCodeVisitor.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtOpenMP.h"
#include "clang/Basic/OpenMPKinds.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringSet.h"

namespace forksafety {

using namespace clang;

namespace {

/// The fork site of \p Call, a fork-like call in the code of \p Function;
/// none outside code that is analysed.
std::optional<ForkSite> forkSiteOf(const CallExpr &Call, const Decl *Function,
                                   ForkKind Kind, StringRef Name) {
  if (!Function)
    return std::nullopt;
  if (const auto *DC = dyn_cast<DeclContext>(Function);
      DC && DC->isDependentContext())
    return std::nullopt; // Analysed in each instantiation instead.
  const Stmt *Body = Function->getBody();
  if (!Body)
    return std::nullopt;
  std::string FunctionName = "block";
  if (const auto *FD = dyn_cast<FunctionDecl>(Function))
    FunctionName = CallClassifier::displayName(*FD);
  else if (const auto *Method = dyn_cast<ObjCMethodDecl>(Function))
    FunctionName = Method->getNameAsString();
  return ForkSite{&Call,    Kind, Name.str(),
                  Function, Body, std::move(FunctionName)};
}

// Fork calls and thread creations are expressions: types hold none, and
// skipping them halves the walk over a header-heavy translation unit.
class FactsCollector : public UserCodeVisitor<FactsCollector> {
public:
  FactsCollector(ASTContext &Ctx, const AnalysisOptions &Opts)
      : UserCodeVisitor(Ctx.getSourceManager()), Finder(Opts) {}

  bool VisitCallExpr(CallExpr *Call) {
    Finder.call(*Call, currentFunction());
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *Construct) {
    Finder.construct(*Construct, currentFunction());
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    Finder.reference(*Ref, currentFunction());
    return true;
  }
  bool VisitOMPExecutableDirective(OMPExecutableDirective *Directive) {
    Finder.directive(*Directive, currentFunction());
    return true;
  }

  FactsFinder Finder;
};

} // namespace

FactsFinder::FactsFinder(const AnalysisOptions &Opts) {
  for (const std::string &Name : Opts.ThreadCreationFunctions)
    UserThreadCreators.insert(Name);
}

namespace {

/// Whether a call of \p FD may lock or unlock a mutex that
/// globalMutexOperand names.
bool isMutexLockOrUnlock(const FunctionDecl &FD) {
  return hasCLibraryName(FD) && (FD.getName() == "pthread_mutex_lock" ||
                                 FD.getName() == "pthread_mutex_unlock");
}

/// Whether \p FD is pthread_atfork, whose calls register fork handlers.
bool registersForkHandlers(const FunctionDecl &FD) {
  return hasCLibraryName(FD) && FD.getName() == "pthread_atfork";
}

} // namespace

FactsFinder::CalleeRole FactsFinder::roleOf(const FunctionDecl &FD) {
  auto [It, Inserted] = Roles.try_emplace(&FD, CalleeRole::None);
  if (!Inserted)
    return It->second;
  ForkKind Kind;
  bool CLibrary = hasCLibraryName(FD);
  if (CLibrary && isForkLikeFunction(FD.getName(), Kind))
    It->second = CalleeRole::Fork;
  else if (createsThreads(FD))
    It->second = CalleeRole::Threads;
  else if (isa<CXXMethodDecl>(FD) || isMutexLockOrUnlock(FD) ||
           registersForkHandlers(FD))
    It->second = CalleeRole::Other; // emplace, a mutex, fork handlers
  return It->second;
}

void FactsFinder::call(const CallExpr &Call, const Decl *Function) {
  const FunctionDecl *FD = Call.getDirectCallee();
  if (!FD)
    return;
  switch (roleOf(*FD)) {
  case CalleeRole::None:
    return;
  case CalleeRole::Fork: {
    ForkKind Kind;
    isForkLikeFunction(FD->getName(), Kind);
    if (std::optional<ForkSite> Site =
            forkSiteOf(Call, Function, Kind, FD->getName()))
      Facts.Forks.push_back(std::move(*Site));
    return;
  }
  case CalleeRole::Threads:
    recordThreads(Call, Function, CallClassifier::displayName(*FD));
    return;
  case CalleeRole::Other:
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(&Call);
        const CXXRecordDecl *Thread =
            Member ? emplacedThreadClass(*Member) : nullptr)
      recordThreads(Call, Function, stableQualifiedName(*Thread));
    else
      recordForkHandlers(Call, *FD, Function);
    return;
  }
}

void FactsFinder::construct(const CXXConstructExpr &Construct,
                            const Decl *Function) {
  const CXXConstructorDecl *Ctor = Construct.getConstructor();
  if (!Ctor)
    return;
  if (constructionStartsThreads(*Ctor) || isUserThreadCreator(*Ctor)) {
    std::string Class = stableQualifiedName(*Ctor);
    recordThreads(Construct, Function, Class.substr(0, Class.rfind("::")));
  }
}

// A SIGEV_THREAD notification (timer_create, mq_notify) runs on a thread
// the C library starts.
void FactsFinder::reference(const DeclRefExpr &Ref, const Decl *Function) {
  if (isa<EnumConstantDecl>(Ref.getDecl()) &&
      Ref.getDecl()->getName() == "SIGEV_THREAD")
    recordThreads(Ref, Function, "SIGEV_THREAD notification");
}

void FactsFinder::directive(const OMPExecutableDirective &Directive,
                            const Decl *Function) {
  if (isOpenMPParallelDirective(Directive.getDirectiveKind()))
    recordThreads(Directive, Function, "OpenMP parallel region");
}

bool FactsFinder::isUserThreadCreator(const FunctionDecl &FD) const {
  if (UserThreadCreators.empty())
    return false;
  return (FD.getIdentifier() && UserThreadCreators.contains(FD.getName())) ||
         UserThreadCreators.contains(stableQualifiedName(FD));
}

bool FactsFinder::createsThreads(const FunctionDecl &FD) const {
  return callStartsThreads(FD) || isUserThreadCreator(FD);
}

void FactsFinder::recordForkHandlers(const CallExpr &Call,
                                     const FunctionDecl &FD,
                                     const Decl *Function) {
  bool Locks = false;
  if (const VarDecl *Mutex = globalMutexOperand(Call, Locks)) {
    if (const auto *Caller = dyn_cast_or_null<FunctionDecl>(Function))
      Facts.MutexUses.push_back({Caller, Mutex, Locks});
    return;
  }
  if (!registersForkHandlers(FD) || Call.getNumArgs() != 3)
    return;
  auto Handler = [&](unsigned I) -> const FunctionDecl * {
    const auto *Ref =
        dyn_cast<DeclRefExpr>(Call.getArg(I)->IgnoreParenImpCasts());
    return Ref ? dyn_cast<FunctionDecl>(Ref->getDecl()) : nullptr;
  };
  Facts.AtForkRegistrations.push_back(
      {Call.getBeginLoc(), Handler(0), Handler(1), Handler(2)});
}

void FactsFinder::recordThreads(const Stmt &S, const Decl *Function,
                                std::string What) {
  Facts.ThreadCreations.push_back({&S, Function, What});
  if (!Facts.FirstThreadCreation)
    Facts.FirstThreadCreation =
        ThreadCreation{S.getBeginLoc(), std::move(What)};
}

const VarDecl *globalMutexOperand(const CallExpr &Call, bool &Locks) {
  const FunctionDecl *FD = Call.getDirectCallee();
  if (!FD || !isMutexLockOrUnlock(*FD) || Call.getNumArgs() != 1)
    return nullptr;
  Locks = FD->getName() == "pthread_mutex_lock";
  const auto *Address =
      dyn_cast<UnaryOperator>(Call.getArg(0)->IgnoreParenImpCasts());
  if (!Address || Address->getOpcode() != UO_AddrOf)
    return nullptr;
  const auto *Ref =
      dyn_cast<DeclRefExpr>(Address->getSubExpr()->IgnoreParenImpCasts());
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Var && Var->hasGlobalStorage() ? Var : nullptr;
}

ProgramFacts collectProgramFacts(ASTContext &Ctx, const AnalysisOptions &Opts) {
  FactsCollector Collector(Ctx, Opts);
  Collector.TraverseAST(Ctx);
  return std::move(Collector.Finder.Facts);
}

UnitFacts::UnitFacts(ASTContext &Ctx, bool FindStores,
                     ReadOnlyParameterCache *Params)
    : Ctx(Ctx), FindStores(FindStores), Params(Params) {}
UnitFacts::~UnitFacts() = default;

const ProgramFacts &UnitFacts::get(const AnalysisOptions &Opts) {
  auto [It, Inserted] = Collected.try_emplace(Opts.ThreadCreationFunctions);
  if (!Inserted)
    return It->second;
  if (Index) {
    It->second = collectProgramFacts(Ctx, Opts);
    return It->second;
  }
  FactsFinder Finder(Opts);
  buildIndex(&Finder);
  It->second = std::move(Finder.Facts);
  return It->second;
}

const CallIndexer &UnitFacts::index() {
  if (!Index)
    buildIndex(nullptr);
  return *Index;
}

void UnitFacts::buildIndex(FactsFinder *Finder) {
  Index = std::make_unique<CallIndexer>(Ctx.getSourceManager());
  // C++ and Objective-C keep the stores' own walk, which does not visit
  // template instantiations (recordCalls).
  const LangOptions &Language = Ctx.getLangOpts();
  if (!FindStores || Language.CPlusPlus || Language.ObjC) {
    Index->walk(Ctx, Finder);
    return;
  }
  ProgramModel Found;
  FunctionPointerFlow Flow(Ctx, Params);
  FieldStoreFinder StoreFinder(Flow, Found);
  Index->walk(Ctx, Finder, &StoreFinder);
  StoreFinder.finish();
  Stores = std::move(Found.FunctionsStored);
}

namespace {

/// A function that other translation units, the C++ runtime or a vtable may
/// call without a call this translation unit shows.
bool mayRunUnseen(const FunctionDecl &FD) {
  if (FD.isExternallyVisible() || FD.isMain())
    return true;
  if (isa<CXXDestructorDecl>(FD))
    return true;
  const auto *Method = dyn_cast<CXXMethodDecl>(&FD);
  return Method && Method->isVirtual();
}

} // namespace

void forgetUnreachableThreadCreations(ProgramFacts &Facts,
                                      const CallIndexer &Index) {
  if (Facts.ThreadCreations.empty())
    return;
  // Functions, and the globals that may hold their addresses.
  llvm::DenseMap<const Decl *, std::vector<const Decl *>> Reaches;
  for (const CallIndexer::Call &Call : Index.Calls)
    Reaches[canonical(Call.Caller)].push_back(Call.Callee);
  llvm::DenseSet<const Decl *> Live;
  std::vector<const Decl *> Worklist;
  auto Reach = [&](const Decl *D) {
    if (Live.insert(D).second)
      Worklist.push_back(D);
  };
  for (const CallIndexer::Reference &Ref : Index.References) {
    const auto *Global = dyn_cast_or_null<VarDecl>(Ref.Taker);
    if (!Ref.Taker || (Global && Global->isExternallyVisible()))
      Reach(Ref.Target);
    else
      Reaches[Ref.Taker].push_back(Ref.Target);
  }
  for (const FunctionDecl *FD : Index.Definitions)
    if (mayRunUnseen(*FD))
      Reach(canonical(FD));
  for (const auto &Initializer : Index.Initializers)
    Reach(canonical(Initializer.first));
  while (!Worklist.empty()) {
    const Decl *D = Worklist.back();
    Worklist.pop_back();
    if (auto It = Reaches.find(D); It != Reaches.end())
      for (const Decl *Next : It->second)
        Reach(Next);
  }
  llvm::erase_if(Facts.ThreadCreations, [&](const ThreadCreationSite &Site) {
    const auto *FD = dyn_cast_or_null<FunctionDecl>(Site.Function);
    return FD && !Live.contains(canonical(FD));
  });
  Facts.FirstThreadCreation.reset();
  if (!Facts.ThreadCreations.empty()) {
    const ThreadCreationSite &First = Facts.ThreadCreations.front();
    Facts.FirstThreadCreation =
        ThreadCreation{First.S->getBeginLoc(), First.What};
  }
}

std::vector<ForkSite> collectWrapperCalls(
    const CallIndexer &Index,
    const std::map<const FunctionDecl *, ForkWrapper> &Wrappers) {
  std::vector<ForkSite> Sites;
  for (const CallIndexer::DirectCall &Call : Index.DirectCalls) {
    auto It = Wrappers.find(Call.Expr->getDirectCallee()->getCanonicalDecl());
    if (It == Wrappers.end())
      continue;
    if (std::optional<ForkSite> Site = forkSiteOf(
            *Call.Expr, Call.Function, It->second.Kind, It->second.Name))
      Sites.push_back(std::move(*Site));
  }
  return Sites;
}

} // namespace forksafety
