//===- PluginLoader.cpp - Version-checked entry point of the plugin -------===//
//
// libForkSafetyTidyModule.so is what users pass to clang-tidy --load, and
// ForkSafetyClangPlugin.so what they pass to clang -fplugin=; both are built
// from this file. It depends on no LLVM library, so it loads into any host;
// it checks the host's major version and only then loads the code, which was
// built against one LLVM version and would crash or fail to resolve in
// another. A compiler that cannot run the plugin it was given stops: a build
// that silently skipped the analysis would look clean.
//
//===----------------------------------------------------------------------===//

#include "ImplementationDigest.h"
#include "PluginVersion.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace {

/// The digest of the implementation this loader was built with: a new
/// implementation makes a new loader file, which compiler caches notice.
[[gnu::used]] const char ImplementationDigest[] =
    "forksafety implementation " FORKSAFETY_IMPLEMENTATION_DIGEST;

/// clang::getClangFullVersion(), as exported by the clang-tidy binary or
/// its libclang-cpp.
const char *const ClangFullVersionSymbol =
    "_ZN5clang19getClangFullVersionB5cxx11Ev";

int hostClangMajorVersion() {
  using VersionFunction = std::string (*)();
  void *Symbol = dlsym(RTLD_DEFAULT, ClangFullVersionSymbol);
  if (!Symbol)
    return -1;
  return forksafety::parseClangMajorVersion(
      reinterpret_cast<VersionFunction>(Symbol)());
}

std::string directoryOfThisLibrary() {
  Dl_info Info;
  if (!dladdr(reinterpret_cast<void *>(&hostClangMajorVersion), &Info) ||
      !Info.dli_fname)
    return ".";
  std::string Path = Info.dli_fname;
  std::string::size_type Slash = Path.rfind('/');
  return Slash == std::string::npos ? "." : Path.substr(0, Slash);
}

void giveUp() {
  if (FORKSAFETY_LOAD_FAILURE_IS_FATAL)
    _exit(1);
}

void loadChecks() {
  int Host = hostClangMajorVersion();
  if (Host != FORKSAFETY_LLVM_MAJOR) {
    std::string HostText =
        Host < 0 ? "an unknown version" : std::to_string(Host);
    std::fprintf(stderr,
                 "error: " FORKSAFETY_LOADER_NAME
                 " was built for " FORKSAFETY_HOST_NAME
                 " %d but is loaded into " FORKSAFETY_HOST_NAME
                 " %s; the forksafety checks are not "
                 "loaded (build forksafety with -DLLVM_VERSION=%s)\n",
                 FORKSAFETY_LLVM_MAJOR, HostText.c_str(),
                 Host < 0 ? "N" : HostText.c_str());
    giveUp();
    return;
  }
  std::string Checks =
      directoryOfThisLibrary() + "/" + forksafety::ImplementationRelativePath;
  if (!dlopen(Checks.c_str(), RTLD_NOW | RTLD_LOCAL)) {
    std::fprintf(stderr, "error: cannot load the forksafety checks: %s\n",
                 dlerror());
    giveUp();
  }
}

struct LoadAtStartup {
  LoadAtStartup() { loadChecks(); }
} Loader;

} // namespace
