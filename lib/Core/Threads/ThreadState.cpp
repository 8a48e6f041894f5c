//===- ThreadState.cpp - The threads that may run at a point --------------===//

#include "Core/Threads/ThreadState.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <map>
#include <optional>

namespace forksafety {

namespace {

const char *const UntrackedId = "u";

std::string idOf(const LiveThreads &Threads) {
  if (Threads.Kind == LiveThreads::Untracked)
    return UntrackedId;
  const char *Prefix = Threads.Kind == LiveThreads::Handle ? "h"
                       : Threads.Failed                    ? "f"
                                                           : "c";
  return Prefix + Threads.Key + '\x1f' + Threads.Object;
}

std::string fact(llvm::StringRef Var, bool NonZero) {
  return Var.str() + (NonZero ? "!=0" : "==0");
}

/// A call as one name; a USR holds no unit separator.
std::string callName(const ExternalCall &Call) {
  return Call.Usr + '\x1f' + Call.Object;
}

/// A handle that holds one thread: an element of an array or container is
/// another handle.
bool holdsOneThread(const LiveThreads &Threads) {
  return Threads.Kind == LiveThreads::Handle &&
         !llvm::StringRef(Threads.Key).contains('[');
}

bool has(const llvm::BitVector &Bits, unsigned Bit) {
  return Bit < Bits.size() && Bits.test(Bit);
}

void add(llvm::BitVector &Bits, unsigned Bit) {
  if (Bit >= Bits.size())
    Bits.resize(Bit + 1);
  Bits.set(Bit);
}

void remove(llvm::BitVector &Bits, unsigned Bit) {
  if (Bit < Bits.size())
    Bits.reset(Bit);
}

/// Whether \p A holds the same bits as \p B, whatever their sizes.
bool sameBits(const llvm::BitVector &A, const llvm::BitVector &B) {
  return !A.test(B) && !B.test(A);
}

} // namespace

/// Names numbered in the order they are first seen.
class ThreadNames {
public:
  class Table {
  public:
    unsigned number(llvm::StringRef Name) {
      auto [It, Inserted] = Numbers.try_emplace(Name, Names.size());
      if (Inserted)
        Names.push_back(It->first());
      return It->second;
    }
    std::optional<unsigned> find(llvm::StringRef Name) const {
      auto It = Numbers.find(Name);
      if (It == Numbers.end())
        return std::nullopt;
      return It->second;
    }
    llvm::StringRef name(unsigned Number) const { return Names[Number]; }
    /// name(Number), interned once: states turn their bits into sets of
    /// names at every function's exit.
    InternedString interned(unsigned Number) {
      if (Interned.size() <= Number)
        Interned.resize(Names.size());
      if (Interned[Number].empty())
        Interned[Number] = InternedString(Names[Number]);
      return Interned[Number];
    }

  private:
    llvm::StringMap<unsigned> Numbers;
    std::vector<llvm::StringRef> Names;
    std::vector<InternedString> Interned;
  };

  ThreadNames() : Entry(Ids.number(EntryId)) {}

  /// The number of \p Call in Calls: a flow passes a function's calls
  /// several times, and the records that name it are built again.
  unsigned callNumber(const ExternalCall &Call) {
    auto [It, Inserted] =
        CallNumbers.try_emplace({Call.Usr.address(), Call.Object.address()});
    if (Inserted) {
      It->second = Calls.number(callName(Call));
      if (CallsByNumber.size() <= It->second)
        CallsByNumber.resize(It->second + 1);
      CallsByNumber[It->second] = Call;
    }
    return It->second;
  }

  /// The call numbered \p Number in Calls.
  const ExternalCall &call(unsigned Number) const {
    return CallsByNumber[Number];
  }

  /// The number in Ids of the threads a call to \p Call leaves.
  unsigned leftByCallNumber(const ExternalCall &Call) {
    auto [It, Inserted] =
        LeftByCall.try_emplace({Call.Usr.address(), Call.Object.address()});
    if (Inserted)
      It->second = Ids.number(threadsIdOfCall(Call));
    return It->second;
  }

