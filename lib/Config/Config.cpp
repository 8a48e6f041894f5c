//===- Config.cpp - Checks and options, read as clang-tidy does -----------===//
//
// The files are found, parsed and merged by clang-tidy's own options
// machinery, so that every front end reads a .clang-tidy the way clang-tidy
// does: the same syntax, InheritParentConfig, the same priority between a
// check's option and a global one, and the same diagnostics.
//
//===----------------------------------------------------------------------===//

#include "Config/Config.h"

#include "clang-tidy/ClangTidyOptions.h"
#include "clang-tidy/GlobList.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/YAMLParser.h"

#include <optional>

namespace forksafety {

using clang::tidy::ClangTidyOptions;

namespace {

const CheckKind AllChecks[] = {CheckKind::ForkInThreadedProgram,
                               CheckKind::UnsafeCallInChild};

llvm::Error configError(llvm::StringRef Path, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s",
                                 Path.str().c_str(), Why.str().c_str());
}

/// Parses configuration files as clang-tidy does, but keeps the diagnostics
/// and remembers a file that did not parse: clang-tidy prints the error and
/// goes on without the file, a silent change of meaning that an audit must
/// not make.
class ConfigParser {
public:
  llvm::ErrorOr<ClangTidyOptions> operator()(llvm::MemoryBufferRef Text) {
    llvm::raw_string_ostream Out(Diagnostics);
    llvm::ErrorOr<ClangTidyOptions> Options =
        clang::tidy::parseConfigurationWithDiags(
            Text, [&](const llvm::SMDiagnostic &D) {
              D.print(nullptr, Out, /*ShowColors=*/false);
            });
    if (Options)
      return Options;
    if (FailedFile.empty())
      FailedFile = Text.getBufferIdentifier().str();
    // Reported by takeError(), not by the provider.
    return ClangTidyOptions();
  }

  llvm::Error takeError() const {
    if (FailedFile.empty())
      return llvm::Error::success();
    return configError(FailedFile, "invalid configuration:\n" +
                                       llvm::StringRef(Diagnostics).rtrim());
  }

private:
  std::string Diagnostics;
  std::string FailedFile;
};

/// clang-tidy's provider of .clang-tidy files, with a parser of our own.
/// The base class leaves the file system unset when given parsers.
class ConfigFileProvider : public clang::tidy::FileOptionsProvider {
public:
  ConfigFileProvider(ClangTidyOptions Defaults, ClangTidyOptions Overrides,
                     ConfigParser &Parser)
      : FileOptionsProvider(
            {}, std::move(Defaults), std::move(Overrides),
            {{".clang-tidy", [&Parser](llvm::MemoryBufferRef Text) {
                return Parser(Text);
              }}}) {
    FS = llvm::vfs::getRealFileSystem();
  }
};

struct MergedOptions {
  ClangTidyOptions Options;
  /// The nearest file that contributed, or "command line".
  std::string Origin;
};

bool isConfigFile(llvm::StringRef Source) {
  return Source != clang::tidy::ClangTidyOptionsProvider::
                       OptionsSourceTypeDefaultBinary &&
         Source != clang::tidy::ClangTidyOptionsProvider::
                       OptionsSourceTypeCheckCommandLineOption &&
         Source != clang::tidy::ClangTidyOptionsProvider::
                       OptionsSourceTypeConfigCommandLineOption;
}

MergedOptions mergeSources(
    const std::vector<clang::tidy::ClangTidyOptionsProvider::OptionsSource>
        &Sources,
    llvm::StringRef ConfigFilePath) {
  MergedOptions Result;
  Result.Origin =
      ConfigFilePath.empty() ? "command line" : ConfigFilePath.str();
  unsigned Priority = 0;
  for (const auto &[Options, Source] : Sources) {
    Result.Options.mergeWith(Options, ++Priority);
    if (ConfigFilePath.empty() && isConfigFile(Source))
      Result.Origin = Source;
  }
  return Result;
}

/// The options that apply to files in \p Directory, merged in clang-tidy's
/// order: the defaults, the files (parents first), --config-file, --checks.
llvm::Expected<MergedOptions> readOptions(llvm::StringRef Directory,
                                          llvm::StringRef ConfigFilePath,
                                          llvm::StringRef ExtraChecks) {
  ClangTidyOptions Defaults;
  Defaults.Checks = "forksafety-*";
  ClangTidyOptions Overrides;
  if (!ExtraChecks.empty())
    Overrides.Checks = ExtraChecks.str();
  // Providers look up the directory of a file; any name in it will do. A
  // directory that does not exist (an output not written yet) has the
  // configuration of its nearest existing parent.
  llvm::SmallString<256> FileInDirectory(Directory);
  while (!FileInDirectory.empty() &&
         !llvm::sys::fs::is_directory(FileInDirectory))
    llvm::sys::path::remove_filename(FileInDirectory);
  llvm::sys::path::append(FileInDirectory, "-");

  ConfigParser Parser;
  std::vector<clang::tidy::ClangTidyOptionsProvider::OptionsSource> Sources;
  if (ConfigFilePath.empty()) {
    ConfigFileProvider Provider(std::move(Defaults), std::move(Overrides),
                                Parser);
    Sources = Provider.getRawOptions(FileInDirectory);
  } else {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Text =
        llvm::MemoryBuffer::getFile(ConfigFilePath);
    if (!Text)
      return configError(ConfigFilePath,
                         "cannot read: " + Text.getError().message());
    llvm::ErrorOr<ClangTidyOptions> FromFile = Parser(**Text);
    if (llvm::Error E = Parser.takeError())
      return std::move(E);
    clang::tidy::ConfigOptionsProvider Provider(
        {}, std::move(Defaults), std::move(*FromFile), std::move(Overrides));
    Sources = Provider.getRawOptions(FileInDirectory);
  }
  if (llvm::Error E = Parser.takeError())
    return std::move(E);
  return mergeSources(Sources, ConfigFilePath);
}

/// Reads one check's options like clang-tidy's ClangTidyCheck::OptionsView:
/// a check's own option or a global one, whichever has the higher priority;
/// a value that does not parse is reported in clang-tidy's words and the
/// default stays.
class OptionReader {
public:
  OptionReader(const ClangTidyOptions::OptionMap &Options, CheckKind Kind,
               std::vector<std::string> &Warnings)
      : Options(Options), Prefix(std::string(checkName(Kind)) + "."),
        Warnings(Warnings) {}

