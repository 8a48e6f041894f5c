//===- ThreadOrder.cpp - Which threads may run when a fork runs -----------===//

#include "Core/Threads/ThreadOrder.h"

#include "Core/CallIndex.h"
#include "Core/ChildPaths/CFGCache.h"
#include "Core/ChildPaths/ModelRecorder.h"
#include "Core/Functions/FunctionTable.h"
#include "Core/Functions/LibraryModel.h"
#include "Core/Location.h"
#include "Core/Threads/CallResults.h"
#include "Core/Threads/ThreadState.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Analysis/Analyses/PostOrderCFGView.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/STLExtras.h"

#include <deque>

namespace forksafety {

using namespace clang;

namespace {

/// The functions of other translation units are unknown: their calls may
/// leave threads running, but for the C library's the program declares
/// itself.
class NothingElsewhere : public ThreadEffects {
public:
  Known lookup(InternedString Usr, const ThreadEffect *&) override {
    return isCLibraryFunctionUsr(Usr.str()) ? Known::NoEffect : Known::Nowhere;
  }
};

/// The value \p Map holds for \p Key, or an empty one, by reference:
/// DenseMap::lookup copies it, which costs the square of a function's
/// calls when walked one callee at a time.
template <typename MapType, typename KeyType>
const typename MapType::mapped_type &valueOr(const MapType &Map,
                                             const KeyType &Key) {
  static const typename MapType::mapped_type None{};
  auto It = Map.find(Key);
  return It == Map.end() ? None : It->second;
}

/// The blocks of a CFG whose state must be worked out again, taken first
/// in reverse post-order, as ForwardDataflowWorklist takes them: a block
/// mostly comes once all its predecessors outside loops are done. A bit
/// per block and the lowest place that may be pending replace its heap.
class BlockWorklist {
public:
  explicit BlockWorklist(const CFG &Graph)
      : Place(Graph.getNumBlockIDs(), Unreached) {
    PostOrderCFGView View(&Graph);
    Blocks.assign(View.begin(), View.end());
    for (unsigned I = 0; I < Blocks.size(); ++I)
      Place[Blocks[I]->getBlockID()] = I;
    Pending.resize(Blocks.size());
  }

  /// Only blocks reachable from the entry are ever enqueued.
  void enqueue(const CFGBlock *Block) {
    if (!Block)
      return;
    unsigned At = Place[Block->getBlockID()];
    assert(At != Unreached && "a block the entry does not reach");
    Pending.set(At);
    Lowest = std::min(Lowest, At);
  }

  const CFGBlock *dequeue() {
    int At = Pending.find_first_in(Lowest, Pending.size());
    if (At < 0)
      return nullptr;
    Pending.reset(At);
    Lowest = At;
    return Blocks[At];
  }

private:
  static constexpr unsigned Unreached = ~0u;
  std::vector<const CFGBlock *> Blocks;
  std::vector<unsigned> Place;
  llvm::BitVector Pending;
  unsigned Lowest = 0;
};

} // namespace

/// The threads that may run at each point of one function's CFG, for one
/// context: the threads at its entry and the key of its object.
class ThreadOrder::Flow {
public:
  Flow(ThreadOrder &Order, const Decl &Function, const CFG &Graph,
       const ThreadOps &Ops, std::string This)
      : Order(Order), Function(Function), Graph(Graph), Ops(Ops),
        This(std::move(This)), Receiver(Ops.Receiver),
        Out(Graph.getNumBlockIDs()),
        Results(Order.resultTestsOf(Function, Graph)),
        HasForks(!Order.forkCallsOf(Function).empty()) {}

  void run(const std::vector<LiveThreads> &AtEntry) {
    Initial = std::make_shared<const ThreadState>(
        ThreadState::initial(AtEntry, Order.Names));
    BlockWorklist Work(Graph);
    Work.enqueue(&Graph.getEntry());
    for (;;) {
      while (const CFGBlock *Block = Work.dequeue()) {
        StateCopy State(stateIn(*Block));
        std::optional<ThreadState> *AtCalls =
            CallStates.empty() ? nullptr : &CallStates[Block->getBlockID()];
        if (AtCalls)
          AtCalls->reset();
        for (const CFGElement &Element : *Block) {
          if (AtCalls && isCall(Element) && State.view().hasThreads()) {
            if (!*AtCalls)
              AtCalls->emplace(Order.Names);
            (*AtCalls)->merge(State.view());
          }
          transfer(Element, State);
        }
        SharedState Result = State.shared();
        SharedState &Stored = Out[Block->getBlockID()];
        if (Stored && (Stored == Result || *Stored == *Result))
          continue;
        Stored = std::move(Result);
        for (const CFGBlock *Succ : Block->succs())
          Work.enqueue(Succ);
      }
      // A branch on a call's result was passed before a later visit of the
      // call (around a loop) changed what it made: go over the function
      // again. Each record changes at most twice, so this ends.
      if (!MadeChanged)
        break;
      MadeChanged = false;
      for (const CFGBlock *Block : Graph)
        if (Block && reached(*Block))
          Work.enqueue(Block);
    }
  }

  /// The state right before \p S runs, if a path reaches it.
  std::optional<ThreadState> before(const Stmt &S) {
    const CFGBlock *Block = nullptr;
    int Index = -1;
    if (!Order.Graphs.locate(Function, &S, Block, Index) || !reached(*Block))
      return std::nullopt;
    StateCopy State(stateIn(*Block));
    for (int I = 0; I < Index; ++I)
      transfer((*Block)[I], State);
    return *State.shared();
  }

  ThreadState atExit() { return *stateIn(Graph.getExit()); }

  /// Whether every path that reaches the fork \p Fork of the function runs
  /// in the child of an earlier fork.
  bool inChildAt(const Stmt &Fork) const { return InChildAt.lookup(&Fork); }

  /// The ids of the threads that reach the exit only on paths that return
  /// 0: a caller that sees another result knows they do not run.
  std::set<std::string> leftOnlyOnSuccess() {
    llvm::SmallVector<const ThreadState *, 4> Success, Other;
    for (const CFGBlock::AdjacentBlock &Pred : Graph.getExit().preds()) {
      const CFGBlock *From = Pred.getReachableBlock();
      if (!From || From->hasNoReturnElement())
        continue; // Unreachable, or no return.
      if (reached(*From))
        (returnsZero(*From) ? Success : Other)
            .push_back(Out[From->getBlockID()].get());
    }
    std::set<std::string> Ids;
    for (const ThreadState *State : Success)
      for (std::string &Id : State->threadIds())
        Ids.insert(std::move(Id));
    for (const ThreadState *State : Other) {
      if (Ids.empty())
        break;
      for (const std::string &Id : State->threadIds())
        Ids.erase(Id);
    }
    return Ids;
  }

