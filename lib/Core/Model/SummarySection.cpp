//===- SummarySection.cpp - Summaries carried in object files -------------===//

#include "Core/Model/SummarySection.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Compression.h"
#include "llvm/Support/Endian.h"

namespace forksafety {

namespace {

constexpr llvm::StringLiteral Magic = "FSUMMARY";
constexpr uint8_t FrameVersion = 1;
constexpr size_t HeaderSize = 8 + 4 + 4 + 4;

enum Compression : uint8_t { None = 0, Zlib = 1, Zstd = 2 };

llvm::ArrayRef<uint8_t> bytesOf(llvm::StringRef Text) {
  return {reinterpret_cast<const uint8_t *>(Text.data()), Text.size()};
}

void appendLE32(std::string &Out, uint32_t Value) {
  char Bytes[4];
  llvm::support::endian::write32le(Bytes, Value);
  Out.append(Bytes, 4);
}

llvm::Error frameError(llvm::StringRef Origin, size_t Offset,
                       const llvm::Twine &Why) {
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(), "%s: section %s, offset %zu: %s",
      Origin.str().c_str(), SummarySectionName.str().c_str(), Offset,
      Why.str().c_str());
}

/// The summary text stored as \p Stored with \p Method.
llvm::Expected<std::string> decompress(uint8_t Method, llvm::StringRef Stored,
                                       size_t Size) {
  if (Method == None)
    return Stored.str();
  if (Method != Zlib && Method != Zstd)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "unknown compression method %u",
                                   unsigned(Method));
  llvm::compression::Format Format = Method == Zstd
                                         ? llvm::compression::Format::Zstd
                                         : llvm::compression::Format::Zlib;
  if (const char *Why = llvm::compression::getReasonIfUnsupported(Format))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "it is compressed, but %s", Why);
  llvm::SmallVector<uint8_t, 0> Text;
  if (llvm::Error E =
          llvm::compression::decompress(Format, bytesOf(Stored), Text, Size))
    return std::move(E);
  return std::string(Text.begin(), Text.end());
}

/// Reads one string of an .ascii directive at the start of \p Text, which
/// starts after the opening quote, and consumes it up to the closing quote.
bool readQuoted(llvm::StringRef &Text, std::string &Out) {
  while (!Text.empty()) {
    char C = Text.front();
    Text = Text.drop_front();
    if (C == '"')
      return true;
    if (C != '\\') {
      Out += C;
      continue;
    }
    if (Text.empty())
      return false;
    if (Text.front() >= '0' && Text.front() <= '7') {
      unsigned Value = 0;
      for (int Digits = 0; Digits < 3 && !Text.empty() && Text.front() >= '0' &&
                           Text.front() <= '7';
           ++Digits) {
        Value = Value * 8 + (Text.front() - '0');
        Text = Text.drop_front();
      }
      Out += static_cast<char>(Value);
      continue;
    }
    char Escaped = Text.front();
    Text = Text.drop_front();
    switch (Escaped) {
    case 'b':
      Out += '\b';
      break;
    case 'f':
      Out += '\f';
      break;
    case 'n':
      Out += '\n';
      break;
    case 'r':
      Out += '\r';
      break;
    case 't':
      Out += '\t';
      break;
    default:
      Out += Escaped;
      break;
    }
  }
  return false;
}

/// zstd's own default level, 3: a compile pays for the compression, and
/// LLVM's default, 5, takes three times as long for 5% fewer bytes
/// (docs/performance.md).
llvm::compression::Params levelFor(llvm::compression::Format Format) {
  if (Format == llvm::compression::Format::Zstd)
    return llvm::compression::Params(Format, 3);
  return llvm::compression::Params(Format);
}

} // namespace

std::string frameSummary(llvm::StringRef SummaryText) {
  llvm::SmallVector<uint8_t, 0> Compressed;
  uint8_t Method = None;
  for (auto [Format, Id] : {std::pair(llvm::compression::Format::Zstd, Zstd),
                            std::pair(llvm::compression::Format::Zlib, Zlib)}) {
    if (llvm::compression::getReasonIfUnsupported(Format))
      continue;
    llvm::compression::compress(levelFor(Format), bytesOf(SummaryText),
                                Compressed);
    Method = Id;
    break;
  }
  llvm::StringRef Stored =
      Method == None
          ? SummaryText
          : llvm::StringRef(reinterpret_cast<const char *>(Compressed.data()),
                            Compressed.size());
  std::string Frame(Magic);
  Frame += static_cast<char>(FrameVersion);
  Frame += static_cast<char>(Method);
  Frame.append(2, '\0');
  appendLE32(Frame, Stored.size());
  appendLE32(Frame, SummaryText.size());
  Frame += Stored;
  return Frame;
}

