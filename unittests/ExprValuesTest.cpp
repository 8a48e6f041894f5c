//===- ExprValuesTest.cpp - Tests of the values expressions hold ----------===//
//===//

#include "Core/ExprValues.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
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
#include <string>
#include <vector>

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

const char *const Initializers = R"cpp(
  struct Base { int tag; };
  struct Proc : Base { int pid; unsigned : 3; int fd; };
  union Slot { int pid; long raw; };
  struct Pair { int first, second; };
  void take(...);
  void f(int pid) {
    Proc bases_and_bit_field{{7}, pid, 3};
    Slot one_member = {.raw = pid};
    take(Pair{pid, 2});
    Pair partly = {pid};
    int not_braced = pid;
  }
)cpp";

/// Parses Initializers and names, for each variable or argument, the fields
/// its braced initializer gives a value, with that value's spelling.
class FieldInitializerTest : public ::testing::Test {
protected:
  void SetUp() override {
    AST = tooling::buildASTFromCodeWithArgs(Initializers, {"-std=c++17", "-w"});
    ASSERT_TRUE(AST);
  }

  const Expr *initializerOf(llvm::StringRef Name) {
    auto Found =
        match(varDecl(hasName(Name)).bind("var"), AST->getASTContext());
    if (Found.size() != 1) {
      ADD_FAILURE() << "no variable '" << Name.str() << "'";
      return nullptr;
    }
    return Found[0].getNodeAs<VarDecl>("var")->getInit();
  }

  const Expr *argumentOfTake() {
    auto Found = match(callExpr(callee(functionDecl(hasName("take"))),
                                hasArgument(0, expr().bind("arg"))),
                       AST->getASTContext());
    return Found.size() == 1 ? Found[0].getNodeAs<Expr>("arg") : nullptr;
  }

  /// "field=spelling" for each field the initializer \p E gives a value.
  std::vector<std::string> fieldsGiven(const Expr *E) {
    std::vector<std::string> Given;
    if (!E)
      return Given;
    const InitListExpr *List = bracedInitializer(*E);
    if (!List)
      return Given;
    ASTContext &Ctx = AST->getASTContext();
    forEachFieldInitializer(
        *List, [&](const FieldDecl &Field, const Expr &Value) {
          Given.push_back(
              Field.getName().str() + "=" +
              Lexer::getSourceText(
                  CharSourceRange::getTokenRange(Value.getSourceRange()),
                  Ctx.getSourceManager(), Ctx.getLangOpts())
                  .str());
        });
    return Given;
  }

  std::unique_ptr<ASTUnit> AST;
};

TEST_F(FieldInitializerTest, BasesAndUnnamedBitFieldsTakeNoFieldValue) {
  EXPECT_EQ((std::vector<std::string>{"pid=pid", "fd=3"}),
            fieldsGiven(initializerOf("bases_and_bit_field")));
}

TEST_F(FieldInitializerTest, AUnionGivesTheMemberItInitializes) {
  EXPECT_EQ((std::vector<std::string>{"raw=pid"}),
            fieldsGiven(initializerOf("one_member")));
}

TEST_F(FieldInitializerTest, FunctionalCastsAreBraced) {
  EXPECT_EQ((std::vector<std::string>{"first=pid", "second=2"}),
            fieldsGiven(argumentOfTake()));
}

TEST_F(FieldInitializerTest, FieldsLeftOutAreGivenImplicitZeros) {
  // The semantic form fills the rest with zeros written nowhere.
  std::vector<std::string> Given = fieldsGiven(initializerOf("partly"));
  ASSERT_EQ(2u, Given.size());
  EXPECT_EQ("first=pid", Given[0]);
  EXPECT_EQ("second=", Given[1]);
}

TEST_F(FieldInitializerTest, OtherExpressionsAreNotBraced) {
  const Expr *Init = initializerOf("not_braced");
  ASSERT_TRUE(Init);
  EXPECT_EQ(nullptr, bracedInitializer(*Init));
}

} // namespace