  /// Makes run() keep, for each block, the states right before its calls
  /// and constructions reached while threads may run, merged: what
  /// mergeStatesAtCalls() gives without walking the blocks again.
  void keepStatesAtCalls() { CallStates.resize(Graph.getNumBlockIDs()); }

  /// Merges into \p Into the states right before the calls and
  /// constructions reached while threads may run, block by block in the
  /// order of the CFG and in each in the order of its elements, as
  /// forEachCallWithThreads visits them; false if run() did not keep them.
  bool mergeStatesAtCalls(ThreadState &Into) const {
    if (CallStates.empty())
      return false;
    for (const CFGBlock *Block : Graph)
      if (Block && reached(*Block))
        if (const std::optional<ThreadState> &AtCalls =
                CallStates[Block->getBlockID()])
          Into.merge(*AtCalls);
    return true;
  }

  /// Calls \p Visit with each call or construction reached while threads
  /// may run, and the state right before it: one walk over the blocks that
  /// hold calls, each as far as its last call.
  void forEachCallWithThreads(
      llvm::function_ref<void(const Stmt &, const ThreadState &)> Visit) {
    for (const CFGBlock *Block : Graph) {
      if (!Block || !reached(*Block))
        continue;
      auto Last = llvm::find_if(llvm::reverse(*Block), isCall);
      if (Last == Block->rend())
        continue;
      size_t End = Block->size() - (Last - Block->rbegin());
      StateCopy State(stateIn(*Block));
      for (size_t I = 0; I < End; ++I) {
        const CFGElement &Element = (*Block)[I];
        if (isCall(Element) && State.view().hasThreads())
          Visit(*Element.castAs<CFGStmt>().getStmt(), State.view());
        if (I + 1 < End)
          transfer(Element, State);
      }
    }
  }

private:
  /// States are shared between blocks until an element changes one: most
  /// blocks do nothing to threads.
  using SharedState = std::shared_ptr<const ThreadState>;
  class StateCopy {
  public:
    explicit StateCopy(SharedState Shared) : Shared(std::move(Shared)) {}
    ThreadState &edit() {
      if (!Own) {
        Own = *Shared;
        Shared.reset();
      }
      return *Own;
    }
    const ThreadState &view() const { return Own ? *Own : *Shared; }
    SharedState shared() {
      if (Own) {
        Shared = std::make_shared<const ThreadState>(std::move(*Own));
        Own.reset();
      }
      return Shared;
    }

  private:
    SharedState Shared;
    std::optional<ThreadState> Own;
  };

  bool reached(const CFGBlock &Block) const {
    return Out[Block.getBlockID()] != nullptr;
  }

  static bool isCall(const CFGElement &Element) {
    std::optional<CFGStmt> S = Element.getAs<CFGStmt>();
    return S && isa<CallExpr, CXXConstructExpr>(S->getStmt());
  }

  SharedState stateIn(const CFGBlock &Block) {
    llvm::SmallVector<SharedState, 4> Parts;
    if (&Block == &Graph.getEntry())
      Parts.push_back(Initial);
    for (const CFGBlock::AdjacentBlock &Pred : Block.preds()) {
      const CFGBlock *From = Pred.getReachableBlock();
      // A path that ends in a call that does not return never reaches the
      // caller: what it leaves running is none of the caller's business.
      if (!From || (&Block == &Graph.getExit() && From->hasNoReturnElement()))
        continue;
      if (!reached(*From))
        continue;
      SharedState Part = afterForkChild(
          afterVarTest(afterFailure(Out[From->getBlockID()], *From, Block),
                       *From, Block),
          *From, Block);
      auto Joins = Ops.LoopJoins.find(From);
      if (Joins == Ops.LoopJoins.end() || !leavesLoop(*From, Block)) {
        Parts.push_back(std::move(Part));
        continue;
      }
      ThreadState Left = *Part;
      for (const std::string &Key : Joins->second)
        Left.join(local(Key));
      Parts.push_back(std::make_shared<const ThreadState>(std::move(Left)));
    }
    if (Parts.empty())
      return std::make_shared<const ThreadState>(Order.Names);
    // Merging a state with itself gives the same state.
    if (llvm::all_equal(Parts))
      return Parts.front();
    ThreadState State(Order.Names);
    for (const SharedState &Part : Parts)
      State.merge(*Part);
    return std::make_shared<const ThreadState>(std::move(State));
  }

  /// \p State on the way from \p From to \p To: a branch taken when a call
  /// failed leaves what it would have made on success.
  SharedState afterFailure(SharedState State, const CFGBlock &From,
                           const CFGBlock &To) {
    const Expr *Call = Results.failedOn(From, To);
    if (!Call)
      return State;
    MadeByCall &Record = Made[Call];
    Record.Consulted = true;
    if (Record.Ambiguous ||
        llvm::none_of(Record.Ids, [&](const std::string &Id) {
          return State->contains(Id);
        }))
      return State;
    ThreadState Failed = *State;
    for (const std::string &Id : Record.Ids)
      Failed.callFailed(Id);
    return std::make_shared<const ThreadState>(std::move(Failed));
  }

  /// \p State on the way from \p From to \p To, where a branch tells
  /// whether a local variable is 0, or how it compares with a constant.
  SharedState afterVarTest(SharedState State, const CFGBlock &From,
                           const CFGBlock &To) const {
    std::optional<CallResultTests::VarTest> Test = Results.varTestOn(From, To);
    if (!Test)
      return State;
    llvm::SmallVector<ThreadOrder::FactTold, 4> Told;
    llvm::copy_if(Order.factsTold(*Test, Results), std::back_inserter(Told),
                  [&](const ThreadOrder::FactTold &Fact) {
                    return !State->knows(Fact.first, Fact.second);
                  });
    if (Told.empty() || !mayMatter(*Test->Var, To, *State, Told))
      return State;
    ThreadState Known = *State;
    for (const auto &[Facts, Held] : Told)
      Known.learn(Facts, Held);
    if (HasForks && holdsZeroOfFork(*Test->Var, Known)) {
      VariableFacts Child = Order.childFacts(Function);
      if (!Known.knows(Child, true))
        Known.learn(Child, true);
    }
    return std::make_shared<const ThreadState>(std::move(Known));
  }

