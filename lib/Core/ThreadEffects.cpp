//===- ThreadEffects.cpp - Which threads may still run --------------------===//

#include "Core/ThreadEffects.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

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

LiveThreads rebase(const LiveThreads &Threads, llvm::StringRef Object) {
  LiveThreads Result;
  Result.Kind = Threads.Kind;
  if (Threads.Kind == LiveThreads::Handle) {
    Result.Key = rebaseKey(Threads.Key, Object);
    if (Result.Key.empty())
      Result.Kind = LiveThreads::Untracked;
  } else {
    Result.Key = Threads.Key;
  }
  if (!Threads.Object.empty())
    Result.Object = rebaseKey(Threads.Object, Object);
  for (const std::string &Joined : Threads.JoinedSince)
    if (std::string Key = rebaseKey(Joined, Object); !Key.empty())
      Result.JoinedSince.insert(std::move(Key));
  for (const ExternalCall &Call : Threads.CalledSince)
    Result.CalledSince.insert(
        {Call.Usr, Call.Object.empty() ? "" : rebaseKey(Call.Object, Object)});
  Result.Created = Threads.Created;
  return Result;
}

namespace {

/// Resolves live threads through the effects of the functions that left
/// them running. A cycle of calls leaves its threads running: when unsure,
/// threads may exist.
class Resolver {
public:
  explicit Resolver(ThreadEffects &Effects) : Effects(Effects) {}

  /// Where the threads found running were created, once mayRun is true.
  Location Running;

  bool mayRun(const LiveThreads &Threads) {
    Running = Threads.Created;
    switch (Threads.Kind) {
    case LiveThreads::Untracked:
      return true;
    case LiveThreads::Handle:
      return !isJoined(Threads);
    case LiveThreads::CallOf:
      return callLeavesThreads(Threads);
    }
    return true;
  }

private:
  bool isJoined(const LiveThreads &Threads) {
    if (llvm::any_of(Threads.JoinedSince, [&](const std::string &Joined) {
          return joinsHandle(Joined, Threads.Key);
        }))
      return true;
    for (const ExternalCall &Call : Threads.CalledSince) {
      std::set<std::string> Joins;
      llvm::StringSet<> Seen;
      collectJoins(Call, Joins, Seen);
      if (llvm::any_of(Joins, [&](const std::string &Joined) {
            return joinsHandle(Joined, Threads.Key);
          }))
        return true;
    }
    return false;
  }

  /// The handles \p Call joins on every path, through the calls it makes
  /// on every path too.
  void collectJoins(const ExternalCall &Call, std::set<std::string> &Joins,
                    llvm::StringSet<> &Seen) {
    if (!Seen.insert(Call.Usr + "\n" + Call.Object).second)
      return;
    const ThreadEffect *Effect = nullptr;
    if (Effects.lookup(Call.Usr, Effect) != ThreadEffects::Known::Effect)
      return;
    for (const std::string &Joined : Effect->Joins)
      if (std::string Key = rebaseKey(Joined, Call.Object); !Key.empty())
        Joins.insert(std::move(Key));
    for (const ExternalCall &Inner : Effect->Calls)
      collectJoins({Inner.Usr, Inner.Object.empty()
                                   ? ""
                                   : rebaseKey(Inner.Object, Call.Object)},
                   Joins, Seen);
  }

  bool callLeavesThreads(const LiveThreads &Threads) {
    const ThreadEffect *Effect = nullptr;
    switch (Effects.lookup(Threads.Key, Effect)) {
    case ThreadEffects::Known::Nowhere:
      Running = Threads.Created;
      return true;
    case ThreadEffects::Known::NoEffect:
      return false;
    case ThreadEffects::Known::Effect:
      break;
    }
    if (!Active.insert(Threads.Key).second)
      return true;
    bool Runs = false;
    for (const LiveThreads &Leaf : Effect->Leaves) {
      LiveThreads Left = rebase(Leaf, Threads.Object);
      Left.JoinedSince.insert(Threads.JoinedSince.begin(),
                              Threads.JoinedSince.end());
      Left.CalledSince.insert(Threads.CalledSince.begin(),
                              Threads.CalledSince.end());
      if (mayRun(Left)) {
        Runs = true;
        break;
      }
    }
    Active.erase(Threads.Key);
    return Runs;
  }

  ThreadEffects &Effects;
  llvm::StringSet<> Active;
};

} // namespace

bool anyMayRun(const std::vector<LiveThreads> &Threads,
               ThreadEffects &Effects) {
  return runningThreadsCreation(Threads, Effects).has_value();
}

std::optional<Location>
runningThreadsCreation(const std::vector<LiveThreads> &Threads,
                       ThreadEffects &Effects) {
  Resolver R(Effects);
  std::optional<Location> First;
  for (const LiveThreads &T : Threads)
    if (R.mayRun(T) && (!First || (R.Running.isValid() &&
                                   (!First->isValid() || R.Running < *First))))
      First = R.Running;
  return First;
}

} // namespace forksafety
