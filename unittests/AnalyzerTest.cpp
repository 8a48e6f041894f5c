//===- AnalyzerTest.cpp - End-to-end tests of analyzeTranslationUnit ------===//

#include "Core/Analyzer.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Lex/Lexer.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringRef.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

using namespace clang;
using namespace forksafety;

namespace {

constexpr CheckKind Threaded = CheckKind::ForkInThreadedProgram;
constexpr CheckKind Unsafe = CheckKind::UnsafeCallInChild;

/// Declarations of the C library functions the snippets call.
const char *const Prelude = R"c(
typedef int pid_t;
typedef __SIZE_TYPE__ size_t;
pid_t fork(void);
pid_t vfork(void);
__attribute__((noreturn)) void _exit(int);
__attribute__((noreturn)) void exit(int);
int printf(const char *, ...);
void *malloc(size_t);
long write(int, const void *, size_t);
int pthread_create(void *, const void *, void *(*)(void *), void *);
int execv(const char *, char *const[]);
int execvp(const char *, char *const[]);
)c";

/// Creates threads, which makes the findings of a translation unit count.
const char *const ThreadStart = R"c(
static void *worker(void *arg) { return arg; }
void start_workers(void) { pthread_create(0, 0, worker, 0); }
)c";

class AnalyzerTest : public ::testing::Test {
protected:
  /// Analyses the prelude followed by \p Code as C.
  std::vector<Finding>
  analyze(llvm::StringRef Code, const AnalysisOptions &Opts = {},
          std::vector<CheckKind> Checks = {Threaded, Unsafe}) {
    return analyzeSource(std::string(Prelude) + Code.str(), {"-xc", "-std=c11"},
                         "input.c", Opts, std::move(Checks));
  }

  /// Analyses \p Code in a translation unit that creates threads.
  std::vector<Finding> analyzeThreaded(llvm::StringRef Code,
                                       const AnalysisOptions &Opts = {}) {
    return analyze(std::string(ThreadStart) + Code.str(), Opts);
  }

  /// Analyses \p Code as C++ in a translation unit that creates threads.
  std::vector<Finding> analyzeThreadedCxx(llvm::StringRef Code) {
    return analyzeSource("extern \"C\" {" + std::string(Prelude) + "}" +
                             std::string(ThreadStart) + Code.str(),
                         {"-std=c++17"}, "input.cc", {}, {Threaded, Unsafe});
  }

  std::vector<Finding> analyzeSource(const std::string &Source,
                                     const std::vector<std::string> &Args,
                                     const std::string &FileName,
                                     const AnalysisOptions &Opts,
                                     std::vector<CheckKind> Checks) {
    AST = tooling::buildASTFromCodeWithArgs(Source, Args, FileName);
    if (!AST) {
      ADD_FAILURE() << "cannot parse the code";
      return {};
    }
    EXPECT_FALSE(AST->getDiagnostics().hasErrorOccurred());
    return analyzeTranslationUnit(AST->getASTContext(),
                                  &AST->getPreprocessor().getHeaderSearchInfo(),
                                  Opts, std::move(Checks));
  }

  /// The token that starts at \p Loc.
  std::string tokenAt(const Location &At) const {
    SourceLocation Loc = At.Raw;
    const ASTContext &Ctx = AST->getASTContext();
    return Lexer::getSourceText(CharSourceRange::getTokenRange(Loc, Loc),
                                Ctx.getSourceManager(), Ctx.getLangOpts())
        .str();
  }

  /// The source line of \p Loc, without its indentation.
  std::string lineAt(const Location &At) const {
    SourceLocation Loc = At.Raw;
    const SourceManager &SM = AST->getASTContext().getSourceManager();
    std::pair<FileID, unsigned> Pos = SM.getDecomposedSpellingLoc(Loc);
    llvm::StringRef Buffer = SM.getBufferData(Pos.first);
    size_t Begin = Buffer.rfind('\n', Pos.second) + 1;
    size_t End = Buffer.find('\n', Pos.second);
    return Buffer.slice(Begin, End).trim().str();
  }

  std::unique_ptr<ASTUnit> AST;
};

std::vector<Finding> only(const std::vector<Finding> &Findings,
                          CheckKind Kind) {
  std::vector<Finding> Result;
  std::copy_if(Findings.begin(), Findings.end(), std::back_inserter(Result),
               [&](const Finding &F) { return F.Check == Kind; });
  return Result;
}