  Table Ids, Handles, Calls, Facts;
  /// The number of EntryId in Ids.
  const unsigned Entry;
  /// By effect and object: the same callee called on the same object
  /// anywhere in the translation unit leaves the same records.
  std::map<std::pair<const ThreadEffect *, std::string>,
           std::unique_ptr<ThreadState::AppliedEffect>>
      Applied;

private:
  using CallKey = std::pair<const void *, const void *>;
  llvm::DenseMap<CallKey, unsigned> CallNumbers, LeftByCall;
  std::vector<ExternalCall> CallsByNumber;
};

void forgetAppliedEffects(ThreadNames &Names) { Names.Applied.clear(); }

std::shared_ptr<ThreadNames> makeThreadNames() {
  return std::make_shared<ThreadNames>();
}

const char *const EntryId = "\x01";

ThreadNames &ThreadState::names() {
  if (!Names)
    Names = makeThreadNames();
  return *Names;
}

ThreadState ThreadState::initial(const std::vector<LiveThreads> &AtEntry,
                                 std::shared_ptr<ThreadNames> Names) {
  ThreadState State(Names ? std::move(Names) : makeThreadNames());
  LiveThreads Entry;
  Entry.Kind = LiveThreads::CallOf;
  State.insert(State.names().Entry, State.recordOf(Entry));
  for (const LiveThreads &Threads : AtEntry)
    State.addRecord(State.names().Ids.number(idOf(Threads)),
                    State.recordOf(Threads));
  return State;
}

ThreadState::Entry *ThreadState::find(unsigned Id) {
  auto It = llvm::lower_bound(
      Records, Id, [](const Entry &E, unsigned Id) { return E.first < Id; });
  return It != Records.end() && It->first == Id ? &*It : nullptr;
}

const ThreadState::Entry *ThreadState::find(unsigned Id) const {
  return const_cast<ThreadState *>(this)->find(Id);
}

ThreadState::Record &ThreadState::edit(Entry &E) {
  if (E.second->UseCount() > 1)
    E.second = new Record(*E.second);
  return *E.second;
}

void ThreadState::insert(unsigned Id, llvm::IntrusiveRefCntPtr<Record> R) {
  auto It = llvm::lower_bound(
      Records, Id, [](const Entry &E, unsigned Id) { return E.first < Id; });
  Records.insert(It, {Id, std::move(R)});
}

void ThreadState::erase(unsigned Id) {
  llvm::erase_if(Records, [&](const Entry &E) { return E.first == Id; });
}

llvm::IntrusiveRefCntPtr<ThreadState::Record>
ThreadState::recordOf(const LiveThreads &Threads) {
  llvm::IntrusiveRefCntPtr<Identity> Is(new Identity);
  Is->Threads.Kind = Threads.Kind;
  Is->Threads.Key = Threads.Key;
  Is->Threads.Object = Threads.Object;
  Is->Threads.Created = Threads.Created;
  Is->Threads.Failed = Threads.Failed;
  Is->Threads.OnlyOnSuccess = Threads.OnlyOnSuccess;
  llvm::IntrusiveRefCntPtr<Record> R(new Record);
  R->Is = std::move(Is);
  ThreadNames &N = names();
  for (InternedString Joined : Threads.JoinedSince)
    add(R->Joined, N.Handles.number(Joined));
  for (const ExternalCall &Call : Threads.CalledSince)
    add(R->Called, N.callNumber(Call));
  for (InternedString Guard : Threads.Guards)
    add(R->Guards, N.Facts.number(Guard));
  return R;
}

LiveThreads ThreadState::threadsOf(const Record &R) const {
  LiveThreads Threads = R.threads();
  for (unsigned Bit : R.Joined.set_bits())
    Threads.JoinedSince.insert(Names->Handles.interned(Bit));
  for (unsigned Bit : R.Called.set_bits())
    Threads.CalledSince.insert(Names->call(Bit));
  for (unsigned Bit : R.Guards.set_bits())
    Threads.Guards.insert(Names->Facts.interned(Bit));
  return Threads;
}

/// Adds the record \p R under \p Id: if one is there, only what happened
/// since on both paths stays.
void ThreadState::addRecord(unsigned Id, llvm::IntrusiveRefCntPtr<Record> R) {
  if (Entry *E = find(Id))
    keepCommon(*E, R);
  else
    insert(Id, std::move(R));
}

void ThreadState::keepCommon(Entry &E,
                             const llvm::IntrusiveRefCntPtr<Record> &R) {
  if (E.second == R)
    return;
  const Record &Mine = *E.second;
  if (!Mine.Joined.test(R->Joined) && !Mine.Called.test(R->Called) &&
      !Mine.Guards.test(R->Guards))
    return; // Nothing here that did not happen there too.
  Record &Kept = edit(E);
  Kept.Joined &= R->Joined;
  Kept.Called &= R->Called;
  Kept.Guards &= R->Guards;
}

ThreadState::Entry *ThreadState::findByName(llvm::StringRef Id) {
  if (!Names)
    return nullptr;
  if (std::optional<unsigned> Number = Names->Ids.find(Id))
    return find(*Number);
  return nullptr;
}

bool ThreadState::contains(llvm::StringRef Id) const {
  return const_cast<ThreadState *>(this)->findByName(Id);
}

bool ThreadState::hasThreads() const {
  return Records.size() > (Names && find(Names->Entry) ? 1 : 0);
}

std::vector<std::pair<std::string, LiveThreads>> ThreadState::records() const {
  // Sorted by reference first: the records are costly to move.
  llvm::SmallVector<std::pair<llvm::StringRef, const Record *>, 16> Sorted;
  for (const auto &[Id, R] : Records)
    Sorted.emplace_back(Names->Ids.name(Id), R.get());
  llvm::sort(Sorted,
             [](const auto &A, const auto &B) { return A.first < B.first; });
  std::vector<std::pair<std::string, LiveThreads>> All;
  All.reserve(Sorted.size());
  for (const auto &[Id, R] : Sorted)
    All.emplace_back(Id.str(), threadsOf(*R));
  return All;
}

std::vector<unsigned> ThreadState::idNumbers() const {
  std::vector<unsigned> Numbers;
  Numbers.reserve(Records.size());
  for (const auto &[Id, R] : Records)
    Numbers.push_back(Id);
  return Numbers;
}

bool ThreadState::held(llvm::StringRef Id,
                       llvm::ArrayRef<unsigned> Numbers) const {
  std::optional<unsigned> Number = Names ? Names->Ids.find(Id) : std::nullopt;
  return Number && std::binary_search(Numbers.begin(), Numbers.end(), *Number);
}

std::vector<std::string> ThreadState::threadIds() const {
  std::vector<std::string> Ids;
  for (const auto &[Id, R] : Records)
    if (llvm::StringRef Name = Names->Ids.name(Id); Name != EntryId)
      Ids.push_back(Name.str());
  llvm::sort(Ids);
  return Ids;
}

std::vector<LiveThreads> ThreadState::threads() const {
  std::vector<LiveThreads> Threads;
  for (auto &[Id, Live] : records())
    if (Id != EntryId)
      Threads.push_back(std::move(Live));
  return Threads;
}

void ThreadState::merge(const ThreadState &From) {
  if (From.Records.empty())
    return;
  if (Records.empty() || !Names) {
    if (!Names || Names == From.Names) {
      Names = From.Names;
      Records = From.Records;
      return;
    }
  }
  if (Names != From.Names) {
    for (const auto &[Id, Threads] : From.records())
      addRecord(names().Ids.number(Id), recordOf(Threads));
    return;
  }
  // Both sorted by id: one pass.
  std::vector<Entry> Merged;
  Merged.reserve(std::max(Records.size(), From.Records.size()));
  auto Mine = Records.begin();
  auto Theirs = From.Records.begin();
  while (Mine != Records.end() || Theirs != From.Records.end()) {
    if (Theirs == From.Records.end() ||
        (Mine != Records.end() && Mine->first < Theirs->first)) {
      Merged.push_back(std::move(*Mine++));
    } else if (Mine == Records.end() || Theirs->first < Mine->first) {
      Merged.push_back(*Theirs++);
    } else {
      keepCommon(*Mine, Theirs->second);
      Merged.push_back(std::move(*Mine++));
      ++Theirs;
    }
  }
  Records = std::move(Merged);
}

bool ThreadState::operator==(const ThreadState &Other) const {
  if (Records.size() != Other.Records.size())
    return false;
  if (Names != Other.Names) {
    auto Mine = records(), Theirs = Other.records();
    return std::equal(Mine.begin(), Mine.end(), Theirs.begin(),
                      [](const auto &X, const auto &Y) {
                        return X.first == Y.first &&
                               X.second.JoinedSince == Y.second.JoinedSince &&
                               X.second.CalledSince == Y.second.CalledSince &&
                               X.second.Guards == Y.second.Guards;
                      });
  }
  return std::equal(Records.begin(), Records.end(), Other.Records.begin(),
                    [](const Entry &X, const Entry &Y) {
                      if (X.first != Y.first)
                        return false;
                      const Record &A = *X.second, &B = *Y.second;
                      return &A == &B || (sameBits(A.Joined, B.Joined) &&
                                          sameBits(A.Called, B.Called) &&
                                          sameBits(A.Guards, B.Guards));
                    });
}

std::string threadsId(const LiveThreads &Threads) { return idOf(Threads); }

LiveThreads threadsLeftBy(const ExternalCall &Call) {
  LiveThreads Left;
  Left.Kind = LiveThreads::CallOf;
  Left.Key = Call.Usr;
  Left.Object = Call.Object;
  return Left;
}

std::string threadsIdOfCall(const ExternalCall &Call) {
  return idOf(threadsLeftBy(Call));
}

void ThreadState::markAll(llvm::BitVector Record::*Set, unsigned Bit) {
  for (Entry &E : Records)
    if (E.second->threads().Kind != LiveThreads::Untracked &&
        !has((*E.second).*Set, Bit))
      add(edit(E).*Set, Bit);
}

/// The threads of \p E can no longer be joined: they join the untracked
/// ones.
void ThreadState::lose(Entry &E) {
  LiveThreads Lost;
  Lost.Created = E.second->threads().Created;
  erase(E.first);
  addUntracked(Lost);
}

void ThreadState::addUntracked(const LiveThreads &Lost) {
  unsigned Untracked = names().Ids.number(UntrackedId);
  Entry *Existing = find(Untracked);
  // Those there ran where something was known; these run wherever they
  // do, which a note about the untracked threads names.
  bool RunsWider = Existing && Existing->second->Guards.any();
  addRecord(Untracked, recordOf(Lost));
  if (RunsWider)
    edit(*find(Untracked)).changeThreads().Created = Lost.Created;
}

/// A callee's effect seen from a call on one object, with its names
/// numbered and the records it leaves built: what applyEffect adds.
struct ThreadState::AppliedEffect {
  std::vector<std::string> Joins;
  llvm::BitVector JoinBits, CallBits;
  struct Left {
    unsigned Id;
    llvm::IntrusiveRefCntPtr<Record> R;
    bool ScalarHandle; ///< A new thread there makes an older one untracked.
    bool OnlyOnSuccess;
  };
  std::vector<Left> Leaves;
};

const ThreadState::AppliedEffect &
ThreadState::applied(const ThreadEffect &Effect, llvm::StringRef Object) {
  std::unique_ptr<AppliedEffect> &Known =
      names().Applied[{&Effect, Object.str()}];
  if (Known)
    return *Known;
  Known = std::make_unique<AppliedEffect>();
  for (InternedString Joined : Effect.Joins)
    if (InternedString Key = rebaseName(Joined, Object); !Key.empty()) {
      add(Known->JoinBits, names().Handles.number(Key));
      Known->Joins.push_back(Key.str());
    }
  for (const ExternalCall &Call : Effect.Calls)
    add(Known->CallBits,
        names().callNumber({Call.Usr, rebaseName(Call.Object, Object)}));
  for (const LiveThreads &Leaf : Effect.Leaves) {
    LiveThreads Left = rebase(Leaf, Object);
    // Said of the callee's result; the caller's own is another matter.
    Left.OnlyOnSuccess = false;
    llvm::IntrusiveRefCntPtr<Record> R = recordOf(Left);
    if (Left.Kind == LiveThreads::Untracked) {
      R->Joined.clear();
      R->Called.clear();
    }
    Known->Leaves.push_back({names().Ids.number(idOf(Left)), std::move(R),
                             holdsOneThread(Left), Leaf.OnlyOnSuccess});
  }
  return *Known;
}

void ThreadState::applyEffect(const ThreadEffect &Effect,
                              llvm::StringRef Object,
                              std::vector<std::string> *OnlyOnSuccess) {
  const AppliedEffect &Applied = applied(Effect, Object);
  const std::vector<std::string> &Joins = Applied.Joins;
  const llvm::BitVector &JoinBits = Applied.JoinBits,
                        &CallBits = Applied.CallBits;
  llvm::erase_if(Records, [&](Entry &E) {
    const LiveThreads &Threads = E.second->threads();
    if (Threads.Kind == LiveThreads::Handle &&
        llvm::any_of(Joins, [&](const std::string &Joined) {
          return joinsHandle(Joined, Threads.Key);
        }))
      return true;
    if (Threads.Kind != LiveThreads::Untracked &&
        (JoinBits.test(E.second->Joined) || CallBits.test(E.second->Called))) {
      Record &R = edit(E);
      R.Joined |= JoinBits;
      R.Called |= CallBits;
    }
    return false;
  });
  for (const AppliedEffect::Left &Left : Applied.Leaves) {
    if (Left.OnlyOnSuccess && OnlyOnSuccess)
      OnlyOnSuccess->push_back(names().Ids.name(Left.Id).str());
    gen(Left.Id, Left.R, Left.ScalarHandle);
  }
}

VariableFacts numberFacts(ThreadNames &Names, llvm::StringRef Var) {
  VariableFacts Facts;
  Facts.Holds = Names.Facts.number(fact(Var, true));
  Facts.Fails = Names.Facts.number(fact(Var, false));
  return Facts;
}

VariableFacts numberFacts(ThreadNames &Names, llvm::StringRef Var,
                          llvm::StringRef Test) {
  VariableFacts Facts;
  Facts.Holds = Names.Facts.number((llvm::Twine(Var) + " " + Test).str());
  Facts.Fails = Names.Facts.number((llvm::Twine(Var) + " !" + Test).str());
  return Facts;
}

void ThreadState::learn(VariableFacts Test, bool Held) {
  unsigned Contradicted = Test.holding(!Held);
  unsigned Known = Test.holding(Held);
  unsigned Entry = names().Entry;
  llvm::erase_if(Records, [&](ThreadState::Entry &E) {
    if (E.first != Entry && has(E.second->Guards, Contradicted))
      return true;
    // On the paths through here, it holds for whatever runs.
    if (has(E.second->Guards, Contradicted) || !has(E.second->Guards, Known)) {
      Record &R = edit(E);
      remove(R.Guards, Contradicted);
      add(R.Guards, Known);
    }
    return false;
  });
}

void ThreadState::excludeWhere(VariableFacts Test, bool Held) {
  unsigned Excluded = Test.holding(!Held), Other = Test.holding(Held);
  unsigned Entry = names().Entry;
  for (ThreadState::Entry &E : Records)
    if (E.first != Entry &&
        (!has(E.second->Guards, Excluded) || has(E.second->Guards, Other))) {
      Record &R = edit(E);
      remove(R.Guards, Other);
      add(R.Guards, Excluded);
    }
}

bool ThreadState::knows(VariableFacts Test, bool Held) const {
  unsigned Known = Test.holding(Held);
  return llvm::all_of(
      Records, [&](const Entry &E) { return has(E.second->Guards, Known); });
}

bool ThreadState::mentions(VariableFacts Test) const {
  return llvm::any_of(Records, [&](const Entry &E) {
    return has(E.second->Guards, Test.Holds) ||
           has(E.second->Guards, Test.Fails);
  });
}

void ThreadState::forget(VariableFacts Test) {
  for (unsigned Fact : {Test.Holds, Test.Fails})
    for (Entry &E : Records)
      if (has(E.second->Guards, Fact))
        remove(edit(E).Guards, Fact);
}

void ThreadState::callFailed(llvm::StringRef Id) {
  Entry *E = findByName(Id);
  if (!E)
    return;
  llvm::IntrusiveRefCntPtr<Record> Failed = E->second;
  erase(E->first);
  if (Failed->threads().Kind != LiveThreads::CallOf || Failed->threads().Failed)
    return;
  Failed = new Record(*Failed);
  Failed->changeThreads().Failed = true;
  unsigned FailedId = names().Ids.number(idOf(Failed->threads()));
  addRecord(FailedId, std::move(Failed));
}

void ThreadState::gen(const LiveThreads &Threads) {
  llvm::IntrusiveRefCntPtr<Record> R = recordOf(Threads);
  if (Threads.Kind == LiveThreads::Untracked) {
    R->Joined.clear();
    R->Called.clear();
  }
  gen(names().Ids.number(idOf(Threads)), std::move(R), holdsOneThread(Threads));
}

void ThreadState::gen(unsigned Id, llvm::IntrusiveRefCntPtr<Record> R,
                      bool ScalarHandle) {
  // What is known where the threads start holds wherever they run.
  if (const Entry *Start = find(names().Entry);
      Start && !sameBits(Start->second->Guards, R->Guards)) {
    if (R->UseCount() > 1)
      R = new Record(*R);
    R->Guards = Start->second->Guards;
  }
  Entry *E = find(Id);
  if (!E) {
    insert(Id, std::move(R));
    return;
  }
  // A new thread in a handle that still holds one: the first can no
  // longer be joined. An element of an array or container is another.
  if (ScalarHandle) {
    lose(*E);
    insert(Id, std::move(R));
    return;
  }
  addRecord(Id, std::move(R));
}

void ThreadState::join(llvm::StringRef Key) {
  if (Key.empty())
    return;
  unsigned Bit = names().Handles.number(Key);
  llvm::erase_if(Records, [&](Entry &E) {
    const LiveThreads &Threads = E.second->threads();
    if (Threads.Kind == LiveThreads::Handle && joinsHandle(Key, Threads.Key))
      return true;
    if (Threads.Kind != LiveThreads::Untracked && !has(E.second->Joined, Bit))
      add(edit(E).Joined, Bit);
    return false;
  });
}

/// A detached thread is never joined; detaching the elements of a
/// container in a loop detaches any of them.
void ThreadState::detach(llvm::StringRef Key) {
  // The untracked record a detach adds is the one first by id.
  std::optional<std::pair<std::string, Location>> First;
  llvm::erase_if(Records, [&](const Entry &E) {
    const LiveThreads &Threads = E.second->threads();
    if (Threads.Kind != LiveThreads::Handle || !joinsHandle(Key, Threads.Key))
      return false;
    std::string Id = Names->Ids.name(E.first).str();
    if (!First || Id < First->first)
      First.emplace(std::move(Id), Threads.Created);
    return true;
  });
  if (!First)
    return;
  LiveThreads Lost;
  Lost.Created = First->second;
  addUntracked(Lost);
}

void ThreadState::move(llvm::StringRef From, llvm::StringRef To) {
  LiveThreads Moved;
  Moved.Kind = LiveThreads::Handle;
  Moved.Key = From.str();
  Entry *E = findByName(idOf(Moved));
  if (!E || To.empty())
    return;
  Moved = threadsOf(*E->second);
  erase(E->first);
  Moved.Key = To.str();
  gen(Moved);
}

void ThreadState::callElsewhere(const ExternalCall &Call,
                                const Location &Where) {
  markAll(&Record::Called, names().callNumber(Call));
  llvm::IntrusiveRefCntPtr<Identity> Is(new Identity);
  Is->Threads = threadsLeftBy(Call);
  Is->Threads.Created = Where;
  llvm::IntrusiveRefCntPtr<Record> Left(new Record);
  Left->Is = std::move(Is);
  gen(names().leftByCallNumber(Call), std::move(Left), /*ScalarHandle=*/false);
}

} // namespace forksafety
