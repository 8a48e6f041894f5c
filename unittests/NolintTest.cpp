//===- NolintTest.cpp - Tests of NOLINT comments outside clang-tidy -------===//

#include "Core/Nolint.h"

#include "gtest/gtest.h"

namespace forksafety {
namespace {

constexpr const char *Unsafe = "forksafety-unsafe-call-in-child";
constexpr const char *Fork = "forksafety-fork-in-threaded-program";

TEST(NolintTest, SameLineWithAndWithoutChecks) {
  NolintComments Comments("a(); // NOLINT\n"
                          "b(); // NOLINT(forksafety-unsafe-call-in-child)\n"
                          "c(); // NOLINT(bugprone-*, forksafety-fork-*)\n"
                          "d();\n");
  EXPECT_TRUE(Comments.suppresses(1, Unsafe));
  EXPECT_TRUE(Comments.suppresses(2, Unsafe));
  EXPECT_FALSE(Comments.suppresses(2, Fork));
  EXPECT_TRUE(Comments.suppresses(3, Fork));
  EXPECT_FALSE(Comments.suppresses(3, Unsafe));
  EXPECT_FALSE(Comments.suppresses(4, Unsafe));
}

TEST(NolintTest, NextLine) {
  NolintComments Comments("// NOLINTNEXTLINE(forksafety-*)\n"
                          "a();\n"
                          "b();\n");
  EXPECT_FALSE(Comments.suppresses(1, Unsafe));
  EXPECT_TRUE(Comments.suppresses(2, Unsafe));
  EXPECT_FALSE(Comments.suppresses(3, Unsafe));
}

TEST(NolintTest, BeginAndEndMatchByTheirChecks) {
  NolintComments Comments("// NOLINTBEGIN(forksafety-unsafe-call-in-child)\n"
                          "a();\n"
                          "// NOLINTBEGIN\n"
                          "b();\n"
                          "// NOLINTEND\n"
                          "c();\n"
                          "// NOLINTEND(forksafety-unsafe-call-in-child)\n"
                          "d();\n");
  EXPECT_TRUE(Comments.suppresses(2, Unsafe));
  EXPECT_FALSE(Comments.suppresses(2, Fork));
  EXPECT_TRUE(Comments.suppresses(4, Fork));
  EXPECT_TRUE(Comments.suppresses(6, Unsafe));
  EXPECT_FALSE(Comments.suppresses(6, Fork));
  EXPECT_FALSE(Comments.suppresses(8, Unsafe));
}

TEST(NolintTest, UnmatchedBeginAndMalformedCommentsSuppressNothing) {
  NolintComments Comments("// NOLINTBEGIN\n"
                          "a(); // NOLINT(forksafety-unsafe-call-in-child\n"
                          "b(); // NOLINTFOO\n"
                          "c(); // NOLINT(-forksafety-*)\n");
  EXPECT_FALSE(Comments.suppresses(1, Unsafe));
  EXPECT_FALSE(Comments.suppresses(2, Unsafe));
  EXPECT_FALSE(Comments.suppresses(3, Unsafe));
  EXPECT_FALSE(Comments.suppresses(4, Unsafe));
}

} // namespace
} // namespace forksafety
