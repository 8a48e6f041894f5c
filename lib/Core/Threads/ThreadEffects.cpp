//===- ThreadEffects.cpp - Which threads may still run --------------------===//

#include "Core/Threads/ThreadEffects.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <map>
#include <utility>

namespace forksafety {

bool joinsHandle(llvm::StringRef Joined, llvm::StringRef Handle) {
  if (Joined == Handle)
    return true;
  // "t[*]" joins every element of t, however they were created.
  if (!Joined.consume_back("[*]"))
    return false;
  return Handle.consume_front(Joined) && Handle.starts_with("[");
}

bool isMemberKey(llvm::StringRef Key) {
  if (!Key.consume_front("this"))
    return false;
  return Key.empty() || Key.starts_with(".") || Key.starts_with("[");
}

std::string rebaseKey(llvm::StringRef Key, llvm::StringRef Object) {
  if (!isMemberKey(Key))
    return Key.str();
  if (Object.empty())
    return "";
  return Object.str() + Key.drop_front(4).str();
}

InternedString rebaseName(InternedString Key, llvm::StringRef Object) {
  return isMemberKey(Key) ? InternedString(rebaseKey(Key, Object)) : Key;
}

LiveThreads rebase(const LiveThreads &Threads, llvm::StringRef Object) {
  LiveThreads Result;
  Result.Kind = Threads.Kind;
  if (Threads.Kind == LiveThreads::Handle) {
    Result.Key = rebaseName(Threads.Key, Object);
    if (Result.Key.empty())
      Result.Kind = LiveThreads::Untracked;
  } else {
    Result.Key = Threads.Key;
  }
  if (!Threads.Object.empty())
    Result.Object = rebaseName(Threads.Object, Object);
  for (InternedString Joined : Threads.JoinedSince)
    if (InternedString Key = rebaseName(Joined, Object); !Key.empty())
      Result.JoinedSince.insert(Key);
  for (const ExternalCall &Call : Threads.CalledSince)
    Result.CalledSince.insert({Call.Usr, rebaseName(Call.Object, Object)});
  Result.Created = Threads.Created;
  Result.Failed = Threads.Failed;
  Result.OnlyOnSuccess = Threads.OnlyOnSuccess;
  return Result;
}

namespace {

/// The key of the untracked threads a function defined nowhere may leave.
constexpr const char *UnseenKey = "<defined nowhere>";

/// Adds \p Threads to \p Into: threads with the same identity merge, and
/// only what happened since both were created stays.
void addThreads(std::vector<LiveThreads> &Into, LiveThreads Threads) {
  for (LiveThreads &Known : Into) {
    if (Known.Kind != Threads.Kind || Known.Key != Threads.Key ||
        Known.Object != Threads.Object || Known.Failed != Threads.Failed)
      continue;
    Known.OnlyOnSuccess = Known.OnlyOnSuccess && Threads.OnlyOnSuccess;
    std::set<InternedString> Joined;
    for (InternedString Key : Known.JoinedSince)
      if (Threads.JoinedSince.count(Key))
        Joined.insert(Key);
    std::set<ExternalCall> Called;
    for (const ExternalCall &Call : Known.CalledSince)
      if (Threads.CalledSince.count(Call))
        Called.insert(Call);
    Known.JoinedSince = std::move(Joined);
    Known.CalledSince = std::move(Called);
    return;
  }
  Into.push_back(std::move(Threads));
}

/// \p Inner, left running by a call that \p Outer stands for: what
/// happened since the call happened since \p Inner was created too.
LiveThreads through(LiveThreads Inner, const LiveThreads &Outer) {
  Inner.JoinedSince.insert(Outer.JoinedSince.begin(), Outer.JoinedSince.end());
  Inner.CalledSince.insert(Outer.CalledSince.begin(), Outer.CalledSince.end());
  if (!Inner.Created.isValid())
    Inner.Created = Outer.Created;
  return Inner;
}

} // namespace

/// Resolves live threads through the effects of the functions that left
/// them running.
class RunningThreadsFinder::Resolver {
  /// A function's USR and the object it is called on.
  using CallId = std::pair<InternedString, InternedString>;
  /// Results are looked up, never listed: any order will do.
  struct ByAddress {
    bool operator()(const CallId &A, const CallId &B) const {
      return std::make_pair(A.first.address(), A.second.address()) <
             std::make_pair(B.first.address(), B.second.address());
    }
  };

public:
  explicit Resolver(ThreadEffects &Effects) : Effects(Effects) {}

  /// Where the threads found running were created, once mayRun is true,
  /// and whether that is a call to a function defined nowhere.
  Location Running;
  bool RunningUnseen = false;

