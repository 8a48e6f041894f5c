//===- Config.cpp - Checks and options, read as clang-tidy does -----------===//

#include "Config/Config.h"

#include "Core/Nolint.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <optional>

namespace forksafety {

namespace {

const CheckKind AllChecks[] = {CheckKind::ForkInThreadedProgram,
                               CheckKind::UnsafeCallInChild};

/// What one .clang-tidy file says, as far as forksafety cares.
struct ConfigFile {
  std::string Path;
  std::string Checks;
  std::map<std::string, std::string> Options;
  bool InheritParent = false;
};

llvm::Error configError(llvm::StringRef Path, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s",
                                 Path.str().c_str(), Why.str().c_str());
}

std::optional<std::string> scalarText(llvm::yaml::Node *N) {
  if (auto *Block = llvm::dyn_cast_or_null<llvm::yaml::BlockScalarNode>(N))
    return Block->getValue().str();
  auto *Scalar = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(N);
  if (!Scalar)
    return std::nullopt;
  llvm::SmallString<64> Storage;
  return Scalar->getValue(Storage).str();
}

llvm::Error readCheckOptions(llvm::yaml::Node *N, ConfigFile &Config) {
  // Either a list of {key: K, value: V} or a map from K to V.
  if (auto *Map = llvm::dyn_cast<llvm::yaml::MappingNode>(N)) {
    for (llvm::yaml::KeyValueNode &Entry : *Map) {
      std::optional<std::string> Key = scalarText(Entry.getKey());
      std::optional<std::string> Value = scalarText(Entry.getValue());
      if (!Key || !Value)
        return configError(Config.Path, "CheckOptions entries must be "
                                        "'name: value' scalars");
      Config.Options[*Key] = *Value;
    }
    return llvm::Error::success();
  }
  auto *List = llvm::dyn_cast<llvm::yaml::SequenceNode>(N);
  if (!List)
    return configError(Config.Path, "CheckOptions must be a map or a list");
  for (llvm::yaml::Node &Item : *List) {
    auto *Pair = llvm::dyn_cast<llvm::yaml::MappingNode>(&Item);
    std::optional<std::string> Key, Value;
    if (Pair)
      for (llvm::yaml::KeyValueNode &Entry : *Pair) {
        std::optional<std::string> Name = scalarText(Entry.getKey());
        if (Name == "key")
          Key = scalarText(Entry.getValue());
        else if (Name == "value")
          Value = scalarText(Entry.getValue());
      }
    if (!Key || !Value)
      return configError(Config.Path,
                         "CheckOptions list entries need 'key' and 'value'");
    Config.Options[*Key] = *Value;
  }
  return llvm::Error::success();
}

llvm::Expected<ConfigFile> readConfigFile(llvm::StringRef Path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Text =
      llvm::MemoryBuffer::getFile(Path);
  if (!Text)
    return configError(Path, "cannot read: " + Text.getError().message());
  ConfigFile Config;
  Config.Path = Path.str();
  llvm::SourceMgr SM;
  std::string Diagnostics;
  llvm::raw_string_ostream DiagStream(Diagnostics);
  SM.setDiagHandler(
      [](const llvm::SMDiagnostic &D, void *Out) {
        *static_cast<llvm::raw_string_ostream *>(Out) << D.getMessage();
      },
      &DiagStream);
  llvm::yaml::Stream Stream((*Text)->getBuffer(), SM);
  llvm::yaml::document_iterator Doc = Stream.begin();
  llvm::yaml::Node *Root = Doc != Stream.end() ? Doc->getRoot() : nullptr;
  auto *Map = llvm::dyn_cast_or_null<llvm::yaml::MappingNode>(Root);
  if (Root && llvm::isa<llvm::yaml::NullNode>(Root))
    return Config;
  if (!Map)
    return configError(Path, "not a YAML map");
  for (llvm::yaml::KeyValueNode &Entry : *Map) {
    std::optional<std::string> Key = scalarText(Entry.getKey());
    llvm::yaml::Node *Value = Entry.getValue();
    if (!Key)
      continue;
    if (*Key == "Checks") {
      if (std::optional<std::string> Globs = scalarText(Value)) {
        Config.Checks = *Globs;
      } else if (auto *List =
                     llvm::dyn_cast_or_null<llvm::yaml::SequenceNode>(Value)) {
        for (llvm::yaml::Node &Item : *List)
          if (std::optional<std::string> Glob = scalarText(&Item))
            Config.Checks += "," + *Glob;
      } else {
        return configError(Path, "Checks must be a string or a list");
      }
    } else if (*Key == "CheckOptions") {
      if (llvm::Error E = readCheckOptions(Value, Config))
        return std::move(E);
    } else if (*Key == "InheritParentConfig") {
      std::optional<std::string> Flag = scalarText(Value);
      Config.InheritParent = Flag && (*Flag == "true" || *Flag == "True");
    }
  }
  if (Stream.failed())
    return configError(Path, "invalid YAML: " + Diagnostics);
  return Config;
}

/// The .clang-tidy files that apply in \p Directory, nearest first.
llvm::Expected<std::vector<ConfigFile>> findConfigs(llvm::StringRef Directory) {
  std::vector<ConfigFile> Found;
  llvm::SmallString<256> Dir(Directory);
  llvm::sys::fs::make_absolute(Dir);
  for (llvm::StringRef Current = Dir; !Current.empty();
       Current = llvm::sys::path::parent_path(Current)) {
    llvm::SmallString<256> Candidate(Current);
    llvm::sys::path::append(Candidate, ".clang-tidy");
    if (!llvm::sys::fs::is_regular_file(Candidate))
      continue;
    llvm::Expected<ConfigFile> Config = readConfigFile(Candidate);
    if (!Config)
      return Config.takeError();
    bool Inherit = Config->InheritParent;
    Found.push_back(std::move(*Config));
    if (!Inherit)
      break;
  }
  return Found;
}

std::optional<std::string>
optionValue(const std::map<std::string, std::string> &Options,
            llvm::StringRef Check, llvm::StringRef Name) {
  auto It = Options.find((Check + "." + Name).str());
  if (It == Options.end())
    It = Options.find(Name.str());
  if (It == Options.end())
    return std::nullopt;
  return It->second;
}

llvm::Expected<AnalysisOptions>
readOptions(const std::map<std::string, std::string> &Options, CheckKind Kind,
            llvm::StringRef Origin) {
  AnalysisOptions Result;
  llvm::StringRef Check = checkName(Kind);
  auto Invalid = [&](llvm::StringRef Name, llvm::StringRef Value,
                     llvm::StringRef Expected) {
    return configError(Origin, "invalid value '" + Value + "' for option '" +
                                   Check + "." + Name + "': expected " +
                                   Expected);
  };
  auto ReadBool = [&](llvm::StringRef Name, bool &Out) -> llvm::Error {
    std::optional<std::string> V = optionValue(Options, Check, Name);
    if (!V)
      return llvm::Error::success();
    llvm::StringRef Text(*V);
    long long Number;
    if (Text.equals_insensitive("true"))
      Out = true;
    else if (Text.equals_insensitive("false"))
      Out = false;
    else if (!Text.getAsInteger(10, Number))
      Out = Number != 0;
    else
      return Invalid(Name, Text, "'true' or 'false'");
    return llvm::Error::success();
  };
  if (llvm::Error E = ReadBool("AssumeThreaded", Result.AssumeThreaded))
    return std::move(E);
  if (Kind == CheckKind::UnsafeCallInChild)
    if (llvm::Error E =
            ReadBool("ReportExecpFunctions", Result.ReportExecpFunctions))
      return std::move(E);
  if (std::optional<std::string> V =
          optionValue(Options, Check, "ThreadCreationFunctions"))
    Result.ThreadCreationFunctions = parseNameList(*V);
  if (std::optional<std::string> V =
          optionValue(Options, Check, "AsyncSignalSafeFunctions"))
    Result.AsyncSignalSafeFunctions = parseNameList(*V);
  if (std::optional<std::string> V =
          optionValue(Options, Check, "MaxCallDepth"))
    if (llvm::StringRef(*V).trim().getAsInteger(10, Result.MaxCallDepth))
      return Invalid("MaxCallDepth", *V, "a non-negative integer");
  if (std::optional<std::string> V =
          optionValue(Options, Check, "LibcProfile")) {
    if (*V == "posix")
      Result.Libc = LibcProfile::Posix;
    else if (*V == "linux")
      Result.Libc = LibcProfile::Linux;
    else if (*V == "glibc")
      Result.Libc = LibcProfile::Glibc;
    else
      return Invalid("LibcProfile", *V, "'posix', 'linux' or 'glibc'");
  }
  return Result;
}

} // namespace