  /// The option \p Name of this check alone.
  std::optional<std::pair<std::string, std::string>>
  local(llvm::StringRef Name) const {
    auto It = Options.find(Prefix + Name.str());
    if (It == Options.end())
      return std::nullopt;
    return std::make_pair(It->getKey().str(), It->getValue().Value);
  }

  /// The option \p Name of this check if set, else the global one: how
  /// clang-tidy reads booleans and integers.
  std::optional<std::pair<std::string, std::string>>
  localElseGlobal(llvm::StringRef Name) const {
    if (auto Local = local(Name))
      return Local;
    return localOrGlobal(Name);
  }

  /// The option \p Name of this check or, if set with a higher priority,
  /// the global one: how clang-tidy reads strings and enumerations.
  std::optional<std::pair<std::string, std::string>>
  localOrGlobal(llvm::StringRef Name) const {
    auto Local = Options.find(Prefix + Name.str());
    auto Global = Options.find(Name);
    if (Global == Options.end() ||
        (Local != Options.end() &&
         Local->getValue().Priority >= Global->getValue().Priority))
      return local(Name);
    return std::make_pair(Global->getKey().str(), Global->getValue().Value);
  }

  void readBool(std::optional<std::pair<std::string, std::string>> Option,
                bool &Out) {
    if (!Option)
      return;
    llvm::StringRef Value = Option->second;
    long long Number;
    if (std::optional<bool> Parsed = llvm::yaml::parseBool(Value))
      Out = *Parsed;
    else if (!Value.getAsInteger(10, Number))
      Out = Number != 0;
    else
      invalid(*Option, "; expected a bool");
  }

  void readUnsigned(std::optional<std::pair<std::string, std::string>> Option,
                    unsigned &Out) {
    unsigned Number;
    if (!Option)
      return;
    if (llvm::StringRef(Option->second).getAsInteger(10, Number))
      invalid(*Option, "; expected an integer");
    else
      Out = Number;
  }

  void readLibc(std::optional<std::pair<std::string, std::string>> Option,
                LibcProfile &Out);

private:
  void invalid(const std::pair<std::string, std::string> &Option,
               llvm::StringRef Expected) {
    std::string Text = "invalid configuration value '" + Option.second +
                       "' for option '" + Option.first + "'" + Expected.str() +
                       " [clang-tidy-config]";
    if (!llvm::is_contained(Warnings, Text))
      Warnings.push_back(std::move(Text));
  }