  bool mayRun(const LiveThreads &Threads) {
    Running = Threads.Created;
    RunningUnseen = false;
    switch (Threads.Kind) {
    case LiveThreads::Untracked:
      RunningUnseen = Threads.Key == UnseenKey;
      return true;
    case LiveThreads::Handle:
      return !isJoined(Threads);
    case LiveThreads::CallOf:
      for (const LiveThreads &Left : leftBy(Threads.Key, Threads.Object))
        if (!(Threads.Failed && Left.OnlyOnSuccess) &&
            mayRun(through(Left, Threads)))
          return true;
      return false;
    }
    return true;
  }

private:
  bool isJoined(const LiveThreads &Threads) {
    if (llvm::any_of(Threads.JoinedSince, [&](InternedString Joined) {
          return joinsHandle(Joined, Threads.Key);
        }))
      return true;
    for (const ExternalCall &Call : Threads.CalledSince) {
      std::set<InternedString> Joins;
      llvm::DenseSet<CallId> Seen;
      collectJoins(Call, Joins, Seen);
      if (llvm::any_of(Joins, [&](InternedString Joined) {
            return joinsHandle(Joined, Threads.Key);
          }))
        return true;
    }
    return false;
  }

  /// The handles \p Call joins on every path, through the calls it makes
  /// on every path too.
  void collectJoins(const ExternalCall &Call, std::set<InternedString> &Joins,
                    llvm::DenseSet<CallId> &Seen) {
    if (!Seen.insert({Call.Usr, Call.Object}).second)
      return;
    const ThreadEffect *Effect = nullptr;
    if (Effects.lookup(Call.Usr, Effect) != ThreadEffects::Known::Effect)
      return;
    for (InternedString Joined : Effect->Joins)
      if (InternedString Key = rebaseName(Joined, Call.Object); !Key.empty())
        Joins.insert(Key);
    for (const ExternalCall &Inner : Effect->Calls)
      collectJoins({Inner.Usr, rebaseName(Inner.Object, Call.Object)}, Joins,
                   Seen);
  }

  /// The threads a call of \p Usr on \p Object may leave running, as
  /// handles and untracked threads, through the calls it makes in turn. A
  /// function defined nowhere may leave any. The calls form a graph whose
  /// cycles add no threads of their own: each strongly connected component
  /// is solved to a fixpoint once (Tarjan's algorithm).
  const std::vector<LiveThreads> &leftBy(InternedString Usr,
                                         InternedString Object) {
    CallId Id{Usr, Object};
    if (auto It = Done.find(Id); It != Done.end())
      return It->second;
    if (auto It = Visiting.find(Id); It != Visiting.end()) {
      if (!Path.empty())
        lowerLink(Path.back(), It->second.Index);
      return Current[Id];
    }
    const ThreadEffect *Effect = nullptr;
    switch (Effects.lookup(Usr, Effect)) {
    case ThreadEffects::Known::Nowhere: {
      LiveThreads Unseen;
      Unseen.Key = UnseenKey;
      return Done[Id] = {std::move(Unseen)};
    }
    case ThreadEffects::Known::NoEffect:
      return Done[Id];
    case ThreadEffects::Known::Effect:
      break;
    }
    unsigned Index = NextIndex++;
    Visiting[Id] = {Index, Index, Effect, Object};
    Stack.push_back(Id);
    Path.push_back(Id);
    Current[Id] = evaluate(Id);
    Path.pop_back();
    unsigned Low = Visiting[Id].LowLink;
    if (!Path.empty())
      lowerLink(Path.back(), Low);
    if (Low == Index)
      solveComponent(Id);
    auto Finished = Done.find(Id);
    return Finished != Done.end() ? Finished->second : Current[Id];
  }

  void lowerLink(const CallId &Id, unsigned Link) {
    unsigned &Low = Visiting[Id].LowLink;
    Low = std::min(Low, Link);
  }

  /// The threads \p Id leaves, from the current results of its callees.
  std::vector<LiveThreads> evaluate(const CallId &Id) {
    const Node &N = Visiting[Id];
    std::vector<LiveThreads> Left;
    for (const LiveThreads &Leaf : N.Effect->Leaves) {
      LiveThreads Rebased = rebase(Leaf, N.Object);
      if (Rebased.Kind != LiveThreads::CallOf) {
        addThreads(Left, std::move(Rebased));
        continue;
      }
      for (const LiveThreads &Inner : leftBy(Rebased.Key, Rebased.Object)) {
        if (Rebased.Failed && Inner.OnlyOnSuccess)
          continue;
        LiveThreads Threads = through(Inner, Rebased);
        // Whether this function returns 0 when it leaves them.
        Threads.OnlyOnSuccess = Rebased.OnlyOnSuccess;
        addThreads(Left, std::move(Threads));
      }
    }
    return Left;
  }

