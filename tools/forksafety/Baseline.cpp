//===- Baseline.cpp - Findings accepted earlier ---------------------------===//

#include "Baseline.h"
#include "OutputFiles.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

namespace forksafety {

namespace json = llvm::json;

namespace {
constexpr llvm::StringLiteral Format = "forksafety-baseline";
} // namespace

llvm::Expected<BaselineFindings> readBaseline(llvm::StringRef Path) {
  auto Fail = [&](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "baseline %s: %s", Path.str().c_str(),
                                   Why.str().c_str());
  };
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Text =
      llvm::MemoryBuffer::getFile(Path);
  if (!Text)
    return Fail("cannot read it: " + Text.getError().message());
  llvm::Expected<json::Value> Parsed = json::parse((*Text)->getBuffer());
  if (!Parsed)
    return Fail("not JSON: " + llvm::toString(Parsed.takeError()));
  const json::Object *Root = Parsed->getAsObject();
  if (!Root || Root->getString("format") != Format ||
      Root->getInteger("version") != 1)
    return Fail("not a forksafety baseline (format version 1)");
  const json::Array *Findings = Root->getArray("findings");
  if (!Findings)
    return Fail("it has no 'findings' array");
  BaselineFindings Accepted;
  for (const json::Value &Item : *Findings) {
    const json::Object *O = Item.getAsObject();
    std::optional<llvm::StringRef> Fingerprint =
        O ? O->getString("fingerprint") : std::nullopt;
    if (!Fingerprint)
      return Fail("a finding has no 'fingerprint'");
    // The description only names the finding in reports: an entry
    // without one still matches by its fingerprint.
    Accepted[Fingerprint->str()] = {O->getString("check").value_or("").str(),
                                    O->getString("file").value_or("").str(),
                                    O->getString("message").value_or("").str()};
  }
  return Accepted;
}

std::error_code writeBaseline(llvm::StringRef Path,
                              const std::vector<ReportedFinding> &Findings,
                              const ReportWriter &Writer) {
  json::Array Items;
  for (const ReportedFinding &R : Findings)
    Items.push_back(json::Object{{"fingerprint", R.Fingerprint},
                                 {"check", checkName(R.F->Check)},
                                 {"file", Writer.displayPath(R.F->Loc.File)},
                                 {"message", R.F->Message}});
  std::string Text = llvm::formatv(
      "{0:2}\n",
      json::Value(json::Object{
          {"format", Format}, {"version", 1}, {"findings", std::move(Items)}}));
  return writeWholeFile(Path, Text);
}

} // namespace forksafety