bool globsEnable(llvm::StringRef Globs, llvm::StringRef Check, bool Default) {
  llvm::SmallVector<llvm::StringRef, 8> Items;
  Globs.split(Items, ',', -1, /*KeepEmpty=*/false);
  bool Enabled = Default;
  for (llvm::StringRef Item : Items) {
    Item = Item.trim(" \t\r\n");
    bool Positive = !Item.consume_front("-");
    Item = Item.trim(" \t\r\n");
    if (!Item.empty() && checkGlobMatches(Item, Check))
      Enabled = Positive;
  }
  return Enabled;
}

llvm::Expected<AuditConfig>
loadConfigAllowingNone(llvm::StringRef Directory,
                       llvm::StringRef ConfigFilePath,
                       llvm::StringRef ExtraChecks) {
  std::vector<ConfigFile> Files;
  if (!ConfigFilePath.empty()) {
    llvm::Expected<ConfigFile> Config = readConfigFile(ConfigFilePath);
    if (!Config)
      return Config.takeError();
    Files.push_back(std::move(*Config));
  } else {
    llvm::Expected<std::vector<ConfigFile>> Found = findConfigs(Directory);
    if (!Found)
      return Found.takeError();
    Files = std::move(*Found);
  }
  // Parents first, so that nearer files override them.
  std::string Globs = "forksafety-*";
  std::map<std::string, std::string> Options;
  AuditConfig Result;
  for (const ConfigFile &File : llvm::reverse(Files)) {
    Globs += "," + File.Checks;
    for (const auto &[Key, Value] : File.Options)
      Options[Key] = Value;
  }
  Globs += "," + ExtraChecks.str();
  llvm::StringRef Origin =
      Files.empty() ? llvm::StringRef("command line") : Files.front().Path;

  std::vector<std::pair<CheckKind, AnalysisOptions>> Enabled;
  for (CheckKind Kind : AllChecks) {
    if (!globsEnable(Globs, checkName(Kind), false))
      continue;
    llvm::Expected<AnalysisOptions> Opts = readOptions(Options, Kind, Origin);
    if (!Opts)
      return Opts.takeError();
    Enabled.emplace_back(Kind, std::move(*Opts));
  }
  Result.Origin = Origin.str();
  Result.Globs = Globs;
  // PATH-searching execs never count as the child going on, so the fork
  // check's findings do not depend on ReportExecpFunctions.
  if (Enabled.size() == 2)
    Enabled[0].second.ReportExecpFunctions =
        Enabled[1].second.ReportExecpFunctions;
  for (const std::pair<CheckKind, AnalysisOptions> &Check : Enabled) {
    auto Same = llvm::find_if(Result.Groups, [&](const CheckGroup &Group) {
      return Group.Options == Check.second;
    });
    if (Same != Result.Groups.end())
      Same->Checks.push_back(Check.first);
    else
      Result.Groups.push_back({{Check.first}, Check.second});
  }
  if (Result.Groups.size() > 1 && recordingKey(Result.Groups[0].Options) !=
                                      recordingKey(Result.Groups[1].Options))
    return configError(Origin,
                       "the forksafety checks must agree on "
                       "ThreadCreationFunctions and AsyncSignalSafeFunctions "
                       "for a whole-program audit; set them without a check "
                       "name prefix");
  return Result;
}

llvm::Expected<AuditConfig> loadConfig(llvm::StringRef Directory,
                                       llvm::StringRef ConfigFilePath,
                                       llvm::StringRef ExtraChecks) {
  llvm::Expected<AuditConfig> Config =
      loadConfigAllowingNone(Directory, ConfigFilePath, ExtraChecks);
  if (Config && Config->Groups.empty())
    return configError(Config->Origin,
                       "no forksafety check is enabled (checks: '" +
                           Config->Globs + "')");
  return Config;
}

} // namespace forksafety