  void solveComponent(const CallId &Root) {
    std::vector<CallId> Members;
    do {
      Members.push_back(Stack.back());
      Stack.pop_back();
    } while (Members.back() != Root);
    for (bool Changed = Members.size() > 1; Changed;) {
      Changed = false;
      for (const CallId &Member : Members) {
        std::vector<LiveThreads> Left = evaluate(Member);
        if (!sameThreads(Left, Current[Member])) {
          Current[Member] = std::move(Left);
          Changed = true;
        }
      }
    }
    for (const CallId &Member : Members) {
      Done[Member] = std::move(Current[Member]);
      Current.erase(Member);
      Visiting.erase(Member);
    }
  }

  static bool sameThreads(const std::vector<LiveThreads> &A,
                          const std::vector<LiveThreads> &B) {
    return A.size() == B.size() &&
           std::equal(A.begin(), A.end(), B.begin(),
                      [](const LiveThreads &X, const LiveThreads &Y) {
                        return X.Kind == Y.Kind && X.Key == Y.Key &&
                               X.Object == Y.Object && X.Failed == Y.Failed &&
                               X.OnlyOnSuccess == Y.OnlyOnSuccess &&
                               X.JoinedSince == Y.JoinedSince &&
                               X.CalledSince == Y.CalledSince;
                      });
  }

  struct Node {
    unsigned Index;
    unsigned LowLink;
    const ThreadEffect *Effect;
    InternedString Object;
  };

  ThreadEffects &Effects;
  std::map<CallId, std::vector<LiveThreads>, ByAddress> Done;
  std::map<CallId, std::vector<LiveThreads>, ByAddress> Current;
  std::map<CallId, Node, ByAddress> Visiting;
  std::vector<CallId> Stack;
  std::vector<CallId> Path;
  unsigned NextIndex = 0;
};

/// Adds \p Threads to \p Known, the threads at several calls of one
/// function: the same threads at another call keep only what was joined or
/// called since on both paths.
bool sameThreads(const LiveThreads &A, const LiveThreads &B) {
  return A.Kind == B.Kind && A.Key == B.Key && A.Object == B.Object &&
         A.Failed == B.Failed && A.Created == B.Created;
}

void mergeThreads(std::vector<LiveThreads> &Known, LiveThreads Threads) {
  auto Same = llvm::find_if(Known, [&](const LiveThreads &Other) {
    return sameThreads(Other, Threads);
  });
  if (Same == Known.end()) {
    Known.push_back(std::move(Threads));
    return;
  }
  keepCommonSince(*Same, Threads);
}

void keepCommonSince(LiveThreads &Kept, const LiveThreads &Other) {
  auto KeepCommon = [](auto &Mine, const auto &Theirs) {
    for (auto It = Mine.begin(); It != Mine.end();)
      It = Theirs.count(*It) ? std::next(It) : Mine.erase(It);
  };
  KeepCommon(Kept.JoinedSince, Other.JoinedSince);
  KeepCommon(Kept.CalledSince, Other.CalledSince);
}

RunningThreadsFinder::RunningThreadsFinder(ThreadEffects &Effects)
    : R(std::make_unique<Resolver>(Effects)) {}

RunningThreadsFinder::~RunningThreadsFinder() = default;

bool anyMayRun(const std::vector<LiveThreads> &Threads,
               ThreadEffects &Effects) {
  return runningThreadsCreation(Threads, Effects).has_value();
}

std::optional<RunningThreads>
runningThreadsCreation(const std::vector<LiveThreads> &Threads,
                       ThreadEffects &Effects) {
  return RunningThreadsFinder(Effects).find(Threads);
}

std::optional<RunningThreads>
RunningThreadsFinder::find(const std::vector<LiveThreads> &Threads) {
  std::optional<RunningThreads> First;
  // A creation the program shows, then one whose place is known, then the
  // earliest.
  auto Better = [](const RunningThreads &L, const RunningThreads &R) {
    if (L.Unseen != R.Unseen)
      return !L.Unseen;
    if (L.Created.isValid() != R.Created.isValid())
      return L.Created.isValid();
    return L.Created < R.Created;
  };
  for (const LiveThreads &T : Threads)
    if (R->mayRun(T)) {
      RunningThreads Candidate{R->Running, R->RunningUnseen};
      if (!First || Better(Candidate, *First))
        First = Candidate;
    }
  return First;
}

} // namespace forksafety
