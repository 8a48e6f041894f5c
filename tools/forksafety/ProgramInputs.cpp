//===- ProgramInputs.cpp - Programs from summaries and binaries -----------===//

#include "ProgramInputs.h"

#include "Core/Model/SummarySection.h"

#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Object/Archive.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <map>
#include <set>

namespace forksafety {

namespace {

llvm::Error inputError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 Message.str().c_str());
}

/// What an ELF file says about its place in a program.
struct LinkedFile {
  std::string Path;
  bool Executable = false;
  std::string SoName;
  std::vector<std::string> Needed;
  std::vector<ReadSummary> Summaries;
  std::set<std::string> CLibraryImports;
  /// An executable: the symbols it defines for the shared objects it loads
  /// (-rdynamic).
  std::set<std::string> Exports;
  /// A shared object: the symbols it takes from whoever loads it, without
  /// a version, as a plugin takes its host's API.
  std::set<std::string> HostImports;
};

/// Reads \p Object's dynamic symbols into \p Linked: the functions it
/// imports from the C library (a GLIBC_ version), and the symbols it
/// exports or expects from a host. A library's symbols carry the versions
/// of the library (copies of `stdout` in an executable too); a host's API
/// carries none, and a weak reference may stay unresolved.
void readDynamicSymbols(const llvm::object::ELFObjectFileBase &Object,
                        LinkedFile &Linked) {
  llvm::Expected<std::vector<llvm::object::VersionEntry>> Versions =
      Object.readDynsymVersions();
  if (!Versions) {
    llvm::consumeError(Versions.takeError());
    return;
  }
  size_t I = 0;
  for (const llvm::object::ELFSymbolRef &Symbol :
       Object.getDynamicSymbolIterators()) {
    if (I >= Versions->size())
      break;
    const llvm::object::VersionEntry &Version = (*Versions)[I++];
    llvm::Expected<uint32_t> Flags = Symbol.getFlags();
    llvm::Expected<llvm::StringRef> Name = Symbol.getName();
    if (!Flags || !Name) {
      llvm::consumeError(Flags.takeError());
      llvm::consumeError(Name.takeError());
      continue;
    }
    uint8_t Type = Symbol.getELFType();
    if (Name->empty() ||
        (Type != llvm::ELF::STT_FUNC && Type != llvm::ELF::STT_OBJECT &&
         Type != llvm::ELF::STT_NOTYPE))
      continue;
    bool Undefined = *Flags & llvm::object::SymbolRef::SF_Undefined;
    bool Weak = *Flags & llvm::object::SymbolRef::SF_Weak;
    if (Undefined && Type == llvm::ELF::STT_FUNC &&
        llvm::StringRef(Version.Name).starts_with("GLIBC_"))
      Linked.CLibraryImports.insert(Name->str());
    if (!Version.Name.empty())
      continue;
    if (!Undefined && Linked.Executable)
      Linked.Exports.insert(Name->str());
    else if (Undefined && !Weak && !Linked.Executable)
      Linked.HostImports.insert(Name->str());
  }
}

template <class ELFT>
void readDynamicSection(const llvm::object::ELFFile<ELFT> &File,
                        LinkedFile &Linked) {
  if (llvm::Expected<typename ELFT::PhdrRange> Headers =
          File.program_headers()) {
    for (const typename ELFT::Phdr &Header : *Headers)
      Linked.Executable |= Header.p_type == llvm::ELF::PT_INTERP;
  } else {
    llvm::consumeError(Headers.takeError());
  }
  if (File.getHeader().e_type == llvm::ELF::ET_EXEC)
    Linked.Executable = true;
  llvm::Expected<typename ELFT::DynRange> Entries = File.dynamicEntries();
  if (!Entries) {
    llvm::consumeError(Entries.takeError());
    return;
  }
  uint64_t StringTable = 0, StringTableSize = 0;
  std::optional<uint64_t> SoName;
  std::vector<uint64_t> Needed;
  for (const typename ELFT::Dyn &Entry : *Entries) {
    switch (Entry.d_tag) {
    case llvm::ELF::DT_STRTAB:
      StringTable = Entry.getPtr();
      break;
    case llvm::ELF::DT_STRSZ:
      StringTableSize = Entry.getVal();
      break;
    case llvm::ELF::DT_SONAME:
      SoName = Entry.getVal();
      break;
    case llvm::ELF::DT_NEEDED:
      Needed.push_back(Entry.getVal());
      break;
    default:
      break;
    }
  }
  llvm::Expected<const uint8_t *> Strings = File.toMappedAddr(StringTable);
  if (!Strings) {
    llvm::consumeError(Strings.takeError());
    return;
  }
  const char *Begin = reinterpret_cast<const char *>(*Strings);
  const char *FileEnd =
      reinterpret_cast<const char *>(File.base()) + File.getBufSize();
  size_t Size = std::min<size_t>(StringTableSize, FileEnd - Begin);
  llvm::StringRef Table(Begin, Size);
  auto StringAt = [&](uint64_t Offset) -> std::string {
    if (Offset >= Table.size())
      return "";
    return Table.drop_front(Offset).split('\0').first.str();
  };
  if (SoName)
    Linked.SoName = StringAt(*SoName);
  for (uint64_t Offset : Needed)
    Linked.Needed.push_back(StringAt(Offset));
}

