#include "Core/Model/ModelSerialization.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <limits>
#include <string>

using namespace forksafety;

namespace {

/// A summary with one function that calls `callee` with the extreme
/// integer arguments a summary can hold.
UnitSummary summaryWithArguments(int64_t Low, int64_t High) {
  UnitSummary Summary;
  Summary.Source = "/src/unit.c";
  FunctionModel Function;
  Function.Usr = "c:@F@caller";
  Function.Name = "caller";
  Function.Loc = Location{"/src/unit.c", 3, 6, 12, {}};
  ModelEvent Call;
  Call.Kind = ModelEvent::Call;
  Call.Loc = Location{"/src/unit.c", 4, 3, 9, {}};
  Call.Callee = "c:@F@callee";
  Call.Arguments = {{0, KnownArgument::Constant, Low, {}},
                    {1, KnownArgument::Constant, High, {}}};
  ModelNode Node;
  Node.Events.push_back(Call);
  Node.Returns = true;
  Function.Paths.Nodes.push_back(Node);
  Summary.Model.Functions.emplace(Function.Usr, Function);
  return Summary;
}

/// \p Text with the value of its first packed attribute \p Key replaced.
std::string withPacked(std::string Text, const std::string &Key,
                       const std::string &Value) {
  std::string Opening = "\"" + Key + "\":\"";
  size_t Begin = Text.find(Opening);
  EXPECT_NE(Begin, std::string::npos) << Key << " in " << Text;
  Begin += Opening.size();
  size_t End = Text.find('"', Begin);
  return Text.replace(Begin, End - Begin, Value);
}

} // namespace

TEST(ModelSerializationTest, ExtremeIntegersReadBack) {
  constexpr int64_t Min = std::numeric_limits<int64_t>::min();
  constexpr int64_t Max = std::numeric_limits<int64_t>::max();
  llvm::Expected<UnitSummary> Read = readUnitSummary(
      writeUnitSummary(summaryWithArguments(Min, Max)), "unit.fsum");
  ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  const FunctionModel &Function = Read->Model.Functions.at("c:@F@caller");
  ASSERT_EQ(Function.Paths.Nodes.size(), 1u);
  ASSERT_EQ(Function.Paths.Nodes[0].Events.size(), 1u);
  const std::vector<KnownArgument> &Arguments =
      Function.Paths.Nodes[0].Events[0].Arguments;
  ASSERT_EQ(Arguments.size(), 2u);
  EXPECT_EQ(Arguments[0].Value, Min);
  EXPECT_EQ(Arguments[1].Value, Max);
  EXPECT_EQ(Function.Paths.Nodes[0].Events[0].Loc.EndColumn, 9u);
}

TEST(ModelSerializationTest, PackedIntegersAreDecimalNumbersSeparatedByCommas) {
  std::string Text = writeUnitSummary(summaryWithArguments(-1, 0));
  ASSERT_TRUE(static_cast<bool>(readUnitSummary(Text, "unit.fsum")));
  for (const char *Bad : {"1,,2", "1,", ",1", "+1", "1 2", "0x10", "-", "1-2",
                          "9223372036854775808", "-9223372036854775809",
                          "99999999999999999999"}) {
    llvm::Expected<UnitSummary> Read =
        readUnitSummary(withPacked(Text, "arguments", Bad), "unit.fsum");
    ASSERT_FALSE(static_cast<bool>(Read)) << Bad;
    EXPECT_NE(llvm::toString(Read.takeError())
                  .find("expected integers separated by commas"),
              std::string::npos)
        << Bad;
  }
}

TEST(ModelSerializationTest, FileNamesReadBackWhateverTheyHold) {
  // A file name may hold any byte but NUL: the lists are one string each,
  // the names separated by NUL characters.
  UnitSummary Summary = summaryWithArguments(0, 1);
  Summary.Inputs = {{"/src/a b.h", "10:20:30"},
                    {"/src/line\nbreak.h", "-:7:8"},
                    {"/src/t\u00e9l\u00e9.h", "1:2:3"},
                    {"/src/comma,\"quote\".h", "4:5:6"}};
  Summary.Absent = {"/include/\tx.h", "/usr/include/a.h"};
  llvm::Expected<UnitSummary> Read =
      readUnitSummary(writeUnitSummary(Summary), "unit.fsum");
  ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  EXPECT_EQ(Read->Inputs, Summary.Inputs);
  EXPECT_EQ(Read->Absent, Summary.Absent);

  Summary.Inputs.clear();
  Summary.Absent.clear();
  Read = readUnitSummary(writeUnitSummary(Summary), "unit.fsum");
  ASSERT_TRUE(static_cast<bool>(Read)) << llvm::toString(Read.takeError());
  EXPECT_TRUE(Read->Inputs.empty());
  EXPECT_TRUE(Read->Absent.empty());
}
