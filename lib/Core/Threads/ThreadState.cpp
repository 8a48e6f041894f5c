//===- ThreadState.cpp - The threads that may run at a point --------------===//

#include "Core/Threads/ThreadState.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <iterator>

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

template <typename T>
void intersect(std::set<T> &Into, const std::set<T> &Other) {
  std::set<T> Both;
  std::set_intersection(Into.begin(), Into.end(), Other.begin(), Other.end(),
                        std::inserter(Both, Both.end()));
  Into = std::move(Both);
}

} // namespace

const char *const EntryId = "\x01";

/// Threads live on one path or another; what happened since they were
/// created happened on both paths.
void mergeInto(ThreadState &Into, const ThreadState &From) {
  for (const auto &[Id, Threads] : From) {
    auto [It, Inserted] = Into.try_emplace(Id, Threads);
    if (!Inserted) {
      intersect(It->second.JoinedSince, Threads.JoinedSince);
      intersect(It->second.CalledSince, Threads.CalledSince);
      intersect(It->second.Guards, Threads.Guards);
    }
  }
}

bool sameState(const ThreadState &A, const ThreadState &B) {
  return A.size() == B.size() &&
         std::equal(A.begin(), A.end(), B.begin(),
                    [](const auto &X, const auto &Y) {
                      return X.first == Y.first &&
                             X.second.JoinedSince == Y.second.JoinedSince &&
                             X.second.CalledSince == Y.second.CalledSince &&
                             X.second.Guards == Y.second.Guards;
                    });
}

ThreadState initialState(const std::vector<LiveThreads> &AtEntry) {
  ThreadState State;
  LiveThreads Entry;
  Entry.Kind = LiveThreads::CallOf;
  State.emplace(EntryId, Entry);
  for (const LiveThreads &Threads : AtEntry)
    mergeInto(State, {{idOf(Threads), Threads}});
  return State;
}

std::vector<LiveThreads> threadsIn(const ThreadState &State) {
  std::vector<LiveThreads> Threads;
  for (const auto &[Id, Live] : State)
    if (Id != EntryId)
      Threads.push_back(Live);
  return Threads;
}

std::string threadsId(const LiveThreads &Threads) { return idOf(Threads); }

void applyEffect(ThreadState &State, const ThreadEffect &Effect,
                 const std::string &Object,
                 std::vector<std::string> *OnlyOnSuccess) {
  std::set<std::string> Joins;
  for (const std::string &Joined : Effect.Joins)
    if (std::string Key = rebaseKey(Joined, Object); !Key.empty())
      Joins.insert(std::move(Key));
  std::set<ExternalCall> Calls;
  for (const ExternalCall &Call : Effect.Calls)
    Calls.insert(
        {Call.Usr, Call.Object.empty() ? "" : rebaseKey(Call.Object, Object)});
  for (auto It = State.begin(); It != State.end();) {
    LiveThreads &Threads = It->second;
    if (Threads.Kind == LiveThreads::Handle &&
        llvm::any_of(Joins, [&](const std::string &Joined) {
          return joinsHandle(Joined, Threads.Key);
        })) {
      It = State.erase(It);
      continue;
    }
    if (Threads.Kind != LiveThreads::Untracked) {
      Threads.JoinedSince.insert(Joins.begin(), Joins.end());
      Threads.CalledSince.insert(Calls.begin(), Calls.end());
    }
    ++It;
  }
  for (const LiveThreads &Leaf : Effect.Leaves) {
    LiveThreads Left = rebase(Leaf, Object);
    // Said of the callee's result; the caller's own is another matter.
    Left.OnlyOnSuccess = false;
    if (Leaf.OnlyOnSuccess && OnlyOnSuccess)
      OnlyOnSuccess->push_back(idOf(Left));
    gen(State, std::move(Left));
  }
}

namespace {
std::string fact(const std::string &Var, bool NonZero) {
  return Var + (NonZero ? "!=0" : "==0");
}
} // namespace

