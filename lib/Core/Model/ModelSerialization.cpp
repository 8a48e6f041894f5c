//===- ModelSerialization.cpp - Program models on disk --------------------===//

#include "Core/Model/ModelSerialization.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/NativeFormatting.h"
#include "llvm/Support/Path.h"

#include <array>
#include <climits>
#include <limits>
#include <map>
#include <string>
#include <type_traits>

namespace forksafety {

namespace json = llvm::json;

namespace {

constexpr llvm::StringLiteral Format = "forksafety-summary";
constexpr int64_t Version = SummaryFormatVersion;
constexpr int ExitFlag = 1, ExecpFlag = 2, AllocatesFlag = 4,
              SystemCallFlag = 8, LocksFlag = 16;
constexpr int LeavesFlag = 1, LoopsFlag = 2, ContinuesFlag = 4;
constexpr int FailedFlag = 1, OnlyOnSuccessFlag = 2;
constexpr size_t NodeFields = 7, EventFields = 18, EdgeFields = 6,
                 ConditionFields = 4, ArgumentFields = 4,
                 ParameterCallFields = 2;

/// Packed integers are written in base 32 without separators: the last
/// digit of each from LastDigits, the ones before it from LeadingDigits,
/// and "-" before a negative one. Small integers, the most common, take
/// one character, where decimal lists take two, and no character needs
/// escaping in JSON.
constexpr char LastDigits[] = "0123456789abcdefghijklmnopqrstuv";
constexpr char LeadingDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&*";
static_assert(sizeof(LastDigits) == 33 && sizeof(LeadingDigits) == 33);

/// The value of each character as a digit of a packed integer: 0 to 31 for
/// a leading digit, 32 to 63 for a last one, NotADigit for others.
constexpr uint8_t NotADigit = 64;
constexpr std::array<uint8_t, 256> packedDigitValues() {
  std::array<uint8_t, 256> Values{};
  for (uint8_t &Value : Values)
    Value = NotADigit;
  for (uint8_t I = 0; I < 32; ++I) {
    Values[static_cast<unsigned char>(LeadingDigits[I])] = I;
    Values[static_cast<unsigned char>(LastDigits[I])] = 32 + I;
  }
  return Values;
}
constexpr std::array<uint8_t, 256> PackedDigitValues = packedDigitValues();

/// The name a C function's USR spells (`c:@F@name`, `c:file.c@F@name`),
/// empty for other USRs. Where it is the name to report, the summary leaves
/// the name out: a function's `name`, and the subject of a call's event
/// (written as SubjectInCallee).
llvm::StringRef nameInUsr(llvm::StringRef Usr) {
  Usr = usrWithoutFile(Usr);
  size_t At = Usr.rfind("@F@");
  if (!Usr.starts_with("c:") || At == llvm::StringRef::npos)
    return {};
  return Usr.drop_front(At + 3);
}
constexpr int64_t SubjectInCallee = -1;

/// Whether \p Text, printable ASCII without quotes or backslashes, is a
/// JSON string's content as it is: neither writing nor reading it needs
/// escapes or checks.
bool isPlainJSONText(llvm::StringRef Text) {
  return llvm::all_of(
      Text, [](char C) { return llvm::isPrint(C) && C != '"' && C != '\\'; });
}

/// Writes ASCII \p Text quoted, with the escapes llvm::json writes: names,
/// USRs (which hold separators below space) and paths need no UTF-8
/// checks and no copy into a json::Value.
void quoteASCII(llvm::raw_ostream &OS, llvm::StringRef Text) {
  OS << '"';
  while (!Text.empty()) {
    size_t Plain =
        llvm::find_if(Text,
                      [](char C) {
                        return static_cast<unsigned char>(C) < 0x20 ||
                               C == '"' || C == '\\';
                      }) -
        Text.begin();
    OS << Text.take_front(Plain);
    Text = Text.drop_front(Plain);
    if (Text.empty())
      break;
    char C = Text.front();
    Text = Text.drop_front();
    OS << '\\';
    switch (C) {
    case '"':
    case '\\':
      OS << C;
      break;
    case '\t':
      OS << 't';
      break;
    case '\n':
      OS << 'n';
      break;
    case '\r':
      OS << 'r';
      break;
    default:
      OS << 'u';
      llvm::write_hex(OS, static_cast<unsigned char>(C),
                      llvm::HexPrintStyle::Lower, 4);
    }
  }
  OS << '"';
}

/// Writes \p Text as a JSON string; text that is not ASCII goes through
/// llvm::json, which checks and mends its UTF-8.
void stringValue(json::OStream &J, llvm::StringRef Text) {
  if (!llvm::all_of(Text, [](char C) { return llvm::isASCII(C); })) {
    J.value(Text);
    return;
  }
  J.rawValue([&](llvm::raw_ostream &OS) { quoteASCII(OS, Text); });
}

void stringAttribute(json::OStream &J, llvm::StringRef Key,
                     llvm::StringRef Text) {
  J.attributeBegin(Key);
  stringValue(J, Text);
  J.attributeEnd();
}

bool sameThreadsAndSince(const LiveThreads &A, const LiveThreads &B) {
  return sameThreads(A, B) && A.JoinedSince == B.JoinedSince &&
         A.CalledSince == B.CalledSince && A.OnlyOnSuccess == B.OnlyOnSuccess;
}

/// The files and strings of a summary, written once in its first line;
/// locations and strings in the records refer to them by index.
struct Tables {
  std::vector<std::string> Files;
  std::vector<std::string> Strings;
  llvm::DenseMap<InternedString, size_t> FileIndex;
  llvm::StringMap<size_t> StringIndex;
  /// StringIndex, looked up by address.
  llvm::DenseMap<InternedString, size_t> InternedIndex;
  /// SummaryLayout::SharedThreads: each distinct record of threads, as
  /// Writer::threads packs it, and its index.
  bool SharedThreads = false;
  std::vector<std::string> ThreadRecords;
  llvm::StringMap<int64_t> ThreadIndex;
  llvm::DenseMap<const LiveThreads *, int64_t> ThreadIndexByAddress;
  /// By what a record holds, its names compared by address (threadsKey):
  /// most records repeat, and need not be packed again to be found.
  llvm::StringMap<int64_t> ThreadIndexByContent;
};

/// Streams the records of a model as JSON, without building them in memory
/// first.
class Writer {
public:
  Writer(json::OStream &J, Tables &T) : J(J), T(T) {}

  void location(const Location &Loc) {
    if (!Loc.isValid()) {
      J.value(nullptr);
      return;
    }
    J.array([&] {
      J.value(file(Loc.File));
      J.value(Loc.Line);
      J.value(Loc.Column);
      J.value(Loc.EndColumn);
    });
  }

  /// A location as four integers, [file, line, column, end column], file -1
  /// when it is not valid.
  void flatLocation(const Location &Loc) {
    put(Loc.isValid() ? file(Loc.File) : -1);
    put(Loc.Line);
    put(Loc.Column);
    put(Loc.EndColumn);
  }

  /// The attribute \p Key: the integers \p Values puts, as one string,
  /// "10-1" for 1, 0 and -1. A JSON reader makes one value of it, where an
  /// array costs a value per integer, copied each time the array grows.
  void packed(llvm::StringRef Key, llvm::function_ref<void()> Values) {
    J.attributeBegin(Key);
    packedValue(Values);
    J.attributeEnd();
  }
  void packedValue(llvm::function_ref<void()> Values) {
    PackedText Text = packedText(Values);
    // Digits and signs: nothing to check or escape.
    J.rawValue([&](llvm::raw_ostream &OS) { OS << '"' << Text << '"'; });
  }
  /// Graphs put millions of integers: each is one append to a buffer that
  /// grows by doubling.
  using PackedText = llvm::SmallString<256>;
  PackedText packedText(llvm::function_ref<void()> Values) {
    PackedText Text;
    // A shared record of threads is packed within a list.
    PackedText *Outer = std::exchange(Packed, &Text);
    Values();
    Packed = Outer;
    return Text;
  }

  /// One integer of the string packed() writes (see LastDigits).
  template <typename Integer> void put(Integer Value) {
    static_assert(std::is_integral_v<Integer>, "put writes integers");
    assert(Packed && "an integer outside a packed attribute");
    bool Negative = false;
    if constexpr (std::is_signed_v<Integer>)
      Negative = Value < 0;
    uint64_t Magnitude = static_cast<uint64_t>(Value);
    if (Negative)
      Magnitude = 0 - Magnitude;
    char Digits[16]; // A sign and 13 digits of 5 bits.
    char *End = std::end(Digits), *Begin = End;
    *--Begin = LastDigits[Magnitude & 31];
    while (Magnitude >>= 5)
      *--Begin = LeadingDigits[Magnitude & 31];
    if (Negative)
      *--Begin = '-';
    Packed->append(Begin, End);
  }

  /// EventFields integers: [kind, element, file, line, column, end column,
  /// operation
  /// kind, safety, subject, reason, flags, callee, mutex, exit fix line,
  /// column, end line, end column, replacement], the fix all 0 if none.
  void event(const ModelEvent &Event) {
    const Operation &Op = Event.Op;
    int Flags = (Op.IsExit ? ExitFlag : 0) |
                (Op.IsExecPathSearch ? ExecpFlag : 0) |
                (Event.OnlyAllocates ? AllocatesFlag : 0) |
                (Event.SystemCall ? SystemCallFlag : 0) |
                (Op.TakesLocks ? LocksFlag : 0);
    put(static_cast<int>(Event.Kind));
    put(Event.Element);
    flatLocation(Event.Loc);
    put(static_cast<int>(Op.Kind));
    put(static_cast<int>(Op.Safety));
    put(Event.Kind == ModelEvent::Call && Op.Subject == nameInUsr(Event.Callee)
            ? SubjectInCallee
            : str(Op.Subject));
    put(str(Op.Reason));
    put(Flags);
    put(str(Event.Callee));
    put(str(Event.Mutex));
    const std::optional<TextEdit> &Fix = Event.ExitFix;
    put(Fix ? Fix->Begin.Line : 0);
    put(Fix ? Fix->Begin.Column : 0);
    put(Fix ? Fix->End.Line : 0);
    put(Fix ? Fix->End.Column : 0);
    put(Fix ? str(Fix->Replacement) : 0);
  }

