//===- WholeProgram.cpp - Fork safety of a program as a whole -------------===//

#include "Core/Model/WholeProgram.h"

#include "Core/ChildPaths/Arguments.h"
#include "Core/ChildPaths/ChildPathSolver.h"
#include "Core/Functions/FunctionTable.h"
#include "Core/Model/ForkVerdict.h"
#include "Core/Threads/ForkHandlers.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <iterator>
#include <set>

namespace forksafety {

namespace {

class ProgramFunctions : public FunctionModels {
public:
  explicit ProgramFunctions(const ProgramModel &Program) : Program(Program) {}
  const FunctionModel *find(InternedString Usr) override {
    // Each call of a function asks again.
    auto [Known, Inserted] = Found.try_emplace(Usr, nullptr);
    if (Inserted)
      if (auto It = Program.Functions.find(Usr.str());
          It != Program.Functions.end())
        Known->second = &It->second;
    return Known->second;
  }

private:
  const ProgramModel &Program;
  llvm::DenseMap<InternedString, const FunctionModel *> Found;
};

/// Adds to \p Reached what \p Work names and what that calls or takes the
/// address of, transitively. The work points into the program's lists.
void walkFrom(const ProgramModel &Program,
              std::vector<const std::string *> Work,
              llvm::StringSet<> &Reached) {
  auto Follow = [&](const std::map<std::string, std::vector<std::string>> &Map,
                    const std::string &Usr) {
    auto It = Map.find(Usr);
    if (It != Map.end())
      for (const std::string &Next : It->second)
        Work.push_back(&Next);
  };
  while (!Work.empty()) {
    const std::string &Usr = *Work.back();
    Work.pop_back();
    if (!Reached.insert(Usr).second)
      continue;
    Follow(Program.Calls, Usr);
    Follow(Program.References, Usr);
  }
}

/// The effects of the program's functions on threads, by USR.
class ProgramEffects : public ThreadEffects {
public:
  explicit ProgramEffects(const ProgramModel &Program) : Program(Program) {}

  Known lookup(InternedString Usr, const ThreadEffect *&Out) override {
    // Asked again and again for the same callees.
    auto [It, Inserted] = Answers.try_emplace(Usr);
    if (Inserted)
      It->second = find(Usr.str());
    Out = It->second.second;
    return It->second.first;
  }

private:
  std::pair<Known, const ThreadEffect *> find(const std::string &Usr) const {
    auto It = Program.ThreadEffects.find(Usr);
    if (It != Program.ThreadEffects.end())
      return {Known::Effect, &It->second};
    if (Program.Functions.count(Usr) || Program.Calls.count(Usr) ||
        Program.LibraryFunctions.count(Usr) || isCLibraryFunctionUsr(Usr))
      return {Known::NoEffect, nullptr};
    return {Known::Nowhere, nullptr};
  }

  const ProgramModel &Program;
  llvm::DenseMap<InternedString, std::pair<Known, const ThreadEffect *>>
      Answers;
};

/// Where threads that may run as each function is entered were created, by
/// USR: those its callers may have started before calling it, and those
/// that ran as they were entered. A function whose address is taken, or
/// that runs without a call, may be entered at any time, and so may any
/// function of a library (a program without main). A function only tables
/// hold is entered where the program calls through a pointer of its type,
/// and in a loop, after the calls of the others the same pointers reach.
/// Calls through pointers start no threads here otherwise, as in the
/// ordering within a file.
class ThreadsAtEntry {
public:
  ThreadsAtEntry(const ProgramModel &Program, const ProgramThreads &Threads,
                 RunningThreadsFinder &Finder)
      : Threads(Threads) {
    // A library: what calls its functions, and when, is unknown.
    Anywhere = Program.Mains.empty();
    if (Anywhere || !Threads.first())
      return;
    seedPointerTargets(Program, Finder);
    seedEntriesWithoutCalls(Program);
    seedCallsWithThreads(Program, Finder);
    followCalls(Program);
  }

  /// Where threads that may run as \p Usr is entered were created; none
  /// when no thread may run then.
  std::optional<RunningThreads> of(const std::string &Usr) const {
    if (Anywhere || !Threads.runs(Usr))
      return RunningThreads();
    auto It = Running.find(Usr);
    if (It == Running.end())
      return std::nullopt;
    return It->second;
  }

private:
  /// \p Usr may be entered while the threads \p Where tells of run.
  void seed(const std::string &Usr, RunningThreads Where) {
    if (Threads.runs(Usr) && Running.try_emplace(Usr, Where).second)
      Work.push_back(Usr);
  }

