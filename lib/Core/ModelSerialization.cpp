//===- ModelSerialization.cpp - Program models on disk --------------------===//

#include "Core/ModelSerialization.h"

#include "llvm/Support/JSON.h"

#include <map>

namespace forksafety {

namespace json = llvm::json;

namespace {

constexpr llvm::StringLiteral Format = "forksafety-summary";
constexpr int64_t Version = SummaryFormatVersion;
constexpr int ExitFlag = 1, ExecpFlag = 2, AllocatesFlag = 4;

/// Files are written once, in a table; locations refer to them by index.
class Writer {
public:
  json::Value location(const Location &Loc) {
    if (!Loc.isValid())
      return nullptr;
    auto [It, Inserted] = FileIndex.try_emplace(Loc.File, Files.size());
    if (Inserted)
      Files.push_back(Loc.File);
    return json::Array{It->second, Loc.Line, Loc.Column};
  }

  /// Events are the bulk of a summary: they are flat arrays,
  /// [kind, element, file, line, column, operation kind, safety, subject,
  ///  reason, flags, callee, mutex] and, for an exit fix, [begin line,
  ///  begin column, end line, end column, replacement].
  json::Value event(const ModelEvent &Event) {
    json::Array Result{static_cast<int>(Event.Kind), Event.Element};
    appendLocation(Result, Event.Loc);
    const Operation &Op = Event.Op;
    int Flags = (Op.IsExit ? ExitFlag : 0) |
                (Op.IsExecPathSearch ? ExecpFlag : 0) |
                (Event.OnlyAllocates ? AllocatesFlag : 0);
    Result.push_back(static_cast<int>(Op.Kind));
    Result.push_back(static_cast<int>(Op.Safety));
    Result.push_back(str(Op.Subject));
    Result.push_back(str(Op.Reason));
    Result.push_back(Flags);
    Result.push_back(str(Event.Callee));
    Result.push_back(str(Event.Mutex));
    if (Event.ExitFix) {
      const TextEdit &Fix = *Event.ExitFix;
      Result.push_back(json::Array{Fix.Begin.Line, Fix.Begin.Column,
                                   Fix.End.Line, Fix.End.Column,
                                   Fix.Replacement});
    }
    return Result;
  }

  /// Strings repeat (callees, reasons): they are written once, in a
  /// table, and referred to by index.
  int64_t str(const std::string &S) {
    auto [It, Inserted] = StringIndex.try_emplace(S, Strings.size());
    if (Inserted)
      Strings.push_back(S);
    return static_cast<int64_t>(It->second);
  }

  void appendLocation(json::Array &Out, const Location &Loc) {
    int64_t File = -1;
    if (Loc.isValid()) {
      auto [It, Inserted] = FileIndex.try_emplace(Loc.File, Files.size());
      if (Inserted)
        Files.push_back(Loc.File);
      File = static_cast<int64_t>(It->second);
    }
    Out.push_back(File);
    Out.push_back(static_cast<int64_t>(Loc.Line));
    Out.push_back(static_cast<int64_t>(Loc.Column));
  }

  json::Value graph(const PathGraph &Graph) {
    json::Array Nodes;
    for (const ModelNode &Node : Graph.Nodes) {
      json::Array Events, Successors;
      for (const ModelEvent &Event : Node.Events)
        Events.push_back(event(Event));
      for (const ModelEdge &Edge : Node.Successors) {
        json::Object Out{{"to", Edge.To}};
        if (Edge.Leaves) {
          Out["leaves"] = location(Edge.Leaves->Loc);
          Out["loops"] = Edge.Leaves->LoopsBack;
        }
        Successors.push_back(std::move(Out));
      }
      json::Object Out{{"events", std::move(Events)},
                       {"next", std::move(Successors)}};
      if (Node.Returns)
        Out["returns"] = location(Node.ReturnLoc);
      Nodes.push_back(std::move(Out));
    }
    return json::Object{{"analysed", Graph.Analysed},
                        {"nodes", std::move(Nodes)}};
  }

