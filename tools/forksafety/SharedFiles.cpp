//===- SharedFiles.cpp - Files read once for all translation units --------===//

#include "SharedFiles.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <memory>
#include <mutex>

namespace forksafety {

namespace {

/// What the run learnt of each absolute path.
class SharedStore {
public:
  static SharedStore &instance() {
    static SharedStore Store;
    return Store;
  }

  /// The status of \p Path, from \p Fetch the first time.
  llvm::ErrorOr<llvm::vfs::Status>
  status(llvm::StringRef Path,
         llvm::function_ref<llvm::ErrorOr<llvm::vfs::Status>()> Fetch) {
    {
      std::lock_guard<std::mutex> Lock(Mutex);
      if (auto It = Statuses.find(Path); It != Statuses.end())
        return It->second;
    }
    llvm::ErrorOr<llvm::vfs::Status> Status = Fetch();
    std::lock_guard<std::mutex> Lock(Mutex);
    return Statuses.try_emplace(Path, std::move(Status)).first->second;
  }

  /// The contents of \p Path, if kept.
  const llvm::MemoryBuffer *contents(llvm::StringRef Path) {
    std::lock_guard<std::mutex> Lock(Mutex);
    auto It = Contents.find(Path);
    return It == Contents.end() ? nullptr : It->second.get();
  }

  /// Keeps \p Buffer as the contents of \p Path, unless the bound is
  /// reached; the contents kept.
  const llvm::MemoryBuffer *keep(llvm::StringRef Path,
                                 std::unique_ptr<llvm::MemoryBuffer> Buffer) {
    std::lock_guard<std::mutex> Lock(Mutex);
    if (auto It = Contents.find(Path); It != Contents.end())
      return It->second.get();
    if (Kept + Buffer->getBufferSize() > MaxKept)
      return nullptr;
    Kept += Buffer->getBufferSize();
    return Contents.try_emplace(Path, std::move(Buffer)).first->second.get();
  }

private:
  /// A large C++ code base includes gigabytes of headers in all; the
  /// headers most units share come first.
  static constexpr size_t MaxKept = size_t(512) << 20;

  std::mutex Mutex;
  llvm::StringMap<llvm::ErrorOr<llvm::vfs::Status>> Statuses;
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> Contents;
  size_t Kept = 0;
};

/// An open file whose contents the store keeps.
class KeptFile : public llvm::vfs::File {
public:
  KeptFile(llvm::vfs::Status Status, const llvm::MemoryBuffer &Contents)
      : Status(std::move(Status)), Contents(Contents) {}
  llvm::ErrorOr<llvm::vfs::Status> status() override { return Status; }
  llvm::ErrorOr<std::string> getName() override {
    return Status.getName().str();
  }
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>>
  getBuffer(const llvm::Twine &Name, int64_t, bool RequiresNullTerminator,
            bool) override {
    return llvm::MemoryBuffer::getMemBuffer(Contents.getBuffer(), Name.str(),
                                            RequiresNullTerminator);
  }
  std::error_code close() override { return {}; }

private:
  llvm::vfs::Status Status;
  const llvm::MemoryBuffer &Contents;
};

class SharedFileSystem : public llvm::vfs::ProxyFileSystem {
public:
  using ProxyFileSystem::ProxyFileSystem;

  llvm::ErrorOr<llvm::vfs::Status> status(const llvm::Twine &Path) override {
    llvm::SmallString<256> Asked, Key;
    if (!keyOf(Path, Asked, Key))
      return ProxyFileSystem::status(Path);
    return statusOf(Asked, Key);
  }

  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>>
  openFileForRead(const llvm::Twine &Path) override {
    llvm::SmallString<256> Asked, Key;
    if (!keyOf(Path, Asked, Key))
      return ProxyFileSystem::openFileForRead(Path);
    SharedStore &Store = SharedStore::instance();
    llvm::ErrorOr<llvm::vfs::Status> Status = statusOf(Asked, Key);
    if (!Status || !Status->isRegularFile())
      return ProxyFileSystem::openFileForRead(Path);
    const llvm::MemoryBuffer *Contents = Store.contents(Key);
    if (!Contents) {
      llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>> File =
          ProxyFileSystem::openFileForRead(Key);
      if (!File)
        return File;
      llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Read =
          (*File)->getBuffer(Key, /*FileSize=*/-1,
                             /*RequiresNullTerminator=*/true,
                             /*IsVolatile=*/false);
      if (!Read)
        return Read.getError();
      Contents = Store.keep(Key, std::move(*Read));
      if (!Contents) // Past the bound: read as usual.
        return ProxyFileSystem::openFileForRead(Path);
    }
    return std::make_unique<KeptFile>(std::move(*Status), *Contents);
  }

private:
  /// The status of the file \p Key names, under the name \p Asked.
  llvm::ErrorOr<llvm::vfs::Status> statusOf(llvm::StringRef Asked,
                                            llvm::StringRef Key) {
    llvm::ErrorOr<llvm::vfs::Status> Status = SharedStore::instance().status(
        Key, [&] { return ProxyFileSystem::status(Key); });
    if (!Status)
      return Status;
    return llvm::vfs::Status::copyWithNewName(*Status, Asked);
  }

  /// \p Path as asked, and its absolute name without "." components (".."
  /// may follow a symbolic link, and stays); false when it has none.
  bool keyOf(const llvm::Twine &Path, llvm::SmallVectorImpl<char> &Asked,
             llvm::SmallVectorImpl<char> &Key) {
    Path.toVector(Asked);
    Key.assign(Asked.begin(), Asked.end());
    if (makeAbsolute(Key))
      return false;
    // Most names a compile asks for are written plainly already.
    llvm::StringRef Written(Key.data(), Key.size());
    if (Written.contains("/.") || Written.contains("//") ||
        Written.ends_with("/"))
      llvm::sys::path::remove_dots(Key, /*remove_dot_dot=*/false);
    return true;
  }
};

} // namespace

llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>
sharedFiles(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Inner) {
  return llvm::makeIntrusiveRefCnt<SharedFileSystem>(std::move(Inner));
}

} // namespace forksafety