  /// Whether what a way into \p To tells of \p Var, \p Told, may change
  /// what \p State leads to: a test of it lies ahead, a record keeps what
  /// an earlier one told, or it holds a fork's result. Otherwise nothing
  /// asks of it before it is written again, and states that learnt nothing
  /// stay shared.
  bool mayMatter(const VarDecl &Var, const CFGBlock &To,
                 const ThreadState &State,
                 llvm::ArrayRef<ThreadOrder::FactTold> Told) const {
    if (Results.testedFrom(Var, To) ||
        llvm::any_of(Told, [&](const ThreadOrder::FactTold &Fact) {
          return State.mentions(Fact.first);
        }))
      return true;
    return HasForks && State.knows(Order.holdsResultFacts(Var), true);
  }

  /// \p State on the way from \p From to \p To, where a branch may tell
  /// that the last fork of the function returned 0: the way into its child.
  SharedState afterForkChild(SharedState State, const CFGBlock &From,
                             const CFGBlock &To) const {
    if (!HasForks)
      return State;
    const VarDecl *Holder = nullptr;
    const Expr *Fork = Results.zeroOn(From, To, Holder);
    if (!Fork || !isFork(*Fork))
      return State;
    // Its result, tested where no other fork ran since.
    if (Holder ? !State->knows(Order.holdsResultFacts(*Holder), true)
               : !isLastForkOf(From, *Fork))
      return State;
    VariableFacts Child = Order.childFacts(Function);
    if (State->knows(Child, true))
      return State;
    ThreadState InChild = *State;
    InChild.learn(Child, true);
    return std::make_shared<const ThreadState>(std::move(InChild));
  }

  /// Whether \p S is a fork of the function.
  bool isFork(const Stmt &S) const { return Order.AllForkCalls.contains(&S); }

  /// Whether \p Fork is in \p Block, which no fork call follows.
  bool isLastForkOf(const CFGBlock &Block, const Expr &Fork) const {
    for (const CFGElement &Element : llvm::reverse(Block))
      if (std::optional<CFGStmt> S = Element.getAs<CFGStmt>())
        if (isFork(*S->getStmt()))
          return S->getStmt() == &Fork;
    return false;
  }

  /// Whether \p State knows that \p Var holds the result of the last fork
  /// of the function and that it is 0, alone or from its comparisons
  /// (`pid < 0` and `pid > 0` both failed).
  bool holdsZeroOfFork(const VarDecl &Var, const ThreadState &State) const {
    if (!State.knows(Order.holdsResultFacts(Var), true))
      return false;
    if (State.knows(Order.factsOf(Var), false))
      return true;
    llvm::SmallVector<std::pair<CallResultTests::Comparison, bool>, 4> Known;
    for (const CallResultTests::Comparison &Compared :
         Results.comparisonsOf(Var)) {
      VariableFacts Facts = Order.factsOf(Var, Compared);
      for (bool Holds : {true, false})
        if (State.knows(Facts, Holds))
          Known.emplace_back(Compared, Holds);
    }
    return CallResultTests::nonZeroGiven(Var, Known, Order.Ctx) == false;
  }

  /// The threads running at a fork do not run in its child; what was known
  /// of the child of an earlier fork, and of the variables that hold its
  /// result, no longer holds.
  void forked(ThreadState &State) {
    VariableFacts Child = Order.childFacts(Function);
    State.forget(Child);
    for (const VarDecl *Holder : Holders)
      State.forget(Order.holdsResultFacts(*Holder));
    State.excludeWhere(Child, true);
  }

  /// \p Var was written, with \p Stored if known: it holds the result of
  /// the last fork when that is the fork call.
  void storedResult(const VarDecl &Var, const Expr *Stored, StateCopy &State) {
    if (!HasForks)
      return;
    bool Holds = Stored && isFork(*Stored);
    bool Held = llvm::is_contained(Holders, &Var);
    if (!Holds && !Held)
      return;
    VariableFacts Facts = Order.holdsResultFacts(Var);
    State.edit().forget(Facts);
    if (!Holds)
      return;
    State.edit().learn(Facts, true);
    if (!Held)
      Holders.push_back(&Var);
  }

  /// \p Var is written, with \p Value when it is a constant: what was
  /// known of it no longer holds, and what the value tells does.
  void written(const VarDecl &Var, std::optional<int64_t> Value,
               ThreadState &State) const {
    VariableFacts Zero = Order.factsOf(Var);
    State.forget(Zero);
    if (Value)
      State.learn(Zero, *Value != 0);
    for (const CallResultTests::Comparison &Compared :
         Results.comparisonsOf(Var)) {
      VariableFacts Facts = Order.factsOf(Var, Compared);
      State.forget(Facts);
      if (std::optional<bool> Holds =
              Value ? Compared.holdsFor(*Value, Var.getType(), Order.Ctx)
                    : std::nullopt)
        State.learn(Facts, *Holds);
    }
  }

  /// Whether \p Block ends its function's path with `return 0`.
  bool returnsZero(const CFGBlock &Block) const {
    for (const CFGElement &Element : llvm::reverse(Block)) {
      std::optional<CFGStmt> S = Element.getAs<CFGStmt>();
      if (!S)
        continue; // Destructors run after the value is taken.
      const auto *Return = dyn_cast<ReturnStmt>(S->getStmt());
      const Expr *Value = Return ? Return->getRetValue() : nullptr;
      return Value && CallResultTests::isZero(*Value, Order.Ctx);
    }
    return false;
  }

  /// Whether \p To is where the loop whose condition is in \p Header exits.
  static bool leavesLoop(const CFGBlock &Header, const CFGBlock &To) {
    return Header.succ_size() == 2 &&
           (Header.succ_begin() + 1)->getReachableBlock() == &To;
  }

  std::string local(const std::string &Key) const {
    return rebaseKey(Key, This);
  }

