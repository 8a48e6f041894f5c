//===- ThreadState.h - The threads that may run at a point -----*- C++ -*-===//
//
// The state the thread-order analysis carries along a CFG: the threads that
// may run, by identity, with what happened on every path since each was
// created; and what creating, joining, detaching and calling do to it. It
// needs no AST.
//
// A function that calls into other translation units holds one record per
// call (what the callee may leave running), and each call is something that
// happened since every earlier record was created: the sets grow with the
// square of the calls. So the names are interned once per translation unit
// (ThreadNames), the sets are bit vectors over them, and records are shared
// between states until one changes: a block that does nothing to threads
// costs one pointer per record, and a merge of equal records nothing. The
// records a callee's effect adds on one object are built once per
// translation unit and shared by every call that applies it.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_THREADS_THREADSTATE_H
#define FORKSAFETY_CORE_THREADS_THREADSTATE_H

#include "Core/Threads/ThreadEffects.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace forksafety {

/// The names states share: thread ids, joined handles, external calls and
/// facts about local variables, each numbered once.
class ThreadNames;
std::shared_ptr<ThreadNames> makeThreadNames();
/// Frees the records the effects of callees were turned into (see
/// ThreadState::applyEffect); they are built again when asked for.
void forgetAppliedEffects(ThreadNames &Names);

extern const char *const EntryId;

/// What a branch or an assignment may tell of one test of a local
/// variable, that it holds or that it fails, each numbered once in the
/// names states share. For the test against 0, holding is being not 0.
struct VariableFacts {
  unsigned Holds = 0, Fails = 0;
  unsigned holding(bool Held) const { return Held ? Holds : Fails; }
};
/// The facts of the test of the variable \p Var against 0 in \p Names.
VariableFacts numberFacts(ThreadNames &Names, llvm::StringRef Var);
/// The facts of another test of \p Var, named \p Test (`==2`).
VariableFacts numberFacts(ThreadNames &Names, llvm::StringRef Var,
                          llvm::StringRef Test);

/// The threads that may run at a point, by identity. The entry token (under
/// EntryId) is not a thread: it records what every path did since the
/// function's entry. States that share their ThreadNames merge and compare
/// by bit sets; others are translated.
class ThreadState {
public:
  /// An empty state; it takes the names of the first state merged into it.
  ThreadState() = default;
  explicit ThreadState(std::shared_ptr<ThreadNames> Names)
      : Names(std::move(Names)) {}

  /// The state at a function's entry, with the threads \p AtEntry.
  static ThreadState initial(const std::vector<LiveThreads> &AtEntry,
                             std::shared_ptr<ThreadNames> Names = nullptr);

  bool empty() const { return Records.empty(); }
  bool contains(llvm::StringRef Id) const;
  /// Whether a thread may run (besides the entry token).
  bool hasThreads() const;
  /// The ids of the threads, without the entry token.
  std::vector<std::string> threadIds() const;
  /// The numbers of the ids the state holds, in order: what held() asks.
  std::vector<unsigned> idNumbers() const;
  /// Whether \p Id was among \p Numbers, taken by idNumbers() from a state
  /// that shares this one's names.
  bool held(llvm::StringRef Id, llvm::ArrayRef<unsigned> Numbers) const;
  /// The records, entry token included, in the order of their ids.
  std::vector<std::pair<std::string, LiveThreads>> records() const;
  /// The threads, without the entry token, in the order of their ids.
  std::vector<LiveThreads> threads() const;

  /// Where paths meet: threads live on one path or another; what happened
  /// since they were created happened on both.
  void merge(const ThreadState &From);
  bool operator==(const ThreadState &Other) const;

  /// New threads. A new thread in a scalar handle that still holds one
  /// makes the first one untracked.
  void gen(const LiveThreads &Threads);
  /// The threads of the handle \p Key are joined.
  void join(llvm::StringRef Key);
  /// The threads of the handle \p Key are detached: never joined.
  void detach(llvm::StringRef Key);
  /// The thread of the handle \p From moves to the handle \p To.
  void move(llvm::StringRef From, llvm::StringRef To);
  /// A call to a function with \p Effect, on \p Object. \p OnlyOnSuccess,
  /// if given, gets the ids of the threads it leaves only when it returns
  /// 0.
  void applyEffect(const ThreadEffect &Effect, llvm::StringRef Object,
                   std::vector<std::string> *OnlyOnSuccess = nullptr);
  /// A call to a function another translation unit defines, at \p Where.
  void callElsewhere(const ExternalCall &Call, const Location &Where);
  /// The call that made the threads \p Id returned a value other than 0:
  /// threads it makes only on success do not run, and a call into another
  /// translation unit left what its function leaves when it fails.
  void callFailed(llvm::StringRef Id);

