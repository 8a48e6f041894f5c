//===- ThreadCreators.h - Calls and objects that start threads -*- C++ -*-===//
//
// The built-in table of what starts threads in widely used libraries: POSIX
// and C11 threads, the C++ standard library, Boost, TBB, GLib, Qt, gRPC and
// libuv. A translation unit that calls one of these functions or constructs
// one of these objects belongs to a program that creates threads.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_THREADS_THREADCREATORS_H
#define FORKSAFETY_CORE_THREADS_THREADCREATORS_H

#include "llvm/ADT/StringRef.h"

namespace clang {
class CXXConstructorDecl;
class CXXMemberCallExpr;
class CXXRecordDecl;
class FunctionDecl;
} // namespace clang

namespace forksafety {

/// True if calling \p FD starts a thread (or a pool of threads).
bool callStartsThreads(const clang::FunctionDecl &FD);

/// True if constructing an object with \p Ctor starts a thread.
bool constructionStartsThreads(const clang::CXXConstructorDecl &Ctor);

/// True if \p Class is a thread class: std::thread, std::jthread,
/// boost::thread.
bool isThreadClass(const clang::CXXRecordDecl &Class);

/// The class of the elements of a container class (its first template
/// argument), if it is a class.
const clang::CXXRecordDecl *
containerElementClass(const clang::CXXRecordDecl *Container);

/// The thread class whose object \p Call constructs in a container and so
/// starts (threads.emplace_back(work)), if any.
const clang::CXXRecordDecl *
emplacedThreadClass(const clang::CXXMemberCallExpr &Call);

/// True if \p Pattern ("tbb::parallel_for") names \p QualifiedName,
/// allowing the library's internal namespaces between its first and last
/// components ("tbb::detail::d1::parallel_for").
bool matchesLibraryName(llvm::StringRef Pattern, llvm::StringRef QualifiedName);

} // namespace forksafety

#endif // FORKSAFETY_CORE_THREADS_THREADCREATORS_H
