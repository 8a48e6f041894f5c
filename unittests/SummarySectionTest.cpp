//===- SummarySectionTest.cpp - Tests of summaries in object sections -----===//

#include "Core/Model/SummarySection.h"

#include "gtest/gtest.h"

namespace forksafety {
namespace {

std::vector<std::string> unframe(llvm::StringRef Section) {
  llvm::Expected<std::vector<std::string>> Summaries =
      unframeSummaries(Section, "test.o");
  if (!Summaries) {
    ADD_FAILURE() << llvm::toString(Summaries.takeError());
    return {};
  }
  return *Summaries;
}

std::string unframeError(llvm::StringRef Section) {
  llvm::Expected<std::vector<std::string>> Summaries =
      unframeSummaries(Section, "test.o");
  if (Summaries) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(Summaries.takeError());
}

TEST(SummarySectionTest, FramesReadBackAfterConcatenationAndPadding) {
  std::string First = "{\"format\":\"forksafety-summary\",\"a\":1}";
  std::string Second(10000, 'x');
  // Linkers concatenate the sections of the objects, padding with zeros.
  std::string Section = frameSummary(First) + std::string(7, '\0') +
                        frameSummary(Second) + std::string(3, '\0');
  EXPECT_EQ(std::vector<std::string>({First, Second}), unframe(Section));
}

TEST(SummarySectionTest, CompressesWhenLLVMCan) {
  std::string Text(100000, 'y');
  EXPECT_LT(frameSummary(Text).size(), Text.size() / 10);
}

TEST(SummarySectionTest, EmptySectionHoldsNoSummary) {
  EXPECT_TRUE(unframe("").empty());
  EXPECT_TRUE(unframe(std::string(16, '\0')).empty());
}

TEST(SummarySectionTest, DamagedFramesAreErrorsThatSayWhere) {
  std::string Frame = frameSummary("{}");
  EXPECT_EQ("test.o: section .forksafety, offset 0: no summary frame "
            "starts here",
            unframeError("garbage that is long enough"));
  EXPECT_EQ("test.o: section .forksafety, offset 0: the frame is truncated",
            unframeError(llvm::StringRef(Frame).drop_back(1)));
  std::string OtherVersion = Frame;
  OtherVersion[8] = 9;
  EXPECT_EQ("test.o: section .forksafety, offset 0: frame version 9, this "
            "tool reads version 1",
            unframeError(OtherVersion));
  std::string Later = std::string(4, '\0') + Frame;
  Later[4 + 9] = 7;
  EXPECT_EQ("test.o: section .forksafety, offset 4: unknown compression "
            "method 7",
            unframeError(Later));
}

TEST(SummarySectionTest, AssemblyCarriesEveryByte) {
  std::string Bytes;
  for (int I = 0; I < 256; ++I)
    Bytes += static_cast<char>(I);
  Bytes += "\"quoted\\\" and 0123 digits after \\0";
  std::string Assembly = sectionAssembly(Bytes);
  EXPECT_EQ(0u, Assembly.find("\t.pushsection .forksafety,\"\",%progbits\n"));
  // Module-level assembly of a bitcode object holds other code too.
  llvm::Expected<std::string> Read = sectionBytesInAssembly(
      ".globl f\n" + Assembly + "\t.section .text\n.ascii \"not ours\"\n");
  ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  EXPECT_EQ(Bytes, *Read);
}

TEST(SummarySectionTest, AssemblyWithoutTheSectionHoldsNothing) {
  llvm::Expected<std::string> Read =
      sectionBytesInAssembly(".text\n.ascii \"x\"\n");
  ASSERT_TRUE(static_cast<bool>(Read));
  EXPECT_EQ("", *Read);
}

} // namespace
} // namespace forksafety