  /// A branch or an assignment tells that a test of a local variable
  /// holds (\p Held) or fails; for \p Var's test against 0, that it is not
  /// 0 or is. Threads that ran where it was known to be the other are not
  /// on this path, as nothing wrote the variable since; those that run here
  /// keep what is known now, as what held wherever they run.
  void learn(VariableFacts Test, bool Held);
  void learn(llvm::StringRef Var, bool NonZero) {
    learn(numberFacts(names(), Var), NonZero);
  }
  /// The threads that may run now do not run where \p Test holds (\p Held):
  /// a later learn(Test, Held) drops them, as it does the threads running
  /// at a fork on the way into its child.
  void excludeWhere(VariableFacts Test, bool Held);
  /// Whether learn(Test, Held) would change nothing.
  bool knows(VariableFacts Test, bool Held) const;
  /// Whether a record keeps what \p Test told, either way: without one,
  /// learning it can drop no thread.
  bool mentions(VariableFacts Test) const;
  /// The test's variable is written: what was known of it no longer holds.
  void forget(VariableFacts Test);
  void forget(llvm::StringRef Var) { forget(numberFacts(names(), Var)); }

private:
  friend class ThreadNames;
  struct AppliedEffect;

  /// Kind, keys, place and flags of a record, which its copies share: most
  /// copies only add a bit to a set.
  struct Identity : llvm::RefCountedBase<Identity> {
    /// Its sets stay empty: a record keeps them as bits.
    LiveThreads Threads;
  };
  struct Record : llvm::RefCountedBase<Record> {
    llvm::IntrusiveRefCntPtr<const Identity> Is;
    llvm::BitVector Joined, Called, Guards;

    const LiveThreads &threads() const { return Is->Threads; }
    /// threads(), to change them, copied first if another record shares
    /// them.
    LiveThreads &changeThreads() {
      if (Is->UseCount() > 1)
        Is = new Identity(*Is);
      return const_cast<Identity &>(*Is).Threads;
    }
  };
  using Entry = std::pair<unsigned, llvm::IntrusiveRefCntPtr<Record>>;

  ThreadNames &names();
  Entry *find(unsigned Id);
  const Entry *find(unsigned Id) const;
  Entry *findByName(llvm::StringRef Id);
  /// \p E's record, copied first if another state shares it.
  static Record &edit(Entry &E);
  /// Keeps in \p E only what happened since in \p R too.
  static void keepCommon(Entry &E, const llvm::IntrusiveRefCntPtr<Record> &R);
  void insert(unsigned Id, llvm::IntrusiveRefCntPtr<Record> R);
  void erase(unsigned Id);
  llvm::IntrusiveRefCntPtr<Record> recordOf(const LiveThreads &Threads);
  LiveThreads threadsOf(const Record &R) const;
  void addRecord(unsigned Id, llvm::IntrusiveRefCntPtr<Record> R);
  /// \p R, new threads under \p Id; \p ScalarHandle: a handle that holds
  /// one thread, whose earlier thread can no longer be joined.
  void gen(unsigned Id, llvm::IntrusiveRefCntPtr<Record> R, bool ScalarHandle);
  /// \p Effect on \p Object as records, built once per translation unit.
  const AppliedEffect &applied(const ThreadEffect &Effect,
                               llvm::StringRef Object);
  /// Sets \p Bit in the sets of every record that tracks what happens.
  void markAll(llvm::BitVector Record::*Set, unsigned Bit);
  void lose(Entry &E);
  /// Threads that can no longer be joined join the untracked ones, which
  /// keep only what held for these too (nothing is known of them).
  void addUntracked(const LiveThreads &Lost);

  std::shared_ptr<ThreadNames> Names;
  /// By the number of their id.
  std::vector<Entry> Records;
};

/// The key of \p Threads in a state.
std::string threadsId(const LiveThreads &Threads);
/// What a call to \p Call, into another translation unit, may leave
/// running (LiveThreads::CallOf), and its key.
LiveThreads threadsLeftBy(const ExternalCall &Call);
std::string threadsIdOfCall(const ExternalCall &Call);

} // namespace forksafety

#endif // FORKSAFETY_CORE_THREADS_THREADSTATE_H
