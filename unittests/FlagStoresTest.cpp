//===- FlagStoresTest.cpp - Tests of the flags of a CFG -------------------===//

#include "Core/ChildPaths/CFGCache.h"
#include "Core/ChildPaths/PathWalker.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Analysis/CFG.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"

#include "gtest/gtest.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace clang;
using namespace forksafety;

namespace {

/// The flags of `run`, defined in the code given, and what each holds
/// where the block that calls `marker` starts.
class FlagStoresTest : public ::testing::Test {
protected:
  void analyse(const std::string &Code) {
    AST =
        tooling::buildASTFromCode("void marker(void); void use(int);\n" + Code);
    ASTContext &Ctx = AST->getASTContext();
    for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (const auto *FD = dyn_cast<FunctionDecl>(D);
          FD && FD->getName() == "run" && FD->hasBody())
        Run = FD;
    ASSERT_NE(Run, nullptr);
    Graphs = std::make_unique<CFGCache>(Ctx);
    const CFG *Graph = Graphs->get(*Run, *Run->getBody());
    ASSERT_NE(Graph, nullptr);
    Sites = std::make_unique<BranchSites>(*Graph, *Run->getBody(),
                                          Ctx.getSourceManager());
    Flags = &Sites->flags(Ctx);
    for (const CFGBlock *Block : *Graph)
      for (const CFGElement &Element : *Block)
        if (std::optional<CFGStmt> S = Element.getAs<CFGStmt>())
          if (const auto *Call = dyn_cast<CallExpr>(S->getStmt());
              Call && Call->getDirectCallee() &&
              Call->getDirectCallee()->getName() == "marker")
            Marker = Block;
    ASSERT_NE(Marker, nullptr);
  }

  std::vector<std::string> flagNames() const {
    std::vector<std::string> Names;
    for (const VarDecl *Var : Flags->Numbered)
      Names.push_back(Var->getName().str());
    return Names;
  }

  /// What \p Name holds where the marker's block starts; nullopt when
  /// nothing is known, or when it is no flag.
  std::optional<int64_t> heldAtMarker(llvm::StringRef Name) const {
    const std::optional<FlagStores::Held> &Held =
        Flags->AtStart[Marker->getBlockID()];
    if (!Held)
      return std::nullopt;
    for (size_t F = 0; F < Flags->Numbered.size(); ++F)
      if (Flags->Numbered[F]->getName() == Name)
        return (*Held)[F];
    return std::nullopt;
  }

  std::unique_ptr<ASTUnit> AST;
  const FunctionDecl *Run = nullptr;
  std::unique_ptr<CFGCache> Graphs;
  std::unique_ptr<BranchSites> Sites;
  const FlagStores *Flags = nullptr;
  const CFGBlock *Marker = nullptr;
};

TEST_F(FlagStoresTest, FlagsAreTestedOrPassedAndHoldTwoConstantsAtMost) {
  analyse("void run(int x) {\n"
          "  int set = 0, passed = 0, three = 0, counted = 0, computed = 0;\n"
          "  int untested = 0;\n"
          "  if (x) { set = 1; passed = 1; three = 1; untested = 1; }\n"
          "  if (x > 1) three = 2;\n"
          "  counted++;\n"
          "  computed = x;\n"
          "  marker();\n"
          "  if (set || three || counted || computed) use(passed);\n"
          "}\n");
  EXPECT_EQ(flagNames(), (std::vector<std::string>{"set", "passed"}));
}

TEST_F(FlagStoresTest, AFlagHoldsWhatEveryPathStored) {
  analyse("void run(int x) {\n"
          "  int same = 0, differs = 0, late = 0;\n"
          "  if (x) { same = 0; differs = 1; use(x); }\n"
          "  marker();\n"
          "  late = 1;\n"
          "  if (same || differs || late) use(x);\n"
          "}\n");
  EXPECT_EQ(heldAtMarker("same"), 0);
  EXPECT_EQ(heldAtMarker("differs"), std::nullopt);
  // Given 1 only after the marker.
  EXPECT_EQ(heldAtMarker("late"), 0);
}

TEST_F(FlagStoresTest, ALoopBackMayBringAnotherValue) {
  analyse("void run(int x) {\n"
          "  int done = 0;\n"
          "  while (!done) {\n"
          "    if (x) marker();\n"
          "    done = 1;\n"
          "  }\n"
          "}\n");
  // The first pass comes with 0, the next ones would come with 1.
  EXPECT_EQ(heldAtMarker("done"), std::nullopt);
}

TEST_F(FlagStoresTest, AFlagNoPathStoredHoldsNothingKnown) {
  analyse("void run(int x) {\n"
          "  int flag;\n"
          "  if (x) flag = 1;\n"
          "  marker();\n"
          "  if (flag) use(x);\n"
          "}\n");
  EXPECT_EQ(flagNames(), (std::vector<std::string>{"flag"}));
  EXPECT_EQ(heldAtMarker("flag"), std::nullopt);
}

} // namespace