  json::Value model(const ProgramModel &Model) {
    json::Array Forks, Functions, Threads, AddressTaken;
    for (const ForkModel &Fork : Model.Forks)
      Forks.push_back(
          json::Object{{"loc", location(Fork.Loc)},
                       {"kind", static_cast<int>(Fork.Kind)},
                       {"fork", Fork.ForkFunction},
                       {"function", Fork.FunctionName},
                       {"inWrapper", Fork.InWrapper},
                       {"threadsMayExist", Fork.ThreadsMayExist},
                       {"threadsOnlyVia", json::Array(Fork.ThreadsOnlyVia)},
                       {"child", graph(Fork.Child)}});
    for (const auto &[Usr, Function] : Model.Functions)
      Functions.push_back(json::Object{{"usr", Usr},
                                       {"name", Function.Name},
                                       {"loc", location(Function.Loc)},
                                       {"paths", graph(Function.Paths)}});
    for (const ThreadCreationModel &Creation : Model.ThreadCreations)
      Threads.push_back(json::Object{{"loc", location(Creation.Loc)},
                                     {"what", Creation.What},
                                     {"function", Creation.FunctionUsr}});
    json::Array Calls;
    for (const auto &[Caller, Callees] : Model.Calls) {
      json::Array Row{str(Caller)};
      for (const std::string &Callee : Callees)
        Row.push_back(str(Callee));
      Calls.push_back(std::move(Row));
    }
    for (const std::string &Usr : Model.AddressTaken)
      AddressTaken.push_back(str(Usr));
    json::Array AtFork;
    for (const AtForkModel &Handlers : Model.AtForkHandlers)
      AtFork.push_back(json::Object{{"loc", location(Handlers.Loc)},
                                    {"prepare", Handlers.Prepare},
                                    {"prepareName", Handlers.PrepareName},
                                    {"parent", Handlers.Parent},
                                    {"child", Handlers.Child}});
    auto Uses = [](const std::map<std::string, std::vector<std::string>> &M) {
      json::Object Result;
      for (const auto &[Function, Mutexes] : M)
        Result[Function] = json::Array(Mutexes);
      return Result;
    };
    json::Array Wrappers;
    for (const WrapperModel &Wrapper : Model.Wrappers)
      Wrappers.push_back(
          json::Object{{"usr", Wrapper.Usr},
                       {"name", Wrapper.Name},
                       {"kind", static_cast<int>(Wrapper.Kind)}});
    return json::Object{{"main", Model.MainUsr},
                        {"forks", std::move(Forks)},
                        {"functions", std::move(Functions)},
                        {"threadCreations", std::move(Threads)},
                        {"calls", std::move(Calls)},
                        {"addressTaken", std::move(AddressTaken)},
                        {"wrappers", std::move(Wrappers)},
                        {"atfork", std::move(AtFork)},
                        {"mutexLocks", Uses(Model.MutexLocks)},
                        {"mutexUnlocks", Uses(Model.MutexUnlocks)}};
  }

  std::vector<std::string> Files;
  std::vector<std::string> Strings;

private:
  std::map<std::string, size_t> FileIndex;
  std::map<std::string, size_t> StringIndex;
};

/// Reads what Writer wrote. Every accessor reports what it expected, and
/// where, through the json::Path it is given.
class Reader {
public:
  bool location(const json::Value *V, Location &Loc, json::Path P) const {
    if (!V || V->kind() == json::Value::Null)
      return true;
    const json::Array *A = V->getAsArray();
    if (!A || A->size() != 3) {
      P.report("expected [file, line, column]");
      return false;
    }
    std::optional<int64_t> File = (*A)[0].getAsInteger(),
                           Line = (*A)[1].getAsInteger(),
                           Column = (*A)[2].getAsInteger();
    if (!File || !Line || !Column || *File < 0 ||
        static_cast<size_t>(*File) >= Files.size() || *Line <= 0 ||
        *Column <= 0) {
      P.report("expected a valid [file, line, column]");
      return false;
    }
    Loc.File = Files[*File];
    Loc.Line = static_cast<unsigned>(*Line);
    Loc.Column = static_cast<unsigned>(*Column);
    return true;
  }

  template <typename Enum>
  bool enumerator(const json::Object &O, llvm::StringRef Key, Enum &Out,
                  int Last, json::Path P) const {
    std::optional<int64_t> V = O.getInteger(Key);
    if (!V || *V < 0 || *V > Last) {
      P.field(Key).report("expected a known enumerator");
      return false;
    }
    Out = static_cast<Enum>(*V);
    return true;
  }

  bool string(const json::Object &O, llvm::StringRef Key, std::string &Out,
              json::Path P) const {
    std::optional<llvm::StringRef> V = O.getString(Key);
    if (!V) {
      P.field(Key).report("expected a string");
      return false;
    }
    Out = V->str();
    return true;
  }

