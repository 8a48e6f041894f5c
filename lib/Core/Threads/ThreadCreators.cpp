//===- ThreadCreators.cpp - Calls and objects that start threads ----------===//

#include "Core/Threads/ThreadCreators.h"

#include "Core/Functions/LibraryModel.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

namespace forksafety {

using namespace clang;

namespace {

// C functions that start threads.
const char *const ThreadStartingCFunctions[] = {
    "pthread_create",
    "thrd_create",
    // GLib.
    "g_thread_new",
    "g_thread_try_new",
    "g_thread_pool_new",
    // libuv: a thread, and the first use of its worker pool.
    "uv_thread_create",
    "uv_thread_create_ex",
    "uv_queue_work",
};

// C++ functions and member functions that start threads (see
// matchesLibraryName for the form of the names).
const char *const ThreadStartingFunctions[] = {
    "std::async",
    "boost::async",
    "boost::thread_group::create_thread",
    // oneTBB and TBB: the algorithms and task groups run on worker threads.
    "tbb::parallel_for",
    "tbb::parallel_for_each",
    "tbb::parallel_invoke",
    "tbb::parallel_reduce",
    "tbb::parallel_deterministic_reduce",
    "tbb::parallel_scan",
    "tbb::parallel_sort",
    "tbb::parallel_pipeline",
    "tbb::task_group::run",
    "tbb::task_group::run_and_wait",
    "tbb::task_arena::execute",
    "tbb::task_arena::enqueue",
    // Qt.
    "QThread::start",
    "QThreadPool::start",
    "QtConcurrent::run",
    "QtConcurrent::map",
    "QtConcurrent::mapped",
    "QtConcurrent::filter",
    "QtConcurrent::filtered",
    // gRPC servers serve on their own threads.
    "grpc::ServerBuilder::BuildAndStart",
};

// Classes whose construction (other than copying or moving, and other than
// default construction for the thread classes) starts threads.
const char *const ThreadStartingClasses[] = {
    "std::thread",
    "std::jthread",
    "boost::thread",
};
// Classes whose every construction starts threads.
const char *const ThreadPoolClasses[] = {
    "boost::asio::thread_pool",
    "boost::asio::static_thread_pool",
};

/// The patterns of a table, by their last component: only a function or
/// class with that name needs its qualified name built and matched.
class PatternIndex {
public:
  template <size_t N> explicit PatternIndex(const char *const (&Patterns)[N]) {
    for (const char *Pattern : Patterns)
      ByLastName[StringRef(Pattern).rsplit("::").second.empty()
                     ? StringRef(Pattern)
                     : StringRef(Pattern).rsplit("::").second]
          .push_back(Pattern);
  }

  bool matches(const NamedDecl &D) const {
    if (!D.getIdentifier())
      return false;
    auto It = ByLastName.find(D.getName());
    if (It == ByLastName.end())
      return false;
    std::string Name = stableQualifiedName(D);
    return llvm::any_of(It->second, [&](const char *Pattern) {
      return matchesLibraryName(Pattern, Name);
    });
  }

private:
  llvm::StringMap<llvm::SmallVector<const char *, 2>> ByLastName;
};

} // namespace

bool matchesLibraryName(StringRef Pattern, StringRef QualifiedName) {
  if (Pattern == QualifiedName)
    return true;
  auto [Library, Rest] = Pattern.split("::");
  if (Rest.empty())
    return false;
  // Libraries hide their definitions in versioned internal namespaces:
  // Library::...::Rest.
  if (!QualifiedName.consume_front(Library) ||
      !QualifiedName.consume_front("::") || !QualifiedName.consume_back(Rest))
    return false;
  return QualifiedName.empty() || QualifiedName.ends_with("::");
}

bool callStartsThreads(const FunctionDecl &FD) {
  static const llvm::StringSet<> CFunctions = [] {
    llvm::StringSet<> Set;
    for (const char *Name : ThreadStartingCFunctions)
      Set.insert(Name);
    return Set;
  }();
  static const PatternIndex Functions(ThreadStartingFunctions);
  if (hasCLibraryName(FD) && CFunctions.contains(FD.getName()))
    return true;
  return Functions.matches(FD);
}

bool isThreadClass(const CXXRecordDecl &Class) {
  static const PatternIndex Threads(ThreadStartingClasses);
  return Threads.matches(Class);
}

bool constructionStartsThreads(const CXXConstructorDecl &Ctor) {
  static const PatternIndex Pools(ThreadPoolClasses);
  if (Ctor.isCopyOrMoveConstructor())
    return false;
  const CXXRecordDecl &Class = *Ctor.getParent();
  return Pools.matches(Class) ||
         (Ctor.getNumParams() > 0 && isThreadClass(Class));
}

const CXXRecordDecl *containerElementClass(const CXXRecordDecl *Container) {
  const auto *Spec =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(Container);
  if (!Spec || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return nullptr;
  return Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
}

const CXXRecordDecl *emplacedThreadClass(const CXXMemberCallExpr &Call) {
  const CXXMethodDecl *Method = Call.getMethodDecl();
  if (!Method || !Method->getIdentifier() ||
      !Method->getName().starts_with("emplace") || Call.getNumArgs() == 0)
    return nullptr;
  const CXXRecordDecl *Element = containerElementClass(Method->getParent());
  if (!Element || !isThreadClass(*Element))
    return nullptr;
  // Emplacing a thread object moves it; emplacing a function starts one.
  const Expr *Last = Call.getArg(Call.getNumArgs() - 1)->IgnoreImplicit();
  if (Call.getNumArgs() <= 2 && Last->getType()->getAsCXXRecordDecl() &&
      Last->getType()->getAsCXXRecordDecl()->getCanonicalDecl() ==
          Element->getCanonicalDecl())
    return nullptr;
  return Element;
}

} // namespace forksafety