  /// Graphs are the bulk of a summary: flat arrays of integers, which JSON
  /// readers copy cheaply. Each node is NodeFields integers, [events,
  /// edges, returns, file, line, column, end column of the return]; its
  /// events and edges follow those of the nodes before it. Each edge is
  /// EdgeFields integers, [to, flags, file, line, column, end column where
  /// it leaves child-only code].
  void graph(const PathGraph &Graph) {
    J.object([&] {
      J.attribute("analysed", Graph.Analysed);
      packed("nodes", [&] {
        for (const ModelNode &Node : Graph.Nodes) {
          put(Node.Events.size());
          put(Node.Successors.size());
          put(Node.Returns ? 1 : 0);
          flatLocation(Node.ReturnLoc);
        }
      });
      packed("events", [&] {
        for (const ModelNode &Node : Graph.Nodes)
          for (const ModelEvent &Event : Node.Events)
            event(Event);
      });
      packed("edges", [&] {
        for (const ModelNode &Node : Graph.Nodes)
          for (const ModelEdge &Edge : Node.Successors) {
            put(Edge.To);
            put((Edge.Leaves ? LeavesFlag : 0) |
                (Edge.Leaves && Edge.Leaves->LoopsBack ? LoopsFlag : 0) |
                (Edge.IntoContinuation ? ContinuesFlag : 0));
            flatLocation(Edge.Leaves ? Edge.Leaves->Loc : Location());
          }
      });
      conditionsAndArguments(Graph);
    });
  }

  /// Few edges test parameters, few calls have known arguments and few go
  /// through parameters: each is listed apart, ConditionFields integers per
  /// condition, [edge, parameter, operator, value], ArgumentFields per
  /// argument, [event, position, kind, value] (one per function for
  /// Functions, the value a string), and ParameterCallFields per call
  /// through a parameter, [event, parameter], edges and events numbered
  /// across the graph.
  void conditionsAndArguments(const PathGraph &Graph) {
    size_t Edges = 0, Events = 0;
    bool AnyCondition = false, AnyArgument = false, AnyParameterCall = false;
    for (const ModelNode &Node : Graph.Nodes) {
      for (const ModelEdge &Edge : Node.Successors)
        AnyCondition |= Edge.Condition.has_value();
      for (const ModelEvent &Event : Node.Events) {
        AnyArgument |= !Event.Arguments.empty();
        AnyParameterCall |= Event.CalleeParameter.has_value();
      }
    }
    if (AnyCondition)
      packed("conditions", [&] {
        for (const ModelNode &Node : Graph.Nodes)
          for (const ModelEdge &Edge : Node.Successors) {
            if (const std::optional<ParameterCondition> &C = Edge.Condition) {
              put(Edges);
              put(C->Param);
              put(static_cast<int>(C->Op));
              put(C->Value);
            }
            ++Edges;
          }
      });
    if (AnyArgument)
      packed("arguments", [&] {
        for (const ModelNode &Node : Graph.Nodes)
          for (const ModelEvent &Event : Node.Events) {
            for (const KnownArgument &Argument : Event.Arguments) {
              auto Entry = [&](int64_t Value) {
                put(Events);
                put(Argument.Position);
                put(static_cast<int>(Argument.Kind));
                put(Value);
              };
              if (Argument.Kind != KnownArgument::Function)
                Entry(Argument.Value);
              for (const std::string &Function : Argument.Functions)
                Entry(static_cast<int64_t>(str(Function)));
            }
            ++Events;
          }
      });
    Events = 0;
    if (AnyParameterCall)
      packed("parameterCalls", [&] {
        for (const ModelNode &Node : Graph.Nodes)
          for (const ModelEvent &Event : Node.Events) {
            if (Event.CalleeParameter) {
              put(Events);
              put(*Event.CalleeParameter);
            }
            ++Events;
          }
      });
  }

  void strings(llvm::StringRef Key, const std::vector<std::string> &Values) {
    J.attributeArray(Key, [&] {
      for (const std::string &Value : Values)
        J.value(Value);
    });
  }

  /// Threads are the bulk of a summary after graphs: a function that calls
  /// into other files leaves one record per call, each called since the
  /// earlier ones. Each is put as integers, [kind, key, object, joined
  /// count, joined since..., called count, called since: usr, object...,
  /// file, line, column, end column where created, flags].
  void threads(const LiveThreads &Threads) {
    put(static_cast<int>(Threads.Kind));
    put(str(Threads.Key));
    put(str(Threads.Object));
    put(static_cast<int64_t>(Threads.JoinedSince.size()));
    for (InternedString Joined : Threads.JoinedSince)
      put(str(Joined));
    put(static_cast<int64_t>(Threads.CalledSince.size()));
    for (const ExternalCall &Call : Threads.CalledSince) {
      put(str(Call.Usr));
      put(str(Call.Object));
    }
    flatLocation(Threads.Created);
    put((Threads.Failed ? FailedFlag : 0) |
        (Threads.OnlyOnSuccess ? OnlyOnSuccessFlag : 0));
  }

  /// A list of threads as one packed string.
  void threadList(const std::vector<LiveThreads> &List) {
    packedValue([&] {
      for (const LiveThreads &Threads : List)
        threadsInList(Threads);
    });
  }

  /// \p Threads in a list: in place, or as -1 - its index in the table of
  /// shared records.
  void threadsInList(const LiveThreads &Threads) {
    if (T.SharedThreads)
      put(-1 - sharedIndex(Threads));
    else
      threads(Threads);
  }

  /// The table of every record of threads \p Model's lists hold, once each.
  void sharedThreads(const ProgramModel &Model) {
    auto Add = [&](const std::vector<LiveThreads> &List) {
      for (const LiveThreads &Threads : List)
        sharedIndex(Threads);
    };
    for (const ForkModel &Fork : Model.Forks)
      for (const auto *List : {&Fork.ThreadsAtFork, &Fork.ThreadsSinceEntry})
        if (*List)
          Add(**List);
    for (const auto &[Caller, Callees] : Model.ThreadsAtCalls)
      for (const auto &[Callee, Running] : Callees)
        Add(Running);
    for (const auto &[Usr, Effect] : Model.ThreadEffects)
      Add(Effect.Leaves);
    J.rawValue([&](llvm::raw_ostream &OS) {
      OS << '"' << llvm::join(T.ThreadRecords, "") << '"';
    });
  }

  void calls(const std::set<ExternalCall> &Calls) {
    J.array([&] {
      for (const ExternalCall &Call : Calls) {
        J.value(str(Call.Usr));
        J.value(str(Call.Object));
      }
    });
  }

  /// [usr, [leaves...], [joins...], [calls: usr, object...]]
  void effect(const std::string &Usr, const ThreadEffect &Effect) {
    J.array([&] {
      J.value(str(Usr));
      threadList(Effect.Leaves);
      J.array([&] {
        for (InternedString Joined : Effect.Joins)
          J.value(str(Joined));
      });
      calls(Effect.Calls);
    });
  }

  /// {"function": [strings...], ...}: the mutexes functions lock, the
  /// types of the functions they call through pointers.
  void stringLists(llvm::StringRef Key,
                   const std::map<std::string, std::vector<std::string>> &M) {
    J.attributeObject(Key, [&] {
      for (const auto &[Function, Values] : M)
        strings(Function, Values);
    });
  }

  /// One record of a summary line: {"Key": {...}}.
  void record(llvm::StringRef Key, llvm::function_ref<void()> Attributes) {
    J.object([&] { J.attributeObject(Key, Attributes); });
  }
  /// One record of a summary line whose value \p Value writes.
  void recordValue(llvm::StringRef Key, llvm::function_ref<void()> Value) {
    J.object([&] {
      J.attributeBegin(Key);
      Value();
      J.attributeEnd();
    });
  }

  /// [caller, callee, "threads, or -1 - an index into Table..."]
  void threadsAtCall(const std::string &Caller, const std::string &Callee,
                     const std::vector<LiveThreads> &Running,
                     const std::vector<const LiveThreads *> &Table) {
    J.array([&] {
      J.value(str(Caller));
      J.value(str(Callee));
      packedValue([&] {
        for (const LiveThreads &Threads : Running) {
          auto It = llvm::find_if(Table, [&](const LiveThreads *Known) {
            return sameThreadsAndSince(*Known, Threads);
          });
          if (It != Table.end())
            put(-1 - static_cast<int64_t>(It - Table.begin()));
          else
            threadsInList(Threads);
        }
      });
    });
  }

  /// [caller, "threads..."]: the threads main's calls share.
  void threadsTable(const std::string &Caller,
                    const std::vector<const LiveThreads *> &Table) {
    J.array([&] {
      J.value(str(Caller));
      packedValue([&] {
        for (const LiveThreads *Threads : Table)
          threads(*Threads);
      });
    });
  }

  /// [caller, callee...]
  void calls(const std::string &Caller,
             const std::vector<std::string> &Callees) {
    J.array([&] {
      J.value(str(Caller));
      for (const std::string &Callee : Callees)
        J.value(str(Callee));
    });
  }

  /// [callee, position, function...]
  void functionsPassed(const std::string &Callee, unsigned Position,
                       const std::vector<std::string> &Functions) {
    J.array([&] {
      J.value(str(Callee));
      J.value(Position);
      for (const std::string &Function : Functions)
        J.value(str(Function));
    });
  }

  void function(const std::string &Usr, const FunctionModel &Function) {
    stringAttribute(J, "usr", Usr);
    if (Function.Name != nameInUsr(Usr))
      stringAttribute(J, "name", Function.Name);
    J.attributeBegin("loc");
    location(Function.Loc);
    J.attributeEnd();
  }

  void continuation(const std::string &Key, const PathGraph &Paths) {
    J.attribute("key", Key);
    J.attributeBegin("paths");
    graph(Paths);
    J.attributeEnd();
  }

