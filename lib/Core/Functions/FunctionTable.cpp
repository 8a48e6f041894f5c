//===- FunctionTable.cpp - What named library functions do in a child -----===//

#include "Core/Functions/FunctionTable.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

#include <algorithm>
#include <cassert>
#include <iterator>
#include <optional>

namespace forksafety {
namespace {

// POSIX.1-2017 (IEEE Std 1003.1-2017), XSH 2.4.3 "Signal Actions": the 191
// async-signal-safe functions, plus _Fork, which POSIX.1-2024 added (it also
// removed fork; fork stays here because its own child is the subject of a
// separate fork site, analysed on its own). Sorted for binary search.
constexpr llvm::StringLiteral SignalSafeFunctions[] = {
    "_Exit",
    "_Fork",
    "_exit",
    "abort",
    "accept",
    "access",
    "aio_error",
    "aio_return",
    "aio_suspend",
    "alarm",
    "bind",
    "cfgetispeed",
    "cfgetospeed",
    "cfsetispeed",
    "cfsetospeed",
    "chdir",
    "chmod",
    "chown",
    "clock_gettime",
    "close",
    "connect",
    "creat",
    "dup",
    "dup2",
    "execl",
    "execle",
    "execv",
    "execve",
    "faccessat",
    "fchdir",
    "fchmod",
    "fchmodat",
    "fchown",
    "fchownat",
    "fcntl",
    "fdatasync",
    "fexecve",
    "ffs",
    "fork",
    "fstat",
    "fstatat",
    "fsync",
    "ftruncate",
    "futimens",
    "getegid",
    "geteuid",
    "getgid",
    "getgroups",
    "getpeername",
    "getpgrp",
    "getpid",
    "getppid",
    "getsockname",
    "getsockopt",
    "getuid",
    "htonl",
    "htons",
    "kill",
    "link",
    "linkat",
    "listen",
    "longjmp",
    "lseek",
    "lstat",
    "memccpy",
    "memchr",
    "memcmp",
    "memcpy",
    "memmove",
    "memset",
    "mkdir",
    "mkdirat",
    "mkfifo",
    "mkfifoat",
    "mknod",
    "mknodat",
    "ntohl",
    "ntohs",
    "open",
    "openat",
    "pause",
    "pipe",
    "poll",
    "posix_trace_event",
    "pselect",
    "pthread_kill",
    "pthread_self",
    "pthread_sigmask",
    "raise",
    "read",
    "readlink",
    "readlinkat",
    "recv",
    "recvfrom",
    "recvmsg",
    "rename",
    "renameat",
    "rmdir",
    "select",
    "sem_post",
    "send",
    "sendmsg",
    "sendto",
    "setgid",
    "setpgid",
    "setsid",
    "setsockopt",
    "setuid",
    "shutdown",
    "sigaction",
    "sigaddset",
    "sigdelset",
    "sigemptyset",
    "sigfillset",
    "sigismember",
    "siglongjmp",
    "signal",
    "sigpause",
    "sigpending",
    "sigprocmask",
    "sigqueue",
    "sigset",
    "sigsuspend",
    "sleep",
    "sockatmark",
    "socket",
    "socketpair",
    "stat",
    "stpcpy",
    "stpncpy",
    "strcat",
    "strchr",
    "strcmp",
    "strcpy",
    "strcspn",
    "strlen",
    "strncat",
    "strncmp",
    "strncpy",
    "strnlen",
    "strpbrk",
    "strrchr",
    "strspn",
    "strstr",
    "strtok_r",
    "symlink",
    "symlinkat",
    "tcdrain",
    "tcflow",
    "tcflush",
    "tcgetattr",
    "tcgetpgrp",
    "tcsendbreak",
    "tcsetattr",
    "tcsetpgrp",
    "time",
    "timer_getoverrun",
    "timer_gettime",
    "timer_settime",
    "times",
    "umask",
    "uname",
    "unlink",
    "unlinkat",
    "utime",
    "utimensat",
    "utimes",
    "wait",
    "waitpid",
    "wcpcpy",
    "wcpncpy",
    "wcscat",
    "wcschr",
    "wcscmp",
    "wcscpy",
    "wcscspn",
    "wcslen",
    "wcsncat",
    "wcsncmp",
    "wcsncpy",
    "wcsnlen",
    "wcspbrk",
    "wcsrchr",
    "wcsspn",
    "wcsstr",
    "wcstok",
    "wmemchr",
    "wmemcmp",
    "wmemcpy",
    "wmemmove",
    "wmemset",
    "write",
};

// Accessors behind the errno macro of the C libraries: reading and writing
// errno is allowed wherever async-signal-safe functions are.
constexpr llvm::StringLiteral ErrnoAccessors[] = {"__errno", "__errno_location",
                                                  "__error"};

// glibc's <ctype.h> macros read the thread's classification tables through
// these accessors: a thread-local read, like errno's, with no lock.
constexpr llvm::StringLiteral CtypeTableAccessors[] = {
    "__ctype_b_loc", "__ctype_tolower_loc", "__ctype_toupper_loc"};

bool isSorted() {
  return std::is_sorted(std::begin(SignalSafeFunctions),
                        std::end(SignalSafeFunctions));
}

bool isOnSignalSafeList(llvm::StringRef Name) {
  assert(isSorted() && "the async-signal-safe list must stay sorted");
  const llvm::StringLiteral *It = std::lower_bound(
      std::begin(SignalSafeFunctions), std::end(SignalSafeFunctions), Name);
  return It != std::end(SignalSafeFunctions) && Name == *It;
}

} // namespace

llvm::StringRef canonicalLibraryName(llvm::StringRef Name) {
  // __builtin___memcpy_chk, __builtin_memcpy, __memcpy_chk (glibc's
  // _FORTIFY_SOURCE wrappers) all name memcpy.
  Name.consume_front("__builtin_");
  if (Name.size() > 6 && Name.starts_with("__") && Name.ends_with("_chk"))
    return Name.drop_front(2).drop_back(4);
  return Name;
}

LibraryFunctionKind classifyLibraryFunction(llvm::StringRef Name) {
  Name = canonicalLibraryName(Name);
  LibraryFunctionKind Kind =
      llvm::StringSwitch<LibraryFunctionKind>(Name)
          .Case("execl", LibraryFunctionKind::Exec)
          .Case("execle", LibraryFunctionKind::Exec)
          .Case("execv", LibraryFunctionKind::Exec)
          .Case("execve", LibraryFunctionKind::Exec)
          .Case("fexecve", LibraryFunctionKind::Exec)
          .Case("execveat", LibraryFunctionKind::Exec)
          .Case("execlp", LibraryFunctionKind::ExecPathSearch)
          .Case("execvp", LibraryFunctionKind::ExecPathSearch)
          .Case("execvpe", LibraryFunctionKind::ExecPathSearch)
          .Case("_exit", LibraryFunctionKind::ExitProcess)
          .Case("_Exit", LibraryFunctionKind::ExitProcess)
          .Case("exit", LibraryFunctionKind::ExitWithHandlers)
          // What a failed assert() calls in glibc, musl, bionic, macOS and
          // Windows: like the compiler's static analyzer, the analysis takes
          // the assertion to hold.
          .Case("__assert_fail", LibraryFunctionKind::AssertionFailure)
          .Case("__assert_perror_fail", LibraryFunctionKind::AssertionFailure)
          .Case("__assert", LibraryFunctionKind::AssertionFailure)
          .Case("__assert2", LibraryFunctionKind::AssertionFailure)
          .Case("__assert_rtn", LibraryFunctionKind::AssertionFailure)
          .Case("_assert", LibraryFunctionKind::AssertionFailure)
          .Default(LibraryFunctionKind::NotListed);
  if (Kind != LibraryFunctionKind::NotListed)
    return Kind;
  if (isOnSignalSafeList(Name) || llvm::is_contained(ErrnoAccessors, Name) ||
      llvm::is_contained(CtypeTableAccessors, Name))
    return LibraryFunctionKind::SignalSafe;
  return LibraryFunctionKind::NotListed;
}

bool isForkLikeFunction(llvm::StringRef Name, ForkKind &Kind) {
  std::optional<ForkKind> Found =
      llvm::StringSwitch<std::optional<ForkKind>>(Name)
          .Case("fork", ForkKind::Fork)
          .Case("_Fork", ForkKind::Fork)
          .Case("forkpty", ForkKind::Fork)
          .Case("vfork", ForkKind::VFork)
          .Case("daemon", ForkKind::Daemon)
          .Default(std::nullopt);
  if (!Found)
    return false;
  Kind = *Found;
  return true;
}

namespace {

// Sorted by the generator.
constexpr llvm::StringLiteral LinuxSystemCalls[] = {
#define LINUX_SYSTEM_CALL(Name) Name,
#include "Core/Functions/LinuxSystemCalls.inc"
#undef LINUX_SYSTEM_CALL
};

} // namespace

bool isLinuxSystemCall(llvm::StringRef Name) {
  return std::binary_search(std::begin(LinuxSystemCalls),
                            std::end(LinuxSystemCalls), Name);
}

namespace {

// Sorted.
constexpr llvm::StringLiteral LockingFunctions[] = {
    "aligned_alloc",
    "asprintf",
    "atexit",
    "calloc",
    "catopen",
    "closedir",
    "closelog",
    "ctime",
    "dcgettext",
    "dlclose",
    "dlerror",
    "dlopen",
    "dlsym",
    "endgrent",
    "endpwent",
    "exit",
    "fclose",
    "fdopen",
    "fflush",
    "fgetc",
    "fgets",
    "fopen",
    "fprintf",
    "fputc",
    "fputs",
    "fread",
    "free",
    "freopen",
    "fscanf",
    "fseek",
    "ftell",
    "fwrite",
    "getaddrinfo",
    "getc",
    "getchar",
    "getgrent",
    "getgrgid",
    "getgrgid_r",
    "getgrnam",
    "getgrnam_r",
    "getgrouplist",
    "gethostbyname",
    "getline",
    "getpwent",
    "getpwnam",
    "getpwnam_r",
    "getpwuid",
    "getpwuid_r",
    "gets",
    "gettext",
    "initgroups",
    "localeconv",
    "localtime",
    "malloc",
    "memalign",
    "mktime",
    "mtx_lock",
    "newlocale",
    "nl_langinfo",
    "opendir",
    "openlog",
    "pclose",
    "perror",
    "popen",
    "posix_memalign",
    "printf",
    "pthread_cond_timedwait",
    "pthread_cond_wait",
    "pthread_mutex_lock",
    "pthread_mutex_timedlock",
    "pthread_mutex_trylock",
    "pthread_once",
    "pthread_rwlock_rdlock",
    "pthread_rwlock_wrlock",
    "pthread_spin_lock",
    "putc",
    "putchar",
    "putenv",
    "puts",
    "pvalloc",
    "qsort",
    "readdir",
    "realloc",
    "reallocarray",
    "scanf",
    "setenv",
    "setlocale",
    "setvbuf",
    "snprintf",
    "sprintf",
    "sscanf",
    "strdup",
    "strerror",
    "strftime",
    "strndup",
    "strsignal",
    "syslog",
    "system",
    "tzset",
    "ungetc",
    "unsetenv",
    "uselocale",
    "valloc",
    "vasprintf",
    "vfprintf",
    "vprintf",
    "vsnprintf",
    "vsprintf",
    "vsyslog",
};

} // namespace

llvm::ArrayRef<llvm::StringLiteral> lockingFunctionNames() {
  return LockingFunctions;
}

bool takesLocksOrAllocates(llvm::StringRef Name) {
  return std::binary_search(std::begin(LockingFunctions),
                            std::end(LockingFunctions), Name);
}

bool isCLibraryFunctionName(llvm::StringRef Name) {
  Name = canonicalLibraryName(Name);
  return classifyLibraryFunction(Name) != LibraryFunctionKind::NotListed ||
         isLinuxSystemCall(Name) || takesLocksOrAllocates(Name);
}

llvm::StringRef cFunctionNameInUsr(llvm::StringRef Usr) {
  // C++ linkage adds the parameter types after '#'; a static function's
  // USR names its file before "@F@".
  if (!Usr.consume_front("c:@F@") || Usr.empty() ||
      !llvm::all_of(Usr, [](char C) { return llvm::isAlnum(C) || C == '_'; }))
    return {};
  return Usr;
}

bool isCLibraryFunctionUsr(llvm::StringRef Usr) {
  llvm::StringRef Name = cFunctionNameInUsr(Usr);
  return !Name.empty() && isCLibraryFunctionName(Name);
}

bool isErrnoAccessor(llvm::StringRef Name) {
  return llvm::is_contained(ErrnoAccessors, Name);
}

unsigned signalSafeListSize() { return std::size(SignalSafeFunctions); }

} // namespace forksafety