  /// Functions called through pointers: those only tables hold are entered
  /// at the calls through pointers of their type, the others at any time.
  void seedPointerTargets(const ProgramModel &Program,
                          RunningThreadsFinder &Finder) {
    // Which creation is for the fork's programs to tell.
    RunningThreads Anytime;
    std::map<std::string, std::vector<std::string>> OfType;
    for (const auto &[Usr, Type] : Program.TableFunctions)
      if (!Program.AddressEscapes.count(Usr))
        OfType[Type].push_back(Usr);
    std::set<std::string> Dispatched =
        findTableCalls(OfType, Program.IndirectCalls, TableCalls);
    for (const std::string &Usr : Program.AddressTaken)
      if (!Dispatched.count(Usr))
        seed(Usr, Anytime);
    std::map<std::string, std::vector<std::string>> InLoops;
    findTableCalls(OfType, Program.IndirectCallsInLoops, InLoops);
    for (const auto &[Caller, Targets] : InLoops) {
      if (!Threads.runs(Caller))
        continue;
      // In a loop, one call through a pointer follows another: what one
      // target leaves running may run as the next is entered.
      std::vector<LiveThreads> Left(Targets.size());
      for (size_t I = 0; I < Targets.size(); ++I) {
        Left[I].Kind = LiveThreads::CallOf;
        Left[I].Key = Targets[I];
      }
      if (std::optional<RunningThreads> Where = Finder.find(Left))
        for (const std::string &Target : Targets)
          seed(Target, *Where);
    }
  }

  /// What runs without a visible call, and main after threads started by
  /// the initializers of globals.
  void seedEntriesWithoutCalls(const ProgramModel &Program) {
    if (auto It = Program.References.find(""); It != Program.References.end())
      for (const std::string &Usr : It->second)
        seed(Usr, RunningThreads());
    for (const ThreadCreationModel &Creation : Program.ThreadCreations)
      if (Creation.FunctionUsr.empty()) // Before main.
        for (const std::string &Main : Program.Mains)
          seed(Main, {Creation.Loc, false});
  }

  /// The callees of calls at which threads may run.
  void seedCallsWithThreads(const ProgramModel &Program,
                            RunningThreadsFinder &Finder) {
    for (const auto &[Caller, Callees] : Program.ThreadsAtCalls) {
      if (!Threads.runs(Caller))
        continue;
      for (const auto &[Callee, AtCall] : Callees) {
        std::optional<RunningThreads> Where = Finder.find(AtCall);
        if (!Where)
          continue;
        if (Callee == "*" || Callee.empty())
          for (const std::string &Target : tableCallsOf(Caller))
            seed(Target, *Where);
        if (!Callee.empty()) {
          if (Callee != "*")
            seed(Callee, *Where);
          continue;
        }
        // Threads that may run at any of the caller's calls.
        if (auto Calls = Program.Calls.find(Caller);
            Calls != Program.Calls.end())
          for (const std::string &Called : Calls->second)
            seed(Called, *Where);
      }
    }
  }

  /// What a function entered with threads running calls is entered so too.
  void followCalls(const ProgramModel &Program) {
    while (!Work.empty()) {
      std::string Caller = std::move(Work.back());
      Work.pop_back();
      RunningThreads AtCaller = Running.at(Caller);
      auto Callees = Program.Calls.find(Caller);
      if (Callees != Program.Calls.end())
        for (const std::string &Callee : Callees->second)
          seed(Callee, AtCaller);
      for (const std::string &Target : tableCallsOf(Caller))
        seed(Target, AtCaller);
    }
  }

