//===- Findings.cpp - What the checks report ------------------------------===//

#include "Core/Findings.h"

#include "Core/Messages.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace forksafety {

const char *checkName(CheckKind Kind) {
  switch (Kind) {
  case CheckKind::ForkInThreadedProgram:
    return "forksafety-fork-in-threaded-program";
  case CheckKind::UnsafeCallInChild:
    return "forksafety-unsafe-call-in-child";
  }
  return "";
}

namespace {

void addChainNotes(Finding &F, const UnsafeSite &Site) {
  for (const ChainLink &Link : Site.Chain)
    F.Notes.push_back({Link.Loc, chainNote(Link)});
}

FindingNote threadCreation(const ThreadCreationModel *Threads, bool Unseen) {
  if (!Threads)
    return {};
  return {Threads->Loc, Unseen ? unseenThreadsNote() : threadCreationNote(),
          true};
}

Finding unsafeSiteFinding(const ForkModel &Fork, const UnsafeSite &Site,
                          const ThreadCreationModel *Threads, bool Unseen) {
  Finding F{CheckKind::UnsafeCallInChild,
            Site.Loc,
            unsafeSiteMessage(Site, Fork.Kind == ForkKind::VFork),
            {},
            {},
            threadCreation(Threads, Unseen),
            Fork.Loc};
  if (Site.Op.IsExecPathSearch)
    F.Notes.push_back({Site.Loc, execPathSearchNote(Site.Op.Subject)});
  addChainNotes(F, Site);
  F.Notes.push_back({Fork.Loc, forkSiteNote(Fork.ForkFunction), true});
  if (!Site.ViaCallee && Site.ExitFix)
    F.Fixes.push_back(*Site.ExitFix);
  return F;
}

FindingNote goingOnNote(const ForkModel &Fork, const GoingOn &Event,
                        bool Also) {
  if (Event.Kind == GoingOn::Returns)
    return {Event.Loc, returnNote(Fork.FunctionName, Also)};
  return {Event.Loc, unsafeWorkNote(Event.Site, Also)};
}

Finding goingOnFinding(const ForkModel &Fork, const ChildBehaviour &Child,
                       const ThreadCreationModel *Threads, bool Unseen) {
  const GoingOn &Event = *Child.WorstGoingOn;
  Finding F{CheckKind::ForkInThreadedProgram,
            Fork.Loc,
            forkInThreadedProgramMessage(Fork.ForkFunction),
            {},
            {},
            threadCreation(Threads, Unseen),
            Fork.Loc};
  if (Threads)
    F.Notes.push_back(F.ThreadCreation);
  // A path that leaves child-only code right where it goes on needs no
  // separate note for leaving.
  if (Event.Context && Event.Context->Loc != Event.Loc)
    F.Notes.push_back(
        {Event.Context->Loc, contextNote(Event.Context->LoopsBack)});
  F.Notes.push_back(goingOnNote(Fork, Event, /*Also=*/false));
  if (Event.Kind == GoingOn::UnsafeWork)
    addChainNotes(F, Event.Site);
  for (const GoingOn &Other : Child.OtherGoingOns)
    F.Notes.push_back(goingOnNote(Fork, Other, /*Also=*/true));
  return F;
}

} // namespace

void appendForkFindings(const ForkModel &Fork, const ChildBehaviour &Child,
                        const ThreadCreationModel *Threads, bool ThreadsUnseen,
                        const std::vector<CheckKind> &Checks,
                        std::vector<Finding> &Findings) {
  if (llvm::is_contained(Checks, CheckKind::UnsafeCallInChild))
    for (const UnsafeSite &Site : Child.UnsafeSites)
      Findings.push_back(unsafeSiteFinding(Fork, Site, Threads, ThreadsUnseen));
  if (llvm::is_contained(Checks, CheckKind::ForkInThreadedProgram) &&
      Child.WorstGoingOn) {
    Finding F = goingOnFinding(Fork, Child, Threads, ThreadsUnseen);
    // Why the child's locks of these mutexes are not reported.
    for (const ProtectedMutexUse &Use : Child.ProtectedUses)
      F.Notes.push_back(
          {Use.Loc, protectedMutexNote(Use.Function, Use.Mutex, Use.Handler)});
    Findings.push_back(std::move(F));
  }
}

void sortFindings(std::vector<Finding> &Findings) {
  // Findings equal in this order are the same finding: one is kept.
  std::sort(Findings.begin(), Findings.end(),
            [](const Finding &L, const Finding &R) {
              return std::tie(L.Loc, L.Check, L.Message) <
                     std::tie(R.Loc, R.Check, R.Message);
            });
  Findings.erase(std::unique(Findings.begin(), Findings.end(),
                             [](const Finding &L, const Finding &R) {
                               return L.Loc == R.Loc && L.Check == R.Check &&
                                      L.Message == R.Message;
                             }),
                 Findings.end());
}

} // namespace forksafety