  void transfer(const CFGElement &Element, StateCopy &State) {
    if (std::optional<CFGAutomaticObjDtor> Dtor =
            Element.getAs<CFGAutomaticObjDtor>()) {
      const VarDecl *Var = Dtor->getVarDecl();
      if (std::string Key = joiningDestructorKey(Order.Ctx, *Var); !Key.empty())
        State.edit().join(Key);
      else if (const CXXDestructorDecl *Destructor =
                   Dtor->getDestructorDecl(Order.Ctx))
        call(State, *Destructor, variableHandleKey(Order.Ctx, *Var),
             Dtor->getTriggerStmt() ? Dtor->getTriggerStmt()->getEndLoc()
                                    : Var->getLocation(),
             /*Tested=*/false);
      return;
    }
    std::optional<CFGStmt> StmtElement = Element.getAs<CFGStmt>();
    if (!StmtElement)
      return;
    const Stmt *S = StmtElement->getStmt();
    if (HasForks && isFork(*S)) {
      InChildAt[S] = State.view().knows(Order.childFacts(Function), true);
      forked(State.edit());
    }
    std::optional<int64_t> Value;
    const Expr *Stored = nullptr;
    if (const VarDecl *Var = Results.writes(*S, Value, &Stored)) {
      written(*Var, Value, State.edit());
      storedResult(*Var, Stored, State);
    }
    if (!Results.isTested(S)) {
      transferStmt(*S, State, /*Tested=*/false);
      return;
    }
    // A branch on its result will undo what it made: what was there before
    // cannot be told apart from it.
    std::vector<unsigned> Before = State.view().idNumbers();
    std::vector<std::string> Ids = transferStmt(*S, State, /*Tested=*/true);
    MadeByCall &Record = Made[S];
    // What one call made must be the same at every visit to be undone.
    bool Ambiguous = Record.Ambiguous ||
                     (Record.Visited && Ids != Record.Ids) ||
                     llvm::any_of(Ids, [&](const std::string &Id) {
                       return State.view().held(Id, Before);
                     });
    if (Record.Consulted &&
        (Ambiguous != Record.Ambiguous || (!Ambiguous && Ids != Record.Ids)))
      MadeChanged = true;
    Record.Ids = std::move(Ids);
    Record.Ambiguous = Ambiguous;
    Record.Visited = true;
  }

  /// The statement \p S runs; returns, if a branch tests its result
  /// (\p Tested), the ids of the threads it makes that a call made only if
  /// it returned 0.
  std::vector<std::string> transferStmt(const Stmt &Statement, StateCopy &State,
                                        bool Tested) {
    const Stmt *S = &Statement;
    if (auto It = Ops.Creations.find(S); It != Ops.Creations.end()) {
      LiveThreads Created;
      Created.Key = local(It->second);
      Created.Kind =
          Created.Key.empty() ? LiveThreads::Untracked : LiveThreads::Handle;
      Created.Created = locationOf(S->getBeginLoc());
      std::vector<std::string> Made;
      if (const auto *Call = dyn_cast<CallExpr>(S);
          Tested && Call && startsThreadThroughFirstArgument(*Call))
        Made.push_back(threadsId(Created));
      State.edit().gen(Created);
      return Made;
    }
    if (auto It = Ops.Joins.find(S); It != Ops.Joins.end()) {
      State.edit().join(local(It->second));
    } else if (auto It = Ops.Detaches.find(S); It != Ops.Detaches.end()) {
      State.edit().detach(local(It->second));
    } else if (auto It = Ops.Moves.find(S); It != Ops.Moves.end()) {
      State.edit().move(local(It->second.first), local(It->second.second));
    } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      std::string Object;
      if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call)) {
        if (const Expr *ObjectExpr = Member->getImplicitObjectArgument())
          Object = local(handleKey(Order.Ctx, *ObjectExpr, Receiver));
      } else if (Callee && takesReceiver(*Callee) && Call->getNumArgs() > 0) {
        Object = local(receiverKey(*Call->getArg(0)));
      }
      if (Callee)
        return call(State, *Callee, Object, Call->getBeginLoc(), Tested);
    } else if (const auto *Construct = dyn_cast<CXXConstructExpr>(S)) {
      call(State, *Construct->getConstructor(),
           local(valueOr(Ops.Constructed, S)), S->getBeginLoc(), Tested);
    }
    return {};
  }

  const Location &locationOf(SourceLocation Loc) const {
    return Order.locationOf(Loc);
  }

  /// The key of the object \p Argument points to, passed as a receiver.
  std::string receiverKey(const Expr &Argument) const {
    const Expr *E = Argument.IgnoreParenImpCasts();
    if (const auto *Address = dyn_cast<UnaryOperator>(E);
        Address && Address->getOpcode() == UO_AddrOf)
      return handleKey(Order.Ctx, *Address->getSubExpr(), Receiver);
    const auto *Ref = dyn_cast<DeclRefExpr>(E);
    return Receiver && Ref && Ref->getDecl() == Receiver ? "this" : "";
  }

  /// Returns, if \p Tested, the ids of the threads the call leaves only if
  /// it returns 0; for a call into another translation unit, the id of its
  /// record.
  std::vector<std::string> call(StateCopy &State, const FunctionDecl &Callee,
                                const std::string &Object, SourceLocation Loc,
                                bool Tested) {
    std::vector<std::string> Made;
    const CalleeFacts &Facts = Order.calleeFacts(Callee);
    if (Facts.Definition) {
      const ThreadEffect &Effect = Order.effectOf(*Facts.Definition);
      if (!Effect.Leaves.empty() || !Effect.Joins.empty() ||
          !Effect.Calls.empty())
        State.edit().applyEffect(Effect, Object, Tested ? &Made : nullptr);
    } else if (Facts.ElsewhereUsr) {
      ExternalCall Called{*Facts.ElsewhereUsr, Object};
      if (Tested)
        Made.push_back(threadsIdOfCall(Called));
      State.edit().callElsewhere(Called, locationOf(Loc));
    }
    return Made;
  }

  ThreadOrder &Order;
  const Decl &Function;
  const CFG &Graph;
  const ThreadOps &Ops;
  std::string This;
  /// The parameter whose object is "this" in a C-style function.
  const ParmVarDecl *Receiver = nullptr;
  SharedState Initial;
  /// By block id; null where no path reached.
  std::vector<SharedState> Out;
  const CallResultTests &Results;
  /// Whether the function forks.
  bool HasForks;
  /// The variables a fork's result was stored in.
  llvm::SmallVector<const VarDecl *, 2> Holders;
  /// By fork of the function, as the last pass over its block found it.
  llvm::DenseMap<const Stmt *, bool> InChildAt;
  /// What each call whose result a branch tests made, when that is told
  /// apart from what ran before it.
  struct MadeByCall {
    std::vector<std::string> Ids;
    bool Ambiguous = false;
    /// Whether the call was passed, and whether a branch on its result
    /// looked at what it made.
    bool Visited = false;
    bool Consulted = false;
  };
  llvm::DenseMap<const Stmt *, MadeByCall> Made;
  /// A record a branch looked at changed since the last pass.
  bool MadeChanged = false;
  /// By block id, once keepStatesAtCalls() asked for them: the states
  /// before the block's calls in its last pass, merged; none where no
  /// thread may run at any.
  std::vector<std::optional<ThreadState>> CallStates;
};