  /// What the model holds besides forks, functions and continuations.
  void program(const ProgramModel &Model) {
    J.attributeArray("mains", [&] {
      for (const std::string &Main : Model.Mains)
        J.value(Main);
    });
    J.attributeArray("threadCreations", [&] {
      for (const ThreadCreationModel &Creation : Model.ThreadCreations)
        J.object([&] {
          J.attributeBegin("loc");
          location(Creation.Loc);
          J.attributeEnd();
          J.attribute("what", Creation.What);
          J.attribute("function", Creation.FunctionUsr);
          if (Creation.JoinedBeforeReturn)
            J.attribute("joined", true);
        });
    });
    J.attributeArray("addressTaken", [&] {
      for (const std::string &Usr : Model.AddressTaken)
        J.value(str(Usr));
    });
    J.attributeArray("wrappers", [&] {
      for (const WrapperModel &Wrapper : Model.Wrappers)
        J.object([&] {
          J.attribute("usr", Wrapper.Usr);
          J.attribute("name", Wrapper.Name);
          J.attribute("kind", static_cast<int>(Wrapper.Kind));
          if (!Wrapper.AssumedWrapper.empty())
            J.attribute("assumedWrapper", Wrapper.AssumedWrapper);
        });
    });
    J.attributeArray("atfork", [&] {
      for (const AtForkModel &Handlers : Model.AtForkHandlers)
        J.object([&] {
          J.attributeBegin("loc");
          location(Handlers.Loc);
          J.attributeEnd();
          J.attribute("prepare", Handlers.Prepare);
          J.attribute("prepareName", Handlers.PrepareName);
          J.attribute("parent", Handlers.Parent);
          J.attribute("child", Handlers.Child);
        });
    });
    stringLists("mutexLocks", Model.MutexLocks);
    stringLists("mutexUnlocks", Model.MutexUnlocks);
    stringLists("indirectCalls", Model.IndirectCalls);
    stringLists("indirectCallsInLoops", Model.IndirectCallsInLoops);
    J.attributeObject("tableFunctions", [&] {
      for (const auto &[Usr, Type] : Model.TableFunctions)
        J.attribute(Usr, Type);
    });
  }

  void fork(const ForkModel &Fork) {
    J.attributeBegin("loc");
    location(Fork.Loc);
    J.attributeEnd();
    J.attribute("kind", static_cast<int>(Fork.Kind));
    J.attribute("fork", Fork.ForkFunction);
    J.attribute("function", Fork.FunctionName);
    J.attribute("functionUsr", Fork.FunctionUsr);
    J.attribute("inWrapper", Fork.InWrapper);
    if (!Fork.AssumedWrapper.empty())
      J.attribute("assumedWrapper", Fork.AssumedWrapper);
    if (!Fork.WrapperUsr.empty())
      J.attribute("wrapper", Fork.WrapperUsr);
    J.attribute("threadsMayExist", Fork.ThreadsMayExist);
    if (Fork.ChildOf) {
      J.attributeBegin("childOf");
      location(*Fork.ChildOf);
      J.attributeEnd();
    }
    if (Fork.ThreadsAtFork) {
      J.attributeBegin("threads");
      threadList(*Fork.ThreadsAtFork);
      J.attributeEnd();
    }
    if (Fork.ThreadsSinceEntry) {
      J.attributeBegin("threadsSinceEntry");
      threadList(*Fork.ThreadsSinceEntry);
      J.attributeEnd();
    }
    J.attributeArray("callersAssumed", [&] {
      for (const auto &Entry : Fork.CallersAssumed)
        J.array([&] {
          J.value(str(Entry.first));
          for (const std::string &Caller : Entry.second)
            J.value(str(Caller));
        });
    });
    J.attributeBegin("child");
    graph(Fork.Child);
    J.attributeEnd();
    if (!Fork.Continuation.empty())
      J.attribute("continuation", Fork.Continuation);
  }

private:
  int64_t sharedIndex(const LiveThreads &Threads) {
    // sharedThreads indexes the records the lists then refer to: each is
    // packed once.
    auto [Known, New] = T.ThreadIndexByAddress.try_emplace(&Threads, 0);
    if (!New)
      return Known->second;
    llvm::SmallVector<uintptr_t, 24> Key;
    threadsKey(Threads, Key);
    auto [Same, First] = T.ThreadIndexByContent.try_emplace(
        llvm::StringRef(reinterpret_cast<const char *>(Key.data()),
                        Key.size() * sizeof(uintptr_t)),
        0);
    if (First) {
      PackedText Text = packedText([&] { threads(Threads); });
      auto [It, Inserted] =
          T.ThreadIndex.try_emplace(Text, T.ThreadRecords.size());
      if (Inserted)
        T.ThreadRecords.push_back(Text.str().str());
      Same->second = It->second;
    }
    Known->second = Same->second;
    return Same->second;
  }
  /// What threads() packs, as words: interned names are equal exactly when
  /// their addresses are.
  static void threadsKey(const LiveThreads &Threads,
                         llvm::SmallVectorImpl<uintptr_t> &Words) {
    auto Name = [&](InternedString S) {
      Words.push_back(reinterpret_cast<uintptr_t>(S.address()));
    };
    Words.push_back(Threads.Kind);
    Name(Threads.Key);
    Name(Threads.Object);
    Words.push_back(Threads.JoinedSince.size());
    for (InternedString Joined : Threads.JoinedSince)
      Name(Joined);
    Words.push_back(Threads.CalledSince.size());
    for (const ExternalCall &Call : Threads.CalledSince) {
      Name(Call.Usr);
      Name(Call.Object);
    }
    const Location &Created = Threads.Created;
    Name(Created.File);
    for (unsigned Value : {Created.Line, Created.Column, Created.EndColumn})
      Words.push_back(Value);
    Words.push_back(Threads.Failed + 2 * Threads.OnlyOnSuccess);
  }
  int64_t file(InternedString File) {
    auto [It, Inserted] = T.FileIndex.try_emplace(File, T.Files.size());
    if (Inserted)
      T.Files.push_back(File.str());
    return static_cast<int64_t>(It->second);
  }
  int64_t str(InternedString S) {
    auto [It, Inserted] = T.InternedIndex.try_emplace(S, 0);
    if (Inserted)
      It->second = str(S.str());
    return static_cast<int64_t>(It->second);
  }
  /// Strings repeat (callees, reasons): they are written once.
  int64_t str(const std::string &S) {
    auto [It, Inserted] = T.StringIndex.try_emplace(S, T.Strings.size());
    if (Inserted)
      T.Strings.push_back(S);
    return static_cast<int64_t>(It->second);
  }

  json::OStream &J;
  Tables &T;
  /// Where put() writes, within packed().
  PackedText *Packed = nullptr;
};

/// Integers in base 32, as Writer::packedText writes them.
struct PackedIntegers {
  std::vector<int64_t> Values;
};

/// The sparse lists of a path graph, each packed.
struct GraphLists {
  std::optional<PackedIntegers> Conditions, Arguments, ParameterCalls;
};

/// The files and strings a summary's records refer to by index, interned
/// as they are read (threads and their keys refer to them). Shared with
/// the graphs the summary defers.
struct ReadTables {
  std::vector<InternedString> Files;
  std::vector<InternedString> Strings;
};

/// A path graph's packed lists, as read before they make its nodes.
struct GraphText {
  PackedIntegers Nodes, Events, Edges;
  GraphLists Lists;
  /// The next event and edge a node takes, in the order nodes are read.
  struct Cursor {
    size_t Event = 0, Edge = 0;
  };
};

/// Reads what Writer wrote. Every accessor reports what it expected, and
/// where, through the json::Path it is given.
class Reader {
public:
  bool location(const json::Value *V, Location &Loc, json::Path P) const {
    if (!V || V->kind() == json::Value::Null)
      return true;
    const json::Array *A = V->getAsArray();
    if (!A || A->size() != 4 ||
        !location((*A)[0].getAsInteger(), (*A)[1].getAsInteger(),
                  (*A)[2].getAsInteger(), (*A)[3].getAsInteger(), Loc) ||
        !Loc.isValid()) {
      P.report("expected a valid [file, line, column, end column]");
      return false;
    }
    return true;
  }

  const json::Object *object(const json::Value *V, json::Path P) const {
    const json::Object *O = V ? V->getAsObject() : nullptr;
    if (!O)
      P.report("expected an object");
    return O;
  }