std::vector<std::string> noteTexts(const Finding &F) {
  std::vector<std::string> Texts;
  for (const FindingNote &Note : F.Notes)
    Texts.push_back(Note.Message);
  return Texts;
}

TEST(CheckNameTest, PublicNames) {
  EXPECT_STREQ("forksafety-fork-in-threaded-program", checkName(Threaded));
  EXPECT_STREQ("forksafety-unsafe-call-in-child", checkName(Unsafe));
}

TEST_F(AnalyzerTest, UnsafeCallInChild) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void f(void) {
  pid_t pid = fork();
  if (pid == 0) {
    printf("child\n");
    _exit(0);
  }
}
)c");
  std::vector<Finding> Calls = only(Findings, Unsafe);
  ASSERT_EQ(1u, Calls.size());
  const Finding &Call = Calls.front();
  EXPECT_EQ("call to 'printf' in the child of a fork is not async-signal-safe",
            Call.Message);
  EXPECT_EQ("printf", tokenAt(Call.Loc));
  ASSERT_EQ(1u, Call.Notes.size());
  EXPECT_EQ("child process created by 'fork' here", Call.Notes[0].Message);
  EXPECT_EQ("fork", tokenAt(Call.Notes[0].Loc));
  EXPECT_TRUE(Call.Fixes.empty());
}

TEST_F(AnalyzerTest, ForkInThreadedProgramNamesTheUnsafeWork) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void f(void) {
  pid_t pid = fork();
  if (pid == 0) {
    printf("child\n");
    _exit(0);
  }
}
)c");
  std::vector<Finding> Forks = only(Findings, Threaded);
  ASSERT_EQ(1u, Forks.size());
  const Finding &Fork = Forks.front();
  EXPECT_EQ("child of 'fork' may run program code without calling exec in a "
            "program that creates threads",
            Fork.Message);
  EXPECT_EQ("fork", tokenAt(Fork.Loc));
  ASSERT_EQ(2u, Fork.Notes.size());
  EXPECT_EQ("threads are created here", Fork.Notes[0].Message);
  EXPECT_EQ("pthread_create", tokenAt(Fork.Notes[0].Loc));
  EXPECT_EQ("the child calls 'printf', which is not async-signal-safe",
            Fork.Notes[1].Message);
  EXPECT_EQ("printf", tokenAt(Fork.Notes[1].Loc));
}

TEST_F(AnalyzerTest, ChildReturningWithoutExec) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void f(void) {
  if (fork() == 0)
    write(1, "x", 1);
}
)c");
  EXPECT_TRUE(only(Findings, Unsafe).empty());
  std::vector<Finding> Forks = only(Findings, Threaded);
  ASSERT_EQ(1u, Forks.size());
  EXPECT_EQ((std::vector<std::string>{
                "threads are created here",
                "the child returns from 'f' without calling exec"}),
            noteTexts(Forks.front()));
  // The return falls off the end of the body.
  EXPECT_EQ("}", tokenAt(Forks.front().Notes[1].Loc));
}

TEST_F(AnalyzerTest, ReturnStatementIsWhereTheChildReturns) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
int f(void) {
  if (fork() == 0) {
    write(1, "x", 1);
    return 1;
  }
  _exit(0);
}
)c");
  std::vector<Finding> Forks = only(Findings, Threaded);
  ASSERT_EQ(1u, Forks.size());
  ASSERT_EQ(2u, Forks.front().Notes.size());
  EXPECT_EQ("the child returns from 'f' without calling exec",
            Forks.front().Notes[1].Message);
  EXPECT_EQ("return", tokenAt(Forks.front().Notes[1].Loc));
}

TEST_F(AnalyzerTest, ChildFallingThroughIntoParentCode) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void f(int fd) {
  if (fork() == 0) {
    write(fd, "x", 1);
  }
  fd = fd + 1;
  printf("both\n");
}
)c");
  std::vector<Finding> Forks = only(Findings, Threaded);
  ASSERT_EQ(1u, Forks.size());
  const Finding &Fork = Forks.front();
  ASSERT_EQ(3u, Fork.Notes.size());
  EXPECT_EQ("the child falls through into code the parent also runs",
            Fork.Notes[1].Message);
  EXPECT_EQ("fd = fd + 1;", lineAt(Fork.Notes[1].Loc));
  EXPECT_EQ("the child calls 'printf', which is not async-signal-safe",
            Fork.Notes[2].Message);
  // printf runs in the child too.
  ASSERT_EQ(1u, only(Findings, Unsafe).size());
}