void learn(ThreadState &State, const std::string &Var, bool NonZero) {
  std::string Contradicted = fact(Var, !NonZero);
  for (auto It = State.begin(); It != State.end();) {
    if (It->first != EntryId && It->second.Guards.count(Contradicted)) {
      It = State.erase(It);
      continue;
    }
    // On the paths through here, it holds for whatever runs.
    It->second.Guards.erase(Contradicted);
    It->second.Guards.insert(fact(Var, NonZero));
    ++It;
  }
}

bool knows(const ThreadState &State, const std::string &Var, bool NonZero) {
  std::string Known = fact(Var, NonZero);
  return llvm::all_of(State, [&](const auto &Entry) {
    return Entry.second.Guards.count(Known) != 0;
  });
}

void forget(ThreadState &State, const std::string &Var) {
  for (auto &[Id, Threads] : State) {
    Threads.Guards.erase(fact(Var, true));
    Threads.Guards.erase(fact(Var, false));
  }
}

void callFailed(ThreadState &State, const std::string &Id) {
  auto It = State.find(Id);
  if (It == State.end())
    return;
  LiveThreads Threads = std::move(It->second);
  State.erase(It);
  if (Threads.Kind != LiveThreads::CallOf || Threads.Failed)
    return;
  Threads.Failed = true;
  std::string FailedId = idOf(Threads);
  mergeInto(State, {{FailedId, std::move(Threads)}});
}

void gen(ThreadState &State, LiveThreads Threads) {
  if (Threads.Kind == LiveThreads::Untracked) {
    Threads.JoinedSince.clear();
    Threads.CalledSince.clear();
  }
  if (auto Entry = State.find(EntryId); Entry != State.end())
    Threads.Guards = Entry->second.Guards;
  std::string Id = idOf(Threads);
  auto It = State.find(Id);
  if (It == State.end()) {
    State.emplace(std::move(Id), std::move(Threads));
    return;
  }
  // A new thread in a handle that still holds one: the first can no
  // longer be joined. An element of an array or container is another.
  if (Threads.Kind == LiveThreads::Handle &&
      Threads.Key.find('[') == std::string::npos) {
    LiveThreads Lost;
    Lost.Created = It->second.Created;
    State.erase(It);
    State.try_emplace(UntrackedId, std::move(Lost));
    State.emplace(std::move(Id), std::move(Threads));
    return;
  }
  mergeInto(State, {{Id, Threads}});
}

void join(ThreadState &State, const std::string &Key) {
  if (Key.empty())
    return;
  for (auto It = State.begin(); It != State.end();) {
    LiveThreads &Threads = It->second;
    if (Threads.Kind == LiveThreads::Handle && joinsHandle(Key, Threads.Key)) {
      It = State.erase(It);
      continue;
    }
    if (Threads.Kind != LiveThreads::Untracked)
      Threads.JoinedSince.insert(Key);
    ++It;
  }
}

/// A detached thread is never joined; detaching the elements of a
/// container in a loop detaches any of them.
void detach(ThreadState &State, const std::string &Key) {
  for (auto It = State.begin(); It != State.end();) {
    if (It->second.Kind != LiveThreads::Handle ||
        !joinsHandle(Key, It->second.Key)) {
      ++It;
      continue;
    }
    LiveThreads Lost;
    Lost.Created = It->second.Created;
    It = State.erase(It);
    State.try_emplace(UntrackedId, std::move(Lost));
  }
}

void move(ThreadState &State, const std::string &From, const std::string &To) {
  LiveThreads Moved;
  Moved.Kind = LiveThreads::Handle;
  Moved.Key = From;
  auto It = State.find(idOf(Moved));
  if (It == State.end() || To.empty())
    return;
  Moved = std::move(It->second);
  State.erase(It);
  Moved.Key = To;
  gen(State, std::move(Moved));
}

void callElsewhere(ThreadState &State, const ExternalCall &Call,
                   Location Where) {
  for (auto &[Id, Threads] : State)
    if (Threads.Kind != LiveThreads::Untracked)
      Threads.CalledSince.insert(Call);
  LiveThreads Left;
  Left.Kind = LiveThreads::CallOf;
  Left.Key = Call.Usr;
  Left.Object = Call.Object;
  Left.Created = std::move(Where);
  gen(State, std::move(Left));
}

} // namespace forksafety