  bool unsignedInt(const json::Object &O, llvm::StringRef Key, unsigned &Out,
                   json::Path P) const {
    std::optional<int64_t> V = O.getInteger(Key);
    if (!V || *V < 0) {
      P.field(Key).report("expected a non-negative integer");
      return false;
    }
    Out = static_cast<unsigned>(*V);
    return true;
  }

  const json::Object *object(const json::Value *V, json::Path P) const {
    const json::Object *O = V ? V->getAsObject() : nullptr;
    if (!O)
      P.report("expected an object");
    return O;
  }

  const json::Array *array(const json::Object &O, llvm::StringRef Key,
                           json::Path P) const {
    const json::Array *A = O.getArray(Key);
    if (!A)
      P.field(Key).report("expected an array");
    return A;
  }

  bool event(const json::Value &V, ModelEvent &Event, json::Path P) const {
    const json::Array *A = V.getAsArray();
    if (!A || (A->size() != 12 && A->size() != 13)) {
      P.report("expected an event array of 12 or 13 items");
      return false;
    }
    auto Int = [&](size_t I) { return (*A)[I].getAsInteger(); };
    auto Str = [&](size_t I) { return string((*A)[I]); };
    std::optional<int64_t> Kind = Int(0), Element = Int(1), OpKind = Int(5),
                           Safety = Int(6), Flags = Int(9);
    std::optional<llvm::StringRef> Subject = Str(7), Reason = Str(8),
                                   Callee = Str(10), Mutex = Str(11);
    if (!Kind || *Kind < 0 || *Kind > ModelEvent::VforkOnly || !Element ||
        *Element < 0 || !OpKind || *OpKind < 0 ||
        *OpKind > static_cast<int>(OperationKind::Throw) || !Safety ||
        *Safety < 0 ||
        *Safety > static_cast<int>(Verdict::NotAllowedAfterVfork) || !Flags ||
        !Subject || !Reason || !Callee || !Mutex ||
        !location(Int(2), Int(3), Int(4), Event.Loc, P)) {
      P.report("expected [kind, element, file, line, column, operation "
               "kind, safety, subject, reason, flags, callee, mutex]");
      return false;
    }
    Event.Kind = static_cast<ModelEvent::KindType>(*Kind);
    Event.Element = static_cast<unsigned>(*Element);
    Event.Op.Kind = static_cast<OperationKind>(*OpKind);
    Event.Op.Safety = static_cast<Verdict>(*Safety);
    Event.Op.Subject = Subject->str();
    Event.Op.Reason = Reason->str();
    Event.Op.IsExit = *Flags & ExitFlag;
    Event.Op.IsExecPathSearch = *Flags & ExecpFlag;
    Event.OnlyAllocates = *Flags & AllocatesFlag;
    Event.Callee = Callee->str();
    Event.Mutex = Mutex->str();
    if (Event.Kind == ModelEvent::Call && Event.Callee.empty()) {
      P.report("expected the callee of a call");
      return false;
    }
    if (A->size() == 13) {
      const json::Array *Fix = (*A)[12].getAsArray();
      std::optional<int64_t> Line, Column, EndLine, EndColumn;
      std::optional<llvm::StringRef> Text;
      if (Fix && Fix->size() == 5) {
        Line = (*Fix)[0].getAsInteger();
        Column = (*Fix)[1].getAsInteger();
        EndLine = (*Fix)[2].getAsInteger();
        EndColumn = (*Fix)[3].getAsInteger();
        Text = (*Fix)[4].getAsString();
      }
      if (!Line || !Column || !EndLine || !EndColumn || !Text || *Line <= 0 ||
          *Column <= 0 || *EndLine <= 0 || *EndColumn <= 0) {
        P.report("expected an exit fix [line, column, end line, end column, "
                 "replacement]");
        return false;
      }
      TextEdit Edit;
      Edit.Begin = Event.Loc;
      Edit.Begin.Line = static_cast<unsigned>(*Line);
      Edit.Begin.Column = static_cast<unsigned>(*Column);
      Edit.End = Edit.Begin;
      Edit.End.Line = static_cast<unsigned>(*EndLine);
      Edit.End.Column = static_cast<unsigned>(*EndColumn);
      Edit.Replacement = Text->str();
      Event.ExitFix = std::move(Edit);
    }
    return true;
  }

  /// The string a table index refers to.
  std::optional<llvm::StringRef> string(const json::Value &Index) const {
    std::optional<int64_t> I = Index.getAsInteger();
    if (!I || *I < 0 || static_cast<size_t>(*I) >= Strings.size())
      return std::nullopt;
    return llvm::StringRef(Strings[*I]);
  }