TEST_F(AnalyzerTest, NoFindingsWithoutThreads) {
  const char *Code = R"c(
void f(void) {
  if (fork() == 0)
    printf("child\n");
}
)c";
  EXPECT_TRUE(analyze(Code).empty());

  AnalysisOptions Opts;
  Opts.AssumeThreaded = true;
  std::vector<Finding> Findings = analyze(Code, Opts);
  ASSERT_EQ(1u, only(Findings, Unsafe).size());
  std::vector<Finding> Forks = only(Findings, Threaded);
  ASSERT_EQ(1u, Forks.size());
  // No thread creation to point at; the return after printf is a reason
  // of its own.
  EXPECT_EQ((std::vector<std::string>{
                "the child calls 'printf', which is not async-signal-safe",
                "the child also returns from 'f' without calling exec"}),
            noteTexts(Forks.front()));
}

TEST_F(AnalyzerTest, NoFindingsWithoutFork) {
  AnalysisOptions Opts;
  Opts.AssumeThreaded = true;
  EXPECT_TRUE(analyzeThreaded("void f(void) { printf(\"x\"); }", Opts).empty());
}

TEST_F(AnalyzerTest, UserThreadCreationFunctions) {
  const char *Code = R"c(
void spawn_pool(int n);
void start(void) { spawn_pool(4); }
void f(void) {
  if (fork() == 0)
    printf("child\n");
}
)c";
  EXPECT_TRUE(analyze(Code).empty());
  AnalysisOptions Opts;
  Opts.ThreadCreationFunctions = {"spawn_pool"};
  std::vector<Finding> Forks = only(analyze(Code, Opts), Threaded);
  ASSERT_EQ(1u, Forks.size());
  ASSERT_FALSE(Forks.front().Notes.empty());
  EXPECT_EQ("threads are created here", Forks.front().Notes[0].Message);
  EXPECT_EQ("spawn_pool", tokenAt(Forks.front().Notes[0].Loc));
}

TEST_F(AnalyzerTest, ChecksSelectTheFindings) {
  const char *Code = R"c(
void f(void) {
  if (fork() == 0) {
    printf("child\n");
    _exit(0);
  }
}
)c";
  AnalysisOptions Opts;
  Opts.AssumeThreaded = true;
  std::vector<Finding> Findings = analyze(Code, Opts, {Unsafe});
  ASSERT_EQ(1u, Findings.size());
  EXPECT_EQ(Unsafe, Findings.front().Check);
  Findings = analyze(Code, Opts, {Threaded});
  ASSERT_EQ(1u, Findings.size());
  EXPECT_EQ(Threaded, Findings.front().Check);
  EXPECT_TRUE(analyze(Code, Opts, {}).empty());
}

TEST_F(AnalyzerTest, UserDeclaredSafeFunctions) {
  const char *Code = R"c(
void f(void) {
  if (fork() == 0) {
    printf("child\n");
    _exit(0);
  }
}
)c";
  ASSERT_EQ(2u, analyzeThreaded(Code).size());
  AnalysisOptions Opts;
  Opts.AsyncSignalSafeFunctions = {"printf"};
  EXPECT_TRUE(analyzeThreaded(Code, Opts).empty());
}

TEST_F(AnalyzerTest, ExitIsReportedWithAFix) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void f(void) {
  if (fork() == 0)
    exit(1);
}
)c");
  std::vector<Finding> Calls = only(Findings, Unsafe);
  ASSERT_EQ(1u, Calls.size());
  EXPECT_EQ("call to 'exit' in the child of a fork is not async-signal-safe; "
            "use '_exit'",
            Calls.front().Message);
  ASSERT_EQ(1u, Calls.front().Fixes.size());
  const TextEdit &Fix = Calls.front().Fixes.front();
  EXPECT_EQ("_exit", Fix.Replacement);
  EXPECT_TRUE(Fix.Raw.isTokenRange());
  EXPECT_EQ("exit", tokenAt(Fix.Begin));
  EXPECT_EQ(Fix.Begin.Line, Fix.End.Line);
  EXPECT_EQ(Fix.Begin.Column + 4, Fix.End.Column);

  std::vector<Finding> Forks = only(Findings, Threaded);
  ASSERT_EQ(1u, Forks.size());
  EXPECT_EQ((std::vector<std::string>{
                "threads are created here",
                "the child calls 'exit', which runs atexit handlers and "
                "flushes stdio"}),
            noteTexts(Forks.front()));
}