  /// Fills \p Found with the functions only tables hold (\p OfType, by
  /// type) that each function calls through the pointers of the types
  /// \p Calls lists. Returns all of them.
  static std::set<std::string>
  findTableCalls(const std::map<std::string, std::vector<std::string>> &OfType,
                 const std::map<std::string, std::vector<std::string>> &Calls,
                 std::map<std::string, std::vector<std::string>> &Found) {
    std::set<std::string> All;
    for (const auto &[Caller, Types] : Calls) {
      std::vector<std::string> Targets;
      for (const std::string &Type : Types) {
        // A pointer to a function without a prototype may call any.
        auto Listed = Type.empty() ? OfType.begin() : OfType.find(Type);
        auto End = Type.empty() || Listed == OfType.end() ? OfType.end()
                                                          : std::next(Listed);
        for (; Listed != End; ++Listed)
          Targets.insert(Targets.end(), Listed->second.begin(),
                         Listed->second.end());
      }
      if (Targets.empty())
        continue;
      sortUnique(Targets);
      All.insert(Targets.begin(), Targets.end());
      Found.emplace(Caller, std::move(Targets));
    }
    return All;
  }

  const std::vector<std::string> &tableCallsOf(const std::string &Caller) {
    static const std::vector<std::string> None;
    auto It = TableCalls.find(Caller);
    return It == TableCalls.end() ? None : It->second;
  }