void readLinkage(const llvm::object::ELFObjectFileBase &Object,
                 LinkedFile &Linked) {
  using namespace llvm::object;
  if (const auto *File = llvm::dyn_cast<ELF64LEObjectFile>(&Object))
    readDynamicSection(File->getELFFile(), Linked);
  else if (const auto *File = llvm::dyn_cast<ELF32LEObjectFile>(&Object))
    readDynamicSection(File->getELFFile(), Linked);
  else if (const auto *File = llvm::dyn_cast<ELF64BEObjectFile>(&Object))
    readDynamicSection(File->getELFFile(), Linked);
  else if (const auto *File = llvm::dyn_cast<ELF32BEObjectFile>(&Object))
    readDynamicSection(File->getELFFile(), Linked);
}

llvm::Error readFramedSummaries(llvm::StringRef Section, llvm::StringRef Origin,
                                std::vector<ReadSummary> &Out) {
  llvm::Expected<std::vector<std::string>> Texts =
      unframeSummaries(Section, Origin);
  if (!Texts)
    return Texts.takeError();
  for (const std::string &Text : *Texts) {
    llvm::Expected<UnitSummary> Summary = readUnitSummary(Text, Origin);
    if (!Summary)
      return Summary.takeError();
    Out.push_back({Origin.str(), std::move(*Summary)});
  }
  return llvm::Error::success();
}

/// The summaries in the .forksafety section of an object file.
llvm::Error readObjectSummaries(const llvm::object::ObjectFile &Object,
                                llvm::StringRef Origin,
                                std::vector<ReadSummary> &Out) {
  for (const llvm::object::SectionRef &Section : Object.sections()) {
    llvm::Expected<llvm::StringRef> Name = Section.getName();
    if (!Name) {
      llvm::consumeError(Name.takeError());
      continue;
    }
    if (*Name != SummarySectionName)
      continue;
    llvm::Expected<llvm::StringRef> Contents = Section.getContents();
    if (!Contents)
      return inputError(Origin + ": cannot read section " + *Name + ": " +
                        llvm::toString(Contents.takeError()));
    if (llvm::Error E = readFramedSummaries(*Contents, Origin, Out))
      return E;
  }
  return llvm::Error::success();
}

/// The summaries in the module-level assembly of a bitcode file (-flto).
llvm::Error readBitcodeSummaries(llvm::MemoryBufferRef Buffer,
                                 llvm::StringRef Origin,
                                 std::vector<ReadSummary> &Out) {
  llvm::Expected<std::vector<llvm::BitcodeModule>> Modules =
      llvm::getBitcodeModuleList(Buffer);
  if (!Modules)
    return inputError(Origin + ": " + llvm::toString(Modules.takeError()));
  for (llvm::BitcodeModule &Bitcode : *Modules) {
    llvm::LLVMContext Context;
    llvm::Expected<std::unique_ptr<llvm::Module>> Module =
        Bitcode.getLazyModule(Context, /*ShouldLazyLoadMetadata=*/true,
                              /*IsImporting=*/false);
    if (!Module)
      return inputError(Origin + ": " + llvm::toString(Module.takeError()));
    llvm::Expected<std::string> Section =
        sectionBytesInAssembly((*Module)->getModuleInlineAsm());
    if (!Section)
      return inputError(Origin + ": " + llvm::toString(Section.takeError()));
    if (llvm::Error E = readFramedSummaries(*Section, Origin, Out))
      return E;
  }
  return llvm::Error::success();
}

/// Reads the summaries of one object, bitcode file or archive member.
llvm::Error readMember(llvm::MemoryBufferRef Buffer, llvm::StringRef Origin,
                       std::vector<ReadSummary> &Out);