  /// The event of EventFields integers at \p At in \p A.
  bool event(llvm::ArrayRef<int64_t> A, size_t At, ModelEvent &Event,
             json::Path P) const {
    auto Int = [&](size_t I) { return std::optional<int64_t>(A[At + I]); };
    auto Str = [&](size_t I) { return string(A[At + I]); };
    std::optional<int64_t> Kind = Int(0), Element = Int(1), OpKind = Int(6),
                           Safety = Int(7), Flags = Int(10);
    std::optional<llvm::StringRef> Reason = Str(9), Mutex = Str(12);
    std::optional<InternedString> Callee = interned(A[At + 11]);
    std::optional<llvm::StringRef> Subject =
        A[At + 8] == SubjectInCallee && Kind == ModelEvent::Call && Callee
            ? std::optional(nameInUsr(*Callee))
            : Str(8);
    if (!Kind || *Kind < 0 || *Kind > ModelEvent::Unreachable || !Element ||
        *Element < 0 || !OpKind || *OpKind < 0 ||
        *OpKind > static_cast<int>(OperationKind::Return) || !Safety ||
        *Safety < 0 ||
        *Safety > static_cast<int>(Verdict::NotAllowedAfterVfork) || !Flags ||
        !Subject || !Reason || !Callee || !Mutex ||
        !location(Int(2), Int(3), Int(4), Int(5), Event.Loc)) {
      P.report("expected [kind, element, file, line, column, end column, "
               "operation kind, safety, subject, reason, flags, callee, mutex, "
               "fix...]");
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
    Event.SystemCall = *Flags & SystemCallFlag;
    Event.Op.TakesLocks = *Flags & LocksFlag;
    Event.Callee = *Callee;
    Event.Mutex = Mutex->str();
    if (Event.Kind == ModelEvent::Call && Event.Callee.empty()) {
      P.report("expected the callee of a call");
      return false;
    }
    std::optional<int64_t> Line = Int(13), Column = Int(14), EndLine = Int(15),
                           EndColumn = Int(16);
    std::optional<llvm::StringRef> Text = Str(17);
    if (!Line || !Column || !EndLine || !EndColumn || !Text || *Line < 0 ||
        *Column < 0 || *EndLine < 0 || *EndColumn < 0) {
      P.report("expected an exit fix [line, column, end line, end column, "
               "replacement]");
      return false;
    }
    if (*Line == 0)
      return true;
    TextEdit Edit;
    Edit.Begin = Event.Loc;
    Edit.Begin.EndColumn = 0;
    Edit.Begin.Line = static_cast<unsigned>(*Line);
    Edit.Begin.Column = static_cast<unsigned>(*Column);
    Edit.End = Edit.Begin;
    Edit.End.Line = static_cast<unsigned>(*EndLine);
    Edit.End.Column = static_cast<unsigned>(*EndColumn);
    Edit.Replacement = Text->str();
    Event.ExitFix = std::move(Edit);
    return true;
  }

  /// The string a table index refers to.
  std::optional<llvm::StringRef> string(const json::Value &Index) const {
    std::optional<int64_t> I = Index.getAsInteger();
    return I ? string(*I) : std::nullopt;
  }
  std::optional<llvm::StringRef> string(int64_t Index) const {
    if (std::optional<InternedString> S = interned(Index))
      return llvm::StringRef(*S);
    return std::nullopt;
  }
  std::optional<InternedString> interned(int64_t Index) const {
    if (Index < 0 || static_cast<size_t>(Index) >= Tables->Strings.size())
      return std::nullopt;
    return Tables->Strings[Index];
  }

  /// The integers of a string Writer::packedText wrote; none if \p V is
  /// not one.
  static std::optional<std::vector<int64_t>> integers(const json::Value &V) {
    std::optional<llvm::StringRef> Text = V.getAsString();
    if (!Text)
      return std::nullopt;
    std::vector<int64_t> Values;
    Values.reserve(Text->size());
    for (const char *At = Text->begin(), *End = Text->end(); At != End;) {
      bool Negative = *At == '-';
      if (Negative && ++At == End)
        return std::nullopt;
      // One way to write each integer: no leading zero, no "-0".
      if (*At == LeadingDigits[0])
        return std::nullopt;
      uint64_t Magnitude = 0;
      for (unsigned Digit = 0; Digit < 32;) {
        if (At == End || Magnitude >> 59)
          return std::nullopt; // Cut short, or above 64 bits.
        Digit = PackedDigitValues[static_cast<unsigned char>(*At++)];
        if (Digit == NotADigit)
          return std::nullopt;
        Magnitude = Magnitude << 5 | (Digit & 31);
      }
      constexpr uint64_t Largest = std::numeric_limits<int64_t>::max();
      if (Negative ? Magnitude == 0 || Magnitude > Largest + 1
                   : Magnitude > Largest)
        return std::nullopt;
      Values.push_back(Negative ? static_cast<int64_t>(0 - Magnitude)
                                : static_cast<int64_t>(Magnitude));
    }
    return Values;
  }

  /// [from, to...]: edges of a graph between USRs.
  bool edges(const json::Value &Body,
             std::map<std::string, std::vector<std::string>> &Into,
             json::Path P) const;

  template <typename String>
  bool indexedStrings(const json::Array &Indices, size_t From,
                      std::vector<String> &Out, json::Path P) const {
    for (size_t I = From; I < Indices.size(); ++I) {
      std::optional<int64_t> Index = Indices[I].getAsInteger();
      std::optional<InternedString> S = Index ? interned(*Index) : std::nullopt;
      if (!S) {
        P.report("expected indices into the string table");
        return false;
      }
      if constexpr (std::is_same_v<String, InternedString>)
        Out.push_back(*S);
      else
        Out.push_back(S->str());
    }
    return true;
  }

  /// A location written as four integers; file -1 for none. The end
  /// column is 0 for a point, or after the column.
  bool location(std::optional<int64_t> File, std::optional<int64_t> Line,
                std::optional<int64_t> Column, std::optional<int64_t> EndColumn,
                Location &Loc) const {
    if (!File || !Line || !Column || !EndColumn)
      return false;
    if (*File == -1)
      return true;
    if (*File < 0 || static_cast<size_t>(*File) >= Tables->Files.size() ||
        *Line <= 0 || *Column <= 0 || *Column > UINT_MAX || *Line > UINT_MAX ||
        (*EndColumn != 0 && (*EndColumn <= *Column || *EndColumn > UINT_MAX)))
      return false;
    Loc.File = Tables->Files[*File];
    Loc.Line = static_cast<unsigned>(*Line);
    Loc.Column = static_cast<unsigned>(*Column);
    Loc.EndColumn = static_cast<unsigned>(*EndColumn);
    return true;
  }

  bool graph(const json::Value &V, PathGraph &Graph, json::Path P) const;
  /// The lists of the graph \p V, each a whole number of items.
  static bool graphText(const json::Value &V, PathGraph &Graph, GraphText &Text,
                        json::Path P);
  /// Node \p Index of \p Text, whose events and edges start at \p Next.
  bool node(const GraphText &Text, size_t Index, GraphText::Cursor &Next,
            ModelNode &Node, json::Path P) const;

  /// The sparse lists of conditions on edges and known arguments of calls
  /// of \p Graph.
  bool conditionsAndArguments(const GraphLists &Lists, PathGraph &Graph,
                              json::Path P) const {
    std::vector<ModelEdge *> Edges;
    std::vector<ModelEvent *> Events;
    for (ModelNode &Node : Graph.Nodes) {
      for (ModelEdge &Edge : Node.Successors)
        Edges.push_back(&Edge);
      for (ModelEvent &Event : Node.Events)
        Events.push_back(&Event);
    }
    using ItemReader =
        bool (Reader::*)(llvm::ArrayRef<int64_t>, llvm::ArrayRef<ModelEdge *>,
                         llvm::ArrayRef<ModelEvent *>) const;
    struct List {
      const char *Key;
      const std::optional<PackedIntegers> &Values;
      size_t Fields;
      ItemReader Read;
      llvm::StringLiteral Expected;
    };
    for (const List &L :
         {List{"conditions", Lists.Conditions, ConditionFields,
               &Reader::condition,
               "expected [edge, parameter, operator, value]"},
          List{"arguments", Lists.Arguments, ArgumentFields, &Reader::argument,
               "expected [event, position, kind, value]"},
          List{"parameterCalls", Lists.ParameterCalls, ParameterCallFields,
               &Reader::parameterCall, "expected [event, parameter]"}}) {
      if (!L.Values)
        continue;
      llvm::ArrayRef<int64_t> Values = L.Values->Values;
      if (Values.size() % L.Fields != 0) {
        P.field(L.Key).report("expected a whole number of items");
        return false;
      }
      for (size_t At = 0; At < Values.size(); At += L.Fields)
        if (!(this->*L.Read)(Values.slice(At, L.Fields), Edges, Events)) {
          P.field(L.Key).index(At).report(L.Expected);
          return false;
        }
    }
    return true;
  }

  static bool isIndex(int64_t Value, size_t Size) {
    return Value >= 0 && static_cast<uint64_t>(Value) < Size;
  }
  static bool isUnsigned(int64_t Value) {
    return Value >= 0 && Value <= UINT_MAX;
  }

  /// [edge, parameter, operator, value].
  bool condition(llvm::ArrayRef<int64_t> Item,
                 llvm::ArrayRef<ModelEdge *> Edges,
                 llvm::ArrayRef<ModelEvent *>) const {
    int64_t Edge = Item[0], Param = Item[1], Op = Item[2], Value = Item[3];
    if (!isIndex(Edge, Edges.size()) || !isUnsigned(Param) || Op < 0 ||
        Op > ParameterCondition::GE)
      return false;
    Edges[Edge]->Condition =
        ParameterCondition{static_cast<unsigned>(Param),
                           static_cast<ParameterCondition::OpType>(Op), Value};
    return true;
  }

  /// [event, position, kind, value], the value of a Function the index of
  /// its USR: one item per function the argument may be.
  bool argument(llvm::ArrayRef<int64_t> Item, llvm::ArrayRef<ModelEdge *>,
                llvm::ArrayRef<ModelEvent *> Events) const {
    int64_t Event = Item[0], Position = Item[1], Kind = Item[2],
            Value = Item[3];
    if (!isIndex(Event, Events.size()) || !isUnsigned(Position) || Kind < 0 ||
        Kind > KnownArgument::Function ||
        (Kind == KnownArgument::Parameter && !isUnsigned(Value)))
      return false;
    std::vector<KnownArgument> &Arguments = Events[Event]->Arguments;
    if (Kind != KnownArgument::Function) {
      Arguments.push_back({static_cast<unsigned>(Position),
                           static_cast<KnownArgument::KindType>(Kind),
                           Value,
                           {}});
      return true;
    }
    std::optional<llvm::StringRef> Function = string(Value);
    if (!Function)
      return false;
    if (!Arguments.empty() && Arguments.back().Position == Position &&
        Arguments.back().Kind == KnownArgument::Function)
      Arguments.back().Functions.push_back(Function->str());
    else
      Arguments.push_back({static_cast<unsigned>(Position),
                           KnownArgument::Function,
                           0,
                           {Function->str()}});
    return true;
  }

  /// [event, parameter].
  bool parameterCall(llvm::ArrayRef<int64_t> Item, llvm::ArrayRef<ModelEdge *>,
                     llvm::ArrayRef<ModelEvent *> Events) const {
    int64_t Event = Item[0], Param = Item[1];
    if (!isIndex(Event, Events.size()) || !isUnsigned(Param))
      return false;
    Events[Event]->CalleeParameter = static_cast<unsigned>(Param);
    return true;
  }

  /// The edge of EdgeFields integers at \p At in \p A, in a graph of
  /// \p NodeCount nodes.
  bool edge(llvm::ArrayRef<int64_t> A, size_t At, size_t NodeCount,
            ModelEdge &Edge, json::Path P) const {
    std::optional<int64_t> To = A[At], Flags = A[At + 1];
    Location Loc;
    if (*To < 0 || !location(A[At + 2], A[At + 3], A[At + 4], A[At + 5], Loc)) {
      P.report("expected [to, flags, file, line, column, end column]");
      return false;
    }
    Edge.To = static_cast<unsigned>(*To);
    Edge.IntoContinuation = *Flags & ContinuesFlag;
    // Edges into a continuation are checked once it is read.
    if (!Edge.IntoContinuation && Edge.To >= NodeCount) {
      P.report("refers to a node that does not exist");
      return false;
    }
    if (*Flags & LeavesFlag)
      Edge.Leaves = LeavingChildCode{Loc, (*Flags & LoopsFlag) != 0};
    return true;
  }

  bool fork(const json::Value &V, ForkModel &Fork, json::Path P) const;

  /// How many threads \p Values holds, as Writer::threads and table
  /// indices put them: exact when they are well formed, which threads()
  /// checks.
  static size_t countThreads(llvm::ArrayRef<int64_t> Values) {
    size_t Count = 0;
    auto Skip = [&](size_t &At, size_t Width) {
      if (At >= Values.size() || Values[At] < 0 ||
          static_cast<uint64_t>(Values[At]) > Values.size())
        return false;
      At += 1 + Width * static_cast<size_t>(Values[At]);
      return true;
    };
    for (size_t At = 0; At < Values.size(); ++Count) {
      if (Values[At] < 0) {
        ++At;
        continue;
      }
      At += 3; // Kind, key, object.
      if (!Skip(At, 1) || !Skip(At, 2))
        break;
      At += 5; // Location, flags.
    }
    return Count;
  }

  /// Threads, or indices into \p Table when given (-1 - the index).
  bool threadList(const json::Value *V, std::vector<LiveThreads> &Out,
                  json::Path P,
                  const std::vector<LiveThreads> *Table = nullptr) const {
    std::optional<std::vector<int64_t>> Values =
        V ? integers(*V) : std::nullopt;
    if (!Values) {
      P.report("expected threads as packed integers");
      return false;
    }
    llvm::ArrayRef<int64_t> Rest = *Values;
    Out.reserve(Out.size() + countThreads(Rest));
    while (!Rest.empty()) {
      if (Rest.front() >= 0) {
        LiveThreads Threads;
        if (!threads(Rest, Threads, P.index(Values->size() - Rest.size())))
          return false;
        Out.push_back(std::move(Threads));
        continue;
      }
      auto Index = static_cast<uint64_t>(-1 - Rest.front());
      if (!Table || Index >= Table->size()) {
        P.index(Values->size() - Rest.size())
            .report("expected an index into the threads table");
        return false;
      }
      Out.push_back((*Table)[Index]);
      Rest = Rest.drop_front();
    }
    return true;
  }

  /// The threads Writer::threads put at the front of \p Rest, which then
  /// starts after them.
  bool threads(llvm::ArrayRef<int64_t> &Rest, LiveThreads &Out,
               json::Path P) const {
    auto Take = [&]() -> std::optional<int64_t> {
      if (Rest.empty())
        return std::nullopt;
      int64_t Value = Rest.front();
      Rest = Rest.drop_front();
      return Value;
    };
    auto Text = [&]() -> std::optional<InternedString> {
      std::optional<int64_t> Index = Take();
      return Index ? interned(*Index) : std::nullopt;
    };
    auto Count = [&](size_t Width) -> std::optional<size_t> {
      std::optional<int64_t> N = Take();
      if (!N || *N < 0 || static_cast<uint64_t>(*N) > Rest.size() / Width)
        return std::nullopt;
      return static_cast<size_t>(*N);
    };
    auto Invalid = [&] {
      P.report("expected threads [kind, key, object, joined count, "
               "joined..., called count, called..., file, line, column, end "
               "column, flags]");
      return false;
    };
    std::optional<int64_t> Kind = Take();
    std::optional<InternedString> Key = Text(), Object = Text();
    if (!Kind || *Kind < 0 || *Kind > LiveThreads::CallOf || !Key || !Object)
      return Invalid();
    std::optional<size_t> Joined = Count(1);
    if (!Joined)
      return Invalid();
    for (size_t I = 0; I < *Joined; ++I) {
      std::optional<InternedString> Handle = Text();
      if (!Handle)
        return Invalid();
      Out.JoinedSince.insert(*Handle);
    }
    std::optional<size_t> Called = Count(2);
    if (!Called)
      return Invalid();
    for (size_t I = 0; I < *Called; ++I) {
      std::optional<InternedString> Usr = Text(), CallObject = Text();
      if (!Usr || !CallObject)
        return Invalid();
      Out.CalledSince.insert({*Usr, *CallObject});
    }
    std::optional<int64_t> File = Take(), Line = Take(), Column = Take(),
                           EndColumn = Take(), Flags = Take();
    if (!location(File, Line, Column, EndColumn, Out.Created) || !Flags ||
        *Flags < 0 || *Flags > (FailedFlag | OnlyOnSuccessFlag))
      return Invalid();
    Out.Kind = static_cast<LiveThreads::KindType>(*Kind);
    Out.Key = *Key;
    Out.Object = *Object;
    Out.Failed = *Flags & FailedFlag;
    Out.OnlyOnSuccess = *Flags & OnlyOnSuccessFlag;
    return true;
  }

  bool effect(const json::Value &V, ProgramModel &Model, json::Path P) const;
  bool function(const json::Value &V, FunctionModel &Function,
                json::Path P) const;
  bool threadCreation(const json::Value &V, ThreadCreationModel &Creation,
                      json::Path P) const;
  bool atForkHandlers(const json::Value &V, AtForkModel &Handlers,
                      json::Path P) const;

  bool record(const json::Value &V, ProgramModel &Model, bool &SawProgram,
              json::Path P) const;
  /// The record of \p Kind whose content is \p Body.
  bool record(llvm::StringRef Kind, const json::Value &Body,
              ProgramModel &Model, bool &SawProgram, json::Path P) const;
  /// The record of \p Kind after a function, its graph.
  bool paths(llvm::StringRef Kind, const json::Value &Body, json::Path P) const;
  bool functionsPassed(const json::Value &Body, ProgramModel &Model,
                       json::Path P) const;
  bool threadsTable(const json::Value &Body, json::Path P) const;
  bool threadsAtCall(const json::Value &Body, ProgramModel &Model,
                     json::Path P) const;
  bool continuation(const json::Value &Body, ProgramModel &Model,
                    json::Path P) const;
  bool program(const json::Value &V, ProgramModel &Model, json::Path P) const;
  std::shared_ptr<const ReadTables> Tables;
  /// The function whose graph the next record holds.
  mutable FunctionModel *AwaitingPaths = nullptr;
  /// The last threadsTable record of each caller.
  mutable std::map<std::string, std::vector<LiveThreads>> ThreadTables;
  /// The threadRecords record: the records lists refer to, when the
  /// summary shares them (SummaryLayout::SharedThreads).
  mutable std::vector<LiveThreads> SharedThreads;
  mutable bool SawThreadRecords = false;
  /// The table lists of threads refer to, if any.
  const std::vector<LiveThreads> *sharedTable() const {
    return SharedThreads.empty() ? nullptr : &SharedThreads;
  }
};

/// Fields whose values refer to the tables of the summary being read (a
/// location names its file, a graph and a list of threads their strings,
/// by index): json::ObjectMapper maps each through one of these, which
/// carries the Reader that holds the tables.
struct LocationField {
  const Reader &R;
  Location &Out;
};
struct GraphField {
  const Reader &R;
  PathGraph &Out;
};
struct ThreadsField {
  const Reader &R;
  std::optional<std::vector<LiveThreads>> &Out;
};
/// An index into the string table.
struct NameField {
  const Reader &R;
  std::string &Out;
};
/// Indices into the string table.
template <typename String> struct NamesField {
  const Reader &R;
  std::vector<String> &Out;
};
template <typename String>
NamesField(const Reader &, std::vector<String> &) -> NamesField<String>;
/// Threads, or indices into the table of threads Table when given.
struct ThreadListField {
  const Reader &R;
  std::vector<LiveThreads> &Out;
  const std::vector<LiveThreads> *Table = nullptr;
};
/// External calls, [usr, object...] indices into the string table.
struct CallsField {
  const Reader &R;
  std::set<ExternalCall> &Out;
};
/// Rows of indices into the string table, [name, name...]: the first names
/// the list of the others.
struct NameRowsField {
  const Reader &R;
  std::map<std::string, std::vector<std::string>> &Out;
};
/// Objects that hold such fields, each read by \p Read.
template <typename T> struct RecordsField {
  const Reader &R;
  std::vector<T> &Out;
  bool (Reader::*Read)(const json::Value &, T &, json::Path) const;
};

bool fromJSON(const json::Value &V, PackedIntegers &Out, json::Path P) {
  std::optional<std::vector<int64_t>> Values = Reader::integers(V);
  if (!Values) {
    P.report("expected packed integers");
    return false;
  }
  Out.Values = std::move(*Values);
  return true;
}

bool fromJSON(const json::Value &V, LocationField &Field, json::Path P) {
  return Field.R.location(&V, Field.Out, P);
}

bool fromJSON(const json::Value &V, GraphField &Field, json::Path P) {
  return Field.R.graph(V, Field.Out, P);
}

bool fromJSON(const json::Value &V, ThreadsField &Field, json::Path P) {
  return Field.R.threadList(&V, Field.Out.emplace(), P, Field.R.sharedTable());
}

bool fromJSON(const json::Value &V, NameField &Field, json::Path P) {
  std::optional<llvm::StringRef> Name = Field.R.string(V);
  if (!Name) {
    P.report("expected an index into the string table");
    return false;
  }
  Field.Out = Name->str();
  return true;
}

template <typename String>
bool fromJSON(const json::Value &V, NamesField<String> &Field, json::Path P) {
  const json::Array *Indices = V.getAsArray();
  if (!Indices) {
    P.report("expected an array");
    return false;
  }
  return Field.R.indexedStrings(*Indices, 0, Field.Out, P);
}

bool fromJSON(const json::Value &V, ThreadListField &Field, json::Path P) {
  return Field.R.threadList(&V, Field.Out, P, Field.Table);
}

bool fromJSON(const json::Value &V, CallsField &Field, json::Path P) {
  std::vector<InternedString> Flat;
  const json::Array *A = V.getAsArray();
  if (!A || A->size() % 2 || !Field.R.indexedStrings(*A, 0, Flat, P)) {
    P.report("expected [usr, object...] indices");
    return false;
  }
  for (size_t I = 0; I < Flat.size(); I += 2)
    Field.Out.insert({Flat[I], Flat[I + 1]});
  return true;
}

/// The records written as arrays, whose elements are known by position,
/// mapped as json::ObjectMapper maps objects: each element through
/// fromJSON, an error naming the element.
class TupleMapper {
public:
  /// \p V must be an array of \p Size elements, or of \p Size or more
  /// with \p OrMore; if not, \p Shape is reported.
  TupleMapper(const json::Value &V, json::Path P, size_t Size,
              llvm::StringLiteral Shape, bool OrMore = false)
      : P(P), Elements(V.getAsArray()) {
    if (Elements &&
        (OrMore ? Elements->size() >= Size : Elements->size() == Size))
      return;
    Elements = nullptr;
    P.report(Shape);
  }