  const ProgramThreads &Threads;
  std::map<std::string, RunningThreads> Running;
  std::map<std::string, std::vector<std::string>> TableCalls;
  /// Functions seeded whose callees are still to be seeded.
  std::vector<std::string> Work;
  bool Anywhere = false;
};

/// Whether only the callers a fork's file assumed call the functions on its
/// paths from main, and nothing takes their address. Few forks assume
/// anything: the call graph is searched for those only.
bool callersAsAssumed(const ForkModel &Fork, const ProgramModel &Program) {
  for (const auto &[Function, Assumed] : Fork.CallersAssumed)
    if (llvm::is_contained(Program.AddressTaken, Function))
      return false;
  if (Fork.CallersAssumed.empty())
    return true;
  for (const auto &[Caller, Callees] : Program.Calls)
    for (const auto &[Function, Assumed] : Fork.CallersAssumed)
      if (std::binary_search(Callees.begin(), Callees.end(), Function) &&
          !llvm::is_contained(Assumed, Caller))
        return false;
  return true;
}

/// The threads that may run at \p Fork: those its function may have started
/// since it was entered, or those that may run at its entry.
std::optional<RunningThreads> threadsAtFork(const ForkModel &Fork,
                                            const ThreadsAtEntry &Entry,
                                            RunningThreadsFinder &Finder) {
  std::optional<RunningThreads> Since = Finder.find(*Fork.ThreadsSinceEntry);
  if ((Since && !Since->Unseen) || Fork.ChildOf)
    return Since;
  std::optional<RunningThreads> AtEntry = Entry.of(Fork.FunctionUsr);
  return AtEntry ? AtEntry : Since;
}

} // namespace

/// Adds each list of \p Unit to the sorted list of \p Known under the same
/// key, keeping it sorted and without repeats.
template <typename Key>
void addSorted(std::map<Key, std::vector<std::string>> &Known,
               const std::map<Key, std::vector<std::string>> &Unit) {
  for (const auto &[Name, Values] : Unit) {
    std::vector<std::string> &Sorted = Known[Name];
    Sorted.insert(Sorted.end(), Values.begin(), Values.end());
    sortUnique(Sorted);
  }
}

void mergeModel(ProgramModel &Program, ProgramModel Unit) {
  // Continuations are named after their function, which a header may
  // define in several translation units: each unit keeps its own.
  std::map<std::string, std::string> Renamed;
  for (auto &[Key, Graph] : Unit.Continuations) {
    std::string Unique = Key;
    for (unsigned Copy = 1; Program.Continuations.count(Unique); ++Copy)
      Unique = Key + "#" + std::to_string(Copy);
    Program.Continuations.emplace(Unique, std::move(Graph));
    Renamed.emplace(Key, std::move(Unique));
  }
  for (ForkModel &Fork : Unit.Forks) {
    if (auto It = Renamed.find(Fork.Continuation); It != Renamed.end())
      Fork.Continuation = It->second;
    Program.Forks.push_back(std::move(Fork));
  }
  for (auto &Entry : Unit.Functions)
    Program.Functions.try_emplace(Entry.first, std::move(Entry.second));
  for (ThreadCreationModel &Creation : Unit.ThreadCreations)
    Program.ThreadCreations.push_back(std::move(Creation));
  addSorted(Program.Calls, Unit.Calls);
  // Only walked: repeated targets cost nothing.
  for (auto &[Taker, Targets] : Unit.References) {
    std::vector<std::string> &Known = Program.References[Taker];
    Known.insert(Known.end(), std::make_move_iterator(Targets.begin()),
                 std::make_move_iterator(Targets.end()));
  }
  for (auto &[Callee, Positions] : Unit.FunctionsPassed)
    addSorted(Program.FunctionsPassed[Callee], Positions);
  addSorted(Program.FunctionsStored, Unit.FunctionsStored);
  for (const std::string &Usr : Unit.AddressTaken)
    if (!Unit.TableFunctions.count(Usr))
      Program.AddressEscapes.insert(Usr);
  Program.AddressEscapes.insert(Unit.AddressEscapes.begin(),
                                Unit.AddressEscapes.end());
  Program.TableFunctions.merge(Unit.TableFunctions);
  addSorted(Program.IndirectCalls, Unit.IndirectCalls);
  addSorted(Program.IndirectCallsInLoops, Unit.IndirectCallsInLoops);
  Program.AddressTaken.insert(Program.AddressTaken.end(),
                              Unit.AddressTaken.begin(),
                              Unit.AddressTaken.end());
  for (std::string &Main : Unit.Mains)
    Program.Mains.push_back(std::move(Main));
  for (AtForkModel &Handlers : Unit.AtForkHandlers)
    Program.AtForkHandlers.push_back(std::move(Handlers));
  for (auto *Uses : {&Unit.MutexLocks, &Unit.MutexUnlocks}) {
    auto &Known =
        Uses == &Unit.MutexLocks ? Program.MutexLocks : Program.MutexUnlocks;
    for (auto &Entry : *Uses)
      Known.try_emplace(Entry.first, std::move(Entry.second));
  }
  for (auto &Entry : Unit.ThreadEffects)
    Program.ThreadEffects.try_emplace(Entry.first, std::move(Entry.second));
  for (auto &Entry : Unit.ThreadsAtCalls)
    Program.ThreadsAtCalls.try_emplace(Entry.first, std::move(Entry.second));
  for (WrapperModel &Wrapper : Unit.Wrappers)
    if (llvm::none_of(Program.Wrappers, [&](const WrapperModel &Known) {
          return Known.Usr == Wrapper.Usr;
        }))
      Program.Wrappers.push_back(std::move(Wrapper));
}

ProgramThreads::ProgramThreads(const ProgramModel &Program) : Program(Program) {
  // What runs without a visible cause is listed under "" (References).
  static const std::string NoCaller;
  for (const std::string &Main : Program.Mains)
    walkFrom(Program, {&Main, &NoCaller}, Reached.emplace_back());
  for (const ThreadCreationModel &Creation : Program.ThreadCreations)
    if (Creation.JoinedBeforeReturn && !WhileJoined.count(Creation.FunctionUsr))
      walkFrom(Program, {&Creation.FunctionUsr},
               WhileJoined[Creation.FunctionUsr]);
}

std::optional<ThreadCreationModel>
ProgramThreads::firstIn(const std::vector<const llvm::StringSet<> *> &Programs,
                        const std::string *ForkFunction) const {
  const ThreadCreationModel *First = nullptr;
  for (const ThreadCreationModel &Creation : Program.ThreadCreations) {
    bool Runs = Programs.empty() || Creation.FunctionUsr.empty() ||
                llvm::any_of(Programs, [&](const llvm::StringSet<> *Reached) {
                  return Reached->contains(Creation.FunctionUsr);
                });
    if (Runs && ForkFunction && Creation.JoinedBeforeReturn)
      Runs = WhileJoined.at(Creation.FunctionUsr).contains(*ForkFunction);
    if (Runs && (!First || Creation.Loc < First->Loc))
      First = &Creation;
  }
  if (!First)
    return std::nullopt;
  return *First;
}

std::vector<const llvm::StringSet<> *>
ProgramThreads::mainsReaching(const std::string &Usr) const {
  std::vector<const llvm::StringSet<> *> Mains;
  for (const llvm::StringSet<> &Main : Reached)
    if (Main.contains(Usr))
      Mains.push_back(&Main);
  return Mains;
}

bool ProgramThreads::mainReaches(const ForkModel &Fork) const {
  return !Fork.FunctionUsr.empty() && !mainsReaching(Fork.FunctionUsr).empty();
}

std::set<Location> forksMainsReach(const ProgramModel &Program) {
  ProgramThreads Threads(Program);
  std::set<Location> Reached;
  for (const ForkModel &Fork : Program.Forks)
    if (Threads.mainReaches(Fork))
      Reached.insert(Fork.Loc);
  return Reached;
}

bool ProgramThreads::runs(const std::string &Usr) const {
  return Reached.empty() || !mainsReaching(Usr).empty();
}

std::optional<ThreadCreationModel> ProgramThreads::first() const {
  std::vector<const llvm::StringSet<> *> All;
  for (const llvm::StringSet<> &Main : Reached)
    All.push_back(&Main);
  return firstIn(All, nullptr);
}

std::optional<ThreadCreationModel>
ProgramThreads::firstFor(const ForkModel &Fork) const {
  if (Fork.FunctionUsr.empty())
    return first();
  std::vector<const llvm::StringSet<> *> Running =
      mainsReaching(Fork.FunctionUsr);
  // No main reaches the fork: what may call it is unknown.
  if (Running.empty())
    for (const llvm::StringSet<> &Main : Reached)
      Running.push_back(&Main);
  return firstIn(Running, &Fork.FunctionUsr);
}

/// The fork wrappers of \p Program, by USR: those the translation unit that
/// defines them found, and those that rest on the assumption that a function
/// of another translation unit is a wrapper, when the program confirms it.
namespace {

/// What the function pointers of a program, its parameters and fields that
/// hold a function's address, may hold: the least solution of what the
/// program passes and stores, values that name other parameters and fields
/// included.
class FunctionPointers {
public:
  explicit FunctionPointers(const ProgramModel &Program) : Program(Program) {}

