//===- StatementWalkerTest.cpp - The statement walk and the AST visitor ---===//

#include "Core/StatementWalker.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"

#include "gtest/gtest.h"

#include <memory>
#include <string>
#include <vector>

using namespace clang;
using namespace clang::ast_matchers;
using namespace forksafety;

namespace {

/// What a walk met: each variable declared, and each reference with the
/// statement around it, in order.
using Trace = std::vector<std::string>;

std::string referenceEntry(const DeclRefExpr &Ref, const Stmt *Parent) {
  return Ref.getNameInfo().getAsString() + " in " +
         (Parent ? Parent->getStmtClassName() : "nothing");
}

class TracingWalker : public StatementWalker<TracingWalker> {
public:
  void visitStatement(const Stmt &S) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(&S))
      Seen.push_back(referenceEntry(*Ref, parentOf(S)));
  }
  void visitVariable(const VarDecl &Var) {
    Seen.push_back("variable " + Var.getNameAsString());
  }
  Trace Seen;
};

/// The same trace from the AST's visitor, implicit code left out: what the
/// walk is to match.
class TracingVisitor : public RecursiveASTVisitor<TracingVisitor> {
public:
  bool TraverseStmt(Stmt *S) {
    if (!S)
      return true;
    Enclosing.push_back(S);
    bool Result = RecursiveASTVisitor::TraverseStmt(S);
    Enclosing.pop_back();
    return Result;
  }
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    const Stmt *Parent = nullptr;
    for (auto It = Enclosing.rbegin(); It != Enclosing.rend(); ++It)
      if (*It != Ref && !isa<ParenExpr>(*It)) {
        Parent = *It;
        break;
      }
    Seen.push_back(referenceEntry(*Ref, Parent));
    return true;
  }
  bool VisitVarDecl(VarDecl *Var) {
    if (!isa<ParmVarDecl>(Var))
      Seen.push_back("variable " + Var->getNameAsString());
    return true;
  }
  Trace Seen;

private:
  std::vector<const Stmt *> Enclosing;
};

const FunctionDecl *functionNamed(ASTUnit &AST, llvm::StringRef Name) {
  auto Found = match(functionDecl(hasName(Name), isDefinition()).bind("f"),
                     AST.getASTContext());
  return Found.empty() ? nullptr : Found.front().getNodeAs<FunctionDecl>("f");
}

void expectSameTrace(llvm::StringRef Code, std::vector<std::string> Args) {
  std::unique_ptr<ASTUnit> AST =
      tooling::buildASTFromCodeWithArgs(Code, Args, "input.cc");
  ASSERT_TRUE(AST);
  const FunctionDecl *F = functionNamed(*AST, "f");
  ASSERT_TRUE(F);
  TracingWalker Walker;
  Walker.walk(F->getBody());
  TracingVisitor Visitor;
  Visitor.TraverseStmt(F->getBody());
  EXPECT_FALSE(Walker.Seen.empty());
  EXPECT_EQ(Visitor.Seen, Walker.Seen);
}

TEST(StatementWalkerTest, WalksWhatTheVisitorWalksInC) {
  expectSameTrace(R"c(
    struct point { int x, y; };
    int g(int);
    int f(int n, int *out) {
      int i = 0, total = n;
      struct point p = {.y = n, .x = i};
      int values[] = {n, i, [4] = total};
      for (i = 0; i < n; i++)
        total += g(i) ? values[i] : -values[i];
      *out = sizeof(total) + sizeof(int[n]);
      int (*pointer)[n] = 0;
      total += ({ int inner = n; inner + p.x; });
      if (int flag = g(total))
        total = flag;
      switch (n) { case 1: total++; break; default: total--; }
      __typeof__(total) copy = n;
      typedef int row[n];
      row *rows = (int (*)[n])out;
      total += (int[]){n, copy}[0] + _Generic(n, int: i, default: copy);
      total += __builtin_offsetof(struct point, y) + (rows != 0);
      _Static_assert(sizeof(struct point) == 2 * sizeof(int), "packed");
      return total ?: i;
    }
  )c",
                  {"-x", "c", "-std=gnu11", "-w"});
}

TEST(StatementWalkerTest, WalksLambdasAndRangeLoopsAsWritten) {
  expectSameTrace(R"cpp(
    namespace std {
    template <class E> class initializer_list {
      const E *First;
      decltype(sizeof 0) Size;
    public:
      const E *begin() const { return First; }
      const E *end() const { return First + Size; }
    };
    } // namespace std
    struct point { int x, y; };
    int g(int);
    int f(int n) {
      int total = 0, unused = 1;
      auto add = [&total, n, scaled = n * 2](int k) { total += k + scaled; };
      auto implicit = [=] { return n + total; };
      for (int k : {1, 2, n})
        add(k);
      for (auto &&[x, y] : {point{n, total}})
        total += x * y;
      point q{.x = n, .y = total};
      return total + implicit() + q.x + [&] { return unused; }();
    }
  )cpp",
                  {"-std=c++20", "-w"});
}

TEST(StatementWalkerTest, WalksBlocksAndPropertiesAsWritten) {
  expectSameTrace(R"cpp(
    struct holder {
      int value;
      int get() const { return value; }
      void set(int v) { value = v; }
      __declspec(property(get = get, put = set)) int prop;
    };
    int f(int n) {
      holder h;
      h.prop = n;
      int (^twice)(int) = ^(int k) { return k * 2 + n; };
      return twice(h.prop);
    }
  )cpp",
                  {"-std=c++17", "-fblocks", "-fms-extensions", "-w"});
}

class StoppingWalker : public StatementWalker<StoppingWalker> {
public:
  void visitStatement(const Stmt &S) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(&S)) {
      Names.push_back(Ref->getNameInfo().getAsString());
      if (Names.back() == "stop")
        stop();
    }
  }
  std::vector<std::string> Names;
};

TEST(StatementWalkerTest, StopEndsTheWalk) {
  std::unique_ptr<ASTUnit> AST = tooling::buildASTFromCodeWithArgs(
      "int f(int before, int stop, int after) {"
      "  return before + (stop + after) + after; }",
      {"-x", "c", "-w"}, "input.c");
  ASSERT_TRUE(AST);
  const FunctionDecl *F = functionNamed(*AST, "f");
  ASSERT_TRUE(F);
  StoppingWalker Walker;
  Walker.walk(F->getBody());
  EXPECT_EQ((std::vector<std::string>{"before", "stop"}), Walker.Names);
}

} // namespace
