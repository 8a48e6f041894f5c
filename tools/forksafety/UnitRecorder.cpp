//===- UnitRecorder.cpp - Phase 1: one translation unit's summary ---------===//

#include "UnitRecorder.h"

#include "CacheEntry.h"
#include "OutputFiles.h"
#include "SharedFiles.h"

#include "Core/Analyzer.h"
#include "Core/Functions/LibraryModel.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MD5.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/xxhash.h"

#include <ctime>
#ifdef __linux__
#include <elf.h>
#include <link.h>
#endif
#include <mutex>

#ifndef FORKSAFETY_CLANG_RESOURCE_DIR
#error "FORKSAFETY_CLANG_RESOURCE_DIR must name clang's resource directory"
#endif
#ifndef FORKSAFETY_VERSION
#error "FORKSAFETY_VERSION must be defined"
#endif

namespace forksafety {

using namespace clang;

namespace {

/// The second this run began, before it read any file. Times are whole
/// seconds: a file modified in that second or later may be edited again in
/// the same second after the run read it, keeping its size and its time.
const time_t RunStarted = std::time(nullptr);

/// The time of a description for a file modified no earlier than the run
/// began: it never matches, and the contents decide.
constexpr llvm::StringLiteral UntrustedTime = "-";

/// "size:mtime:hash" of a file of \p Size bytes modified at \p Time whose
/// contents are \p Text. The hash tells edits apart when the time cannot
/// (it changed but the size did not, or it is UntrustedTime): xxh3, which
/// headers cost nothing to hash with, rather than a cryptographic digest.
std::string describeContents(uint64_t Size, time_t Time, llvm::StringRef Text) {
  return std::to_string(Size) + ":" +
         (Time < RunStarted ? std::to_string(Time) : UntrustedTime.str()) +
         ":" + llvm::utohexstr(llvm::xxh3_64bits(Text), /*LowerCase=*/true);
}

/// The description of the file \p Path on disk, or empty when it cannot be
/// read.
std::string readDescription(llvm::StringRef Path) {
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(Path, Status))
    return "";
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Text =
      llvm::MemoryBuffer::getFile(Path);
  if (!Text)
    return "";
  return describeContents(Status.getSize(),
                          llvm::sys::toTimeT(Status.getLastModificationTime()),
                          (*Text)->getBuffer());
}

/// Whether \p Path still has the contents described by \p Description. The
/// size and time settle it cheaply; when the time alone changed, or was not
/// trusted, the contents decide.
bool unchangedOnDisk(llvm::StringRef Path, llvm::StringRef Description) {
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(Path, Status))
    return false;
  auto [Size, Rest] = Description.split(':');
  auto [Time, Digest] = Rest.split(':');
  if (Size != std::to_string(Status.getSize()))
    return false;
  if (Time ==
      std::to_string(llvm::sys::toTimeT(Status.getLastModificationTime())))
    return true;
  std::string Now = readDescription(Path);
  return llvm::StringRef(Now).rsplit(':').second == Digest;
}

/// The translation units of a run share most of their headers: each file
/// is described, and each description checked, once per run.
class FileDescriptions {
public:
  static FileDescriptions &instance() {
    static FileDescriptions Descriptions;
    return Descriptions;
  }
  /// \p Parsed, when given, describes what the parse read of \p Path.
  std::string describe(llvm::StringRef Path,
                       llvm::function_ref<std::string()> Parsed) {
    {
      std::lock_guard<std::mutex> Lock(Mutex);
      if (auto It = Described.find(Path); It != Described.end())
        return It->second;
    }
    std::string Description = Parsed ? Parsed() : readDescription(Path);
    std::lock_guard<std::mutex> Lock(Mutex);
    return Described.try_emplace(Path, std::move(Description)).first->second;
  }
  bool unchanged(llvm::StringRef Path, llvm::StringRef Description) {
    {
      std::lock_guard<std::mutex> Lock(Mutex);
      if (auto It = Checked.find(Path);
          It != Checked.end() && It->second.first == Description)
        return It->second.second;
    }
    bool Unchanged = unchangedOnDisk(Path, Description);
    std::lock_guard<std::mutex> Lock(Mutex);
    // Entries recorded at other times may describe a file otherwise: the
    // first description checked is kept, the others checked each time.
    Checked.try_emplace(Path, Description.str(), Unchanged);
    return Unchanged;
  }
  bool stillAbsent(llvm::StringRef Path) {
    {
      std::lock_guard<std::mutex> Lock(Mutex);
      if (auto It = CheckedAbsent.find(Path); It != CheckedAbsent.end())
        return It->second;
    }
    bool Absent = !llvm::sys::fs::exists(Path);
    std::lock_guard<std::mutex> Lock(Mutex);
    return CheckedAbsent.try_emplace(Path, Absent).first->second;
  }

private:
  std::mutex Mutex;
  llvm::StringMap<std::string> Described;
  /// By file: the description checked, and whether it held.
  llvm::StringMap<std::pair<std::string, bool>> Checked;
  llvm::StringMap<bool> CheckedAbsent;
};

