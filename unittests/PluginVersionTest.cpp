//===- PluginVersionTest.cpp - Tests of the plugin loader's version checks ===//

#include "PluginLoader/PluginVersion.h"

#include "clang/Basic/Version.h"

#include "gtest/gtest.h"

#include <string>

using namespace forksafety;

namespace {

TEST(PluginVersionTest, ParsesDistributionVersionStrings) {
  EXPECT_EQ(19, parseClangMajorVersion("Debian clang version 19.1.7 "
                                       "(3~deb12u1)"));
  EXPECT_EQ(18, parseClangMajorVersion("Ubuntu clang version 18.1.3 "
                                       "(1ubuntu1)"));
  EXPECT_EQ(22, parseClangMajorVersion("clang version 22.0.0"));
  EXPECT_EQ(17,
            parseClangMajorVersion(
                "clang version 17.0.6 (https://github.com/llvm/llvm-project "
                "6009708b4367171ccdbf4b5905cb6a803753fe18)"));
  EXPECT_EQ(7, parseClangMajorVersion("clang version 7"));
}

TEST(PluginVersionTest, RejectsStringsWithoutAVersion) {
  EXPECT_EQ(-1, parseClangMajorVersion("garbage"));
  EXPECT_EQ(-1, parseClangMajorVersion(""));
  EXPECT_EQ(-1, parseClangMajorVersion("clang version "));
  EXPECT_EQ(-1, parseClangMajorVersion("clang version x.1"));
  EXPECT_EQ(-1, parseClangMajorVersion("clang 19.1.7"));
}

TEST(PluginVersionTest, ParsesTheVersionOfTheLinkedClang) {
  EXPECT_EQ(FORKSAFETY_LLVM_MAJOR,
            parseClangMajorVersion(clang::getClangFullVersion()));
}

TEST(PluginVersionTest, ImplementationIsNamedAfterTheLLVMMajorVersion) {
  EXPECT_EQ("forksafety/libForkSafetyTidyChecks-llvm" +
                std::to_string(FORKSAFETY_LLVM_MAJOR) + ".so",
            std::string(ImplementationRelativePath));
}

} // namespace