TEST_F(AnalyzerTest, UndefinedFunctionCannotBeVerified) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void serve_forever(void);
void f(void) {
  if (fork() == 0) {
    serve_forever();
    _exit(0);
  }
}
)c");
  std::vector<Finding> Calls = only(Findings, Unsafe);
  ASSERT_EQ(1u, Calls.size());
  EXPECT_EQ("cannot verify that 'serve_forever' is async-signal-safe: no "
            "definition is visible",
            Calls.front().Message);
}

TEST_F(AnalyzerTest, CallsIntoDefinedFunctionsAreFollowed) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
static void helper(void) { printf("helper\n"); }
static void quiet(void) { write(1, "x", 1); }
void f(void) {
  if (fork() == 0) {
    quiet();
    helper();
    _exit(0);
  }
}
)c");
  std::vector<Finding> Calls = only(Findings, Unsafe);
  ASSERT_EQ(1u, Calls.size());
  const Finding &Call = Calls.front();
  EXPECT_EQ("call to 'helper' in the child of a fork is not "
            "async-signal-safe: it calls 'printf'",
            Call.Message);
  EXPECT_EQ("helper", tokenAt(Call.Loc));
  EXPECT_EQ((std::vector<std::string>{"'helper' calls 'printf' here",
                                      "child process created by 'fork' here"}),
            noteTexts(Call));
  EXPECT_EQ("printf", tokenAt(Call.Notes[0].Loc));
}

TEST_F(AnalyzerTest, MaxCallDepthLimitsNotesNotTheAnalysis) {
  const char *Code = R"c(
static void inner(void) { printf("x"); }
static void middle(void) { inner(); }
static void outer(void) { middle(); }
static void safe(void) { write(1, "x", 1); }
void f(void) {
  if (fork() == 0) {
    safe();
    outer();
    _exit(0);
  }
}
)c";
  for (unsigned Limit : {0u, 1u, 2u, 3u}) {
    AnalysisOptions Opts;
    Opts.MaxCallDepth = Limit;
    std::vector<Finding> Calls = only(analyzeThreaded(Code, Opts), Unsafe);
    ASSERT_EQ(1u, Calls.size()) << Limit;
    EXPECT_EQ("call to 'outer' in the child of a fork is not "
              "async-signal-safe: it calls 'printf'",
              Calls.front().Message);
    std::vector<std::string> Expected;
    if (Limit == 1)
      Expected = {"'outer' calls 'middle' here",
                  "(skipping 2 calls of the chain; MaxCallDepth 0 shows them "
                  "all)"};
    else if (Limit == 2)
      Expected = {"'outer' calls 'middle' here",
                  "(skipping 1 call of the chain; MaxCallDepth 0 shows them "
                  "all)",
                  "'inner' calls 'printf' here"};
    else
      Expected = {"'outer' calls 'middle' here", "'middle' calls 'inner' here",
                  "'inner' calls 'printf' here"};
    Expected.push_back("child process created by 'fork' here");
    EXPECT_EQ(Expected, noteTexts(Calls.front())) << Limit;
  }
}

TEST_F(AnalyzerTest, RecursionTerminates) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
static void helper(int n) {
  if (n > 0)
    helper(n - 1);
  printf("%d\n", n);
}
void f(void) {
  if (fork() == 0) {
    helper(3);
    _exit(0);
  }
}
)c");
  std::vector<Finding> Calls = only(Findings, Unsafe);
  ASSERT_EQ(1u, Calls.size());
  EXPECT_EQ("call to 'helper' in the child of a fork is not "
            "async-signal-safe: it calls 'printf'",
            Calls.front().Message);
  EXPECT_EQ(1u, only(Findings, Threaded).size());
}

