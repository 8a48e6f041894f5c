//===- DiagnosticDocLinksTest.cpp - Tests of forksafety-clangd's links ----===//

#include "DiagnosticDocLinks.h"

#include "llvm/Support/FormatVariadic.h"

#include "gtest/gtest.h"

#include <string>

namespace forksafety {
namespace {

constexpr const char *Docs = "https://example.org/docs/checks";

std::string frame(llvm::StringRef Body) {
  return "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n" +
         Body.str();
}

// Writes Messages through the stream, in pieces of ChunkSize bytes, and
// returns what reaches the editor.
std::string throughStream(llvm::StringRef Written, size_t ChunkSize,
                          bool Pretty = false) {
  std::string Editor;
  {
    llvm::raw_string_ostream EditorStream(Editor);
    DocLinkingLSPStream Stream(EditorStream, Docs, Pretty);
    for (size_t I = 0; I < Written.size(); I += ChunkSize) {
      Stream << Written.substr(I, ChunkSize);
      Stream.flush();
    }
  }
  return Editor;
}

constexpr const char *Published =
    R"({"jsonrpc":"2.0","method":"textDocument/publishDiagnostics",)"
    R"("params":{"diagnostics":[)"
    R"({"code":"forksafety-unsafe-call-in-child","codeDescription":)"
    R"({"href":"https://clang.llvm.org/extra/clang-tidy/checks/forksafety/unsafe-call-in-child.html"},"message":"m"},)"
    R"({"code":"misc-redundant-expression","codeDescription":)"
    R"({"href":"https://clang.llvm.org/extra/clang-tidy/checks/misc/redundant-expression.html"},"message":"n"},)"
    R"({"code":"forksafety-fork-in-threaded-program","message":"o"}],)"
    R"("uri":"file:///a.c"}})";

constexpr const char *Linked =
    R"({"jsonrpc":"2.0","method":"textDocument/publishDiagnostics",)"
    R"("params":{"diagnostics":[)"
    R"({"code":"forksafety-unsafe-call-in-child","codeDescription":)"
    R"({"href":"https://example.org/docs/checks/forksafety-unsafe-call-in-child.md"},"message":"m"},)"
    R"({"code":"misc-redundant-expression","codeDescription":)"
    R"({"href":"https://clang.llvm.org/extra/clang-tidy/checks/misc/redundant-expression.html"},"message":"n"},)"
    R"({"code":"forksafety-fork-in-threaded-program","message":"o"}],)"
    R"("uri":"file:///a.c"}})";

TEST(DiagnosticDocLinksTest, RelinksOnlyForkSafetyDiagnosticsWithALink) {
  llvm::Expected<llvm::json::Value> Message = llvm::json::parse(Published);
  ASSERT_TRUE(bool(Message));
  EXPECT_TRUE(linkForkSafetyDiagnosticDocs(*Message, Docs));
  EXPECT_EQ(llvm::formatv("{0}", *Message).str(), Linked);
}

TEST(DiagnosticDocLinksTest, ReportsNoChangeWithoutForkSafetyLinks) {
  llvm::json::Value Message = llvm::json::Object{
      {"code", "misc-redundant-expression"},
      {"codeDescription", llvm::json::Object{{"href", "https://x"}}}};
  EXPECT_FALSE(linkForkSafetyDiagnosticDocs(Message, Docs));
}

TEST(DiagnosticDocLinksTest, StreamReframesRewrittenMessages) {
  EXPECT_EQ(throughStream(frame(Published), 1 << 20), frame(Linked));
}

TEST(DiagnosticDocLinksTest, StreamJoinsMessagesWrittenInPieces) {
  std::string Other = R"({"id":1,"jsonrpc":"2.0","result":null})";
  std::string Written = frame(Other) + frame(Published) + frame(Other);
  std::string Expected = frame(Other) + frame(Linked) + frame(Other);
  for (size_t ChunkSize : {1, 7, 64})
    EXPECT_EQ(throughStream(Written, ChunkSize), Expected) << ChunkSize;
}

TEST(DiagnosticDocLinksTest, StreamForwardsOtherMessagesByteForByte) {
  // Not parsed, so their formatting is kept, even when not compact.
  std::string Hover = "{\n  \"id\": 2,\n  \"result\": \"forksafety\"\n}";
  std::string Unrelinked = R"({"code":"forksafety-unsafe-call-in-child"})";
  std::string Written = frame(Hover) + frame(Unrelinked);
  EXPECT_EQ(throughStream(Written, 5), Written);
}

TEST(DiagnosticDocLinksTest, StreamKeepsPrettyPrinting) {
  std::string Editor = throughStream(frame(Published), 1 << 20, true);
  EXPECT_NE(Editor.find("\n  \"jsonrpc\": \"2.0\",\n"), std::string::npos);
  EXPECT_NE(Editor.find("\"href\": \"https://example.org/docs/checks/"
                        "forksafety-unsafe-call-in-child.md\""),
            std::string::npos);
}

TEST(DiagnosticDocLinksTest, StreamPassesAnIncompleteMessageOnAtTheEnd) {
  std::string Truncated = "Content-Length: 100\r\n\r\n{\"id\":";
  EXPECT_EQ(throughStream(Truncated, 4), Truncated);
}

} // namespace
} // namespace forksafety