ThreadOrder::ThreadOrder(ASTContext &Ctx, const ProgramFacts &Facts,
                         CFGCache &Graphs, const CallIndexer *Index)
    : Ctx(Ctx), Names(makeThreadNames()), Facts(Facts), Graphs(Graphs),
      Index(Index) {
  for (const ThreadCreationSite &Site : Facts.ThreadCreations) {
    CreationSites.insert(Site.S);
    CreatingFunctions.insert(Site.Function);
  }
  for (const ForkSite &Fork : Facts.Forks) {
    ForkingFunctions.insert(Fork.Function);
    // The child of vfork shares its parent's memory, which the parent's
    // other threads go on changing: not a process of one thread.
    if (Fork.Kind == ForkKind::VFork)
      continue;
    ForkCalls[Fork.Function].push_back(Fork.Call);
    AllForkCalls.insert(Fork.Call);
  }
}

ThreadOrder::~ThreadOrder() = default;

void ThreadOrder::ensureIndexed() {
  if (Indexed)
    return;
  Indexed = true;
  if (!Index) {
    OwnIndex = std::make_unique<CallIndexer>(Ctx.getSourceManager());
    OwnIndex->TraverseAST(Ctx);
    Index = OwnIndex.get();
  }
  AddressTaken = Index->AddressTaken;
  for (const CallIndexer::Call &Call : Index->Calls) {
    Callers[Call.Callee].push_back({Call.Caller, Call.Expr});
    Callees[Call.Caller].push_back(Call.Callee);
  }
}

/// A function of the program defined in another translation unit. Library
/// functions create threads only when the table or ThreadCreationFunctions
/// says so, and their calls are creation sites.
bool ThreadOrder::isDefinedElsewhere(const FunctionDecl *Callee) const {
  return Callee && !Callee->hasBody() && Callee->getBuiltinID() == 0 &&
         !isInSystemHeader(*Callee, Ctx.getSourceManager());
}

/// A local variable's name among the facts: the same name in two scopes
/// is two variables.
static std::string variableName(const VarDecl &Var) {
  return std::to_string(reinterpret_cast<uintptr_t>(&Var));
}

/// What identifies what a way that tells \p Test teaches: the variable,
/// the comparison's constant or the case's value, a bit for each thing the
/// way tells, and the switch whose cases the way takes none of. A case's
/// way tells the same whatever the switch.
static std::tuple<const VarDecl *, int64_t, unsigned,
                  const CallResultTests::SwitchValues *>
toldKey(const CallResultTests::VarTest &Test) {
  const std::optional<CallResultTests::Comparison> &Compared = Test.Compared;
  const CallResultTests::SwitchValues *Switch = Test.Switch;
  unsigned Told = 0;
  if (Test.NonZero)
    Told |= 1u + *Test.NonZero;
  if (Compared)
    Told |=
        4u | Compared->Equal << 3 | Compared->Unsigned << 4 | Test.Holds << 5;
  if (Switch)
    Told |= 64u | Test.Case.has_value() << 7 | Switch->Unsigned << 8;
  return {Test.Var, Compared ? Compared->Constant : Test.Case.value_or(0), Told,
          Test.Case ? nullptr : Switch};
}

llvm::ArrayRef<ThreadOrder::FactTold>
ThreadOrder::factsTold(const CallResultTests::VarTest &Test,
                       const CallResultTests &Results) {
  const std::optional<CallResultTests::Comparison> &Compared = Test.Compared;
  auto [It, Inserted] = ToldFacts.try_emplace(toldKey(Test));
  if (!Inserted)
    return It->second;
  llvm::SmallVector<FactTold, 4> Told;
  const VarDecl &Var = *Test.Var;
  if (Test.NonZero)
    Told.emplace_back(factsOf(Var), *Test.NonZero);
  else if (std::optional<bool> NonZero =
               CallResultTests::implies(Test, std::nullopt, Ctx))
    Told.emplace_back(factsOf(Var), *NonZero);
  if (Compared)
    Told.emplace_back(factsOf(Var, *Compared), Test.Holds);
  for (const CallResultTests::Comparison &Other : Results.comparisonsOf(Var))
    if (!Compared || !(*Compared == Other))
      if (std::optional<bool> Holds =
              CallResultTests::implies(Test, Other, Ctx))
        Told.emplace_back(factsOf(Var, Other), *Holds);
  It->second = std::move(Told);
  return It->second;
}

llvm::ArrayRef<const CallExpr *>
ThreadOrder::forkCallsOf(const Decl &Function) const {
  auto It = ForkCalls.find(&Function);
  return It == ForkCalls.end() ? llvm::ArrayRef<const CallExpr *>()
                               : llvm::ArrayRef(It->second);
}

VariableFacts ThreadOrder::childFacts(const Decl &Function) {
  auto [It, Inserted] = ChildFactsOf.try_emplace(&Function);
  if (Inserted)
    It->second = numberFacts(
        *Names, std::to_string(reinterpret_cast<uintptr_t>(&Function)),
        "child");
  return It->second;
}

VariableFacts ThreadOrder::holdsResultFacts(const VarDecl &Var) {
  auto [It, Inserted] = HoldsResultFactsOf.try_emplace(&Var);
  if (Inserted)
    It->second = numberFacts(*Names, variableName(Var), "fork");
  return It->second;
}

VariableFacts ThreadOrder::factsOf(const VarDecl &Var) {
  auto [It, Inserted] = VarFacts.try_emplace(&Var);
  if (Inserted)
    It->second = numberFacts(*Names, variableName(Var));
  return It->second;
}

VariableFacts ThreadOrder::factsOf(const VarDecl &Var,
                                   const CallResultTests::Comparison &Test) {
  auto [It, Inserted] = ComparisonFacts.try_emplace(
      {&Var, Test.Constant, Test.Equal * 2 + Test.Unsigned});
  if (Inserted)
    It->second = numberFacts(*Names, variableName(Var), Test.name());
  return It->second;
}

const Location &ThreadOrder::locationOf(SourceLocation Loc) {
  auto [It, Inserted] = Locations.try_emplace(Loc.getRawEncoding());
  if (Inserted)
    It->second = makeLocation(Ctx.getSourceManager(), Loc);
  return It->second;
}