TEST_F(AnalyzerTest, MutualRecursionTerminates) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
static void pong(int n);
static void ping(int n) {
  if (n > 0)
    pong(n - 1);
}
static void pong(int n) {
  ping(n);
  printf("%d\n", n);
}
void f(void) {
  if (fork() == 0) {
    ping(3);
    _exit(0);
  }
}
)c");
  std::vector<Finding> Calls = only(Findings, Unsafe);
  ASSERT_EQ(1u, Calls.size());
  EXPECT_EQ("call to 'ping' in the child of a fork is not "
            "async-signal-safe: it calls 'printf'",
            Calls.front().Message);
  EXPECT_EQ((std::vector<std::string>{"'ping' calls 'pong' here",
                                      "'pong' calls 'printf' here",
                                      "child process created by 'fork' here"}),
            noteTexts(Calls.front()));
}

TEST_F(AnalyzerTest, WorkAfterAFailedExec) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void f(char *const argv[]) {
  if (fork() == 0) {
    execv("/bin/true", argv);
    printf("exec failed\n");
    _exit(127);
  }
}
)c");
  std::vector<Finding> Calls = only(Findings, Unsafe);
  ASSERT_EQ(1u, Calls.size());
  EXPECT_EQ("call to 'printf' in the child of a fork is not async-signal-safe",
            Calls.front().Message);
  EXPECT_EQ("printf(\"exec failed\\n\");", lineAt(Calls.front().Loc));
  // The child reached exec before it could run anything unsafe.
  EXPECT_TRUE(only(Findings, Threaded).empty());
}

TEST_F(AnalyzerTest, ExecThroughAHelper) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
static void run(char *const argv[]) {
  execv("/bin/true", argv);
  _exit(127);
}
void f(char *const argv[]) {
  if (fork() == 0)
    run(argv);
}
)c");
  EXPECT_TRUE(Findings.empty());
}

TEST_F(AnalyzerTest, ExecPathSearch) {
  const char *Code = R"c(
void f(char *const argv[]) {
  if (fork() == 0) {
    execvp("true", argv);
    _exit(127);
  }
}
)c";
  EXPECT_TRUE(analyzeThreaded(Code).empty());

  AnalysisOptions Opts;
  Opts.ReportExecpFunctions = true;
  std::vector<Finding> Findings = analyzeThreaded(Code, Opts);
  ASSERT_EQ(1u, Findings.size());
  EXPECT_EQ(Unsafe, Findings.front().Check);
  EXPECT_EQ("call to 'execvp' in the child of a fork is not async-signal-safe",
            Findings.front().Message);
  EXPECT_EQ((std::vector<std::string>{
                "'execvp' searches PATH, which may allocate; resolve the path "
                "before the fork and call 'execve'",
                "child process created by 'fork' here"}),
            noteTexts(Findings.front()));
}

TEST_F(AnalyzerTest, ParentAndFailurePathsAreNotTheChild) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void f(void) {
  pid_t pid = fork();
  if (pid < 0) {
    printf("fork failed\n");
    return;
  }
  if (pid > 0) {
    printf("parent\n");
    return;
  }
  _exit(0);
}
)c");
  EXPECT_TRUE(Findings.empty());
}

TEST_F(AnalyzerTest, SafeCallsInAVforkChildAreNotAllowed) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void f(void) {
  if (vfork() == 0) {
    write(2, "x", 1);
    _exit(0);
  }
}
)c");
  std::vector<Finding> Calls = only(Findings, Unsafe);
  ASSERT_EQ(1u, Calls.size());
  EXPECT_EQ("call to 'write' in the child of a vfork is not allowed: only "
            "exec functions and '_exit' may be called there",
            Calls.front().Message);
  EXPECT_EQ((std::vector<std::string>{"child process created by 'vfork' here"}),
            noteTexts(Calls.front()));
}