  bool indexedStrings(const json::Array &Indices, size_t From,
                      std::vector<std::string> &Out, json::Path P) const {
    for (size_t I = From; I < Indices.size(); ++I) {
      std::optional<llvm::StringRef> S = string(Indices[I]);
      if (!S) {
        P.report("expected indices into the string table");
        return false;
      }
      Out.push_back(S->str());
    }
    return true;
  }

  /// A location written as three integers; file -1 for none.
  bool location(std::optional<int64_t> File, std::optional<int64_t> Line,
                std::optional<int64_t> Column, Location &Loc,
                json::Path P) const {
    if (!File || !Line || !Column)
      return false;
    if (*File == -1)
      return true;
    if (*File < 0 || static_cast<size_t>(*File) >= Files.size() || *Line <= 0 ||
        *Column <= 0)
      return false;
    Loc.File = Files[*File];
    Loc.Line = static_cast<unsigned>(*Line);
    Loc.Column = static_cast<unsigned>(*Column);
    return true;
  }

  bool graph(const json::Value *V, PathGraph &Graph, json::Path P) const {
    const json::Object *O = object(V, P);
    if (!O)
      return false;
    Graph.Analysed = O->getBoolean("analysed").value_or(false);
    const json::Array *Nodes = array(*O, "nodes", P);
    if (!Nodes)
      return false;
    // A json::Path refers to its parent: each level is a named object.
    json::Path NodesPath = P.field("nodes");
    for (size_t I = 0; I < Nodes->size(); ++I) {
      json::Path NodePath = NodesPath.index(I);
      const json::Object *N = object(&(*Nodes)[I], NodePath);
      const json::Array *Events = N ? array(*N, "events", NodePath) : nullptr;
      const json::Array *Next = N ? array(*N, "next", NodePath) : nullptr;
      if (!Events || !Next)
        return false;
      ModelNode Node;
      for (size_t E = 0; E < Events->size(); ++E) {
        ModelEvent Event;
        if (!event((*Events)[E], Event, NodePath.field("events").index(E)))
          return false;
        Node.Events.push_back(std::move(Event));
      }
      json::Path NextPath = NodePath.field("next");
      for (size_t E = 0; E < Next->size(); ++E) {
        json::Path EdgePath = NextPath.index(E);
        const json::Object *Out = object(&(*Next)[E], EdgePath);
        ModelEdge Edge;
        if (!Out || !unsignedInt(*Out, "to", Edge.To, EdgePath))
          return false;
        if (Edge.To >= Nodes->size()) {
          EdgePath.field("to").report("refers to a node that does not exist");
          return false;
        }
        if (const json::Value *Leaves = Out->get("leaves")) {
          LeavingChildCode Leaving;
          if (!location(Leaves, Leaving.Loc, EdgePath.field("leaves")))
            return false;
          Leaving.LoopsBack = Out->getBoolean("loops").value_or(false);
          Edge.Leaves = std::move(Leaving);
        }
        Node.Successors.push_back(std::move(Edge));
      }
      if (const json::Value *Returns = N->get("returns")) {
        Node.Returns = true;
        if (!location(Returns, Node.ReturnLoc, NodePath.field("returns")))
          return false;
      }
      Graph.Nodes.push_back(std::move(Node));
    }
    return true;
  }

  bool fork(const json::Value &V, ForkModel &Fork, json::Path P) const {
    const json::Object *O = object(&V, P);
    if (!O || !location(O->get("loc"), Fork.Loc, P.field("loc")) ||
        !enumerator(*O, "kind", Fork.Kind, static_cast<int>(ForkKind::Daemon),
                    P) ||
        !string(*O, "fork", Fork.ForkFunction, P) ||
        !string(*O, "function", Fork.FunctionName, P) ||
        !graph(O->get("child"), Fork.Child, P.field("child")))
      return false;
    Fork.InWrapper = O->getBoolean("inWrapper").value_or(false);
    Fork.ThreadsMayExist = O->getBoolean("threadsMayExist").value_or(true);
    return strings(O->get("threadsOnlyVia"), Fork.ThreadsOnlyVia,
                   P.field("threadsOnlyVia"));
  }

