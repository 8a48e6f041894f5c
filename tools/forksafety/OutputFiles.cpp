//===- OutputFiles.cpp - Files written whole or not at all ----------------===//

#include "OutputFiles.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"

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

std::error_code writeAll(int FD, llvm::StringRef Contents) {
  llvm::raw_fd_ostream OS(FD, /*shouldClose=*/false);
  OS << Contents;
  return takeError(OS);
}

} // namespace

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
  std::string Target = replacedFile(Path);
  llvm::Expected<llvm::sys::fs::TempFile> Temporary =
      llvm::sys::fs::TempFile::create(Target + "-%%%%%%.tmp");
  if (!Temporary)
    return llvm::errorToErrorCode(Temporary.takeError());
  if (std::error_code EC = writeAll(Temporary->FD, Contents)) {
    llvm::consumeError(Temporary->discard());
    return EC;
  }
  return llvm::errorToErrorCode(Temporary->keep(Target));
}

} // namespace forksafety