std::string describeFile(llvm::StringRef Path,
                         llvm::function_ref<std::string()> Parsed = nullptr) {
  return FileDescriptions::instance().describe(Path, Parsed);
}

bool unchanged(llvm::StringRef Path, llvm::StringRef Description) {
  return FileDescriptions::instance().unchanged(Path, Description);
}

bool stillAbsent(llvm::StringRef Path) {
  return FileDescriptions::instance().stillAbsent(Path);
}

#if FORKSAFETY_LLVM_MAJOR >= 18
llvm::StringRef pathOf(FileEntryRef File) { return File.getName(); }
uint64_t sizeOf(FileEntryRef File) { return File.getSize(); }
time_t timeOf(FileEntryRef File) { return File.getModificationTime(); }
#else
llvm::StringRef pathOf(const FileEntry *File) { return File->getName(); }
uint64_t sizeOf(const FileEntry *File) { return File->getSize(); }
time_t timeOf(const FileEntry *File) { return File->getModificationTime(); }
#endif

/// \p In named \p Name, which clang's FileManager then uses instead of the
/// name it asked for.
llvm::vfs::Status renamed(const llvm::vfs::Status &In, llvm::StringRef Name) {
  llvm::vfs::Status Out = llvm::vfs::Status::copyWithNewName(In, Name);
  Out.ExposesExternalVFSPath = true;
  return Out;
}

/// An open file that gives its name as \p Name.
class RenamedFile : public llvm::vfs::File {
public:
  RenamedFile(std::unique_ptr<llvm::vfs::File> Inner, std::string Name)
      : Inner(std::move(Inner)), Name(std::move(Name)) {}
  llvm::ErrorOr<llvm::vfs::Status> status() override {
    llvm::ErrorOr<llvm::vfs::Status> Status = Inner->status();
    return Status ? renamed(*Status, Name) : Status;
  }
  llvm::ErrorOr<std::string> getName() override { return Name; }
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>
  getBuffer(const llvm::Twine &Path, int64_t FileSize,
            bool RequiresNullTerminator, bool IsVolatile) override {
    return Inner->getBuffer(Path, FileSize, RequiresNullTerminator, IsVolatile);
  }
  std::error_code close() override { return Inner->close(); }

private:
  std::unique_ptr<llvm::vfs::File> Inner;
  std::string Name;
};

/// A file system that gives files named relative to the working directory
/// (the compile command's) their absolute names. Locations in summaries,
/// reports and compiler errors then name "src/aof.c" or "-Iinclude"
/// headers so that they can be found from any directory.
///
/// It also keeps the names the parse looked for and did not find: a header
/// searched for in one include directory before the one that holds it. A
/// file created under such a name later changes what the parse reads.
class AbsoluteNames : public llvm::vfs::ProxyFileSystem {
public:
  using ProxyFileSystem::ProxyFileSystem;

  llvm::ErrorOr<llvm::vfs::Status> status(const llvm::Twine &Path) override {
    llvm::ErrorOr<llvm::vfs::Status> Status = ProxyFileSystem::status(Path);
    if (!Status)
      noteMissing(Path, Status.getError());
    std::optional<std::string> Name = absoluteName(Path);
    return Status && Name ? renamed(*Status, *Name) : Status;
  }

  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>>
  openFileForRead(const llvm::Twine &Path) override {
    llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>> File =
        ProxyFileSystem::openFileForRead(Path);
    if (!File)
      noteMissing(Path, File.getError());
    std::optional<std::string> Name = absoluteName(Path);
    if (!File || !Name)
      return File;
    return std::make_unique<RenamedFile>(std::move(*File), std::move(*Name));
  }