const ThreadOrder::CalleeFacts &
ThreadOrder::calleeFacts(const FunctionDecl &Callee) {
  auto [It, Inserted] = CalleeFactsOf.try_emplace(&Callee);
  if (!Inserted)
    return It->second;
  CalleeFacts &Facts = It->second;
  const FunctionDecl *Definition = nullptr;
  if (Callee.hasBody(Definition) && Definition &&
      !isInSystemHeader(*Definition, Ctx.getSourceManager()))
    Facts.Definition = Definition;
  else if (isDefinedElsewhere(&Callee))
    Facts.ElsewhereUsr = InternedString(ModelRecorder::usrOf(Callee));
  return Facts;
}

const CallResultTests &ThreadOrder::resultTestsOf(const Decl &Function,
                                                  const CFG &Graph) {
  std::unique_ptr<CallResultTests> &Tests = ResultTests[&Function];
  if (!Tests)
    Tests = std::make_unique<CallResultTests>(Ctx, Function, Graph);
  return *Tests;
}

const ThreadOps &ThreadOrder::opsOf(const Decl &Function, const CFG &Graph) {
  auto [It, Inserted] = Ops.try_emplace(&Function);
  if (Inserted)
    It->second = findThreadOps(Ctx, Function, Graph, CreationSites);
  return It->second;
}

bool ThreadOrder::mayAffectThreads(const FunctionDecl &Function) {
  findAffecting();
  return Affecting.contains(&Function);
}

/// From the functions that create threads, operate on thread handles or
/// call into other translation units, back along the calls: a worklist, so
/// that no call chain nests.
void ThreadOrder::findAffecting() {
  if (AffectingFound)
    return;
  AffectingFound = true;
  ensureIndexed();
  std::vector<const FunctionDecl *> Work;
  auto Add = [&](const FunctionDecl *Function) {
    if (Function && Affecting.insert(Function).second)
      Work.push_back(Function);
  };
  for (const FunctionDecl *Function : Index->Definitions) {
    if (CreatingFunctions.contains(Function) ||
        llvm::any_of(valueOr(Callees, Function),
                     [&](const FunctionDecl *Callee) {
                       return isThreadHandleOperation(*Callee) ||
                              isDefinedElsewhere(Callee);
                     }))
      Add(Function);
  }
  while (!Work.empty()) {
    const FunctionDecl *Function = Work.back();
    Work.pop_back();
    if (isInSystemHeader(*Function, Ctx.getSourceManager()))
      continue;
    for (const CallSite &Site : valueOr(Callers, canonical(Function)))
      Add(Site.Caller);
  }
}

/// The effects of the functions that may affect threads, callees before
/// callers, so that computing one never nests into another: a callee that
/// is still being computed is a recursive call, which adds nothing.
void ThreadOrder::computeEffects() {
  if (EffectsComputed)
    return;
  EffectsComputed = true;
  findAffecting();
  struct Visit {
    const FunctionDecl *Function;
    size_t NextCallee = 0;
  };
  std::vector<Visit> Path;
  auto Enter = [&](const FunctionDecl *Function) {
    if (Effects.try_emplace(Function).second)
      Path.push_back({Function});
  };
  for (const FunctionDecl *Root : Index->Definitions) {
    if (!Affecting.contains(Root))
      continue;
    Enter(Root);
    while (!Path.empty()) {
      Visit &Top = Path.back();
      const std::vector<const FunctionDecl *> &Calls =
          valueOr(Callees, Top.Function);
      if (Top.NextCallee < Calls.size()) {
        const FunctionDecl *Definition = nullptr;
        const FunctionDecl *Callee = Calls[Top.NextCallee++];
        if (Callee->hasBody(Definition) && Definition &&
            Affecting.contains(Definition))
          Enter(Definition);
        continue;
      }
      const FunctionDecl *Function = Top.Function;
      Path.pop_back();
      Effects[Function] = computeEffect(*Function);
    }
  }
  // The flows that follow (forks, callers' contexts) apply few effects.
  forgetAppliedEffects(*Names);
}

const ThreadEffect &ThreadOrder::effectOf(const FunctionDecl &Function) {
  static const ThreadEffect None;
  computeEffects();
  auto [It, Inserted] = Effects.try_emplace(&Function);
  if (Inserted)
    It->second = computeEffect(Function);
  const std::optional<ThreadEffect> &Known = It->second;
  return Known.has_value() ? Known.value() : None; // Recursion adds nothing.
}

ThreadEffect ThreadOrder::takeEffect(const FunctionDecl &Function) {
  auto It = Effects.find(&Function);
  if (It == Effects.end() || !It->second)
    return ThreadEffect();
  return std::move(*It->second);
}

ThreadEffect ThreadOrder::computeEffect(const FunctionDecl &Function) {
  ThreadEffect Effect;
  const CFG *Graph = nullptr;
  if (mayAffectThreads(Function)) {
    Graph = Graphs.get(Function, *Function.getBody());
    if (!Graph)
      Effect.Leaves.emplace_back(); // Unknown: untracked threads may run.
  }
  if (!Graph)
    return Effect;
  std::shared_ptr<Flow> Run;
  if (Function.isMain() || ForkingFunctions.contains(&Function)) {
    Run = flowFromEntry(Function, *Graph); // Asked again for its forks.
  } else {
    Run = std::make_shared<Flow>(*this, Function, *Graph,
                                 opsOf(Function, *Graph), "this");
    Run->keepStatesAtCalls();
    Run->run({});
  }
  recordThreadsDuringCalls(Function, *Run);
  return effectAtExit(*Run);
}

void ThreadOrder::recordThreadsDuringCalls(const FunctionDecl &Function,
                                           Flow &F) {
  // The same threads at several calls keep what happened since at all.
  ThreadState During(Names);
  if (!F.mergeStatesAtCalls(During))
    F.forEachCallWithThreads([&](const Stmt &Call, const ThreadState &State) {
      if (Function.isMain())
        ThreadsBeforeMainCalls[&Call] = State.threadIds();
      During.merge(State);
    });
  std::vector<LiveThreads> &Merged = ThreadsDuringCalls[&Function];
  for (auto &[Id, Threads] : During.records()) {
    if (Id == EntryId)
      continue;
    Threads.Guards.clear(); // Of the function's own variables.
    mergeThreads(Merged, Threads);
    if (Function.isMain())
      MainThreads.emplace(Id, std::move(Threads));
  }
}

