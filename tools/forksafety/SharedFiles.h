//===- SharedFiles.h - Files read once for all translation units -*- C++
//-*-===//
//
// The translation units of an audit include mostly the same headers, and
// each searches the same include directories for them. Parsed one by one,
// each would stat every candidate and read every header again; one
// clang process parsing them all keeps that in its file manager. The file
// system here keeps, for the whole run, what each path's status was and
// what each file held, shared by the threads that parse.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_TOOLS_SHAREDFILES_H
#define FORKSAFETY_TOOLS_SHAREDFILES_H

#include "llvm/Support/VirtualFileSystem.h"

namespace forksafety {

/// A file system over \p Inner (whose working directory is its own) that
/// takes statuses and contents from, and adds them to, the run's shared
/// store. Names are given back as asked. Contents are kept up to a bound;
/// past it, files are read as usual.
llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>
sharedFiles(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Inner);

} // namespace forksafety

#endif // FORKSAFETY_TOOLS_SHAREDFILES_H