  /// The absolute names looked for and not found, in no order.
  const llvm::StringSet<> &missing() const { return Missing; }

private:
  /// Keeps \p Path if \p Error says it does not exist. A file that exists
  /// but cannot be read is not missing: the check that it still is would
  /// fail at every run.
  void noteMissing(const llvm::Twine &Path, std::error_code Error) {
    if (Error != std::errc::no_such_file_or_directory &&
        Error != std::errc::not_a_directory)
      return;
    llvm::SmallString<256> Name;
    Path.toVector(Name);
    if (!llvm::sys::path::is_absolute(Name) && makeAbsolute(Name))
      return;
    llvm::sys::path::remove_dots(Name, /*remove_dot_dot=*/true);
    Missing.insert(Name);
  }

  llvm::StringSet<> Missing;

  /// The absolute name of a relative \p Path; none for an absolute one.
  std::optional<std::string> absoluteName(const llvm::Twine &Path) {
    llvm::SmallString<256> Name;
    Path.toVector(Name);
    if (llvm::sys::path::is_absolute(Name) || makeAbsolute(Name))
      return std::nullopt;
    llvm::sys::path::remove_dots(Name, /*remove_dot_dot=*/true);
    return std::string(Name);
  }
};

/// The options of a recording, for cache keys and summaries.
std::string recordingKeyOf(const AnalysisOptions &Opts,
                           const std::vector<WrapperModel> &ExternalWrappers) {
  std::string Key = recordingKey(Opts);
  for (const WrapperModel &Wrapper : ExternalWrappers)
    Key += "|wrapper=" + Wrapper.Usr;
  return Key;
}

/// What to record a translation unit with, and where.
struct Recording {
  const AnalysisOptions &Opts;
  const std::vector<WrapperModel> &ExternalWrappers;
  UnitSummary &Summary;
  /// The names the parse looked for and did not find, once it ran.
  const llvm::StringSet<> *Missing = nullptr;
};

class RecordingConsumer : public ASTConsumer {
public:
  RecordingConsumer(Recording R, const HeaderSearch &Headers)
      : R(R), Headers(Headers) {}
  bool shouldSkipFunctionBody(Decl *D) override {
    return !analysisReadsBody(*D);
  }
  void HandleTranslationUnit(ASTContext &Ctx) override {
    R.Summary.Model =
        recordTranslationUnit(Ctx, &Headers, R.Opts, R.ExternalWrappers);
    const SourceManager &SM = Ctx.getSourceManager();
    // Relative names are relative to the command's directory, which is the
    // working directory of this tool's file system, not the process's.
    llvm::vfs::FileSystem &FS = SM.getFileManager().getVirtualFileSystem();
    std::vector<std::pair<std::string, std::string>> &Inputs = R.Summary.Inputs;
    Inputs.clear();
    for (auto It = SM.fileinfo_begin(), E = SM.fileinfo_end(); It != E; ++It) {
      llvm::SmallString<256> Path(pathOf(It->first));
      // A name that cannot be made absolute stays relative: checking it
      // later fails, which parses the unit again rather than reusing it.
      std::error_code Unresolved = FS.makeAbsolute(Path);
      (void)Unresolved;
      llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
      // What the parse read, as it was when the parse stat'ed it: a file
      // edited since is not taken for the one summarised.
      std::optional<llvm::StringRef> Text = It->second->getBufferDataIfLoaded();
      auto Parsed = [&] {
        return describeContents(sizeOf(It->first), timeOf(It->first), *Text);
      };
      Inputs.emplace_back(std::string(Path), Text ? describeFile(Path, Parsed)
                                                  : describeFile(Path));
    }
    llvm::sort(Inputs);
    Inputs.erase(std::unique(Inputs.begin(), Inputs.end(),
                             [](const auto &A, const auto &B) {
                               return A.first == B.first;
                             }),
                 Inputs.end());
    recordAbsent(Inputs);
  }

private:
  /// The names the parse did not find, but those it read after all (a
  /// file created during the parse: its contents describe it).
  void
  recordAbsent(const std::vector<std::pair<std::string, std::string>> &Inputs) {
    std::vector<std::string> &Absent = R.Summary.Absent;
    Absent.clear();
    if (!R.Missing)
      return;
    for (const auto &Missing : *R.Missing) {
      std::string Name = Missing.getKey().str();
      auto Read = llvm::lower_bound(
          Inputs, Name, [](const auto &Input, const std::string &Name) {
            return Input.first < Name;
          });
      if (Read == Inputs.end() || Read->first != Name)
        Absent.push_back(std::move(Name));
    }
    llvm::sort(Absent);
  }

