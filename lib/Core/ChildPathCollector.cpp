//===- ChildPathCollector.cpp - Unsafe work along child paths -------------===//

#include "Core/ChildPathCollector.h"

#include "Core/CallClassifier.h"
#include "Core/FunctionSummaries.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"

#include <algorithm>

namespace forksafety {

using namespace clang;

namespace {

// Tags that make the keys of implicit events distinct from statements.
const char ReturnTag = 0;

std::pair<const void *, const void *> keyOf(const CFGElement &Element) {
  if (std::optional<CFGStmt> S = Element.getAs<CFGStmt>())
    return {S->getStmt(), nullptr};
  if (std::optional<CFGAutomaticObjDtor> D =
          Element.getAs<CFGAutomaticObjDtor>())
    return {D->getTriggerStmt(), D->getVarDecl()};
  if (std::optional<CFGMemberDtor> D = Element.getAs<CFGMemberDtor>())
    return {D->getFieldDecl(), nullptr};
  if (std::optional<CFGBaseDtor> D = Element.getAs<CFGBaseDtor>())
    return {D->getBaseSpecifier(), nullptr};
  return {nullptr, nullptr};
}

/// Where the code of \p Block starts. Its elements are listed innermost
/// expression first, so the statement that starts the block is the one
/// that starts earliest.
SourceLocation firstLocation(const CFGBlock &Block, const SourceManager &SM) {
  SourceLocation First;
  auto Consider = [&](const Stmt *S) {
    SourceLocation Loc = S ? S->getBeginLoc() : SourceLocation();
    if (Loc.isValid() &&
        (First.isInvalid() || SM.isBeforeInTranslationUnit(Loc, First)))
      First = Loc;
  };
  for (const CFGElement &Element : Block)
    if (std::optional<CFGStmt> S = Element.getAs<CFGStmt>())
      Consider(S->getStmt());
  if (First.isInvalid())
    Consider(Block.getTerminatorStmt());
  return First;
}

} // namespace

bool ChildPathCollector::isBefore(SourceLocation L, SourceLocation R) const {
  if (L.isInvalid() || R.isInvalid())
    return L.isValid();
  return Ctx.getSourceManager().isBeforeInTranslationUnit(L, R);
}

void ChildPathCollector::record(ElementKey Key, UnsafeSite Site,
                                const PathState &State, bool GoesOn) {
  if (GoesOn && !State.ExecSeen)
    GoingOnEvents.emplace(
        Key, GoingOn{GoingOn::UnsafeWork, Site.Loc, Site, State.Context});
  Sites.emplace(Key, std::move(Site));
}

PathWalker::Step ChildPathCollector::followCall(const ClassifiedElement &Call,
                                                ElementKey Key,
                                                const PathState &State) {
  std::optional<FunctionSummary> Summary =
      Summaries.get(*Call.Callee, Settings.Rules);
  if (!Summary) {
    UnsafeSite Site{Call.Loc, Call.Op, {}, false, {}};
    Site.Op.Safety = Verdict::Unverifiable;
    Site.Op.Reason = "its calls nest too deeply to be followed";
    record(Key, std::move(Site), State, /*GoesOn=*/true);
    return PathWalker::Step::Continue;
  }
  auto Through = [&](const UnsafeSite &Inner) {
    UnsafeSite Site{Call.Loc, Call.Op, Inner.leaf(), true, {}};
    Site.Chain.push_back(
        {Inner.Loc, CallClassifier::displayName(*Call.Callee), Inner.Op});
    Site.Chain.insert(Site.Chain.end(), Inner.Chain.begin(), Inner.Chain.end());
    return Site;
  };
  if (Summary->DeepestCalls.size() + 1 > DeepestCalls.size() &&
      DeepestCalls.size() <= Summaries.maxCallDepth()) {
    DeepestCalls = {ChainLink{Call.Loc, Settings.FunctionName, Call.Op}};
    DeepestCalls.insert(DeepestCalls.end(), Summary->DeepestCalls.begin(),
                        Summary->DeepestCalls.end());
  }
  if (std::optional<UnsafeSite> TooDeep = beyondDepthLimit(Call, *Summary)) {
    record(Key, std::move(*TooDeep), State, /*GoesOn=*/true);
  } else {
    if (Summary->FirstUnsafe)
      Sites.emplace(Key, Through(*Summary->FirstUnsafe));
    if (!State.ExecSeen && Summary->FirstUnsafeBeforeExec)
      GoingOnEvents.emplace(Key,
                            GoingOn{GoingOn::UnsafeWork, Call.Loc,
                                    Through(*Summary->FirstUnsafeBeforeExec),
                                    State.Context});
  }
  if (Summary->ReturnsWithoutExec && Summary->ReturnsAfterExec)
    return PathWalker::Step::Split;
  if (Summary->ReturnsWithoutExec)
    return PathWalker::Step::Continue;
  if (Summary->ReturnsAfterExec)
    return PathWalker::Step::MarkExecSeen;
  return PathWalker::Step::Stop;
}

std::optional<UnsafeSite>
ChildPathCollector::beyondDepthLimit(const ClassifiedElement &Call,
                                     const FunctionSummary &Callee) {
  // A callee known to be unsafe is reported as such; the chain of its reason
  // is cut at the limit when the finding is reported.
  if (!Settings.MaxCallDepth || Callee.FirstUnsafe ||
      Callee.DeepestCalls.size() + 1 <= *Settings.MaxCallDepth)
    return std::nullopt;
  unsigned Limit = *Settings.MaxCallDepth;
  std::string Reason =
      "the call depth limit of " + std::to_string(Limit) + " is reached";
  UnsafeSite Site{Call.Loc, Call.Op, {}, false, {}};
  if (Limit == 0) {
    Site.Op.Safety = Verdict::Unverifiable;
    Site.Op.Reason = std::move(Reason);
    return Site;
  }
  Site.ViaCallee = true;
  Site.Chain.assign(Callee.DeepestCalls.begin(),
                    Callee.DeepestCalls.begin() + Limit);
  Site.Leaf = Site.Chain.back().Op;
  Site.Leaf.Safety = Verdict::Unverifiable;
  Site.Leaf.Reason = std::move(Reason);
  return Site;
}

PathWalker::Step ChildPathCollector::visitElement(const CFGElement &Element,
                                                  const PathState &State) {
  // Objects constructed in the child are reported at their construction.
  if (Settings.ForkLoc.isValid())
    if (std::optional<CFGAutomaticObjDtor> Dtor =
            Element.getAs<CFGAutomaticObjDtor>())
      if (!isBefore(Dtor->getVarDecl()->getLocation(), Settings.ForkLoc))
        return PathWalker::Step::Continue;

  ClassifiedElement Classified = Classifier.classify(Element, Settings.Rules);
  switch (Classified.Effect) {
  case ClassifiedElement::NoEffect:
    return PathWalker::Step::Continue;
  case ClassifiedElement::Exec:
    return PathWalker::Step::MarkExecSeen;
  case ClassifiedElement::ExecPathSearch:
    if (Settings.ReportExecpFunctions)
      record(keyOf(Element), {Classified.Loc, Classified.Op, {}, false, {}},
             State, /*GoesOn=*/false);
    return PathWalker::Step::MarkExecSeen;
  case ClassifiedElement::Unsafe:
    record(keyOf(Element), {Classified.Loc, Classified.Op, {}, false, {}},
           State, /*GoesOn=*/true);
    return PathWalker::Step::Continue;
  case ClassifiedElement::CallsDefined:
    return followCall(Classified, keyOf(Element), State);
  }
  return PathWalker::Step::Continue;
}

void ChildPathCollector::visitEdge(const CFGBlock &From, const CFGBlock &To,
                                   PathState &State) {
  if (!Settings.OtherProcessBlocks)
    return;
  bool ChildOnly = !Settings.OtherProcessBlocks->contains(&To);
  if (State.InChildOnlyCode && !ChildOnly && !State.Context.isSet()) {
    const Stmt *Loop =
        To.getLoopTarget() ? To.getLoopTarget() : From.getLoopTarget();
    State.Context.LoopsBack = Loop != nullptr;
    State.Context.Loc =
        Loop ? Loop->getBeginLoc() : firstLocation(To, Ctx.getSourceManager());
  }
  State.InChildOnlyCode = ChildOnly;
}

void ChildPathCollector::visitReturn(const ReturnStmt *Return,
                                     const PathState &State) {
  if (State.ExecSeen) {
    ReturnsAfterExec = true;
    return;
  }
  ReturnsWithoutExec = true;
  SourceLocation Loc = Return ? Return->getBeginLoc() : Settings.BodyEnd;
  GoingOnEvents.emplace(ElementKey(Return, &ReturnTag),
                        GoingOn{GoingOn::Returns, Loc, {}, State.Context});
}

std::vector<UnsafeSite> ChildPathCollector::unsafeSites() const {
  std::vector<UnsafeSite> Result;
  Result.reserve(Sites.size());
  for (const auto &Entry : Sites)
    Result.push_back(Entry.second);
  std::sort(Result.begin(), Result.end(),
            [&](const UnsafeSite &L, const UnsafeSite &R) {
              if (L.Loc != R.Loc)
                return isBefore(L.Loc, R.Loc);
              if (L.Op.Kind != R.Op.Kind)
                return L.Op.Kind < R.Op.Kind;
              return L.Op.Subject < R.Op.Subject;
            });
  return Result;
}

std::optional<GoingOn> ChildPathCollector::firstGoingOn() const {
  const GoingOn *First = nullptr;
  for (const auto &Entry : GoingOnEvents) {
    const GoingOn &Event = Entry.second;
    if (!First || isBefore(Event.Loc, First->Loc) ||
        (Event.Loc == First->Loc && Event.Kind < First->Kind))
      First = &Event;
  }
  if (!First)
    return std::nullopt;
  return *First;
}

bool ChildPathCollector::isBetterReason(const UnsafeSite &Candidate,
                                        const UnsafeSite *Best) const {
  if (!Best)
    return true;
  bool CandidateKnown = Candidate.leaf().Safety != Verdict::Unverifiable;
  bool BestKnown = Best->leaf().Safety != Verdict::Unverifiable;
  if (CandidateKnown != BestKnown)
    return CandidateKnown;
  if (Candidate.Chain.size() != Best->Chain.size())
    return Candidate.Chain.size() < Best->Chain.size();
  return isBefore(Candidate.Loc, Best->Loc);
}

FunctionSummary ChildPathCollector::summary() const {
  // A callee is described by the most direct operation known to be unsafe;
  // only a callee with none is described by what cannot be verified.
  FunctionSummary Summary;
  const UnsafeSite *First = nullptr;
  for (const auto &Entry : Sites)
    if (isBetterReason(Entry.second, First))
      First = &Entry.second;
  if (First)
    Summary.FirstUnsafe = *First;
  const UnsafeSite *FirstBeforeExec = nullptr;
  for (const auto &Entry : GoingOnEvents)
    if (Entry.second.Kind == GoingOn::UnsafeWork &&
        isBetterReason(Entry.second.Site, FirstBeforeExec))
      FirstBeforeExec = &Entry.second.Site;
  if (FirstBeforeExec)
    Summary.FirstUnsafeBeforeExec = *FirstBeforeExec;
  Summary.ReturnsWithoutExec = ReturnsWithoutExec;
  Summary.ReturnsAfterExec = ReturnsAfterExec;
  Summary.DeepestCalls = DeepestCalls;
  return Summary;
}

} // namespace forksafety