  /// The functions \p Slot ("param:USR#N" or "field:USR") may hold, by USR,
  /// sorted; with "" when it may hold anything else.
  std::vector<std::string> functionsIn(const std::string &Slot) {
    if (!Solved)
      solve();
    std::vector<std::string> Functions;
    auto It = Values.find(Slot);
    if (It == Values.end() || It->second.Unknown)
      return {""};
    Functions.assign(It->second.Functions.begin(), It->second.Functions.end());
    return Functions;
  }

private:
  struct Held {
    std::set<std::string> Functions;
    bool Unknown = false;
    bool operator==(const Held &Other) const {
      return Unknown == Other.Unknown && Functions == Other.Functions;
    }
  };

  /// What is given to \p Slot; null when unknown: a parameter of a function
  /// whose address is taken, or of a library's function that its users may
  /// call.
  const std::vector<std::string> *sourcesOf(llvm::StringRef Slot) const {
    if (Slot.consume_front(FunctionPointerValue::Field)) {
      auto It = Program.FunctionsStored.find(Slot.str());
      return It == Program.FunctionsStored.end() ? nullptr : &It->second;
    }
    if (!Slot.consume_front(FunctionPointerValue::Parameter))
      return nullptr;
    auto [Usr, Position] = Slot.rsplit('#');
    unsigned Index = 0;
    bool Internal = Usr.starts_with("c:") && !Usr.starts_with("c:@");
    if (Position.getAsInteger(10, Index) ||
        (Program.Mains.empty() && !Internal) ||
        llvm::is_contained(Program.AddressTaken, Usr))
      return nullptr;
    auto Function = Program.FunctionsPassed.find(Usr.str());
    if (Function == Program.FunctionsPassed.end())
      return nullptr;
    auto It = Function->second.find(Index);
    return It == Function->second.end() ? nullptr : &It->second;
  }

  void solve() {
    Solved = true;
    std::vector<std::string> Slots;
    for (const auto &[Usr, Positions] : Program.FunctionsPassed)
      for (const auto &Entry : Positions)
        Slots.push_back(FunctionPointerValue::Parameter + Usr + "#" +
                        std::to_string(Entry.first));
    for (const auto &Entry : Program.FunctionsStored)
      Slots.push_back(FunctionPointerValue::Field + Entry.first);
    // Values only grow, over a finite set of functions: the rounds end.
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (const std::string &Slot : Slots) {
        Held Next;
        const std::vector<std::string> *Sources = sourcesOf(Slot);
        Next.Unknown = !Sources;
        for (const std::string &Value : Sources ? *Sources : NoSources) {
          if (Value.empty()) {
            Next.Unknown = true;
          } else if (llvm::StringRef(Value).starts_with("c:")) {
            Next.Functions.insert(Value);
          } else if (auto It = Values.find(Value); It != Values.end()) {
            Next.Unknown |= It->second.Unknown;
            Next.Functions.insert(It->second.Functions.begin(),
                                  It->second.Functions.end());
          } else if (!sourcesOf(Value)) {
            Next.Unknown = true;
          }
        }
        Held &Known = Values[Slot];
        if (!(Known == Next)) {
          Known = std::move(Next);
          Changed = true;
        }
      }
    }
  }

