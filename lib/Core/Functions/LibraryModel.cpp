//===- LibraryModel.cpp - C++ library members that are safe in a child ----===//

#include "Core/Functions/LibraryModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/DirectoryLookup.h"
#include "clang/Lex/HeaderSearch.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

namespace forksafety {
namespace {

using namespace clang;

// Whole classes whose members neither lock nor allocate.
const char *const SafeClasses[] = {
    "std::array",
    "std::basic_string_view",
    "std::char_traits",
    "std::initializer_list",
    "std::integral_constant",
    "std::numeric_limits",
    "std::reverse_iterator",
    "std::span",
    "std::atomic_flag",
    "__gnu_cxx::__normal_iterator",
    "std::__wrap_iter",
    // Iterators of the node-based containers of libstdc++ and libc++.
    "std::_Rb_tree_iterator",
    "std::_Rb_tree_const_iterator",
    "std::_List_iterator",
    "std::_List_const_iterator",
    "std::__detail::_Node_iterator",
    "std::__detail::_Node_const_iterator",
    "std::__tree_iterator",
    "std::__tree_const_iterator",
    "std::__hash_map_iterator",
    "std::__hash_map_const_iterator",
    "std::__hash_iterator",
    "std::__hash_const_iterator",
    "std::__map_iterator",
    "std::__map_const_iterator",
    "std::__list_iterator",
    "std::__list_const_iterator",
};

// Copying or moving these only changes an atomic reference count.
const char *const ReferenceCountedClasses[] = {
    "std::shared_ptr", "std::__shared_ptr", "std::__shared_count",
    "std::weak_ptr",   "std::__weak_ptr",   "std::__weak_count",
};

// Lookups and accessors of the associative containers: they neither lock
// nor allocate (operator[] and at are not among them: they insert or
// throw).
const char *const AssociativeContainers[] = {
    "std::map",           "std::multimap",
    "std::set",           "std::multiset",
    "std::unordered_map", "std::unordered_multimap",
    "std::unordered_set", "std::unordered_multiset",
    "std::_Rb_tree",      "std::_Hashtable",
    "std::__tree",        "std::__hash_table",
};
const char *const AssociativeLookups[] = {
    "find",        "count",       "contains", "begin",  "end",
    "cbegin",      "cend",        "size",     "empty",  "lower_bound",
    "upper_bound", "equal_range", "_M_begin", "_M_end",
};

// Atomic classes: safe when the value fits a lock-free operation.
const char *const AtomicClasses[] = {
    "std::atomic",         "std::atomic_ref",   "std::__atomic_base",
    "std::__atomic_float", "std::__atomic_ref", "std::__atomic_impl",
};

// Single members and free functions that neither lock nor allocate.
const char *const SafeFunctions[] = {
    // Accessors of containers and strings.
    "std::basic_string::c_str",
    "std::basic_string::data",
    "std::basic_string::size",
    "std::basic_string::length",
    "std::basic_string::empty",
    "std::basic_string::operator[]",
    "std::basic_string::begin",
    "std::basic_string::end",
    "std::basic_string::front",
    "std::basic_string::back",
    "std::basic_string::capacity",
    "std::basic_string::_M_data",
    "std::vector::data",
    "std::vector::size",
    "std::vector::empty",
    "std::vector::operator[]",
    "std::vector::begin",
    "std::vector::end",
    "std::vector::front",
    "std::vector::back",
    "std::vector::capacity",
    "std::unique_ptr::get",
    "std::unique_ptr::operator*",
    "std::unique_ptr::operator->",
    "std::unique_ptr::operator bool",
    "std::unique_ptr::release",
    "std::shared_ptr::get",
    "std::__shared_ptr::get",
    "std::__shared_ptr_access::operator*",
    "std::__shared_ptr_access::operator->",
    "std::optional::has_value",
    "std::optional::operator bool",
    "std::optional::operator*",
    "std::optional::operator->",
    // Utilities that only cast or compute.
    "std::move",
    "std::forward",
    "std::addressof",
    "std::__addressof",
    "std::as_const",
    "std::move_if_noexcept",
    "std::launder",
    "std::to_underlying",
    "std::get",
    "std::begin",
    "std::end",
    "std::cbegin",
    "std::cend",
    "std::size",
    "std::ssize",
    "std::data",
    "std::empty",
    "std::min",
    "std::max",
    "std::clamp",
    "std::atomic_thread_fence",
    "std::atomic_signal_fence",
    "std::kill_dependency",
    "std::__constant_string_p",
    "std::__is_constant_evaluated",
    "std::is_constant_evaluated",
    // Iterator and string comparisons.
    "std::operator==",
    "std::operator!=",
    "std::__detail::operator==",
    "std::__detail::operator!=",
    // Iterator comparisons and arithmetic of libstdc++.
    "__gnu_cxx::operator==",
    "__gnu_cxx::operator!=",
    "__gnu_cxx::operator<",
    "__gnu_cxx::operator>",
    "__gnu_cxx::operator<=",
    "__gnu_cxx::operator>=",
    "__gnu_cxx::operator-",
    "__gnu_cxx::operator+",
};

template <size_t N> llvm::StringSet<> makeSet(const char *const (&Names)[N]) {
  llvm::StringSet<> Set;
  for (const char *Name : Names)
    Set.insert(Name);
  return Set;
}

void appendScope(const DeclContext *DC, std::string &Out) {
  if (!DC || DC->isTranslationUnit())
    return;
  appendScope(DC->getParent(), Out);
  if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
    if (NS->isInline() || NS->isAnonymousNamespace())
      return;
    Out += NS->getName();
    Out += "::";
  } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
    Out += RD->getName();
    Out += "::";
  }
}

