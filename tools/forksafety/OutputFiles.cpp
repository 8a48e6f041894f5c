//===- OutputFiles.cpp - Files written whole or not at all ----------------===//

#include "OutputFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Signals.h"

#include <atomic>
#include <csignal>
#include <ctime>

#include <pthread.h>

namespace forksafety {

namespace {

/// Flushes \p OS and takes its error, which would otherwise abort the
/// process when the stream is destroyed.
std::error_code takeError(llvm::raw_fd_ostream &OS) {
  OS.flush();
  std::error_code EC = OS.error();
  OS.clear_error();
  return EC;
}

std::error_code writeDirectly(llvm::StringRef Path, llvm::StringRef Contents) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (EC)
    return EC;
  OS << Contents;
  EC = takeError(OS);
  OS.close();
  if (std::error_code CloseEC = takeError(OS); !EC)
    EC = CloseEC;
  return EC;
}

/// The file that replacing \p Path replaces: renaming over a symbolic link
/// would cut the link.
std::string replacedFile(llvm::StringRef Path) {
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::exists(Path) && !llvm::sys::fs::real_path(Path, Real))
    return std::string(Real);
  return Path.str();
}

/// Writes \p Contents to the new file open as \p FD and closes it.
std::error_code writeNewFile(int FD, llvm::StringRef Contents) {
  llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
  OS << Contents;
  std::error_code EC = takeError(OS);
  OS.close();
  if (std::error_code CloseEC = takeError(OS); !EC)
    EC = CloseEC;
  return EC;
}

/// A signal that ends the run waits for the files being written, and none
/// is started after it: a temporary file is never left behind, even when
/// another thread was about to create one as the signal came.
std::atomic<int> FilesBeingWritten{0};
std::atomic<int> EndingSignal{0};
constexpr int EndingSignals[] = {SIGHUP, SIGINT, SIGTERM};

/// A file written with the ending signals blocked in this thread, so that
/// their handler never waits for the thread it interrupts.
class WritingFile {
public:
  WritingFile() {
    sigset_t Ending;
    sigemptyset(&Ending);
    for (int Signal : EndingSignals)
      sigaddset(&Ending, Signal);
    pthread_sigmask(SIG_BLOCK, &Ending, &Previous);
    FilesBeingWritten.fetch_add(1);
    if (EndingSignal.load() == 0)
      return;
    // The run is ending: what would be written now is not wanted, and the
    // handler is not to wait for it.
    FilesBeingWritten.fetch_sub(1);
    for (;;)
      pause();
  }
  ~WritingFile() {
    FilesBeingWritten.fetch_sub(1);
    pthread_sigmask(SIG_SETMASK, &Previous, nullptr);
  }
  WritingFile(const WritingFile &) = delete;
  WritingFile &operator=(const WritingFile &) = delete;

private:
  sigset_t Previous;
};

void endRun(int Signal) {
  EndingSignal.store(Signal);
  // Files being written are renamed whole or removed within moments; a
  // disk that hangs does not hold the run for more than ten seconds.
  struct timespec Millisecond = {0, 1000000};
  for (int Waited = 0; FilesBeingWritten.load() != 0 && Waited < 10000;
       ++Waited)
    nanosleep(&Millisecond, nullptr);
  llvm::sys::RunInterruptHandlers();
  // End as the signal ends a process, for the shell that sent it.
  std::signal(Signal, SIG_DFL);
  sigset_t This;
  sigemptyset(&This);
  sigaddset(&This, Signal);
  pthread_sigmask(SIG_UNBLOCK, &This, nullptr);
  std::raise(Signal);
}

/// Writes \p Contents to a new temporary file next to \p Target and renames
/// it over \p Target. Its name is registered for removal on a signal
/// before the file exists: llvm::sys::fs::TempFile creates the file first,
/// and a signal between the two left it behind.
std::error_code replaceWithTemporary(const std::string &Target,
                                     llvm::StringRef Contents) {
  WritingFile Writing;
  constexpr int Attempts = 16;
  for (int Attempt = 0; Attempt < Attempts; ++Attempt) {
    llvm::SmallString<256> Temporary;
    llvm::sys::fs::createUniquePath(Target + "-%%%%%%.tmp", Temporary,
                                    /*MakeAbsolute=*/false);
    llvm::sys::RemoveFileOnSignal(Temporary);
    int FD = -1;
    std::error_code EC = llvm::sys::fs::openFileForWrite(
        Temporary, FD, llvm::sys::fs::CD_CreateNew);
    if (EC == std::errc::file_exists) {
      // Another run's file: not ours to remove.
      llvm::sys::DontRemoveFileOnSignal(Temporary);
      continue;
    }
    if (!EC)
      EC = writeNewFile(FD, Contents);
    if (!EC)
      EC = llvm::sys::fs::rename(Temporary, Target);
    // The error reported is the write's, not the clean-up's.
    if (EC) {
      std::error_code NotRemoved = llvm::sys::fs::remove(Temporary);
      (void)NotRemoved;
    }
    llvm::sys::DontRemoveFileOnSignal(Temporary);
    return EC;
  }
  return std::make_error_code(std::errc::file_exists);
}

} // namespace

void endRunsWithoutPartialFiles() {
  struct sigaction Action = {};
  Action.sa_handler = endRun;
  sigemptyset(&Action.sa_mask);
  for (int Signal : EndingSignals)
    sigaddset(&Action.sa_mask, Signal);
  for (int Signal : EndingSignals) {
    struct sigaction Old;
    // A signal ignored when the run started (nohup) stays ignored.
    if (sigaction(Signal, nullptr, &Old) == 0 && Old.sa_handler == SIG_IGN)
      continue;
    sigaction(Signal, &Action, nullptr);
  }
}

std::error_code writeStandardOutput(llvm::StringRef Contents) {
  llvm::outs() << Contents;
  return takeError(llvm::outs());
}

std::error_code writeWholeFile(llvm::StringRef Path, llvm::StringRef Contents) {
  if (Path == "-")
    return writeStandardOutput(Contents);
  llvm::sys::fs::file_status Status;
  // A device or a pipe cannot be replaced; /dev/full must stay a device.
  if (!llvm::sys::fs::status(Path, Status) &&
      !llvm::sys::fs::is_regular_file(Status))
    return writeDirectly(Path, Contents);
  return replaceWithTemporary(replacedFile(Path), Contents);
}

} // namespace forksafety