  static inline const std::vector<std::string> NoSources;
  const ProgramModel &Program;
  std::map<std::string, Held> Values;
  bool Solved = false;
};

/// What the parameters of the function of \p Fork hold, when the program
/// holds all its calls (see FunctionPointers::sourcesOf).
ArgumentValues parametersOf(const ProgramModel &Program,
                            FunctionPointers &Pointers, const ForkModel &Fork) {
  const std::string &Usr = Fork.FunctionUsr;
  auto Passed = Program.FunctionsPassed.find(Usr);
  if (Passed == Program.FunctionsPassed.end())
    return {};
  std::map<unsigned, std::vector<std::string>> Resolved;
  for (const auto &[Position, Values] : Passed->second)
    Resolved[Position] = Pointers.functionsIn(
        FunctionPointerValue::Parameter + Usr + "#" + std::to_string(Position));
  return parameterValues(Resolved);
}

/// Whether the paths of \p Graph call functions of the program, directly
/// or through parameters.
bool callsFunctions(const PathGraph &Graph) {
  return llvm::any_of(Graph.Nodes, [](const ModelNode &Node) {
    return llvm::any_of(Node.Events, [](const ModelEvent &Event) {
      return Event.Kind == ModelEvent::Call ||
             Event.CalleeParameter.has_value();
    });
  });
}

/// Which functions of the program are fork wrappers, whose calls are fork
/// sites. A translation unit takes a function for one when its child may
/// return the fork's result; the program may show that the child never
/// returns, once the functions it calls are known (a server loop that
/// ends the process only with exit, a spawn function whose callers all
/// pass functions that end the process).
class ProgramWrappers {
public:
  /// \p Solver solves the children of the forks of Program.
  ProgramWrappers(const ProgramModel &Program, ChildPathSolver &Solver)
      : Program(Program) {
    confirmAssumed();
    findThoseThatNeverReturn(Solver);
  }

  /// Whether \p Fork is a fork site of the program.
  bool keeps(const ForkModel &Fork) const {
    if (!Fork.AssumedWrapper.empty() && !Confirmed.count(Fork.AssumedWrapper))
      return false;
    return Fork.WrapperUsr.empty() || !NeverReturn.count(Fork.WrapperUsr);
  }
  /// \p Fork as the program judges it: the fork of a wrapper whose child
  /// never returns is a fork of its own.
  const ForkModel &judged(const ForkModel &Fork, ForkModel &Copy) const {
    if (!Fork.InWrapper || !NeverReturn.count(Fork.FunctionUsr))
      return Fork;
    Copy = Fork;
    Copy.InWrapper = false;
    return Copy;
  }

private:
  /// A wrapper of a function defined elsewhere is one if that function is.
  void confirmAssumed() {
    for (bool Added = true; Added;) {
      Added = false;
      for (const WrapperModel &Wrapper : Program.Wrappers)
        if (Wrapper.Kind == ForkKind::Fork &&
            (Wrapper.AssumedWrapper.empty() ||
             Confirmed.count(Wrapper.AssumedWrapper)))
          Added |= Confirmed.insert(Wrapper.Usr).second;
    }
  }