  Recording R;
  const HeaderSearch &Headers;
};

class RecordingAction : public ASTFrontendAction {
public:
  explicit RecordingAction(Recording R) : R(R) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    CI.getFrontendOpts().SkipFunctionBodies = true;
    return std::make_unique<RecordingConsumer>(
        R, CI.getPreprocessor().getHeaderSearchInfo());
  }

private:
  Recording R;
};

class RecordingActionFactory : public tooling::FrontendActionFactory {
public:
  explicit RecordingActionFactory(Recording R) : R(R) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<RecordingAction>(R);
  }

private:
  Recording R;
};

/// A compilation database holding one command.
class SingleCommand : public tooling::CompilationDatabase {
public:
  explicit SingleCommand(tooling::CompileCommand Command)
      : Command(std::move(Command)) {}
  std::vector<tooling::CompileCommand>
  getCompileCommands(llvm::StringRef) const override {
    return {Command};
  }

private:
  tooling::CompileCommand Command;
};

/// \p File as named from \p Directory.
std::string absoluteIn(llvm::StringRef Directory, llvm::StringRef File) {
  llvm::SmallString<256> Path(File);
  if (!llvm::sys::path::is_absolute(File)) {
    Path = Directory;
    llvm::sys::path::append(Path, File);
  }
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return std::string(Path);
}

/// \p Command with an absolute directory ("." with compiler flags after
/// --): its relative file names then mean the same from any working
/// directory, and so does its cache key.
tooling::CompileCommand resolved(const tooling::CompileCommand &Command) {
  tooling::CompileCommand Resolved = Command;
  llvm::SmallString<256> Current;
  if (llvm::sys::path::is_relative(Command.Directory) &&
      !llvm::sys::fs::current_path(Current))
    Resolved.Directory = absoluteIn(Current, Command.Directory);
  return Resolved;
}

/// The files the parses of one thread share while they are compiled in
/// one directory, as one clang process shares them between its inputs:
/// the file manager remembers every name the search for headers tried,
/// found or not, and the next unit asks none of them again.
///
/// Translation units are parsed on several threads: each thread has a
/// file system with a working directory of its own, not the process's.
/// Names relative to the directory mean other files in another, hence a
/// new manager when it changes.
struct ThreadFiles {
  std::string Directory;
  llvm::IntrusiveRefCntPtr<AbsoluteNames> Names;
  llvm::IntrusiveRefCntPtr<FileManager> Manager;

  static ThreadFiles &in(llvm::StringRef Directory) {
    thread_local ThreadFiles Files;
    if (!Files.Manager || Files.Directory != Directory) {
      Files.Directory = Directory.str();
      Files.Names = llvm::makeIntrusiveRefCnt<AbsoluteNames>(
          sharedFiles(llvm::vfs::createPhysicalFileSystem()));
      Files.Manager = llvm::makeIntrusiveRefCnt<FileManager>(
          FileSystemOptions(), Files.Names);
    }
    return Files;
  }
};

/// Parses the translation unit of \p Command and records it into
/// \p R.Summary; whether it compiled. Compiler errors go to \p Errors.
bool parseUnit(const tooling::CompileCommand &Command, Recording R,
               std::string &Errors) {
  SingleCommand Database(Command);
  ThreadFiles &Files = ThreadFiles::in(Command.Directory);
  // A name an earlier unit did not find is not looked for again, and is
  // among those this one did not find: a unit may list names it never
  // looked for, which costs a check of each when the cache is read, but
  // never misses one it looked for.
  R.Missing = &Files.Names->missing();
  tooling::ClangTool Tool(Database, {Command.Filename},
                          std::make_shared<PCHContainerOperations>(),
                          Files.Names, Files.Manager);
  // Warnings are not ours to report; errors are.
  Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
      {"-w", "-resource-dir=" FORKSAFETY_CLANG_RESOURCE_DIR},
      tooling::ArgumentInsertPosition::END));
  llvm::raw_string_ostream ErrorStream(Errors);