  bool function(const json::Value &V, FunctionModel &Function,
                json::Path P) const {
    const json::Object *O = object(&V, P);
    return O && string(*O, "usr", Function.Usr, P) &&
           string(*O, "name", Function.Name, P) &&
           location(O->get("loc"), Function.Loc, P.field("loc")) &&
           graph(O->get("paths"), Function.Paths, P.field("paths"));
  }

  bool strings(const json::Value *V, std::vector<std::string> &Out,
               json::Path P) const {
    const json::Array *A = V ? V->getAsArray() : nullptr;
    if (!A) {
      P.report("expected an array of strings");
      return false;
    }
    for (const json::Value &S : *A) {
      std::optional<llvm::StringRef> Str = S.getAsString();
      if (!Str) {
        P.report("expected an array of strings");
        return false;
      }
      Out.push_back(Str->str());
    }
    return true;
  }

  bool model(const json::Value *V, ProgramModel &Model, json::Path P) const;
  std::vector<std::string> Strings;
  bool mutexUses(const json::Object *Uses,
                 std::map<std::string, std::vector<std::string>> &Out,
                 json::Path P) const;

  std::vector<std::string> Files;
};

bool Reader::model(const json::Value *V, ProgramModel &Model,
                   json::Path P) const {
  const json::Object *O = object(V, P);
  if (!O || !string(*O, "main", Model.MainUsr, P))
    return false;
  const json::Array *Forks = array(*O, "forks", P);
  const json::Array *Functions = array(*O, "functions", P);
  const json::Array *Threads = array(*O, "threadCreations", P);
  const json::Array *Calls = array(*O, "calls", P);
  const json::Array *AddressTaken = array(*O, "addressTaken", P);
  if (!Forks || !Functions || !Threads || !Calls || !AddressTaken)
    return false;
  for (size_t I = 0; I < Forks->size(); ++I) {
    ForkModel Fork;
    if (!fork((*Forks)[I], Fork, P.field("forks").index(I)))
      return false;
    Model.Forks.push_back(std::move(Fork));
  }
  for (size_t I = 0; I < Functions->size(); ++I) {
    FunctionModel Function;
    if (!function((*Functions)[I], Function, P.field("functions").index(I)))
      return false;
    std::string Usr = Function.Usr;
    Model.Functions.emplace(std::move(Usr), std::move(Function));
  }
  json::Path ThreadsPath = P.field("threadCreations");
  for (size_t I = 0; I < Threads->size(); ++I) {
    json::Path ThreadPath = ThreadsPath.index(I);
    const json::Object *T = object(&(*Threads)[I], ThreadPath);
    ThreadCreationModel Creation;
    if (!T || !location(T->get("loc"), Creation.Loc, ThreadPath.field("loc")) ||
        !string(*T, "what", Creation.What, ThreadPath) ||
        !string(*T, "function", Creation.FunctionUsr, ThreadPath))
      return false;
    Model.ThreadCreations.push_back(std::move(Creation));
  }
  json::Path CallsPath = P.field("calls");
  for (size_t I = 0; I < Calls->size(); ++I) {
    const json::Array *Row = (*Calls)[I].getAsArray();
    std::optional<llvm::StringRef> Caller =
        Row && !Row->empty() ? string(Row->front()) : std::nullopt;
    if (!Caller) {
      CallsPath.index(I).report("expected [caller, callee...] indices");
      return false;
    }
    if (!indexedStrings(*Row, 1, Model.Calls[Caller->str()],
                        CallsPath.index(I)))
      return false;
  }
  if (!indexedStrings(*AddressTaken, 0, Model.AddressTaken,
                      P.field("addressTaken")))
    return false;
  const json::Array *Wrappers = array(*O, "wrappers", P);
  if (!Wrappers)
    return false;
  json::Path WrappersPath = P.field("wrappers");
  for (size_t I = 0; I < Wrappers->size(); ++I) {
    json::Path WrapperPath = WrappersPath.index(I);
    const json::Object *W = object(&(*Wrappers)[I], WrapperPath);
    WrapperModel Wrapper;
    if (!W || !string(*W, "usr", Wrapper.Usr, WrapperPath) ||
        !string(*W, "name", Wrapper.Name, WrapperPath) ||
        !enumerator(*W, "kind", Wrapper.Kind,
                    static_cast<int>(ForkKind::Daemon), WrapperPath))
      return false;
    Model.Wrappers.push_back(std::move(Wrapper));
  }
  const json::Array *AtFork = array(*O, "atfork", P);
  if (!AtFork)
    return false;
  json::Path AtForkPath = P.field("atfork");
  for (size_t I = 0; I < AtFork->size(); ++I) {
    json::Path HandlersPath = AtForkPath.index(I);
    const json::Object *H = object(&(*AtFork)[I], HandlersPath);
    AtForkModel Handlers;
    if (!H ||
        !location(H->get("loc"), Handlers.Loc, HandlersPath.field("loc")) ||
        !string(*H, "prepare", Handlers.Prepare, HandlersPath) ||
        !string(*H, "prepareName", Handlers.PrepareName, HandlersPath) ||
        !string(*H, "parent", Handlers.Parent, HandlersPath) ||
        !string(*H, "child", Handlers.Child, HandlersPath))
      return false;
    Model.AtForkHandlers.push_back(std::move(Handlers));
  }
  return mutexUses(O->getObject("mutexLocks"), Model.MutexLocks,
                   P.field("mutexLocks")) &&
         mutexUses(O->getObject("mutexUnlocks"), Model.MutexUnlocks,
                   P.field("mutexUnlocks"));
}

bool Reader::mutexUses(const json::Object *Uses,
                       std::map<std::string, std::vector<std::string>> &Out,
                       json::Path P) const {
  if (!Uses) {
    P.report("expected an object");
    return false;
  }
  for (const auto &[Function, Mutexes] : *Uses)
    if (!strings(&Mutexes, Out[Function.str()], P.field(Function)))
      return false;
  return true;
}

} // namespace

std::string writeUnitSummary(const UnitSummary &Summary) {
  Writer W;
  json::Value Model = W.model(Summary.Model);
  json::Array Inputs;
  for (const auto &[File, Hash] : Summary.Inputs)
    Inputs.push_back(json::Array{File, Hash});
  json::Object Document{{"format", Format},
                        {"version", Version},
                        {"source", Summary.Source},
                        {"options", Summary.OptionsKey},
                        {"inputs", std::move(Inputs)},
                        {"files", json::Array(W.Files)},
                        {"strings", json::Array(W.Strings)},
                        {"model", std::move(Model)}};
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << json::Value(std::move(Document));
  return Text;
}

llvm::Expected<UnitSummary> readUnitSummary(llvm::StringRef Text,
                                            llvm::StringRef Origin) {
  auto Fail = [&](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s: not a valid forksafety summary: %s",
                                   Origin.str().c_str(), Why.str().c_str());
  };
  llvm::Expected<json::Value> Parsed = json::parse(Text);
  if (!Parsed)
    return Fail(llvm::toString(Parsed.takeError()));
  const json::Object *O = Parsed->getAsObject();
  if (!O || O->getString("format") != Format)
    return Fail("it does not start with the format tag '" + Format + "'");
  if (O->getInteger("version") != Version)
    return Fail("it has format version " +
                std::to_string(O->getInteger("version").value_or(-1)) +
                ", this tool reads version " + std::to_string(Version));
  Reader R;
  UnitSummary Summary;
  json::Path::Root Root("summary");
  json::Path P(Root);
  auto Check = [&](bool OK) -> llvm::Error {
    if (OK)
      return llvm::Error::success();
    std::string Why;
    llvm::raw_string_ostream OS(Why);
    OS << llvm::toString(Root.getError());
    return Fail(Why);
  };
  if (llvm::Error E =
          Check(R.strings(O->get("files"), R.Files, P.field("files")) &&
                R.strings(O->get("strings"), R.Strings, P.field("strings")) &&
                R.string(*O, "source", Summary.Source, P) &&
                R.string(*O, "options", Summary.OptionsKey, P)))
    return std::move(E);
  const json::Array *Inputs = R.array(*O, "inputs", P);
  if (llvm::Error E = Check(Inputs != nullptr))
    return std::move(E);
  for (size_t I = 0; I < Inputs->size(); ++I) {
    const json::Array *Pair = (*Inputs)[I].getAsArray();
    std::optional<llvm::StringRef> File, Hash;
    if (Pair && Pair->size() == 2) {
      File = (*Pair)[0].getAsString();
      Hash = (*Pair)[1].getAsString();
    }
    if (!File || !Hash) {
      P.field("inputs").index(I).report("expected [file, hash]");
      return Check(false);
    }
    Summary.Inputs.emplace_back(File->str(), Hash->str());
  }
  if (llvm::Error E =
          Check(R.model(O->get("model"), Summary.Model, P.field("model"))))
    return std::move(E);
  return Summary;
}

} // namespace forksafety
