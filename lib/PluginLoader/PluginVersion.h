//===- PluginVersion.h - Version checks of the plugin loader ---*- C++ -*-===//

#ifndef FORKSAFETY_PLUGINLOADER_PLUGINVERSION_H
#define FORKSAFETY_PLUGINLOADER_PLUGINVERSION_H

#include <cctype>
#include <string>

namespace forksafety {

/// Where the code the loader loads lives, relative to the directory of the
/// loader: the clang-tidy checks, or the compiler plugin.
inline const char *const ImplementationRelativePath =
    "forksafety/" FORKSAFETY_IMPLEMENTATION_NAME "-llvm"
    FORKSAFETY_LLVM_MAJOR_STRING ".so";

/// The major version in a clang version string such as
/// "Debian clang version 19.1.7 (3~deb12u1)", or -1.
inline int parseClangMajorVersion(const std::string &Full) {
  std::string::size_type At = Full.find("version ");
  if (At == std::string::npos)
    return -1;
  At += 8;
  int Major = 0;
  bool Digits = false;
  while (At < Full.size() &&
         std::isdigit(static_cast<unsigned char>(Full[At]))) {
    Major = Major * 10 + (Full[At++] - '0');
    Digits = true;
  }
  return Digits ? Major : -1;
}

} // namespace forksafety

#endif // FORKSAFETY_PLUGINLOADER_PLUGINVERSION_H
