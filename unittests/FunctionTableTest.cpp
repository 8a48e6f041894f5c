//===- FunctionTableTest.cpp - Tests of the library function table --------===//

#include "Core/Functions/FunctionTable.h"

#include "gtest/gtest.h"

#include <algorithm>

using namespace forksafety;

namespace {

TEST(FunctionTableTest, SignalSafeListHasPosixNamesAndFork) {
  // The 191 functions of POSIX.1-2017 XSH 2.4.3, plus _Fork.
  EXPECT_EQ(192u, signalSafeListSize());
}

TEST(FunctionTableTest, ClassifiesSignalSafeFunctions) {
  // _Fork and write sit at the two ends of the sorted list.
  for (const char *Name : {"write", "read", "_Fork", "fork", "memcpy",
                           "sigaction", "strtok_r", "wmemset", "abort"})
    EXPECT_EQ(LibraryFunctionKind::SignalSafe, classifyLibraryFunction(Name))
        << Name;
}

TEST(FunctionTableTest, KnowsLinuxSystemCallWrappers) {
  // FD_CLR and writev sit at the two ends of the sorted table.
  for (const char *Name :
       {"FD_CLR", "prctl", "setgroups", "setresuid", "close_range", "dup3",
        "pipe2", "prlimit", "sched_setaffinity", "syscall", "ioctl", "writev"})
    EXPECT_TRUE(isLinuxSystemCall(Name)) << Name;
  // C library functions, names that call a different C library function,
  // and wrappers that lock or allocate in the C library.
  for (const char *Name : {"sysconf", "printf", "malloc", "syslog", "readdir",
                           "fork", "clone", "timer_create", "mq_notify", ""})
    EXPECT_FALSE(isLinuxSystemCall(Name)) << Name;
}

TEST(FunctionTableTest, KnowsFunctionsThatLockOrAllocate) {
  llvm::ArrayRef<llvm::StringLiteral> Names = lockingFunctionNames();
  EXPECT_TRUE(std::is_sorted(
      Names.begin(), Names.end(),
      [](llvm::StringRef L, llvm::StringRef R) { return L < R; }));
  for (llvm::StringRef Name : Names)
    EXPECT_TRUE(takesLocksOrAllocates(Name)) << Name.str();
  for (const char *Name : {"sysconf", "write", "getenv", "strlen", ""})
    EXPECT_FALSE(takesLocksOrAllocates(Name)) << Name;
}

TEST(FunctionTableTest, ClassifiesProcessExits) {
  EXPECT_EQ(LibraryFunctionKind::ExitProcess, classifyLibraryFunction("_exit"));
  EXPECT_EQ(LibraryFunctionKind::ExitProcess, classifyLibraryFunction("_Exit"));
  EXPECT_EQ(LibraryFunctionKind::ExitWithHandlers,
            classifyLibraryFunction("exit"));
}

TEST(FunctionTableTest, ThreadLocalAccessorsAreSafe) {
  for (const char *Name : {"__errno_location", "__ctype_b_loc",
                           "__ctype_tolower_loc", "__ctype_toupper_loc"})
    EXPECT_EQ(LibraryFunctionKind::SignalSafe, classifyLibraryFunction(Name))
        << Name;
}

TEST(FunctionTableTest, ClassifiesAssertionHandlers) {
  for (const char *Name : {"__assert_fail", "__assert_perror_fail", "__assert",
                           "__assert2", "__assert_rtn", "_assert"})
    EXPECT_EQ(LibraryFunctionKind::AssertionFailure,
              classifyLibraryFunction(Name))
        << Name;
}

TEST(FunctionTableTest, ClassifiesExecFamily) {
  for (const char *Name :
       {"execl", "execle", "execv", "execve", "fexecve", "execveat"})
    EXPECT_EQ(LibraryFunctionKind::Exec, classifyLibraryFunction(Name)) << Name;
  for (const char *Name : {"execlp", "execvp", "execvpe"})
    EXPECT_EQ(LibraryFunctionKind::ExecPathSearch,
              classifyLibraryFunction(Name))
        << Name;
}

TEST(FunctionTableTest, UnlistedFunctionsAreNotSafe) {
  for (const char *Name :
       {"printf", "malloc", "free", "exit_group", "pthread_create", "setenv",
        "", "Write", "write2", "forkpty", "vfork", "daemon"})
    EXPECT_EQ(LibraryFunctionKind::NotListed, classifyLibraryFunction(Name))
        << "'" << Name << "'";
}

TEST(FunctionTableTest, ErrnoAccessorsAreSafe) {
  for (const char *Name : {"__errno_location", "__errno", "__error"}) {
    EXPECT_TRUE(isErrnoAccessor(Name)) << Name;
    EXPECT_EQ(LibraryFunctionKind::SignalSafe, classifyLibraryFunction(Name))
        << Name;
  }
  EXPECT_FALSE(isErrnoAccessor("errno"));
  EXPECT_FALSE(isErrnoAccessor("__errno_location_x"));
}

TEST(FunctionTableTest, CanonicalNamesOfFortifiedAndBuiltinSpellings) {
  EXPECT_EQ("memcpy", canonicalLibraryName("__builtin___memcpy_chk"));
  EXPECT_EQ("memcpy", canonicalLibraryName("__memcpy_chk"));
  EXPECT_EQ("memcpy", canonicalLibraryName("__builtin_memcpy"));
  EXPECT_EQ("memcpy", canonicalLibraryName("memcpy"));
  EXPECT_EQ("printf", canonicalLibraryName("printf"));
  EXPECT_EQ("__errno_location", canonicalLibraryName("__errno_location"));
  // Only a leading "__" together with a trailing "_chk" marks a wrapper.
  EXPECT_EQ("memcpy_chk", canonicalLibraryName("memcpy_chk"));
}

TEST(FunctionTableTest, ClassifiesThroughCanonicalNames) {
  EXPECT_EQ(LibraryFunctionKind::SignalSafe,
            classifyLibraryFunction("__builtin___memcpy_chk"));
  EXPECT_EQ(LibraryFunctionKind::SignalSafe,
            classifyLibraryFunction("__builtin_strlen"));
  EXPECT_EQ(LibraryFunctionKind::NotListed,
            classifyLibraryFunction("__printf_chk"));
  EXPECT_EQ(LibraryFunctionKind::NotListed,
            classifyLibraryFunction("__builtin_printf"));
}

TEST(FunctionTableTest, KnowsTheCLibrarysNames) {
  for (const char *Name : {"write", "pivot_root", "gettid", "printf", "execvp",
                           "exit", "_exit", "__builtin_memcpy"})
    EXPECT_TRUE(isCLibraryFunctionName(Name)) << Name;
  for (const char *Name : {"getloadavg", "enter_jail", "pthread_create", ""})
    EXPECT_FALSE(isCLibraryFunctionName(Name)) << Name;
}

TEST(FunctionTableTest, CFunctionNamesInUsrs) {
  EXPECT_EQ("pivot_root", cFunctionNameInUsr("c:@F@pivot_root"));
  // C++ linkage, a static function, a namespace, a method: none is the C
  // library's.
  for (const char *Usr : {"c:@F@pivot_root#*1C#S0_#", "c:jail.c@F@pivot_root",
                          "c:@N@os@F@pivot_root#", "c:@S@Jail@F@pivot_root#",
                          "c:@F@", "pivot_root", ""})
    EXPECT_EQ("", cFunctionNameInUsr(Usr)) << Usr;
  EXPECT_TRUE(isCLibraryFunctionUsr("c:@F@pivot_root"));
  EXPECT_FALSE(isCLibraryFunctionUsr("c:@F@enter_jail"));
  EXPECT_FALSE(isCLibraryFunctionUsr("c:jail.c@F@gettid"));
}

TEST(FunctionTableTest, ForkLikeFunctions) {
  ForkKind Kind = ForkKind::Daemon;
  ASSERT_TRUE(isForkLikeFunction("fork", Kind));
  EXPECT_EQ(ForkKind::Fork, Kind);
  Kind = ForkKind::Daemon;
  ASSERT_TRUE(isForkLikeFunction("_Fork", Kind));
  EXPECT_EQ(ForkKind::Fork, Kind);
  Kind = ForkKind::Daemon;
  ASSERT_TRUE(isForkLikeFunction("forkpty", Kind));
  EXPECT_EQ(ForkKind::Fork, Kind);
  ASSERT_TRUE(isForkLikeFunction("vfork", Kind));
  EXPECT_EQ(ForkKind::VFork, Kind);
  ASSERT_TRUE(isForkLikeFunction("daemon", Kind));
  EXPECT_EQ(ForkKind::Daemon, Kind);
}

TEST(FunctionTableTest, OtherFunctionsAreNotForkLike) {
  for (const char *Name :
       {"forkx", "clone", "posix_spawn", "Fork", "__fork", "", "execv"}) {
    ForkKind Kind = ForkKind::VFork;
    EXPECT_FALSE(isForkLikeFunction(Name, Kind)) << "'" << Name << "'";
    // A failed lookup leaves the kind alone.
    EXPECT_EQ(ForkKind::VFork, Kind) << "'" << Name << "'";
  }
}

} // namespace