  explicit operator bool() const { return Elements; }
  template <typename T> bool map(size_t Index, T &&Out) const {
    return fromJSON((*Elements)[Index], Out, P.index(Index));
  }
  const json::Array &elements() const { return *Elements; }

private:
  json::Path P;
  const json::Array *Elements;
};

bool fromJSON(const json::Value &V, NameRowsField &Field, json::Path P) {
  const json::Array *Rows = V.getAsArray();
  if (!Rows) {
    P.report("expected an array");
    return false;
  }
  for (size_t I = 0; I < Rows->size(); ++I) {
    const json::Array *Row = (*Rows)[I].getAsArray();
    std::optional<llvm::StringRef> Name =
        Row && !Row->empty() ? Field.R.string(Row->front()) : std::nullopt;
    if (!Name ||
        !Field.R.indexedStrings(*Row, 1, Field.Out[Name->str()], P.index(I))) {
      P.index(I).report("expected [name, name...] indices");
      return false;
    }
  }
  return true;
}

template <typename T>
bool fromJSON(const json::Value &V, RecordsField<T> &Field, json::Path P) {
  const json::Array *Records = V.getAsArray();
  if (!Records) {
    P.report("expected an array");
    return false;
  }
  Field.Out.reserve(Field.Out.size() + Records->size());
  for (size_t I = 0; I < Records->size(); ++I)
    if (!(Field.R.*Field.Read)((*Records)[I], Field.Out.emplace_back(),
                               P.index(I)))
      return false;
  return true;
}

} // namespace

/// Found by argument-dependent lookup from json::ObjectMapper, so not
/// file-local.
static bool fromJSON(const json::Value &V, ForkKind &Kind, json::Path P) {
  std::optional<int64_t> Value = V.getAsInteger();
  if (!Value || *Value < 0 || *Value > static_cast<int>(ForkKind::Daemon)) {
    P.report("expected a known enumerator");
    return false;
  }
  Kind = static_cast<ForkKind>(*Value);
  return true;
}

static bool fromJSON(const json::Value &V, WrapperModel &Wrapper,
                     json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("usr", Wrapper.Usr) && O.map("name", Wrapper.Name) &&
         O.map("kind", Wrapper.Kind) &&
         O.mapOptional("assumedWrapper", Wrapper.AssumedWrapper);
}

namespace {

bool Reader::graph(const json::Value &V, PathGraph &Graph, json::Path P) const {
  GraphText Text;
  if (!graphText(V, Graph, Text, P))
    return false;
  size_t NodeCount = Text.Nodes.Values.size() / NodeFields;
  Graph.Nodes.reserve(NodeCount);
  GraphText::Cursor Next;
  for (size_t I = 0; I < NodeCount; ++I)
    if (!node(Text, I, Next, Graph.Nodes.emplace_back(), P))
      return false;
  if (Next.Event * EventFields != Text.Events.Values.size() ||
      Next.Edge * EdgeFields != Text.Edges.Values.size()) {
    P.report("holds events or edges of no node");
    return false;
  }
  return conditionsAndArguments(Text.Lists, Graph, P);
}

bool Reader::graphText(const json::Value &V, PathGraph &Graph, GraphText &Text,
                       json::Path P) {
  json::ObjectMapper O(V, P);
  Graph.Analysed = false;
  if (!O || !O.mapOptional("analysed", Graph.Analysed) ||
      !O.map("nodes", Text.Nodes) || !O.map("events", Text.Events) ||
      !O.map("edges", Text.Edges) ||
      !O.map("conditions", Text.Lists.Conditions) ||
      !O.map("arguments", Text.Lists.Arguments) ||
      !O.map("parameterCalls", Text.Lists.ParameterCalls))
    return false;
  for (auto [List, Key, Fields] :
       {std::make_tuple(&Text.Nodes, "nodes", NodeFields),
        std::make_tuple(&Text.Events, "events", EventFields),
        std::make_tuple(&Text.Edges, "edges", EdgeFields)})
    if (List->Values.size() % Fields != 0) {
      P.field(Key).report("expected a whole number of items");
      return false;
    }
  return true;
}

bool Reader::node(const GraphText &Text, size_t Index, GraphText::Cursor &Next,
                  ModelNode &Node, json::Path P) const {
  llvm::ArrayRef<int64_t> Item =
      llvm::ArrayRef(Text.Nodes.Values).slice(Index * NodeFields, NodeFields);
  int64_t EventCount = Item[0], EdgeCount = Item[1], Returns = Item[2];
  size_t EventsLeft = Text.Events.Values.size() / EventFields - Next.Event,
         EdgesLeft = Text.Edges.Values.size() / EdgeFields - Next.Edge;
  if (EventCount < 0 || EdgeCount < 0 ||
      static_cast<size_t>(EventCount) > EventsLeft ||
      static_cast<size_t>(EdgeCount) > EdgesLeft ||
      !location(Item[3], Item[4], Item[5], Item[6], Node.ReturnLoc)) {
    P.field("nodes")
        .index(Index * NodeFields)
        .report("expected [events, edges, returns, file, line, column, "
                "end column]");
    return false;
  }
  Node.Returns = Returns != 0;
  Node.Events.resize(EventCount);
  for (ModelEvent &Event : Node.Events) {
    size_t At = Next.Event++ * EventFields;
    if (!event(Text.Events.Values, At, Event, P.field("events").index(At)))
      return false;
  }
  Node.Successors.resize(EdgeCount);
  size_t NodeCount = Text.Nodes.Values.size() / NodeFields;
  for (ModelEdge &Edge : Node.Successors) {
    size_t At = Next.Edge++ * EdgeFields;
    if (!edge(Text.Edges.Values, At, NodeCount, Edge,
              P.field("edges").index(At)))
      return false;
  }
  return true;
}

bool Reader::record(const json::Value &V, ProgramModel &Model, bool &SawProgram,
                    json::Path P) const {
  const json::Object *O = object(&V, P);
  if (!O || O->size() != 1) {
    P.report("expected one record: {\"fork\"|\"function\"|"
             "\"continuation\"|\"calls\"|\"threadEffect\"|\"program\": "
             "...}");
    return false;
  }
  return record(O->begin()->first, O->begin()->second, Model, SawProgram, P);
}

bool Reader::record(llvm::StringRef Kind, const json::Value &Body,
                    ProgramModel &Model, bool &SawProgram, json::Path P) const {
  json::Path BodyPath = P.field(Kind);
  if (AwaitingPaths || Kind == "paths")
    return paths(Kind, Body, P);
  if (Kind == "fork") {
    ForkModel Fork;
    if (!fork(Body, Fork, BodyPath))
      return false;
    Model.Forks.push_back(std::move(Fork));
    return true;
  }
  if (Kind == "function") {
    FunctionModel Function;
    if (!function(Body, Function, BodyPath))
      return false;
    std::string Usr = Function.Usr;
    auto [It, Inserted] =
        Model.Functions.emplace(std::move(Usr), std::move(Function));
    // A summary records each function once: a second record could only
    // disagree with the first.
    if (!Inserted) {
      BodyPath.report("a second record of this function");
      return false;
    }
    AwaitingPaths = &It->second;
    return true;
  }
  if (Kind == "calls")
    return edges(Body, Model.Calls, BodyPath);
  if (Kind == "references")
    return edges(Body, Model.References, BodyPath);
  if (Kind == "functionsStored")
    return edges(Body, Model.FunctionsStored, BodyPath);
  if (Kind == "functionsPassed")
    return functionsPassed(Body, Model, BodyPath);
  if (Kind == "threadEffect")
    return effect(Body, Model, BodyPath);
  if (Kind == "threadsTable")
    return threadsTable(Body, BodyPath);
  if (Kind == "threadRecords") {
    // Lists refer to the table by index: a second would shift them.
    if (std::exchange(SawThreadRecords, true)) {
      P.report("a second threadRecords record");
      return false;
    }
    return threadList(&Body, SharedThreads, BodyPath);
  }
  if (Kind == "threadsAtCall")
    return threadsAtCall(Body, Model, BodyPath);
  if (Kind == "continuation")
    return continuation(Body, Model, BodyPath);
  if (Kind != "program" || SawProgram) {
    if (Kind == "program")
      P.report("a second program record");
    else
      P.report("an unknown record");
    return false;
  }
  SawProgram = true;
  return program(Body, Model, BodyPath);
}

bool Reader::paths(llvm::StringRef Kind, const json::Value &Body,
                   json::Path P) const {
  if (Kind != "paths") {
    P.report("expected the paths of the function before it");
    return false;
  }
  if (!AwaitingPaths) {
    P.report("paths that follow no function");
    return false;
  }
  return graph(Body, std::exchange(AwaitingPaths, nullptr)->Paths,
               P.field(Kind));
}

bool Reader::edges(const json::Value &Body,
                   std::map<std::string, std::vector<std::string>> &Into,
                   json::Path P) const {
  TupleMapper Row(Body, P, 1, "expected [from, to...] indices",
                  /*OrMore=*/true);
  std::string From;
  return Row && Row.map(0, NameField{*this, From}) &&
         indexedStrings(Row.elements(), 1, Into[From], P);
}

bool Reader::functionsPassed(const json::Value &Body, ProgramModel &Model,
                             json::Path P) const {
  TupleMapper Row(Body, P, 2, "expected [callee, position, function...]",
                  /*OrMore=*/true);
  std::string Callee;
  uint64_t Position = 0;
  if (!Row || !Row.map(0, NameField{*this, Callee}) || !Row.map(1, Position))
    return false;
  if (Position > UINT_MAX) {
    P.index(1).report("expected a parameter position");
    return false;
  }
  return indexedStrings(
      Row.elements(), 2,
      Model.FunctionsPassed[Callee][static_cast<unsigned>(Position)], P);
}

bool Reader::threadsTable(const json::Value &Body, json::Path P) const {
  TupleMapper Row(Body, P, 2, "expected [caller, threads]");
  std::string Caller;
  if (!Row || !Row.map(0, NameField{*this, Caller}))
    return false;
  std::vector<LiveThreads> &Table = ThreadTables[Caller];
  Table.clear();
  return Row.map(1, ThreadListField{*this, Table});
}

bool Reader::threadsAtCall(const json::Value &Body, ProgramModel &Model,
                           json::Path P) const {
  TupleMapper Row(Body, P, 3, "expected [caller, callee, threads]");
  std::string Caller, Callee;
  if (!Row || !Row.map(0, NameField{*this, Caller}) ||
      !Row.map(1, NameField{*this, Callee}))
    return false;
  auto Table = ThreadTables.find(Caller);
  return Row.map(2,
                 ThreadListField{*this, Model.ThreadsAtCalls[Caller][Callee],
                                 Table == ThreadTables.end() ? sharedTable()
                                                             : &Table->second});
}

bool Reader::effect(const json::Value &V, ProgramModel &Model,
                    json::Path P) const {
  TupleMapper Row(V, P, 4,
                  "expected a thread effect [usr, threads, [joins...], "
                  "[calls...]]");
  std::string Usr;
  ThreadEffect Effect;
  std::vector<InternedString> Joins;
  if (!Row || !Row.map(0, NameField{*this, Usr}) ||
      !Row.map(1, ThreadListField{*this, Effect.Leaves, sharedTable()}) ||
      !Row.map(2, NamesField{*this, Joins}) ||
      !Row.map(3, CallsField{*this, Effect.Calls}))
    return false;
  Effect.Joins.insert(Joins.begin(), Joins.end());
  Model.ThreadEffects.emplace(std::move(Usr), std::move(Effect));
  return true;
}

bool Reader::continuation(const json::Value &Body, ProgramModel &Model,
                          json::Path P) const {
  json::ObjectMapper O(Body, P);
  std::string Key;
  PathGraph Paths;
  GraphField PathsField{*this, Paths};
  if (!O || !O.map("key", Key) || !O.map("paths", PathsField))
    return false;
  Model.Continuations.emplace(std::move(Key), std::move(Paths));
  return true;
}

bool Reader::fork(const json::Value &V, ForkModel &Fork, json::Path P) const {
  json::ObjectMapper O(V, P);
  LocationField Loc{*this, Fork.Loc};
  GraphField Child{*this, Fork.Child};
  NameRowsField CallersAssumed{*this, Fork.CallersAssumed};
  ThreadsField Threads{*this, Fork.ThreadsAtFork},
      SinceEntry{*this, Fork.ThreadsSinceEntry};
  Location ChildOfLoc;
  LocationField ChildOf{*this, ChildOfLoc};
  bool Read = O && O.map("loc", Loc) && O.map("kind", Fork.Kind) &&
              O.map("fork", Fork.ForkFunction) &&
              O.map("function", Fork.FunctionName) &&
              O.map("functionUsr", Fork.FunctionUsr) && O.map("child", Child) &&
              O.mapOptional("inWrapper", Fork.InWrapper) &&
              O.mapOptional("continuation", Fork.Continuation) &&
              O.mapOptional("assumedWrapper", Fork.AssumedWrapper) &&
              O.mapOptional("wrapper", Fork.WrapperUsr) &&
              O.mapOptional("threadsMayExist", Fork.ThreadsMayExist) &&
              O.mapOptional("childOf", ChildOf) &&
              O.map("callersAssumed", CallersAssumed) &&
              O.mapOptional("threadsSinceEntry", SinceEntry) &&
              O.mapOptional("threads", Threads);
  if (Read && V.getAsObject()->get("childOf"))
    Fork.ChildOf = ChildOfLoc;
  return Read;
}

bool Reader::function(const json::Value &V, FunctionModel &Function,
                      json::Path P) const {
  json::ObjectMapper O(V, P);
  LocationField Loc{*this, Function.Loc};
  if (!O || !O.map("usr", Function.Usr) || !O.map("loc", Loc))
    return false;
  if (!O.mapOptional("name", Function.Name))
    return false;
  if (!V.getAsObject()->get("name"))
    Function.Name = nameInUsr(Function.Usr).str();
  return true;
}

bool Reader::program(const json::Value &V, ProgramModel &Model,
                     json::Path P) const {
  json::ObjectMapper O(V, P);
  RecordsField<ThreadCreationModel> Creations{*this, Model.ThreadCreations,
                                              &Reader::threadCreation};
  RecordsField<AtForkModel> AtFork{*this, Model.AtForkHandlers,
                                   &Reader::atForkHandlers};
  NamesField AddressTaken{*this, Model.AddressTaken};
  return O && O.map("mains", Model.Mains) &&
         O.map("threadCreations", Creations) &&
         O.map("addressTaken", AddressTaken) &&
         O.map("wrappers", Model.Wrappers) && O.map("atfork", AtFork) &&
         O.map("mutexLocks", Model.MutexLocks) &&
         O.map("mutexUnlocks", Model.MutexUnlocks) &&
         O.map("indirectCalls", Model.IndirectCalls) &&
         O.map("indirectCallsInLoops", Model.IndirectCallsInLoops) &&
         O.map("tableFunctions", Model.TableFunctions);
}

bool Reader::threadCreation(const json::Value &V, ThreadCreationModel &Creation,
                            json::Path P) const {
  json::ObjectMapper O(V, P);
  LocationField Loc{*this, Creation.Loc};
  return O && O.map("loc", Loc) && O.map("what", Creation.What) &&
         O.map("function", Creation.FunctionUsr) &&
         O.mapOptional("joined", Creation.JoinedBeforeReturn);
}

bool Reader::atForkHandlers(const json::Value &V, AtForkModel &Handlers,
                            json::Path P) const {
  json::ObjectMapper O(V, P);
  LocationField Loc{*this, Handlers.Loc};
  return O && O.map("loc", Loc) && O.map("prepare", Handlers.Prepare) &&
         O.map("prepareName", Handlers.PrepareName) &&
         O.map("parent", Handlers.Parent) && O.map("child", Handlers.Child);
}

/// The fork whose edges lead into a continuation node that \p Model does not
/// hold, if any.
static const ForkModel *forkLeadingNowhere(const ProgramModel &Model) {
  for (const ForkModel &Fork : Model.Forks) {
    auto It = Model.Continuations.find(Fork.Continuation);
    size_t Size = It == Model.Continuations.end() ? 0 : It->second.Nodes.size();
    for (const ModelNode &Node : Fork.Child.Nodes)
      for (const ModelEdge &Edge : Node.Successors)
        if (Edge.IntoContinuation && Edge.To >= Size)
          return &Fork;
  }
  return nullptr;
}

} // namespace

/// \p File made absolute against \p Directory.
static std::string absoluteIn(llvm::StringRef Directory, llvm::StringRef File) {
  if (File.empty() || llvm::sys::path::is_absolute(File))
    return File.str();
  llvm::SmallString<256> Path(Directory);
  llvm::sys::path::append(Path, File);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return std::string(Path);
}

namespace {

/// Writes the record lines of a summary, one JSON document per line: a
/// reader parses many small documents, which costs the same per byte
/// however large the summary is.
class RecordLines {
public:
  RecordLines(llvm::raw_ostream &OS, Tables &T) : OS(OS), T(T) {}