llvm::Expected<std::vector<std::string>>
unframeSummaries(llvm::StringRef Section, llvm::StringRef Origin) {
  std::vector<std::string> Summaries;
  size_t Offset = 0;
  while (Offset < Section.size()) {
    // Linkers pad between the sections of different objects with zeros.
    if (Section[Offset] == '\0') {
      ++Offset;
      continue;
    }
    llvm::StringRef Rest = Section.drop_front(Offset);
    if (Rest.size() < HeaderSize || !Rest.starts_with(Magic))
      return frameError(Origin, Offset, "no summary frame starts here");
    const char *Header = Rest.data() + Magic.size();
    uint8_t Version = Header[0], Method = Header[1];
    uint32_t StoredSize = llvm::support::endian::read32le(Header + 4);
    uint32_t Size = llvm::support::endian::read32le(Header + 8);
    if (Version != FrameVersion)
      return frameError(Origin, Offset,
                        "frame version " + llvm::Twine(unsigned(Version)) +
                            ", this tool reads version " +
                            llvm::Twine(unsigned(FrameVersion)));
    if (Rest.size() - HeaderSize < StoredSize)
      return frameError(Origin, Offset, "the frame is truncated");
    llvm::Expected<std::string> Text =
        decompress(Method, Rest.substr(HeaderSize, StoredSize), Size);
    if (!Text)
      return frameError(Origin, Offset, llvm::toString(Text.takeError()));
    Summaries.push_back(std::move(*Text));
    Offset += HeaderSize + StoredSize;
  }
  return Summaries;
}

std::string sectionAssembly(llvm::StringRef Bytes) {
  // '%' rather than '@' before the type: '@' starts a comment on ARM.
  std::string Assembly =
      "\t.pushsection " + SummarySectionName.str() + ",\"\",%progbits\n";
  constexpr size_t BytesPerLine = 96;
  Assembly.reserve(Assembly.size() + 2 * Bytes.size() + 64);
  for (size_t At = 0; At < Bytes.size(); At += BytesPerLine) {
    Assembly += "\t.ascii \"";
    for (char C : Bytes.substr(At, BytesPerLine)) {
      unsigned char U = static_cast<unsigned char>(C);
      // Bytes above ASCII go as they are: assemblers take a string's bytes
      // as written, and half of compressed data is there.
      if (U >= 0x20 && U != 0x7f && C != '"' && C != '\\') {
        Assembly += C;
        continue;
      }
      Assembly += '\\';
      Assembly += static_cast<char>('0' + ((U >> 6) & 7));
      Assembly += static_cast<char>('0' + ((U >> 3) & 7));
      Assembly += static_cast<char>('0' + (U & 7));
    }
    Assembly += "\"\n";
  }
  Assembly += "\t.popsection\n";
  return Assembly;
}

llvm::Expected<std::string> sectionBytesInAssembly(llvm::StringRef Assembly) {
  std::string Bytes;
  std::string Opening = ".pushsection " + SummarySectionName.str() + ",";
  bool Inside = false;
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Assembly.split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    Line = Line.trim();
    if (!Inside) {
      Inside = Line.starts_with(Opening);
      continue;
    }
    if (Line == ".popsection") {
      Inside = false;
      continue;
    }
    if (!Line.consume_front(".ascii") || !Line.ltrim().starts_with("\""))
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "unexpected directive in the %s section: '%s'",
          SummarySectionName.str().c_str(), Line.str().c_str());
    Line = Line.ltrim().drop_front();
    if (!readQuoted(Line, Bytes) || !Line.trim().empty())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "malformed .ascii string in the %s "
                                     "section",
                                     SummarySectionName.str().c_str());
  }
  return Bytes;
}

} // namespace forksafety