ThreadEffect ThreadOrder::effectAtExit(Flow &F) {
  ThreadEffect Effect;
  std::vector<std::pair<std::string, LiveThreads>> Exit = F.atExit().records();
  std::set<std::string> OnlyOnSuccess = F.leftOnlyOnSuccess();
  for (auto &Record : Exit) {
    const std::string &Id = Record.first;
    LiveThreads &Threads = Record.second;
    if (Id == EntryId) {
      for (InternedString Joined : Threads.JoinedSince)
        if (!isLocalKey(Joined.str()))
          Effect.Joins.insert(Joined);
      for (const ExternalCall &Call : Threads.CalledSince)
        Effect.Calls.insert({Call.Usr, isLocalKey(Call.Object.str())
                                           ? InternedString()
                                           : Call.Object});
      continue;
    }
    Threads.OnlyOnSuccess = OnlyOnSuccess.count(Id) != 0;
    Threads.Guards.clear(); // Of the function's own variables.
    // A handle local to the function is gone: nobody joins its thread.
    if (Threads.Kind == LiveThreads::Handle && isLocalKey(Threads.Key.str())) {
      LiveThreads Lost;
      Lost.Created = Threads.Created;
      Lost.OnlyOnSuccess = Threads.OnlyOnSuccess;
      Threads = std::move(Lost);
    }
    // A call on a local object keeps naming it when calls made on it since,
    // which the record keeps, may join what it left running; otherwise the
    // object is gone, and records of the same function merge.
    if (isLocalKey(Threads.Object.str()) &&
        llvm::none_of(Threads.CalledSince, [&](const ExternalCall &Call) {
          return Call.Object == Threads.Object;
        }))
      Threads.Object = InternedString();
    Effect.Leaves.push_back(std::move(Threads));
  }
  return Effect;
}

std::shared_ptr<ThreadOrder::Flow>
ThreadOrder::flowFromEntry(const FunctionDecl &Function, const CFG &Graph) {
  std::shared_ptr<Flow> &F = FlowsFromEntry[&Function];
  if (!F) {
    F = std::make_shared<Flow>(*this, Function, Graph, opsOf(Function, Graph),
                               "this");
    F->run({});
  }
  return F;
}

std::optional<std::vector<LiveThreads>>
ThreadOrder::threadsSinceEntry(const FunctionDecl &Function, const Stmt &Call) {
  if (!mayAffectThreads(Function))
    return std::vector<LiveThreads>();
  const CFG *Graph =
      Function.getBody() ? Graphs.get(Function, *Function.getBody()) : nullptr;
  if (!Graph)
    return std::nullopt;
  effectOf(Function); // Records the states before main's calls.
  if (Function.isMain()) {
    auto It = ThreadsBeforeMainCalls.find(&Call);
    if (It == ThreadsBeforeMainCalls.end())
      return std::vector<LiveThreads>();
    // Which threads may run is kept call by call; what joined them since,
    // only as far as it holds at every call: the summary stays linear.
    std::vector<LiveThreads> Running;
    for (const std::string &Id : It->second)
      Running.push_back(MainThreads.at(Id));
    return Running;
  }
  std::optional<ThreadState> Before =
      flowFromEntry(Function, *Graph)->before(Call);
  return Before ? Before->threads() : std::vector<LiveThreads>();
}

std::optional<std::vector<LiveThreads>>
ThreadOrder::threadsDuringCalls(const FunctionDecl &Function) {
  if (!mayAffectThreads(Function))
    return std::vector<LiveThreads>();
  if (!Function.getBody() || !Graphs.get(Function, *Function.getBody()))
    return std::nullopt;
  effectOf(Function); // Records them.
  return ThreadsDuringCalls.lookup(&Function);
}

std::optional<std::vector<LiveThreads>>
ThreadOrder::threadsAt(const ForkSite &Fork, CallerScope Assumption) {
  // Without main here, the callers of any function are unknown: no need
  // to index the calls.
  if (!HasMain) {
    HasMain = false;
    IdentifierInfo &Name = Ctx.Idents.get("main");
    for (const NamedDecl *D :
         Ctx.getTranslationUnitDecl()->lookup(DeclarationName(&Name)))
      if (const auto *FD = dyn_cast<FunctionDecl>(D); FD && FD->isMain())
        HasMain = *HasMain || FD->hasBody();
  }
  if (!*HasMain)
    return std::nullopt;
  ensureIndexed();
  CallerAssumption = Assumption;
  return stateAt(*Fork.Function, *Fork.Body, *Fork.Call);
}

const CallExpr *ThreadOrder::forkChildOf(const ForkSite &Fork) {
  llvm::ArrayRef<const CallExpr *> Forks = forkCallsOf(*Fork.Function);
  const auto *Function = dyn_cast<FunctionDecl>(Fork.Function);
  if (!Function || Forks.empty())
    return nullptr;
  const CFG *Graph = Graphs.get(*Function, *Fork.Body);
  if (!Graph)
    return nullptr;
  ensureIndexed();
  if (!flowFromEntry(*Function, *Graph)->inChildAt(*Fork.Call))
    return nullptr;
  const SourceManager &SM = Ctx.getSourceManager();
  const CallExpr *Nearest = Fork.Call;
  for (const CallExpr *Earlier : Forks)
    if (SM.isBeforeInTranslationUnit(Earlier->getBeginLoc(),
                                     Fork.Call->getBeginLoc()) &&
        (Nearest == Fork.Call ||
         SM.isBeforeInTranslationUnit(Nearest->getBeginLoc(),
                                      Earlier->getBeginLoc())))
      Nearest = Earlier;
  return Nearest;
}

std::optional<RunningThreads>
ThreadOrder::runningThreadsAt(const ForkSite &Fork) {
  std::optional<std::vector<LiveThreads>> Threads = threadsAt(Fork);
  NothingElsewhere Unknown;
  if (Threads)
    return runningThreadsCreation(*Threads, Unknown);
  // Threads may run at the entry of the forking function; those it started
  // itself are the ones to name. In the child of an earlier fork, only
  // those run.
  if (const auto *Function = dyn_cast<FunctionDecl>(Fork.Function))
    if (std::optional<std::vector<LiveThreads>> Since =
            threadsSinceEntry(*Function, *Fork.Call)) {
      std::optional<RunningThreads> Started =
          runningThreadsCreation(*Since, Unknown);
      if ((Started && !Started->Unseen) || forkChildOf(Fork))
        return Started;
    }
  return RunningThreads();
}

