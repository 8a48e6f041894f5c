//===- DiagnosticDocLinks.h - Documentation links of LSP diagnostics ------===//
//
// clangd links every clang-tidy diagnostic to
// clang.llvm.org/extra/clang-tidy/checks/<module>/<check>.html, a page that
// does not exist for checks outside LLVM. The link is computed inside clangd's
// diagnostic conversion, out of reach of any hook, so forksafety-clangd
// corrects it in the messages clangd writes to the editor instead.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CLANGD_DIAGNOSTICDOCLINKS_H
#define FORKSAFETY_CLANGD_DIAGNOSTICDOCLINKS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace forksafety {

/// Points the codeDescription of every forksafety diagnostic in \p Message
/// (published diagnostics, or the ones a code action answers for) at
/// <DocsUrl>/<check>.md. Returns whether anything changed.
bool linkForkSafetyDiagnosticDocs(llvm::json::Value &Message,
                                  llvm::StringRef DocsUrl);

/// The LSP output stream of clangd: forwards each message
/// ("Content-Length: N\r\n\r\n" and N bytes of JSON) to the editor, with the
/// forksafety diagnostics' links rewritten by linkForkSafetyDiagnosticDocs.
/// Messages that need no change are forwarded byte for byte.
class DocLinkingLSPStream : public llvm::raw_ostream {
public:
  DocLinkingLSPStream(llvm::raw_ostream &Editor, std::string DocsUrl,
                      bool Pretty);
  ~DocLinkingLSPStream() override;

private:
  void write_impl(const char *Ptr, size_t Size) override;
  uint64_t current_pos() const override { return Written; }
  /// Forwards the complete messages at the start of Pending.
  void forwardCompleteMessages();
  void forward(llvm::StringRef Body);

  llvm::raw_ostream &Editor;
  std::string DocsUrl;
  bool Pretty;
  std::string Pending;
  uint64_t Written = 0;
};

} // namespace forksafety

#endif // FORKSAFETY_CLANGD_DIAGNOSTICDOCLINKS_H
