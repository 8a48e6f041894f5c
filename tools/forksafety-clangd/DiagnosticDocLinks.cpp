//===- DiagnosticDocLinks.cpp - Documentation links of LSP diagnostics ----===//

#include "DiagnosticDocLinks.h"

#include "llvm/Support/FormatVariadic.h"

#include <optional>

namespace forksafety {

using llvm::json::Object;
using llvm::json::Value;

static bool linkDiagnostic(Object &Diagnostic, llvm::StringRef DocsUrl) {
  std::optional<llvm::StringRef> Code = Diagnostic.getString("code");
  Object *Description = Diagnostic.getObject("codeDescription");
  // clangd decides whether a diagnostic carries a link; only its target is
  // replaced.
  if (!Code || !Code->starts_with("forksafety-") || !Description)
    return false;
  (*Description)["href"] = (DocsUrl + "/" + *Code + ".md").str();
  return true;
}

bool linkForkSafetyDiagnosticDocs(Value &Message, llvm::StringRef DocsUrl) {
  bool Changed = false;
  if (Object *O = Message.getAsObject()) {
    Changed |= linkDiagnostic(*O, DocsUrl);
    for (auto &Member : *O)
      Changed |= linkForkSafetyDiagnosticDocs(Member.second, DocsUrl);
  } else if (llvm::json::Array *A = Message.getAsArray()) {
    for (Value &Element : *A)
      Changed |= linkForkSafetyDiagnosticDocs(Element, DocsUrl);
  }
  return Changed;
}

DocLinkingLSPStream::DocLinkingLSPStream(llvm::raw_ostream &Editor,
                                         std::string DocsUrl, bool Pretty)
    : Editor(Editor), DocsUrl(std::move(DocsUrl)), Pretty(Pretty) {
  // clangd flushes after each message; it is forwarded then, not later.
  SetUnbuffered();
}

DocLinkingLSPStream::~DocLinkingLSPStream() {
  flush();
  // Whatever is not a complete message goes out unchanged.
  Editor << Pending;
  Editor.flush();
}

void DocLinkingLSPStream::write_impl(const char *Ptr, size_t Size) {
  Pending.append(Ptr, Size);
  Written += Size;
  forwardCompleteMessages();
}

// Content-Length is the only header field clangd writes.
static std::optional<size_t> contentLength(llvm::StringRef Header) {
  llvm::SmallVector<llvm::StringRef, 2> Lines;
  Header.split(Lines, "\r\n");
  for (llvm::StringRef Line : Lines) {
    auto [Name, Length] = Line.split(':');
    size_t Size;
    if (Name.trim().equals_insensitive("Content-Length") &&
        !Length.trim().getAsInteger(10, Size))
      return Size;
  }
  return std::nullopt;
}

void DocLinkingLSPStream::forwardCompleteMessages() {
  while (true) {
    llvm::StringRef Data = Pending;
    size_t HeaderEnd = Data.find("\r\n\r\n");
    if (HeaderEnd == llvm::StringRef::npos)
      return;
    size_t BodyStart = HeaderEnd + 4;
    std::optional<size_t> Length = contentLength(Data.take_front(HeaderEnd));
    if (!Length) { // Not a message header: passed on as it is.
      Editor << Data.take_front(BodyStart);
      Pending.erase(0, BodyStart);
      continue;
    }
    if (Data.size() - BodyStart < *Length)
      return;
    forward(Data.substr(BodyStart, *Length));
    Pending.erase(0, BodyStart + *Length);
  }
}

void DocLinkingLSPStream::forward(llvm::StringRef Body) {
  std::string Rewritten;
  // Most messages (completions, hovers) cannot name a forksafety check and are
  // not parsed.
  if (Body.contains("\"forksafety-")) {
    llvm::Expected<Value> Message = llvm::json::parse(Body);
    if (!Message)
      llvm::consumeError(Message.takeError());
    else if (linkForkSafetyDiagnosticDocs(*Message, DocsUrl))
      Rewritten = llvm::formatv(Pretty ? "{0:2}" : "{0}", *Message).str();
  }
  llvm::StringRef Out = Rewritten.empty() ? Body : llvm::StringRef(Rewritten);
  Editor << "Content-Length: " << Out.size() << "\r\n\r\n" << Out;
  Editor.flush();
}

} // namespace forksafety