std::optional<std::vector<LiveThreads>>
ThreadOrder::stateAt(const Decl &Function, const Stmt &Body, const Stmt &S) {
  auto Key = std::make_tuple(CallerAssumption, &Function, &S);
  if (auto It = States.find(Key); It != States.end())
    return It->second;
  if (!InProgress.insert(&Function).second)
    return std::nullopt; // Recursion: unsure.
  std::optional<std::vector<LiveThreads>> Result;
  if (const std::vector<std::shared_ptr<Flow>> *Runs =
          flowsOf(Function, Body)) {
    ThreadState Merged(Names);
    bool Reached = false;
    for (const std::shared_ptr<Flow> &F : *Runs)
      if (std::optional<ThreadState> State = F->before(S)) {
        Merged.merge(*State);
        Reached = true;
      }
    if (Reached)
      Result = Merged.threads();
    else
      Result.emplace(); // No path reaches the statement.
  }
  InProgress.erase(&Function);
  States[Key] = Result;
  return Result;
}

/// The flows of \p Function in each of its contexts, run once and kept for
/// every statement asked about (several forks in one function); null when
/// its contexts are unknown.
const std::vector<std::shared_ptr<ThreadOrder::Flow>> *
ThreadOrder::flowsOf(const Decl &Function, const Stmt &Body) {
  auto [It, Inserted] =
      Flows.try_emplace(std::make_pair(CallerAssumption, &Function));
  if (!Inserted)
    return It->second ? &*It->second : nullptr;
  const CFG *Graph = Graphs.get(Function, Body);
  std::optional<std::vector<Context>> Contexts;
  if (Graph)
    Contexts = contextsOf(Function);
  if (!Contexts)
    return nullptr;
  const auto *FD = dyn_cast<FunctionDecl>(&Function);
  // Without an object or a receiver, the object's key changes nothing.
  bool ObjectFree =
      FD && !isa<CXXMethodDecl>(FD) && !opsOf(Function, *Graph).Receiver;
  std::vector<std::shared_ptr<Flow>> Runs;
  for (const Context &C : *Contexts) {
    if (ObjectFree && C.AtEntry.empty()) {
      Runs.push_back(flowFromEntry(*FD, *Graph));
      continue;
    }
    Runs.push_back(std::make_shared<Flow>(*this, Function, *Graph,
                                          opsOf(Function, *Graph), C.This));
    Runs.back()->run(C.AtEntry);
  }
  auto &Slot = Flows[std::make_pair(CallerAssumption, &Function)];
  Slot = std::move(Runs);
  return &*Slot;
}

std::map<const FunctionDecl *, std::vector<const FunctionDecl *>>
ThreadOrder::callersAssumedFor(const ForkSite &Fork) {
  std::map<const FunctionDecl *, std::vector<const FunctionDecl *>> Assumed;
  const auto *FD = dyn_cast<FunctionDecl>(Fork.Function);
  std::vector<const FunctionDecl *> Work;
  if (FD)
    Work.push_back(FD);
  llvm::DenseSet<const FunctionDecl *> Seen;
  while (!Work.empty()) {
    const FunctionDecl *Function = Work.back();
    Work.pop_back();
    if (!Seen.insert(canonical(Function)).second || Function->isMain())
      continue;
    std::vector<const FunctionDecl *> CallersHere;
    for (const CallSite &Site : valueOr(Callers, canonical(Function))) {
      CallersHere.push_back(Site.Caller);
      Work.push_back(Site.Caller);
    }
    if (Function->isExternallyVisible())
      Assumed[canonical(Function)] = std::move(CallersHere);
  }
  return Assumed;
}

/// Threads created outside any function, or left by what the initializers
/// of globals call, may predate main. A call into another file stays
/// symbolic, for the whole program to resolve: a global whose constructor
/// locks through another file's code starts no thread.
std::vector<LiveThreads> ThreadOrder::threadsBeforeMain() {
  const SourceManager &SM = Ctx.getSourceManager();
  std::vector<LiveThreads> Before;
  for (const ThreadCreationSite &Site : Facts.ThreadCreations)
    if (!Site.Function) {
      LiveThreads Created;
      Created.Created = makeLocation(SM, Site.S->getBeginLoc());
      mergeThreads(Before, std::move(Created));
    }
  for (const auto &[Initializer, Call] : Index->Initializers) {
    const FunctionDecl *Definition = nullptr;
    if (Initializer->hasBody(Definition) && Definition) {
      // The object a constructor initializes is not named: what it keeps
      // in its members can no longer be joined.
      for (const LiveThreads &Left : effectOf(*Definition).Leaves)
        mergeThreads(Before, rebase(Left, ""));
    } else if (isDefinedElsewhere(Initializer)) {
      LiveThreads Left;
      Left.Kind = LiveThreads::CallOf;
      Left.Key = ModelRecorder::usrOf(*Initializer);
      Left.Created = makeLocation(SM, Call->getBeginLoc());
      mergeThreads(Before, std::move(Left));
    }
  }
  return Before;
}

std::optional<std::vector<ThreadOrder::Context>>
ThreadOrder::contextsOf(const Decl &Function) {
  const auto *FD = dyn_cast<FunctionDecl>(&Function);
  if (!FD)
    return std::nullopt;
  if (FD->isMain())
    return std::vector<Context>{{threadsBeforeMain(), {}}};
  // Only this translation unit calls it, and only directly; for a function
  // other files may call, the whole program checks that they do not.
  if ((FD->isExternallyVisible() &&
       CallerAssumption != CallerScope::HereOnly) ||
      AddressTaken.contains(canonical(FD)))
    return std::nullopt;
  auto Sites = Callers.find(canonical(FD));
  if (Sites == Callers.end())
    return std::nullopt;
  std::vector<Context> Contexts;
  for (const CallSite &Site : Sites->second) {
    std::optional<std::vector<LiveThreads>> AtCall =
        stateAt(*Site.Caller, *Site.Caller->getBody(), *Site.Call);
    if (!AtCall)
      return std::nullopt;
    Context C{std::move(*AtCall), ""};
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Site.Call))
      if (const Expr *Object = Member->getImplicitObjectArgument()) {
        C.This = handleKey(Ctx, *Object);
        if (isMemberKey(C.This))
          C.This.clear();
      }
    Contexts.push_back(std::move(C));
  }
  return Contexts;
}

} // namespace forksafety
