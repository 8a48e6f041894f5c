//===- ThreadCreators.cpp - Calls and objects that start threads ----------===//

#include "Core/ThreadCreators.h"

#include "Core/LibraryModel.h"

#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/STLExtras.h"

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

std::string classNameOf(const CXXConstructorDecl &Ctor) {
  std::string Name = stableQualifiedName(Ctor);
  return Name.substr(0, Name.rfind("::"));
}

bool matchesAny(llvm::ArrayRef<const char *> Patterns, StringRef Name) {
  return llvm::any_of(Patterns, [&](const char *Pattern) {
    return matchesLibraryName(Pattern, Name);
  });
}

} // namespace

bool matchesLibraryName(StringRef Pattern, StringRef QualifiedName) {
  if (Pattern == QualifiedName)
    return true;
  auto [Library, Rest] = Pattern.split("::");
  if (Rest.empty())
    return false;
  // Libraries hide their definitions in versioned internal namespaces.
  return QualifiedName.starts_with((Library + "::").str()) &&
         QualifiedName.ends_with(("::" + Rest).str());
}

bool callStartsThreads(const FunctionDecl &FD) {
  if (hasCLibraryName(FD) &&
      llvm::is_contained(ThreadStartingCFunctions, FD.getName()))
    return true;
  return matchesAny(ThreadStartingFunctions, stableQualifiedName(FD));
}

bool constructionStartsThreads(const CXXConstructorDecl &Ctor) {
  std::string Class = classNameOf(Ctor);
  if (matchesAny(ThreadPoolClasses, Class))
    return !Ctor.isCopyOrMoveConstructor();
  return matchesAny(ThreadStartingClasses, Class) && Ctor.getNumParams() > 0 &&
         !Ctor.isCopyOrMoveConstructor();
}

} // namespace forksafety