llvm::Error readArchive(llvm::MemoryBufferRef Buffer, llvm::StringRef Origin,
                        std::vector<ReadSummary> &Out) {
  llvm::Expected<std::unique_ptr<llvm::object::Archive>> Archive =
      llvm::object::Archive::create(Buffer);
  if (!Archive)
    return inputError(Origin + ": " + llvm::toString(Archive.takeError()));
  llvm::Error Err = llvm::Error::success();
  for (const llvm::object::Archive::Child &Child : (*Archive)->children(Err)) {
    llvm::Expected<llvm::StringRef> Name = Child.getName();
    llvm::Expected<llvm::MemoryBufferRef> Member = Child.getMemoryBufferRef();
    if (!Name || !Member) {
      llvm::consumeError(Name.takeError());
      llvm::Error Why = Member.takeError();
      llvm::consumeError(std::move(Err));
      return inputError(
          Origin + ": cannot read a member: " + llvm::toString(std::move(Why)));
    }
    std::string MemberOrigin = (Origin + "(" + *Name + ")").str();
    if (llvm::Error E = readMember(*Member, MemberOrigin, Out)) {
      llvm::consumeError(std::move(Err));
      return E;
    }
  }
  if (Err)
    return inputError(Origin + ": " + llvm::toString(std::move(Err)));
  return llvm::Error::success();
}

llvm::Error readMember(llvm::MemoryBufferRef Buffer, llvm::StringRef Origin,
                       std::vector<ReadSummary> &Out) {
  llvm::file_magic Magic = llvm::identify_magic(Buffer.getBuffer());
  if (Magic == llvm::file_magic::bitcode)
    return readBitcodeSummaries(Buffer, Origin, Out);
  if (Magic == llvm::file_magic::archive)
    return readArchive(Buffer, Origin, Out);
  llvm::Expected<std::unique_ptr<llvm::object::ObjectFile>> Object =
      llvm::object::ObjectFile::createObjectFile(Buffer, Magic);
  if (!Object) {
    // Archives hold other files too (symbol tables, text); they carry no
    // summary.
    llvm::consumeError(Object.takeError());
    return llvm::Error::success();
  }
  return readObjectSummaries(**Object, Origin, Out);
}

bool isLinkedELF(llvm::file_magic Magic) {
  return Magic == llvm::file_magic::elf_executable ||
         Magic == llvm::file_magic::elf_shared_object;
}

/// The executables and shared objects under \p Directory, sorted.
std::vector<std::string> linkedFilesUnder(llvm::StringRef Directory) {
  std::vector<std::string> Found;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Directory, EC), End;
       It != End && !EC; It.increment(EC)) {
    if (It->type() != llvm::sys::fs::file_type::regular_file)
      continue;
    llvm::file_magic Magic;
    if (!llvm::identify_magic(It->path(), Magic) && isLinkedELF(Magic))
      Found.push_back(It->path());
  }
  std::sort(Found.begin(), Found.end());
  return Found;
}

/// Whether \p Executable may load \p Library as a plugin: the library
/// takes a symbol that the executable exports.
bool loads(const LinkedFile &Executable, const LinkedFile &Library) {
  return llvm::any_of(Library.HostImports, [&](const std::string &Name) {
    return Executable.Exports.count(Name) != 0;
  });
}

/// Groups the linked files into programs: each executable with the shared
/// objects it needs and the plugins it may load, and what those need in
/// turn; each shared object that no executable needs or loads on its own.
std::vector<ProgramInput> groupPrograms(std::vector<LinkedFile> Linked) {
  std::map<std::string, size_t> ByName;
  for (size_t I = 0; I < Linked.size(); ++I) {
    if (Linked[I].Executable)
      continue;
    ByName.emplace(llvm::sys::path::filename(Linked[I].Path).str(), I);
    if (!Linked[I].SoName.empty())
      ByName.emplace(Linked[I].SoName, I);
  }
  std::vector<ProgramInput> Programs;
  std::set<size_t> InAny;
  for (LinkedFile &File : Linked) {
    if (!File.Executable)
      continue;
    ProgramInput Program{File.Path, std::move(File.Summaries),
                         std::move(File.CLibraryImports)};
    std::set<size_t> Seen;
    auto Join = [&](size_t I) {
      if (!Seen.insert(I).second)
        return;
      const LinkedFile &Library = Linked[I];
      Program.Summaries.insert(Program.Summaries.end(),
                               Library.Summaries.begin(),
                               Library.Summaries.end());
      Program.CLibraryImports.insert(Library.CLibraryImports.begin(),
                                     Library.CLibraryImports.end());
    };
    auto JoinNeeded = [&](std::vector<std::string> Work) {
      while (!Work.empty()) {
        auto It = ByName.find(Work.back());
        Work.pop_back();
        if (It == ByName.end() || Seen.count(It->second))
          continue;
        Join(It->second);
        const std::vector<std::string> &Needed = Linked[It->second].Needed;
        Work.insert(Work.end(), Needed.begin(), Needed.end());
      }
    };
    JoinNeeded(File.Needed);
    for (size_t I = 0; I < Linked.size(); ++I)
      if (!Linked[I].Executable && !Seen.count(I) && loads(File, Linked[I])) {
        Join(I);
        JoinNeeded(Linked[I].Needed);
      }
    InAny.insert(Seen.begin(), Seen.end());
    Programs.push_back(std::move(Program));
  }
  for (size_t I = 0; I < Linked.size(); ++I)
    if (!Linked[I].Executable && !InAny.count(I))
      Programs.push_back({Linked[I].Path, std::move(Linked[I].Summaries),
                          std::move(Linked[I].CLibraryImports)});
  return Programs;
}