  const ClangTidyOptions::OptionMap &Options;
  std::string Prefix;
  std::vector<std::string> &Warnings;
};

void OptionReader::readLibc(
    std::optional<std::pair<std::string, std::string>> Option,
    LibcProfile &Out) {
  if (!Option)
    return;
  llvm::StringRef Value = Option->second;
  // As clang-tidy: exact names only, and a suggestion for a near miss.
  llvm::StringRef Closest;
  unsigned Distance = 3;
  for (const auto &[Profile, Name] : libcProfileNames()) {
    if (Value == Name) {
      Out = Profile;
      return;
    }
    unsigned D = Value.equals_insensitive(Name)
                     ? 0
                     : Value.edit_distance(Name, true, Distance);
    if (D < Distance) {
      Distance = D;
      Closest = Name;
    }
  }
  invalid(*Option,
          Closest.empty() ? "" : ("; did you mean '" + Closest + "'?").str());
}

AnalysisOptions checkOptions(const ClangTidyOptions::OptionMap &Options,
                             CheckKind Kind,
                             std::vector<std::string> &Warnings) {
  AnalysisOptions Result;
  OptionReader Reader(Options, Kind, Warnings);
  Reader.readBool(Reader.localElseGlobal("AssumeThreaded"),
                  Result.AssumeThreaded);
  if (auto Names = Reader.localOrGlobal("ThreadCreationFunctions"))
    Result.ThreadCreationFunctions = parseNameList(Names->second);
  if (auto Names = Reader.localOrGlobal("AsyncSignalSafeFunctions"))
    Result.AsyncSignalSafeFunctions = parseNameList(Names->second);
  Reader.readUnsigned(Reader.localElseGlobal("MaxCallDepth"),
                      Result.MaxCallDepth);
  Reader.readLibc(Reader.localOrGlobal("LibcProfile"), Result.Libc);
  if (Kind == CheckKind::UnsafeCallInChild)
    Reader.readBool(Reader.local("ReportExecpFunctions"),
                    Result.ReportExecpFunctions);
  return Result;
}

llvm::StringRef libcName(LibcProfile Libc) {
  for (const auto &[Profile, Name] : libcProfileNames())
    if (Profile == Libc)
      return Name;
  llvm_unreachable("unknown libc profile");
}

/// The options of \p Kind as its clang-tidy check stores them.
void storeCheckOptions(CheckKind Kind, const AnalysisOptions &Options,
                       ClangTidyOptions::OptionMap &Out) {
  std::string Prefix = std::string(checkName(Kind)) + ".";
  auto Store = [&](llvm::StringRef Name, llvm::StringRef Value) {
    Out[Prefix + Name.str()] = ClangTidyOptions::ClangTidyValue(Value);
  };
  Store("AssumeThreaded", Options.AssumeThreaded ? "true" : "false");
  Store("ThreadCreationFunctions",
        joinNameList(Options.ThreadCreationFunctions));
  Store("AsyncSignalSafeFunctions",
        joinNameList(Options.AsyncSignalSafeFunctions));
  Store("MaxCallDepth", std::to_string(Options.MaxCallDepth));
  Store("LibcProfile", libcName(Options.Libc));
  if (Kind == CheckKind::UnsafeCallInChild)
    Store("ReportExecpFunctions",
          Options.ReportExecpFunctions ? "true" : "false");
}

/// Checks that agree on every option share one analysis.
void groupChecks(std::vector<std::pair<CheckKind, AnalysisOptions>> &Enabled,
                 AuditConfig &Result) {
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
}

/// The glob list on one line, for a message.
std::string oneLine(llvm::StringRef Globs) {
  llvm::SmallVector<llvm::StringRef, 8> Words;
  llvm::SplitString(Globs, Words, " \t\r\n");
  return llvm::join(Words, " ");
}

} // namespace

llvm::Expected<AuditConfig>
loadConfigAllowingNone(llvm::StringRef Directory,
                       llvm::StringRef ConfigFilePath,
                       llvm::StringRef ExtraChecks) {
  llvm::Expected<MergedOptions> Merged =
      readOptions(Directory, ConfigFilePath, ExtraChecks);
  if (!Merged)
    return Merged.takeError();
  AuditConfig Result;
  Result.Origin = Merged->Origin;
  Result.Globs = Merged->Options.Checks.value_or("");
  // As clang-tidy dumps it: the options of the enabled checks, as read.
  ClangTidyOptions Effective = Merged->Options;
  Effective.CheckOptions.clear();

  std::vector<std::pair<CheckKind, AnalysisOptions>> Enabled;
  clang::tidy::GlobList Globs(Result.Globs);
  for (CheckKind Kind : AllChecks) {
    if (!Globs.contains(checkName(Kind)))
      continue;
    AnalysisOptions Options =
        checkOptions(Merged->Options.CheckOptions, Kind, Result.Warnings);
    storeCheckOptions(Kind, Options, Effective.CheckOptions);
    Enabled.emplace_back(Kind, std::move(Options));
  }
  groupChecks(Enabled, Result);
  Result.EffectiveText = clang::tidy::configurationAsText(Effective);
  if (Result.Groups.size() > 1 && recordingKey(Result.Groups[0].Options) !=
                                      recordingKey(Result.Groups[1].Options))
    return configError(Result.Origin,
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
                           oneLine(Config->Globs) + "')");
  return Config;
}

} // namespace forksafety
