//===- ModelSerialization.cpp - Program models on disk --------------------===//

#include "Core/ModelSerialization.h"

#include "llvm/Support/JSON.h"

#include <map>

namespace forksafety {

namespace json = llvm::json;

namespace {

constexpr llvm::StringLiteral Format = "forksafety-summary";
constexpr int64_t Version = SummaryFormatVersion;

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

  json::Value operation(const Operation &Op) {
    json::Object Result{{"kind", static_cast<int>(Op.Kind)},
                        {"safety", static_cast<int>(Op.Safety)},
                        {"subject", Op.Subject}};
    if (!Op.Reason.empty())
      Result["reason"] = Op.Reason;
    if (Op.IsExit)
      Result["exit"] = true;
    if (Op.IsExecPathSearch)
      Result["execp"] = true;
    return Result;
  }

  json::Value event(const ModelEvent &Event) {
    json::Object Result{{"kind", static_cast<int>(Event.Kind)},
                        {"element", Event.Element},
                        {"loc", location(Event.Loc)},
                        {"op", operation(Event.Op)}};
    if (!Event.Callee.empty())
      Result["callee"] = Event.Callee;
    if (Event.OnlyAllocates)
      Result["allocates"] = true;
    if (!Event.Mutex.empty())
      Result["mutex"] = Event.Mutex;
    if (Event.ExitFix)
      Result["fix"] = json::Object{{"begin", location(Event.ExitFix->Begin)},
                                   {"end", location(Event.ExitFix->End)},
                                   {"text", Event.ExitFix->Replacement}};
    return Result;
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
    json::Object Calls;
    for (const auto &[Caller, Callees] : Model.Calls)
      Calls[Caller] = json::Array(Callees);
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
                        {"addressTaken", json::Array(Model.AddressTaken)},
                        {"wrappers", std::move(Wrappers)},
                        {"atfork", std::move(AtFork)},
                        {"mutexLocks", Uses(Model.MutexLocks)},
                        {"mutexUnlocks", Uses(Model.MutexUnlocks)}};
  }

  std::vector<std::string> Files;

private:
  std::map<std::string, size_t> FileIndex;
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

  bool operation(const json::Value *V, Operation &Op, json::Path P) const {
    const json::Object *O = object(V, P);
    if (!O || !enumerator(*O, "kind", Op.Kind, 5, P) ||
        !enumerator(*O, "safety", Op.Safety, 2, P) ||
        !string(*O, "subject", Op.Subject, P))
      return false;
    if (std::optional<llvm::StringRef> Reason = O->getString("reason"))
      Op.Reason = Reason->str();
    Op.IsExit = O->getBoolean("exit").value_or(false);
    Op.IsExecPathSearch = O->getBoolean("execp").value_or(false);
    return true;
  }

  bool event(const json::Value &V, ModelEvent &Event, json::Path P) const {
    const json::Object *O = object(&V, P);
    if (!O || !enumerator(*O, "kind", Event.Kind, 4, P) ||
        !unsignedInt(*O, "element", Event.Element, P) ||
        !location(O->get("loc"), Event.Loc, P.field("loc")) ||
        !operation(O->get("op"), Event.Op, P.field("op")))
      return false;
    if (std::optional<llvm::StringRef> Callee = O->getString("callee"))
      Event.Callee = Callee->str();
    if (Event.Kind == ModelEvent::Call && Event.Callee.empty()) {
      P.field("callee").report("expected the callee of a call");
      return false;
    }
    Event.OnlyAllocates = O->getBoolean("allocates").value_or(false);
    if (std::optional<llvm::StringRef> Mutex = O->getString("mutex"))
      Event.Mutex = Mutex->str();
    if (const json::Value *Fix = O->get("fix")) {
      const json::Object *F = object(Fix, P.field("fix"));
      TextEdit Edit;
      if (!F || !location(F->get("begin"), Edit.Begin, P.field("fix")) ||
          !location(F->get("end"), Edit.End, P.field("fix")) ||
          !string(*F, "text", Edit.Replacement, P.field("fix")))
        return false;
      Event.ExitFix = std::move(Edit);
    }
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
  const json::Object *Calls = O->getObject("calls");
  if (!Forks || !Functions || !Threads || !Calls) {
    if (!Calls)
      P.field("calls").report("expected an object");
    return false;
  }
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
  for (const auto &[Caller, Callees] : *Calls)
    if (!strings(&Callees, Model.Calls[Caller.str()],
                 P.field("calls").field(Caller)))
      return false;
  if (!strings(O->get("addressTaken"), Model.AddressTaken,
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