TEST_F(AnalyzerTest, FindingsAreSortedByLocation) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void g(void) {
  if (fork() == 0) {
    printf("g\n");
    _exit(1);
  }
}
void f(void) {
  if (fork() == 0) {
    malloc(1);
    printf("f\n");
    _exit(0);
  }
}
)c");
  std::vector<std::pair<CheckKind, std::string>> Seen;
  for (const Finding &F : Findings)
    Seen.push_back({F.Check, tokenAt(F.Loc)});
  EXPECT_EQ(
      (std::vector<std::pair<CheckKind, std::string>>{{Threaded, "fork"},
                                                      {Unsafe, "printf"},
                                                      {Threaded, "fork"},
                                                      {Unsafe, "malloc"},
                                                      {Unsafe, "printf"}}),
      Seen);
  const SourceManager &SM = AST->getASTContext().getSourceManager();
  for (size_t I = 1; I < Findings.size(); ++I)
    EXPECT_FALSE(SM.isBeforeInTranslationUnit(Findings[I].Loc.Raw,
                                              Findings[I - 1].Loc.Raw))
        << "finding " << I << " comes before finding " << I - 1;
  ASSERT_EQ(5u, Findings.size());
  EXPECT_EQ("call to 'malloc' in the child of a fork is not async-signal-safe",
            Findings[3].Message);
}

TEST_F(AnalyzerTest, ExitHasNoFixWhenUnderscoreExitIsUndeclared) {
  AnalysisOptions Opts;
  Opts.AssumeThreaded = true;
  std::vector<Finding> Findings =
      analyzeSource(R"c(
typedef int pid_t;
pid_t fork(void);
__attribute__((noreturn)) void exit(int);
void f(void) {
  if (fork() == 0)
    exit(1);
}
)c",
                    {"-xc"}, "input.c", Opts, {Unsafe});
  ASSERT_EQ(1u, Findings.size());
  EXPECT_EQ("call to 'exit' in the child of a fork is not async-signal-safe; "
            "use '_exit'",
            Findings.front().Message);
  EXPECT_TRUE(Findings.front().Fixes.empty());
}

TEST_F(AnalyzerTest, CallThroughAPointerCannotBeVerified) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void f(void (*callback)(void)) {
  if (fork() == 0) {
    callback();
    _exit(0);
  }
}
)c");
  std::vector<Finding> Calls = only(Findings, Unsafe);
  ASSERT_EQ(1u, Calls.size());
  EXPECT_EQ("cannot verify that 'callback' is async-signal-safe: it is "
            "called through a pointer",
            Calls.front().Message);
}

TEST_F(AnalyzerTest, CalleesAreDescribedByTheirKnownUnsafeWork) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void serve_forever(void);
static void helper(void) {
  serve_forever();
  printf("x\n");
}
void f(void) {
  if (fork() == 0) {
    helper();
    _exit(0);
  }
}
)c");
  std::vector<Finding> Calls = only(Findings, Unsafe);
  ASSERT_EQ(1u, Calls.size());
  // printf is known to be unsafe; serve_forever, although earlier, is only
  // unverifiable.
  EXPECT_EQ("call to 'helper' in the child of a fork is not "
            "async-signal-safe: it calls 'printf'",
            Calls.front().Message);
}

TEST_F(AnalyzerTest, VariadicHelperIsFollowed) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
static void say(const char *text, ...) {
  __builtin_va_list ap;
  __builtin_va_start(ap, text);
  write(2, text, 1);
  __builtin_va_end(ap);
}
void f(void) {
  if (fork() == 0) {
    say("x");
    _exit(0);
  }
}
)c");
  EXPECT_TRUE(Findings.empty());
}

TEST_F(AnalyzerTest, HelperThatAlwaysExitsEndsTheChildPath) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
static void die(int status) {
  write(2, "failed\n", 7);
  _exit(status);
}
void f(void) {
  if (fork() == 0)
    die(1);
  printf("parent\n");
}
)c");
  EXPECT_TRUE(Findings.empty());
}

TEST_F(AnalyzerTest, SwitchOnTheForkResult) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void f(void) {
  switch (fork()) {
  case -1:
    printf("fork failed\n");
    return;
  case 0:
    write(1, "child\n", 6);
    printf("child\n");
    _exit(0);
  default:
    printf("parent\n");
  }
}
)c");
  std::vector<Finding> Calls = only(Findings, Unsafe);
  ASSERT_EQ(1u, Calls.size());
  EXPECT_EQ("printf(\"child\\n\");", lineAt(Calls.front().Loc));
}