  /// The record {Key: {...}}, whose attributes \p Write puts.
  template <typename Fn> void object(llvm::StringRef Key, Fn Write) {
    line(Key, Write, /*IsObject=*/true);
  }
  /// The record {Key: value}, whose value \p Write puts.
  template <typename Fn> void value(llvm::StringRef Key, Fn Write) {
    line(Key, Write, /*IsObject=*/false);
  }
  bool sharedThreads() const { return T.SharedThreads; }
  /// One record [from, to...] per entry of \p Lists.
  void edgeLists(llvm::StringRef Key,
                 const std::map<std::string, std::vector<std::string>> &Lists) {
    for (const auto &Entry : Lists)
      value(Key, [&](Writer &W) { W.calls(Entry.first, Entry.second); });
  }

private:
  template <typename Fn>
  void line(llvm::StringRef Key, Fn Write, bool IsObject) {
    json::OStream J(OS);
    Writer W(J, T);
    if (IsObject)
      W.record(Key, [&] { Write(W); });
    else
      W.recordValue(Key, [&] { Write(W); });
    OS << '\n';
  }

  llvm::raw_ostream &OS;
  Tables &T;
};

/// The threads at the calls of each caller. The calls of main share most of
/// their threads: each is written once, in a table the calls refer to (the
/// summary's table of shared records, when it has one).
void writeThreadsAtCalls(const ProgramModel &Model, RecordLines &Lines) {
  for (const auto &[Caller, Callees] : Model.ThreadsAtCalls) {
    std::vector<const LiveThreads *> Table;
    if (Callees.size() > 1 && !Lines.sharedThreads()) {
      for (const auto &Entry : Callees)
        for (const LiveThreads &Threads : Entry.second)
          if (llvm::none_of(Table, [&](const LiveThreads *Known) {
                return sameThreadsAndSince(*Known, Threads);
              }))
            Table.push_back(&Threads);
      Lines.value("threadsTable", [&, &Caller = Caller](Writer &W) {
        W.threadsTable(Caller, Table);
      });
    }
    for (const auto &Entry : Callees)
      Lines.value("threadsAtCall", [&, &Caller = Caller](Writer &W) {
        W.threadsAtCall(Caller, Entry.first, Entry.second, Table);
      });
  }
}

} // namespace

/// \p Items as one string, separated by NUL characters (NameList).
static std::string joinNames(llvm::ArrayRef<std::string> Items) {
  return llvm::join(Items, llvm::StringRef("\0", 1));
}

/// The record lines of \p Model; files and strings go into \p T.
static std::string writeRecords(const ProgramModel &Model, Tables &T) {
  std::string Records;
  llvm::raw_string_ostream OS(Records);
  // json::OStream writes a character at a time, which a string stream
  // without a buffer appends one by one through a virtual call.
  OS.SetBuffered();
  RecordLines Lines(OS, T);
  if (T.SharedThreads)
    Lines.value("threadRecords", [&](Writer &W) { W.sharedThreads(Model); });
  for (const ForkModel &Fork : Model.Forks)
    Lines.object("fork", [&](Writer &W) { W.fork(Fork); });
  // A function's graph is the line after it, so that a reader may leave
  // the line unread.
  for (const auto &Entry : Model.Functions) {
    Lines.object("function",
                 [&](Writer &W) { W.function(Entry.first, Entry.second); });
    Lines.value("paths", [&](Writer &W) { W.graph(Entry.second.paths()); });
  }
  for (const auto &Entry : Model.Continuations)
    Lines.object("continuation",
                 [&](Writer &W) { W.continuation(Entry.first, Entry.second); });
  Lines.edgeLists("calls", Model.Calls);
  for (const auto &[Callee, Positions] : Model.FunctionsPassed)
    for (const auto &Entry : Positions)
      Lines.value("functionsPassed", [&, &Callee = Callee](Writer &W) {
        W.functionsPassed(Callee, Entry.first, Entry.second);
      });
  Lines.edgeLists("functionsStored", Model.FunctionsStored);
  Lines.edgeLists("references", Model.References);
  writeThreadsAtCalls(Model, Lines);
  for (const auto &Entry : Model.ThreadEffects)
    Lines.value("threadEffect",
                [&](Writer &W) { W.effect(Entry.first, Entry.second); });
  Lines.object("program", [&](Writer &W) { W.program(Model); });
  OS.flush();
  return Records;
}

std::string writeUnitSummary(const UnitSummary &Summary, SummaryLayout Layout) {
  Tables T;
  T.SharedThreads = Layout.SharedThreads;
  std::string Records = writeRecords(Summary.Model, T);
  if (!Summary.Directory.empty())
    for (std::string &File : T.Files)
      File = absoluteIn(Summary.Directory, File);

  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS.SetBuffered(); // As for the records.
  json::OStream J(OS);
  J.object([&] {
    J.attribute("format", Format);
    J.attribute("version", Version);
    J.attribute("source", Summary.Directory.empty()
                              ? Summary.Source
                              : absoluteIn(Summary.Directory, Summary.Source));
    J.attribute("options", Summary.OptionsKey);
    if (Layout.Inputs) {
      std::vector<std::string> Inputs;
      Inputs.reserve(2 * Summary.Inputs.size());
      for (const auto &[File, Description] : Summary.Inputs) {
        Inputs.push_back(File);
        Inputs.push_back(Description);
      }
      J.attributeBegin("inputs");
      stringValue(J, joinNames(Inputs));
      J.attributeEnd();
      if (!Summary.Absent.empty()) {
        J.attributeBegin("absent");
        stringValue(J, joinNames(Summary.Absent));
        J.attributeEnd();
      }
    }
    for (const auto &[Key, Table] : {std::make_pair("files", &T.Files),
                                     std::make_pair("strings", &T.Strings)})
      J.attributeArray(Key, [&, Table = Table] {
        for (const std::string &Entry : *Table)
          stringValue(J, Entry);
      });
  });
  OS << '\n' << Records;
  OS.flush();
  return Text;
}

/// A string of a summary's tables, interned as it is read. Found by
/// argument-dependent lookup from json::fromJSON, so not file-local.
static bool fromJSON(const json::Value &V, InternedString &Text, json::Path P) {
  std::optional<llvm::StringRef> String = V.getAsString();
  if (!String) {
    P.report("expected a string");
    return false;
  }
  Text = InternedString(*String);
  return true;
}

namespace {

/// A list of file names, or of names and their descriptions, as one string
/// of items separated by NUL characters, which no file name holds: a JSON
/// reader makes one value of it, where an array of the several hundred
/// names a translation unit includes costs a value per name (two fifths of
/// reading a summary from the cache).
struct NameList {
  std::vector<std::string> Items;
};

bool fromJSON(const json::Value &V, NameList &List, json::Path P) {
  std::optional<llvm::StringRef> Text = V.getAsString();
  if (!Text) {
    P.report("expected names separated by NUL characters");
    return false;
  }
  if (Text->empty())
    return true;
  llvm::SmallVector<llvm::StringRef, 0> Items;
  Text->split(Items, '\0');
  List.Items.assign(Items.begin(), Items.end());
  return true;
}

/// The first line of a summary, once its format and version are known:
/// what it was recorded from, and the tables its records refer to.
struct SummaryHeader {
  std::string Source;
  std::string Options;
  /// Each file read, then its description.
  NameList Inputs;
  NameList Absent;
  /// Interned as they are read: threads and their keys refer to them.
  std::vector<InternedString> Files;
  std::vector<InternedString> Strings;
};

bool fromJSON(const json::Value &V, SummaryHeader &Head, json::Path P) {
  json::ObjectMapper O(V, P);
  return O && O.map("files", Head.Files) && O.map("strings", Head.Strings) &&
         O.map("source", Head.Source) && O.map("options", Head.Options) &&
         O.mapOptional("inputs", Head.Inputs) &&
         O.mapOptional("absent", Head.Absent);
}

} // namespace

namespace {

llvm::Error summaryError(llvm::StringRef Origin, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "%s: not a valid forksafety summary: %s",
                                 Origin.str().c_str(), Why.str().c_str());
}

/// What the graphs one summary defers share.
struct DeferredSource {
  std::shared_ptr<const void> TextOwner;
  std::string Origin;
  std::shared_ptr<const ReadTables> Tables;
};

/// A function's graph, the value of a paths record, in the text of a
/// summary whose checksum was checked.
class SummaryGraph final : public DeferredGraph {
public:
  SummaryGraph(std::shared_ptr<const DeferredSource> Source,
               llvm::StringRef Text, unsigned Line)
      : Source(std::move(Source)), Text(Text), Line(Line) {}