/// What the inputs hold: summaries that form one program, and linked files.
struct ReadInputs {
  ProgramInput Loose;
  std::vector<LinkedFile> Linked;
};

/// Reads one input file into \p Read. A linked file that carries no summary
/// is an error when \p Named, and skipped when a directory holds it.
llvm::Error readInput(const std::string &Input, bool Named, ReadInputs &Read) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer =
      llvm::MemoryBuffer::getFile(Input, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return inputError(Input +
                      ": cannot read it: " + Buffer.getError().message());
  llvm::MemoryBufferRef Ref = (*Buffer)->getMemBufferRef();
  llvm::file_magic Magic = llvm::identify_magic(Ref.getBuffer());
  if (isLinkedELF(Magic)) {
    llvm::Expected<std::unique_ptr<llvm::object::ObjectFile>> Object =
        llvm::object::ObjectFile::createObjectFile(Ref, Magic);
    if (!Object)
      return inputError(Input + ": " + llvm::toString(Object.takeError()));
    LinkedFile File;
    File.Path = Input;
    const auto &ELF = llvm::cast<llvm::object::ELFObjectFileBase>(**Object);
    readLinkage(ELF, File);
    readDynamicSymbols(ELF, File);
    if (llvm::Error E = readObjectSummaries(**Object, Input, File.Summaries))
      return E;
    if (File.Summaries.empty() && Named)
      return inputError(Input + ": it carries no forksafety summary (link it "
                                "from objects compiled with the forksafety "
                                "compiler plugin)");
    if (!File.Summaries.empty())
      Read.Linked.push_back(std::move(File));
    return llvm::Error::success();
  }
  if (Magic != llvm::file_magic::unknown &&
      !Ref.getBuffer().ltrim().starts_with("{")) {
    size_t Before = Read.Loose.Summaries.size();
    if (llvm::Error E = readMember(Ref, Input, Read.Loose.Summaries))
      return E;
    if (Read.Loose.Summaries.size() == Before &&
        Magic != llvm::file_magic::archive)
      return inputError(Input + ": it carries no forksafety summary (compile "
                                "it with the forksafety compiler plugin)");
    return llvm::Error::success();
  }
  // A summary file, written by --emit-summary or --launch.
  llvm::Expected<UnitSummary> Summary = readUnitSummary(Ref.getBuffer(), Input);
  if (!Summary)
    return Summary.takeError();
  Read.Loose.Summaries.push_back({Input, std::move(*Summary)});
  return llvm::Error::success();
}

} // namespace

llvm::Expected<std::vector<ProgramInput>>
readPrograms(const std::vector<std::string> &Inputs) {
  ReadInputs Read;
  for (const std::string &Input : Inputs) {
    if (!llvm::sys::fs::is_directory(Input)) {
      if (llvm::Error E = readInput(Input, /*Named=*/true, Read))
        return std::move(E);
      continue;
    }
    size_t Before = Read.Linked.size();
    for (const std::string &File : linkedFilesUnder(Input))
      if (llvm::Error E = readInput(File, /*Named=*/false, Read))
        return std::move(E);
    if (Read.Linked.size() == Before)
      return inputError(Input + ": no executable or shared object under it "
                                "carries a forksafety summary");
  }
  std::vector<ProgramInput> Programs;
  if (!Read.Loose.Summaries.empty() || Read.Linked.empty())
    Programs.push_back(std::move(Read.Loose));
  for (ProgramInput &Program : groupPrograms(std::move(Read.Linked)))
    Programs.push_back(std::move(Program));
  return Programs;
}

} // namespace forksafety