  void findThoseThatNeverReturn(ChildPathSolver &Solver) {
    std::map<std::string, std::vector<const ForkModel *>> Inner;
    for (const ForkModel &Fork : Program.Forks)
      if (Fork.InWrapper && !Fork.FunctionUsr.empty())
        Inner[Fork.FunctionUsr].push_back(&Fork);
    // Only a child that calls functions can be judged anew.
    if (llvm::none_of(Inner, [](const auto &Entry) {
          return llvm::any_of(Entry.second, [](const ForkModel *Fork) {
            return callsFunctions(Fork->Child);
          });
        }))
      return;
    FunctionPointers Pointers(Program);
    std::map<const ForkModel *, bool> Returns;
    auto MayReturn = [&](const ForkModel &Fork) {
      auto [It, Inserted] = Returns.try_emplace(&Fork, true);
      if (Inserted && callsFunctions(Fork.Child)) {
        auto Continuation = Program.Continuations.find(Fork.Continuation);
        It->second =
            Solver
                .analyzeFork(Fork,
                             Continuation == Program.Continuations.end()
                                 ? nullptr
                                 : &Continuation->second,
                             parametersOf(Program, Pointers, Fork))
                .MayReturn;
      }
      return It->second;
    };
    // A wrapper of a wrapper that never returns never returns either.
    for (bool Added = true; Added;) {
      Added = false;
      for (const auto &[Usr, Forks] : Inner) {
        if (NeverReturn.count(Usr) || !Confirmed.count(Usr))
          continue;
        if (llvm::none_of(Forks, [&](const ForkModel *Fork) {
              return keeps(*Fork) && MayReturn(*Fork);
            }))
          Added |= NeverReturn.insert(Usr).second;
      }
    }
  }

  const ProgramModel &Program;
  std::set<std::string> Confirmed;
  std::set<std::string> NeverReturn;
};

} // namespace

namespace {

/// The threads that may run at a fork, or why none does.
struct ThreadsAtForkSite {
  std::optional<ThreadCreationModel> Running;
  /// Running is a call to a function defined nowhere.
  bool Unseen = false;
  /// Set when no thread may run at the fork.
  std::optional<ForkVerdictKind> NoneBecause;
  /// For InForkChild: the earlier fork.
  std::optional<Location> ChildOf;
  /// Where the threads that run, or that were joined, were created.
  std::optional<Location> Evidence;
};

/// The threads the fork's file recorded at it, to tell joined threads from
/// none created yet.
const std::vector<LiveThreads> &recordedThreads(const ForkModel &Fork) {
  static const std::vector<LiveThreads> None;
  if (Fork.ThreadsAtFork)
    return *Fork.ThreadsAtFork;
  return Fork.ThreadsSinceEntry ? *Fork.ThreadsSinceEntry : None;
}

/// Decides each fork of a program: the findings of its child, or why it has
/// none.
class ForkJudge {
public:
  ForkJudge(const ProgramModel &Program, const AnalysisOptions &Opts,
            const std::vector<CheckKind> &Checks)
      : Program(Program), Opts(Opts), Checks(Checks), Creations(Program),
        Functions(Program), Solver(Functions, Opts, protectedMutexes(Program)),
        Effects(Program), Finder(Effects), Entry(Program, Creations, Finder),
        Pointers(Program) {}

  const ProgramThreads &threads() const { return Creations; }
  ChildPathSolver &solver() { return Solver; }