#if FORKSAFETY_LLVM_MAJOR >= 21
  DiagnosticOptions DiagOpts;
  TextDiagnosticPrinter Printer(ErrorStream, DiagOpts);
#else
  auto DiagOpts = llvm::makeIntrusiveRefCnt<DiagnosticOptions>();
  TextDiagnosticPrinter Printer(ErrorStream, &*DiagOpts);
#endif
  Tool.setDiagnosticConsumer(&Printer);
  RecordingActionFactory Factory(R);
  int Status = Tool.run(&Factory);
  ErrorStream.flush();
  return Status == 0 && Printer.getNumErrors() == 0;
}

} // namespace

llvm::Error SummaryStore::prepare() {
  std::error_code EC = llvm::sys::fs::create_directories(Directory);
  // An existing file of that name passes for a directory that exists.
  if (!EC && !llvm::sys::fs::is_directory(Directory))
    EC = std::make_error_code(std::errc::not_a_directory);
  if (!EC)
    EC = llvm::sys::fs::access(Directory, llvm::sys::fs::AccessMode::Write);
  if (!EC)
    return llvm::Error::success();
  Failed = true;
  return llvm::createStringError(EC, "cannot use the cache directory '%s': %s",
                                 Directory.c_str(), EC.message().c_str());
}

namespace {

#ifdef __linux__
/// The GNU build ID of the executable running: the linker's hash of its
/// contents, so that a rebuilt tool with other code does not reuse what the
/// one before it recorded, while a build of the same code does. Empty when
/// the executable has none.
std::string readBuildId() {
  std::string Id;
  dl_iterate_phdr(
      [](dl_phdr_info *Info, size_t, void *Out) -> int {
        // The first object is the executable.
        for (unsigned I = 0; I < Info->dlpi_phnum; ++I) {
          const ElfW(Phdr) &Header = Info->dlpi_phdr[I];
          if (Header.p_type != PT_NOTE)
            continue;
          // The loader gives where the object is loaded as an integer.
          // NOLINTBEGIN(performance-no-int-to-ptr)
          const char *Note =
              reinterpret_cast<const char *>(Info->dlpi_addr + Header.p_vaddr);
          // NOLINTEND(performance-no-int-to-ptr)
          const char *End = Note + Header.p_memsz;
          while (Note + sizeof(ElfW(Nhdr)) <= End) {
            const auto *Entry = reinterpret_cast<const ElfW(Nhdr) *>(Note);
            const char *Name = Note + sizeof(ElfW(Nhdr));
            const char *Desc = Name + llvm::alignTo(Entry->n_namesz, 4);
            if (Entry->n_type == NT_GNU_BUILD_ID && Entry->n_namesz == 4 &&
                llvm::StringRef(Name, 3) == "GNU" &&
                Desc + Entry->n_descsz <= End) {
              *static_cast<std::string *>(Out) = llvm::toHex(
                  llvm::StringRef(Desc, Entry->n_descsz), /*LowerCase=*/true);
              return 1;
            }
            Note = Desc + llvm::alignTo(Entry->n_descsz, 4);
          }
        }
        return 1;
      },
      &Id);
  return Id;
}
#else
std::string readBuildId() { return ""; }
#endif

/// The environment variables that change where clang's driver looks for
/// headers, with their values, for cache keys.
std::string includeEnvironment() {
  std::string Values;
  for (const char *Name :
       {"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH",
        "OBJCPLUS_INCLUDE_PATH", "CCC_OVERRIDE_OPTIONS"})
    if (std::optional<std::string> Value = llvm::sys::Process::GetEnv(Name))
      Values += std::string(Name) + "=" + *Value + '\0';
  return Values;
}

} // namespace

std::string SummaryStore::keyFor(const tooling::CompileCommand &Command,
                                 llvm::StringRef OptionsKey) const {
  static const std::string BuildId = readBuildId();
  static const std::string Environment = includeEnvironment();
  llvm::MD5 Hash;
  auto Add = [&](llvm::StringRef S) {
    Hash.update(S);
    Hash.update(llvm::ArrayRef<uint8_t>{0});
  };
  Add(FORKSAFETY_VERSION);
  Add(BuildId);
  Add(Environment);
  // Entries of an earlier format, such as those that name files relative
  // to a directory a report cannot know or that do not list the names the
  // parse did not find, are keyed apart.
  Add(std::to_string(SummaryFormatVersion));
  Add(CacheEntryTag);
  Add(OptionsKey);
  Add(Command.Directory);
  Add(Command.Filename);
  for (const std::string &Arg : Command.CommandLine)
    Add(Arg);
  llvm::MD5::MD5Result Digest;
  Hash.final(Digest);
  return Digest.digest().str().str();
}