  const PathGraph &graph() override {
    if (Source) {
      read();
      Source.reset(); // The summary's text goes once all its graphs are read.
    }
    return Graph;
  }
  const std::string &error() const override { return Error; }

private:
  void read() {
    std::string Name = "line " + std::to_string(Line);
    json::Path::Root Root(Name);
    Reader R;
    R.Tables = Source->Tables;
    llvm::Expected<json::Value> Value = json::parse(Text);
    if (!Value)
      Error = Name + ": " + llvm::toString(Value.takeError());
    else if (!R.graph(*Value, Graph, json::Path(Root).field("paths")))
      Error = llvm::toString(Root.getError());
    else
      return;
    Error = llvm::toString(summaryError(Source->Origin, Error));
    Graph = PathGraph();
    Graph.Analysed = false;
  }

  std::shared_ptr<const DeferredSource> Source;
  llvm::StringRef Text;
  unsigned Line;
  PathGraph Graph;
  std::string Error;
};

/// The first line of a summary: its tables go to \p R, the rest to
/// \p Summary.
llvm::Error readHeader(llvm::StringRef Header, llvm::StringRef Origin,
                       UnitSummary &Summary, Reader &R) {
  llvm::Expected<json::Value> Parsed = json::parse(Header);
  if (!Parsed)
    return summaryError(Origin, llvm::toString(Parsed.takeError()));
  const json::Object *O = Parsed->getAsObject();
  if (!O || O->getString("format") != Format)
    return summaryError(Origin, "it does not start with the format tag '" +
                                    Format + "'");
  if (O->getInteger("version") != Version)
    return summaryError(
        Origin, "it has format version " +
                    std::to_string(O->getInteger("version").value_or(-1)) +
                    ", this tool reads version " + std::to_string(Version));
  json::Path::Root Root("summary");
  SummaryHeader Head;
  if (!fromJSON(*Parsed, Head, json::Path(Root)))
    return summaryError(Origin, llvm::toString(Root.getError()));
  Summary.Source = std::move(Head.Source);
  Summary.OptionsKey = std::move(Head.Options);
  if (Head.Inputs.Items.size() % 2)
    return summaryError(Origin, "expected each file read with its "
                                "description at summary.inputs");
  Summary.Absent = std::move(Head.Absent.Items);
  Summary.Inputs.reserve(Head.Inputs.Items.size() / 2);
  for (size_t I = 0; I < Head.Inputs.Items.size(); I += 2)
    Summary.Inputs.emplace_back(std::move(Head.Inputs.Items[I]),
                                std::move(Head.Inputs.Items[I + 1]));
  auto Tables = std::make_shared<ReadTables>();
  Tables->Files = std::move(Head.Files);
  Tables->Strings = std::move(Head.Strings);
  R.Tables = std::move(Tables);
  return llvm::Error::success();
}

} // namespace

DeferredGraph::~DeferredGraph() = default;

namespace {

/// A record as the writer frames it, `{"kind":...}`, split without
/// building the object around it: a summary's thousands of one-key objects
/// each cost a hash table. Anything else is read as a whole.
struct RecordText {
  llvm::StringRef Kind;
  llvm::StringRef Body;
};

std::optional<RecordText> recordText(llvm::StringRef Line) {
  if (!Line.consume_front("{\"") || !Line.consume_back("}"))
    return std::nullopt;
  auto [Kind, Body] = Line.split("\":");
  if (Kind.empty() || Body.empty() ||
      !llvm::all_of(Kind, [](char C) { return llvm::isAlpha(C); }))
    return std::nullopt;
  return RecordText{Kind, Body};
}

/// A record's body; one that is a string of printable ASCII, as packed
/// integers are, is taken as it is written: llvm::json reads a string a
/// character at a time, and the table of thread records runs to kilobytes.
llvm::Expected<json::Value> parseBody(llvm::StringRef Body) {
  llvm::StringRef Text = Body;
  if (Text.size() >= 2 && Text.consume_front("\"") && Text.consume_back("\"") &&
      isPlainJSONText(Text))
    return json::Value(Text.str());
  return json::parse(Body);
}

} // namespace

llvm::Expected<UnitSummary>
readUnitSummary(llvm::StringRef Text, llvm::StringRef Origin,
                std::shared_ptr<const void> KeepsTextAlive) {
  auto [Header, Records] = Text.split('\n');
  Reader R;
  UnitSummary Summary;
  if (llvm::Error E = readHeader(Header, Origin, Summary, R))
    return std::move(E);
  std::shared_ptr<const DeferredSource> Deferred;
  if (KeepsTextAlive)
    Deferred = std::make_shared<DeferredSource>(
        DeferredSource{std::move(KeepsTextAlive), Origin.str(), R.Tables});

  bool SawProgram = false;
  for (unsigned Number = 2; !Records.empty(); ++Number) {
    auto [Line, Rest] = Records.split('\n');
    Records = Rest;
    std::optional<RecordText> Framed = recordText(Line);
    if (Deferred && R.AwaitingPaths && Framed && Framed->Kind == "paths") {
      std::exchange(R.AwaitingPaths, nullptr)->DeferredPaths =
          std::make_shared<SummaryGraph>(Deferred, Framed->Body, Number);
      continue;
    }
    std::string Name = "line " + std::to_string(Number);
    json::Path::Root Root(Name);
    if (Framed) {
      llvm::Expected<json::Value> Body = parseBody(Framed->Body);
      if (Body) {
        if (!R.record(Framed->Kind, *Body, Summary.Model, SawProgram,
                      json::Path(Root)))
          return summaryError(Origin, llvm::toString(Root.getError()));
        continue;
      }
      // Told below for the whole line, where its columns are.
      llvm::consumeError(Body.takeError());
    }
    llvm::Expected<json::Value> Record = json::parse(Line);
    if (!Record)
      return summaryError(Origin,
                          Name + ": " + llvm::toString(Record.takeError()));
    if (!R.record(*Record, Summary.Model, SawProgram, json::Path(Root)))
      return summaryError(Origin, llvm::toString(Root.getError()));
  }
  if (!SawProgram)
    return summaryError(Origin, "it ends before its program record");
  if (const ForkModel *Fork = forkLeadingNowhere(Summary.Model))
    return summaryError(
        Origin, "the child of the fork at line " +
                    std::to_string(Fork->Loc.Line) +
                    " leads into a continuation node that does not exist");
  return std::move(Summary);
}

} // namespace forksafety