  /// The verdict on \p Fork; its findings go to \p Result.
  ForkVerdict judge(const ForkModel &Fork, ProgramFindings &Result) {
    ForkVerdict Verdict{Fork.Loc, Fork.ForkFunction, Fork.FunctionName};
    ThreadsAtForkSite At = threadsAt(Fork);
    Verdict.ThreadsCreated = At.Evidence;
    Verdict.ChildOf = At.ChildOf;
    if (At.NoneBecause) {
      Verdict.Kind = *At.NoneBecause;
      return Verdict;
    }
    auto Continuation = Program.Continuations.find(Fork.Continuation);
    ChildBehaviour Child = Solver.analyzeFork(
        Fork,
        Continuation == Program.Continuations.end() ? nullptr
                                                    : &Continuation->second,
        parametersOf(Program, Pointers, Fork));
    size_t Before = Result.Findings.size();
    appendForkFindings(Fork, Child, At.Running ? &*At.Running : nullptr,
                       At.Unseen, Checks, Result.Findings);
    for (size_t I = Before; I < Result.Findings.size(); ++I)
      if (!llvm::is_contained(Verdict.Checks, Result.Findings[I].Check))
        Verdict.Checks.push_back(Result.Findings[I].Check);
    std::sort(Verdict.Checks.begin(), Verdict.Checks.end());
    Verdict.Findings = Result.Findings.size() - Before;
    Verdict.Kind = childVerdict(Fork, Child, Verdict);
    return Verdict;
  }

private:
  ThreadsAtForkSite threadsAt(const ForkModel &Fork) {
    ThreadsAtForkSite At;
    At.Running = Creations.firstFor(Fork);
    if (Opts.AssumeThreaded)
      return At;
    if (!At.Running) {
      At.NoneBecause = ForkVerdictKind::NoThreads;
      return At;
    }
    At.Evidence = At.Running->Loc;
    // In the child of an earlier fork, only the threads the function
    // started since its entry may run.
    if (Fork.ChildOf && Fork.ThreadsSinceEntry &&
        !Finder.find(*Fork.ThreadsSinceEntry)) {
      At.Evidence.reset();
      At.NoneBecause = ForkVerdictKind::InForkChild;
      At.ChildOf = Fork.ChildOf;
      return At;
    }
    if (!Fork.ThreadsMayExist) {
      At.Evidence.reset();
      At.NoneBecause =
          noThreadsAtFork(recordedThreads(Fork), Program, At.Evidence, Finder);
      return At;
    }
    // Calls into other translation units before the fork may have left
    // threads running, or joined them.
    std::optional<RunningThreads> Created = RunningThreads{At.Running->Loc};
    if (Fork.ThreadsAtFork && callersAsAssumed(Fork, Program))
      Created = Finder.find(*Fork.ThreadsAtFork);
    else if (Fork.ThreadsSinceEntry && !Fork.FunctionUsr.empty())
      Created = threadsAtFork(Fork, Entry, Finder);
    if (!Created) {
      At.Evidence.reset();
      At.NoneBecause =
          noThreadsAtFork(recordedThreads(Fork), Program, At.Evidence, Finder);
      return At;
    }
    if (Created->Created.isValid()) {
      At.Running->Loc = Created->Created;
      At.Unseen = Created->Unseen;
      At.Evidence = Created->Created;
    }
    return At;
  }

  /// The verdict on a child that threads may run with.
  static ForkVerdictKind childVerdict(const ForkModel &Fork,
                                      const ChildBehaviour &Child,
                                      ForkVerdict &Verdict) {
    if (Verdict.Findings)
      return ForkVerdictKind::Reported;
    // The child returns to the wrapper's callers, judged at each call.
    if (Fork.InWrapper)
      return ForkVerdictKind::InWrapper;
    if (Child.WorstGoingOn || !Child.UnsafeSites.empty())
      return ForkVerdictKind::Unchecked;
    if (!Child.ProtectedUses.empty()) {
      Verdict.Handler = Child.ProtectedUses.front().Handler;
      return ForkVerdictKind::ProtectedByAtFork;
    }
    return execsAtOnce(Fork.Child) ? ForkVerdictKind::ExecsAtOnce
                                   : ForkVerdictKind::CarefulChild;
  }

  const ProgramModel &Program;
  const AnalysisOptions &Opts;
  const std::vector<CheckKind> &Checks;
  ProgramThreads Creations;
  ProgramFunctions Functions;
  ChildPathSolver Solver;
  ProgramEffects Effects;
  RunningThreadsFinder Finder;
  ThreadsAtEntry Entry;
  FunctionPointers Pointers;
};

} // namespace

ProgramFindings analyzeProgram(const ProgramModel &Program,
                               const AnalysisOptions &Opts,
                               const std::vector<CheckKind> &Checks,
                               const std::set<Location> *MainsReachElsewhere) {
  ProgramFindings Result;
  ForkJudge Judge(Program, Opts, Checks);
  bool Threaded = Opts.AssumeThreaded || Judge.threads().first();
  ProgramWrappers Wrappers(Program, Judge.solver());
  for (const ForkModel &Listed : Program.Forks) {
    if (!Wrappers.keeps(Listed))
      continue;
    Result.Sites.insert(Listed.Loc);
    ForkModel Copy;
    const ForkModel &Fork = Wrappers.judged(Listed, Copy);
    if (MainsReachElsewhere && !Judge.threads().mainReaches(Fork) &&
        MainsReachElsewhere->count(Fork.Loc))
      continue;
    if (!Threaded) {
      mergeVerdict(Result.Verdicts,
                   {Fork.Loc, Fork.ForkFunction, Fork.FunctionName,
                    ForkVerdictKind::NoThreads});
      continue;
    }
    mergeVerdict(Result.Verdicts, Judge.judge(Fork, Result));
  }
  sortFindings(Result.Findings);
  sortVerdicts(Result.Verdicts);
  return Result;
}

} // namespace forksafety