std::string SummaryStore::pathFor(llvm::StringRef Key) const {
  llvm::SmallString<256> Path(Directory);
  llvm::sys::path::append(Path, Key + ".entry");
  return std::string(Path);
}

std::optional<UnitSummary> SummaryStore::lookup(llvm::StringRef Key,
                                                std::string &Warning) const {
  if (!enabled())
    return std::nullopt;
  // Read, not mapped: the graphs the summary leaves unread keep it until
  // the audit ends, and thousands of mappings could reach the system's
  // limit on them.
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Read =
      llvm::MemoryBuffer::getFile(pathFor(Key), /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false,
                                  /*IsVolatile=*/true);
  if (!Read)
    return std::nullopt;
  std::shared_ptr<const llvm::MemoryBuffer> Text = std::move(*Read);
  auto Corrupt = [&](llvm::Error E) -> std::optional<UnitSummary> {
    Warning = "warning: ignoring a corrupt cache entry: " +
              llvm::toString(std::move(E));
    return std::nullopt;
  };
  llvm::Expected<CacheEntryParts> Entry =
      splitCacheEntry(Text->getBuffer(), pathFor(Key));
  if (!Entry)
    return Corrupt(Entry.takeError());
  for (const auto &[File, Description] : Entry->Inputs)
    if (!unchanged(File, Description))
      return std::nullopt;
  for (llvm::StringRef Name : Entry->Absent)
    if (!stillAbsent(Name))
      return std::nullopt;
  llvm::Expected<UnitSummary> Summary =
      readUnitSummary(Entry->Summary, pathFor(Key), Text);
  if (!Summary)
    return Corrupt(Summary.takeError());
  return std::move(*Summary);
}

void SummaryStore::store(llvm::StringRef Key, const UnitSummary &Summary) {
  if (!enabled())
    return;
  // Written aside and renamed, so that parallel and interrupted runs never
  // leave half an entry.
  std::error_code EC = writeWholeFile(pathFor(Key), writeCacheEntry(Summary));
  if (!EC)
    return;
  std::lock_guard<std::mutex> Lock(FailureMutex);
  if (Failed.exchange(true))
    return;
  Failure = "cannot write to the cache directory '" + Directory +
            "': " + EC.message();
}

std::optional<std::string> SummaryStore::failure() const {
  std::lock_guard<std::mutex> Lock(FailureMutex);
  if (Failure.empty())
    return std::nullopt;
  return Failure;
}

UnitResult recordUnit(const tooling::CompileCommand &Given,
                      const AnalysisOptions &Opts,
                      const std::vector<WrapperModel> &ExternalWrappers,
                      SummaryStore &Store) {
  tooling::CompileCommand Command = resolved(Given);
  UnitResult Result;
  Result.Source = absoluteIn(Command.Directory, Command.Filename);
  std::string OptionsKey = recordingKeyOf(Opts, ExternalWrappers);
  std::string Key = Store.keyFor(Command, OptionsKey);
  std::string Warning;
  if (std::optional<UnitSummary> Cached = Store.lookup(Key, Warning)) {
    Result.Summary = std::move(Cached);
    Result.FromCache = true;
    return Result;
  }

  UnitSummary Summary;
  Summary.Source = Result.Source;
  Summary.Directory = Command.Directory;
  Summary.OptionsKey = OptionsKey;
  std::string Errors;
  bool Parsed =
      parseUnit(Command, Recording{Opts, ExternalWrappers, Summary}, Errors);
  Result.Errors = Warning.empty() ? Errors : Warning + "\n" + Errors;
  if (!Parsed) {
    if (Result.Errors.empty())
      Result.Errors = "error: " + Result.Source + " could not be parsed\n";
    return Result;
  }
  Store.store(Key, Summary);
  Result.Summary = std::move(Summary);
  return Result;
}

} // namespace forksafety