TEST_F(AnalyzerTest, ForkResultAssignedInTheCondition) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void f(void) {
  pid_t pid;
  if ((pid = fork()) == 0) {
    write(1, "child\n", 6);
    _exit(0);
  }
  printf("parent of %d\n", pid);
}
)c");
  EXPECT_TRUE(Findings.empty());
}

TEST_F(AnalyzerTest, ForkResultHeldInAMember) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
struct job {
  pid_t pid;
};
void f(struct job *job) {
  job->pid = fork();
  if (job->pid == 0) {
    write(1, "child\n", 6);
    _exit(0);
  }
  printf("parent of %d\n", job->pid);
}
)c");
  EXPECT_TRUE(Findings.empty());
}

TEST_F(AnalyzerTest, OverwrittenForkResultIsNoLongerTracked) {
  std::vector<Finding> Findings = analyzeThreaded(R"c(
void f(void) {
  pid_t pid = fork();
  pid = 1;
  if (pid != 0)
    printf("parent?\n");
  _exit(0);
}
)c");
  std::vector<Finding> Calls = only(Findings, Unsafe);
  ASSERT_EQ(1u, Calls.size());
  EXPECT_EQ("printf", tokenAt(Calls.front().Loc));
}

TEST_F(AnalyzerTest, CxxObjectsInTheChild) {
  std::vector<Finding> Findings = analyzeThreadedCxx(R"cpp(
struct Guard {
  Guard();
  ~Guard();
};
void before() {
  Guard g;
  if (fork() == 0) {
    write(1, "x", 1);
    return;
  }
}
void inside() {
  if (fork() == 0) {
    Guard g;
    _exit(0);
  }
}
)cpp");
  std::vector<Finding> Calls = only(Findings, Unsafe);
  ASSERT_EQ(2u, Calls.size());
  // The object constructed before the fork is destroyed when the child
  // returns.
  EXPECT_EQ("cannot verify that the destruction of 'g' is async-signal-safe: "
            "no definition is visible",
            Calls[0].Message);
  EXPECT_EQ("return", tokenAt(Calls[0].Loc));
  // The one constructed in the child is reported once, where it is built.
  EXPECT_EQ("cannot verify that the construction of 'Guard' is "
            "async-signal-safe: no definition is visible",
            Calls[1].Message);
}

// A safe call chain of any depth is safe, and a summary does not depend on
// which caller reached the function first.
TEST_F(AnalyzerTest, DeepSafeChainsAreSafe) {
  std::string Code;
  for (int I = 40; I >= 0; --I)
    Code += "static void f" + std::to_string(I) + "(void) { " +
            (I == 40 ? std::string("write(1, \"x\", 1);")
                     : "f" + std::to_string(I + 1) + "();") +
            " }\n";
  Code += R"c(
void deep(void) {
  if (fork() == 0) {
    f0();
    _exit(0);
  }
}
void shallow(void) {
  if (fork() == 0) {
    f39();
    _exit(0);
  }
}
)c";
  EXPECT_TRUE(analyzeThreaded(Code).empty());
}

// Mutually recursive functions are solved together: the reason found in
// one is seen by every caller in the cycle, through the shortest chain.
TEST_F(AnalyzerTest, RecursiveCycleSeesTheWorkOfEveryMember) {
  std::string Code;
  for (int I = 0; I < 30; ++I)
    Code += "static void c" + std::to_string(I) + "(int n);\n";
  for (int I = 0; I < 30; ++I)
    Code += "static void c" + std::to_string(I) + "(int n) { if (n) c" +
            std::to_string((I + 1) % 30) + "(n - 1);" +
            (I == 20 ? " else printf(\"%d\", n);" : "") + " }\n";
  Code += R"c(
void f(void) {
  if (fork() == 0) {
    c18(5);
    _exit(0);
  }
}
)c";
  std::vector<Finding> Calls = only(analyzeThreaded(Code), Unsafe);
  ASSERT_EQ(1u, Calls.size());
  EXPECT_EQ("call to 'c18' in the child of a fork is not async-signal-safe: "
            "it calls 'printf'",
            Calls.front().Message);
  EXPECT_EQ((std::vector<std::string>{"'c18' calls 'c19' here",
                                      "'c19' calls 'c20' here",
                                      "'c20' calls 'printf' here",
                                      "child process created by 'fork' here"}),
            noteTexts(Calls.front()));
}

} // namespace
