//===- FunctionTable.h - What named library functions do in a child -------===//
//
// The names the analysis knows: the POSIX async-signal-safe list, the exec
// family, the functions that end a process, and the fork-like functions.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_FUNCTIONS_FUNCTIONTABLE_H
#define FORKSAFETY_CORE_FUNCTIONS_FUNCTIONTABLE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace forksafety {

/// The role a C library function plays on a child path.
enum class LibraryFunctionKind {
  NotListed,        ///< Not known to be async-signal-safe.
  SignalSafe,       ///< On the async-signal-safe list.
  Exec,             ///< Replaces the process image (returns only on failure).
  ExecPathSearch,   ///< execlp/execvp/execvpe: exec, but the PATH search is
                    ///< not async-signal-safe.
  ExitProcess,      ///< _exit/_Exit: ends the child without running its code.
  ExitWithHandlers, ///< exit: runs atexit handlers and flushes stdio.
  AssertionFailure, ///< What a failed assert() calls: the assertion is
                    ///< taken to hold, so the path is not a path.
};

LibraryFunctionKind classifyLibraryFunction(llvm::StringRef Name);

/// The fork-like functions: each returns in a new child process.
enum class ForkKind {
  Fork,   ///< fork, _Fork, forkpty: returns 0 in the child, the pid in the
          ///< parent, -1 on failure.
  VFork,  ///< vfork: the child may only call exec or _exit.
  Daemon, ///< daemon: the parent exits inside the call; the child returns 0
          ///< and goes on running the program.
};

/// Returns true and sets \p Kind when \p Name is a fork-like function.
bool isForkLikeFunction(llvm::StringRef Name, ForkKind &Kind);

/// Maps compiler and C library spellings of a function to the name it has on
/// the POSIX list: __builtin_memcpy, __builtin___memcpy_chk and __memcpy_chk
/// all become memcpy.
llvm::StringRef canonicalLibraryName(llvm::StringRef Name);

/// True for the thin Linux system-call wrappers: functions that section 2
/// of the Linux man-pages documents and the C library implements with the
/// system call alone (LinuxSystemCalls.inc).
bool isLinuxSystemCall(llvm::StringRef Name);

/// True for the names the tables above and below know as the C library's:
/// the async-signal-safe list, the exec family, the functions that end a
/// process, the Linux system-call wrappers and the functions that take
/// locks or allocate.
bool isCLibraryFunctionName(llvm::StringRef Name);

/// The name of the function with C linkage at file scope that \p Usr
/// names (`c:@F@name`); empty for any other USR.
llvm::StringRef cFunctionNameInUsr(llvm::StringRef Usr);

/// True if \p Usr names a function with C linkage at file scope
/// (`c:@F@name`) whose name isCLibraryFunctionName knows. A program that
/// declares such a function itself and defines it nowhere takes it from
/// the C library: glibc exports `pivot_root` and `gettid` without always
/// declaring them, and portability headers declare what old libraries
/// lack.
bool isCLibraryFunctionUsr(llvm::StringRef Usr);

/// True for C library functions known to take a lock or to allocate in
/// common C libraries: stdio, syslog, the malloc family, locale and
/// environment functions, the user and group databases, mutexes, exit.
bool takesLocksOrAllocates(llvm::StringRef Name);
/// The names takesLocksOrAllocates knows (for tests).
llvm::ArrayRef<llvm::StringLiteral> lockingFunctionNames();

/// True for the accessors behind the C libraries' errno macro.
bool isErrnoAccessor(llvm::StringRef Name);

/// The number of names on the async-signal-safe list (for tests).
unsigned signalSafeListSize();

} // namespace forksafety

#endif // FORKSAFETY_CORE_FUNCTIONS_FUNCTIONTABLE_H
