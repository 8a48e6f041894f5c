//===- AnalysisOptions.cpp - User-facing knobs of the analysis ------------===//

#include "Core/AnalysisOptions.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

namespace forksafety {

llvm::ArrayRef<std::pair<LibcProfile, llvm::StringRef>> libcProfileNames() {
  static constexpr std::pair<LibcProfile, llvm::StringRef> Names[] = {
      {LibcProfile::Posix, "posix"},
      {LibcProfile::Linux, "linux"},
      {LibcProfile::Glibc, "glibc"}};
  return Names;
}

std::vector<std::string> parseNameList(llvm::StringRef List) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  List.split(Parts, ';', -1, /*KeepEmpty=*/false);
  std::vector<std::string> Names;
  for (llvm::StringRef Part : Parts)
    if (llvm::StringRef Name = Part.trim(); !Name.empty())
      Names.push_back(Name.str());
  return Names;
}

std::string joinNameList(const std::vector<std::string> &Names) {
  return llvm::join(Names, ";");
}

std::string recordingKey(const AnalysisOptions &Opts) {
  return "threads=" + joinNameList(Opts.ThreadCreationFunctions) +
         "|safe=" + joinNameList(Opts.AsyncSignalSafeFunctions);
}

} // namespace forksafety