bool isLockFreeAtomicOf(const CXXRecordDecl &Class, ASTContext &Ctx) {
  const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(&Class);
  if (!Spec || Spec->getTemplateArgs().size() == 0)
    return false;
  const TemplateArgument &Arg = Spec->getTemplateArgs()[0];
  if (Arg.getKind() != TemplateArgument::Type)
    return false;
  QualType T = Arg.getAsType().getCanonicalType();
  if (T->isDependentType() || T->isIncompleteType())
    return false;
  bool Scalar = T->isIntegralOrEnumerationType() || T->isPointerType() ||
                T->isRealFloatingType();
  return Scalar && Ctx.getTypeSize(T) <= 64;
}

} // namespace

bool hasCLibraryName(const FunctionDecl &FD) {
  if (isa<CXXMethodDecl>(FD) || !FD.getIdentifier())
    return false;
  if (FD.isExternC())
    return true;
  const DeclContext *DC = FD.getDeclContext()->getRedeclContext();
  return DC->isTranslationUnit() || DC->isStdNamespace();
}

bool isLibraryHelperName(const FunctionDecl &FD) {
  return hasCLibraryName(FD) && FD.getName().starts_with("__") &&
         !FD.getDeclContext()->getRedeclContext()->isStdNamespace();
}

bool analysisReadsBody(const Decl &D) {
  const SourceManager &SM = D.getASTContext().getSourceManager();
  if (!SM.isInSystemHeader(SM.getExpansionLoc(D.getLocation())))
    return true;
  const auto *FD = D.getAsFunction();
  return FD && isLibraryHelperName(*FD);
}

/// The headers of one translation unit under the compiler's system
/// directories, found as they are asked about.
struct LibraryHeaders::Files {
  explicit Files(const SourceManager &SM) : SM(SM) {}

  const SourceManager &SM;
  /// Real paths, each ending with a separator.
  std::vector<std::string> Directories;
  llvm::DenseMap<FileID, bool> Known;
  /// isLibraryCodeToSkip's answers: each walk over the program's code asks
  /// again about the same few thousand file-scope declarations.
  llvm::DenseMap<const Decl *, bool> SkippedDeclarations;

  bool contains(FileID File) {
    auto [It, Inserted] = Known.try_emplace(File, false);
    if (!Inserted || File == SM.getMainFileID())
      return It->second;
    OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File);
    if (!Entry)
      return false;
    StringRef Path = SM.getFileManager().getCanonicalName(*Entry);
    It->second = llvm::any_of(Directories, [&](const std::string &Directory) {
      return Path.starts_with(Directory);
    });
    return It->second;
  }
};

namespace {
/// The innermost LibraryHeaders scope of this thread.
thread_local LibraryHeaders::Files *CurrentLibraryHeaders = nullptr;
} // namespace

LibraryHeaders::LibraryHeaders(const SourceManager &SM, const HeaderSearch &HS)
    : Outer(CurrentLibraryHeaders) {
  // A scope of the same unit is already open (the compiler plugin analyses
  // and records the unit in one): its answers hold here too.
  if (Outer && &Outer->SM == &SM)
    return;
  Known = std::make_unique<Files>(SM);
  FileManager &FM = HS.getFileMgr();
  for (const DirectoryLookup &Lookup : HS.search_dir_range()) {
    OptionalDirectoryEntryRef Directory = Lookup.getDirRef();
    if (!Lookup.isSystemHeaderDirectory() || !Directory)
      continue;
    std::string Path = FM.getCanonicalName(*Directory).str();
    if (Path.empty())
      continue;
    if (!llvm::sys::path::is_separator(Path.back()))
      Path += llvm::sys::path::get_separator();
    Known->Directories.push_back(std::move(Path));
  }
  CurrentLibraryHeaders = Known.get();
}

