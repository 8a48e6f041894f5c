//===- LibraryModel.h - C++ library members that are safe in a child ------===//

#ifndef FORKSAFETY_CORE_FUNCTIONS_LIBRARYMODEL_H
#define FORKSAFETY_CORE_FUNCTIONS_LIBRARYMODEL_H

#include <memory>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Decl;
class FunctionDecl;
class HeaderSearch;
class NamedDecl;
class SourceManager;
} // namespace clang

namespace forksafety {

/// True for a function the C library could provide: a plain C-linkage
/// name, or one the C++ library re-exports into std.
bool hasCLibraryName(const clang::FunctionDecl &FD);

/// Whether \p FD is named as the C library's small inline helpers are
/// (__bswap_16, __uint16_identity): the only functions of system headers
/// whose bodies the analysis follows calls into.
bool isLibraryHelperName(const clang::FunctionDecl &FD);

/// Whether the analysis may read the body of \p D, a function being
/// parsed: it reads none of a system header's but the library's helpers,
/// so a parse for the analysis alone may skip the others.
bool analysisReadsBody(const clang::Decl &D);

/// True if \p D is declared in a system header. A function is the
/// library's when any of its declarations is in one, unless the program
/// defines it: programs redeclare library functions in their own headers
/// (a portability header declaring `getpagesize`, stunnel's declaring an
/// OpenSSL function). Within a LibraryHeaders scope, the headers under the
/// compiler's system directories count as system headers too.
bool isInSystemHeader(const clang::Decl &D, const clang::SourceManager &SM);

/// True if \p D itself is written in a system header (or, within a
/// LibraryHeaders scope, under the compiler's system directories), whatever
/// its other declarations: whose function a call reaches is
/// isInSystemHeader's question.
bool isWrittenInSystemHeader(const clang::Decl &D,
                             const clang::SourceManager &SM);

/// True if the walks over the program's code skip \p D with all it holds:
/// a declaration at file scope written in a system header. What a
/// declaration holds is written where it is, so only file-scope
/// declarations are asked (asking each parameter and local costs as much
/// as the rest of a walk).
bool isLibraryCodeToSkip(const clang::Decl &D, const clang::SourceManager &SM);

/// True if \p D can hold no code the walks look for: a function declared
/// without a body or default arguments, or a C struct or union. A header
/// of the program declares thousands of them, and each walk went through
/// their parameters and fields.
bool holdsNoCode(const clang::Decl &D);

/// True if a walk of the program's code may leave \p D out: it holds no
/// code, or is a library's (holdsNoCode, then isLibraryCodeToSkip, which
/// costs a look-up of its file).
bool holdsNoProgramCode(const clang::Decl &D, const clang::SourceManager &SM);

/// Makes the headers under the directories the compiler searches for system
/// headers count as system headers, for the translation unit of \p SM, on
/// this thread, while it lives. The compiler calls a header a user's when a
/// -I flag finds it, as pkg-config's -I/usr/include/libfastjson finds
/// <json.h>; what such a header declares is still a library's, which the
/// program does not define. A scope opened within one of the same unit
/// shares its answers.
class LibraryHeaders {
public:
  LibraryHeaders(const clang::SourceManager &SM, const clang::HeaderSearch &HS);
  ~LibraryHeaders();
  LibraryHeaders(const LibraryHeaders &) = delete;
  LibraryHeaders &operator=(const LibraryHeaders &) = delete;

  struct Files;

private:
  std::unique_ptr<Files> Known;
  Files *Outer;
};

/// The qualified name of \p D without inline namespaces (std::__cxx11::
/// becomes std::) and without template arguments: "std::basic_string::c_str".
std::string stableQualifiedName(const clang::NamedDecl &D);

/// True for C++ standard library functions that take no lock and allocate
/// nothing: std::string::c_str, std::array access, std::move, lock-free
/// std::atomic operations and the like.
bool isSignalSafeLibraryMember(const clang::FunctionDecl &FD,
                               clang::ASTContext &Ctx);

} // namespace forksafety

#endif // FORKSAFETY_CORE_FUNCTIONS_LIBRARYMODEL_H
