//===- ExprValuesTest.cpp - Tests of the constants expressions hold -------===//
//===//

#include "Core/ExprValues.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Lex/Lexer.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringMap.h"

#include "gtest/gtest.h"

#include <memory>
#include <optional>

using namespace clang;
using namespace clang::ast_matchers;
using namespace forksafety;

namespace {

const char *const Code = R"cpp(
  void take(long long);
  void take(const void *);
  enum Colour { Red, Green, Blue = 7 };
  constexpr int Limit = 12;
  void f(int parameter, int &alias) {
    int local = 3;
    const int fixed = 4;
    take(7);
    take(0xffffffffu);
    take(9223372036854775807LL);
    take(-5);
    take(Blue);
    take(Limit);
    take(fixed);
    take(local);
    take(parameter);
    take(alias);
    take(local + 1);
    take(sizeof(int));
    take(nullptr);
  }
)cpp";

/// Parses Code and finds the argument of each call to take by its spelling.
class IntegerConstantTest : public ::testing::Test {
protected:
  void SetUp() override {
    AST = tooling::buildASTFromCodeWithArgs(Code, {"-std=c++17", "-w"});
    ASSERT_TRUE(AST);
    ASTContext &Ctx = AST->getASTContext();
    for (const BoundNodes &Nodes :
         match(callExpr(callee(functionDecl(hasName("take"))),
                        hasArgument(0, expr().bind("arg"))),
               Ctx)) {
      const auto *Arg = Nodes.getNodeAs<Expr>("arg");
      Arguments[Lexer::getSourceText(
          CharSourceRange::getTokenRange(Arg->getSourceRange()),
          Ctx.getSourceManager(), Ctx.getLangOpts())] = Arg;
    }
  }

  std::optional<int64_t> valueOf(llvm::StringRef Spelling) {
    const Expr *Arg = Arguments.lookup(Spelling);
    if (!Arg) {
      ADD_FAILURE() << "no argument '" << Spelling.str() << "'";
      return std::nullopt;
    }
    return integerConstant(Arg, AST->getASTContext());
  }

  std::unique_ptr<ASTUnit> AST;
  llvm::StringMap<const Expr *> Arguments;
};

TEST_F(IntegerConstantTest, LiteralsKeepTheirValueAndSign) {
  EXPECT_EQ(7, valueOf("7"));
  EXPECT_EQ(0xffffffffLL, valueOf("0xffffffffu"));
  EXPECT_EQ(9223372036854775807LL, valueOf("9223372036854775807LL"));
}

TEST_F(IntegerConstantTest, ConstantExpressionsAreEvaluated) {
  EXPECT_EQ(-5, valueOf("-5"));
  EXPECT_EQ(7, valueOf("Blue"));
  EXPECT_EQ(12, valueOf("Limit"));
  EXPECT_EQ(4, valueOf("fixed"));
  EXPECT_EQ(4, valueOf("sizeof(int)"));
  EXPECT_EQ(0, valueOf("nullptr"));
}

TEST_F(IntegerConstantTest, VariablesThatMayChangeHaveNoConstantValue) {
  EXPECT_EQ(std::nullopt, valueOf("local"));
  EXPECT_EQ(std::nullopt, valueOf("parameter"));
  EXPECT_EQ(std::nullopt, valueOf("alias"));
  EXPECT_EQ(std::nullopt, valueOf("local + 1"));
}

} // namespace