LibraryHeaders::~LibraryHeaders() { CurrentLibraryHeaders = Outer; }

/// The LibraryHeaders scope of the unit of \p SM, if one is open.
static LibraryHeaders::Files *libraryHeadersOf(const SourceManager &SM) {
  return CurrentLibraryHeaders && &CurrentLibraryHeaders->SM == &SM
             ? CurrentLibraryHeaders
             : nullptr;
}

bool isWrittenInSystemHeader(const Decl &D, const SourceManager &SM) {
  SourceLocation Loc = D.getLocation();
  if (Loc.isInvalid())
    return false;
  SourceLocation Expansion = SM.getExpansionLoc(Loc);
  if (SM.isInSystemHeader(Expansion))
    return true;
  LibraryHeaders::Files *Library = libraryHeadersOf(SM);
  return Library && Library->contains(SM.getFileID(Expansion));
}

bool isLibraryCodeToSkip(const Decl &D, const SourceManager &SM) {
  if (isa<TranslationUnitDecl>(D))
    return false;
  const DeclContext *Context = D.getLexicalDeclContext();
  if (Context && !Context->isFileContext() && !isa<LinkageSpecDecl>(Context) &&
      !isa<ExportDecl>(Context))
    return false;
  LibraryHeaders::Files *Library = libraryHeadersOf(SM);
  if (!Library)
    return isWrittenInSystemHeader(D, SM);
  auto [It, Inserted] = Library->SkippedDeclarations.try_emplace(&D, false);
  if (Inserted)
    It->second = isWrittenInSystemHeader(D, SM);
  return It->second;
}

bool holdsNoCode(const Decl &D) {
  if (const auto *FD = dyn_cast<FunctionDecl>(&D))
    return !FD->doesThisDeclarationHaveABody() &&
           llvm::none_of(FD->parameters(), [](const ParmVarDecl *Param) {
             return Param->hasDefaultArg();
           });
  // A C++ class holds methods and member initializers.
  return isa<RecordDecl>(D) && !isa<CXXRecordDecl>(D);
}

bool holdsNoProgramCode(const Decl &D, const SourceManager &SM) {
  return holdsNoCode(D) || isLibraryCodeToSkip(D, SM);
}

bool isInSystemHeader(const Decl &D, const SourceManager &SM) {
  auto Declared = [&](const Decl &Each) {
    return isWrittenInSystemHeader(Each, SM);
  };
  const auto *FD = dyn_cast<FunctionDecl>(&D);
  if (!FD || FD->doesThisDeclarationHaveABody())
    return Declared(D);
  if (llvm::none_of(FD->redecls(),
                    [&](const FunctionDecl *Each) { return Declared(*Each); }))
    return false;
  // Looked up last: most functions are the program's, declared in its files.
  const FunctionDecl *Definition = FD->getDefinition();
  return !Definition || Declared(*Definition);
}

std::string stableQualifiedName(const NamedDecl &D) {
  std::string Name;
  appendScope(D.getDeclContext(), Name);
  Name += D.getNameAsString();
  return Name;
}

bool isSignalSafeLibraryMember(const FunctionDecl &FD, ASTContext &Ctx) {
  static const llvm::StringSet<> Classes = makeSet(SafeClasses);
  static const llvm::StringSet<> Atomics = makeSet(AtomicClasses);
  static const llvm::StringSet<> Functions = makeSet(SafeFunctions);

  static const llvm::StringSet<> Counted = makeSet(ReferenceCountedClasses);
  static const llvm::StringSet<> Associative = makeSet(AssociativeContainers);
  static const llvm::StringSet<> Lookups = makeSet(AssociativeLookups);

  if (const auto *Method = dyn_cast<CXXMethodDecl>(&FD)) {
    const CXXRecordDecl *Class = Method->getParent();
    std::string ClassName = stableQualifiedName(*Class);
    if (Classes.contains(ClassName))
      return true;
    if (Atomics.contains(ClassName))
      return isLockFreeAtomicOf(*Class, Ctx);
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Method);
        Ctor && Ctor->isCopyOrMoveConstructor() && Counted.contains(ClassName))
      return true;
    if (Associative.contains(ClassName) && Method->getIdentifier() &&
        Lookups.contains(Method->getName()))
      return true;
  }
  return Functions.contains(stableQualifiedName(FD));
}

} // namespace forksafety
