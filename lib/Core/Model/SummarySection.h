//===- SummarySection.h - Summaries carried in object files ----*- C++ -*-===//
//
// The compiler plugin puts the summary of each translation unit into a
// non-allocated section of its object file, so that the tools that move and
// cache objects (ccache, distcc, Bazel) move the summary with them and the
// linker gathers the summaries of a program into its output. Each summary is
// one self-delimiting frame: when the linker concatenates the sections of
// many objects, possibly padding between them, every frame stays readable.
//
//   "FSUMMARY"  8 bytes, the magic
//   u8          frame version (1)
//   u8          compression (0 none, 1 zlib, 2 zstd)
//   u16         zero
//   u32         stored size, little-endian
//   u32         uncompressed size, little-endian
//   bytes       the summary's JSON text, compressed
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_MODEL_SUMMARYSECTION_H
#define FORKSAFETY_CORE_MODEL_SUMMARYSECTION_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace forksafety {

/// The ELF section that holds the frames.
inline constexpr llvm::StringLiteral SummarySectionName = ".forksafety";

/// The frame of one summary, compressed when LLVM has a compressor.
std::string frameSummary(llvm::StringRef SummaryText);

/// The summaries framed in \p Section, the contents of one or more
/// concatenated sections; \p Origin names it in messages.
llvm::Expected<std::vector<std::string>>
unframeSummaries(llvm::StringRef Section, llvm::StringRef Origin);

/// File-scope assembly that appends \p Bytes to the section without
/// changing the current one.
std::string sectionAssembly(llvm::StringRef Bytes);

/// The bytes that the directives written by sectionAssembly append to the
/// section, found in the module-level assembly \p Assembly of a bitcode
/// object (-flto); empty when it holds none.
llvm::Expected<std::string> sectionBytesInAssembly(llvm::StringRef Assembly);

} // namespace forksafety

#endif // FORKSAFETY_CORE_MODEL_SUMMARYSECTION_H
