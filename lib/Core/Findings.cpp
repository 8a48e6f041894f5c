//===- Findings.cpp - What the checks report ------------------------------===//

#include "Core/Findings.h"

#include "Core/Messages.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <map>
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

namespace {

bool sameNote(const FindingNote &L, const FindingNote &R) {
  return L.Loc == R.Loc && L.Message == R.Message;
}

/// Whether \p Call is the cause \p Note names as what the child goes on to
/// do, and may be shown in its place.
bool foldsInto(const Finding &Call, const FindingNote &Note) {
  return Call.Check == CheckKind::UnsafeCallInChild && !Note.IsCause &&
         Call.Loc == Note.Loc && Call.Fixes.empty();
}

} // namespace

std::string shownNoteMessage(const ShownNote &Note) {
  if (!Note.Check.has_value())
    return Note.Message;
  return Note.Message + " [" + checkName(Note.Check.value()) + "]";
}

std::vector<ShownNote> foldIntoLead(const Finding &Lead,
                                    std::vector<const Finding *> &Rest) {
  std::vector<ShownNote> Shown;
  for (size_t I = 0; I < Lead.Notes.size(); ++I) {
    const FindingNote &Note = Lead.Notes[I];
    auto Folded = llvm::find_if(
        Rest, [&](const Finding *F) { return foldsInto(*F, Note); });
    if (Folded == Rest.end()) {
      Shown.push_back({Note.Loc, Note.Message, std::nullopt});
      continue;
    }
    const Finding &Call = **Folded;
    Rest.erase(Folded);
    Shown.push_back({Call.Loc, Call.Message, Call.Check});
    for (const FindingNote &Step : Call.Notes) {
      if (Step.IsCause)
        continue;
      // The lead's own notes on the same calls are not repeated.
      if (I + 1 < Lead.Notes.size() && sameNote(Lead.Notes[I + 1], Step))
        ++I;
      Shown.push_back({Step.Loc, Step.Message, std::nullopt});
    }
  }
  return Shown;
}

std::vector<ShownFinding>
showFindings(const std::vector<Finding> &Findings,
             llvm::function_ref<bool(const Finding &)> Suppressed) {
  auto Leads = [&](const Finding &F) {
    return F.Check == CheckKind::ForkInThreadedProgram && !Suppressed(F);
  };
  // The calls that may be folded, by the fork whose child makes them.
  std::map<Location, std::vector<const Finding *>> Foldable;
  for (const Finding &F : Findings)
    if (F.Check == CheckKind::UnsafeCallInChild && F.Fork.isValid() &&
        !Suppressed(F))
      Foldable[F.Fork].push_back(&F);
  // In the order of Findings, each lead with the calls folded into it.
  std::map<const Finding *, std::vector<ShownNote>> LeadNotes;
  std::set<const Finding *> Folded;
  for (const Finding &F : Findings) {
    auto Calls = Foldable.find(F.Fork);
    if (!Leads(F) || Calls == Foldable.end())
      continue;
    std::vector<const Finding *> Child;
    for (const Finding *Call : Calls->second)
      if (!Folded.count(Call))
        Child.push_back(Call);
    std::vector<const Finding *> Left = Child;
    LeadNotes[&F] = foldIntoLead(F, Left);
    for (const Finding *Call : Child)
      if (!llvm::is_contained(Left, Call))
        Folded.insert(Call);
  }
  std::vector<ShownFinding> Shown;
  for (const Finding &F : Findings) {
    if (Folded.count(&F))
      continue;
    ShownFinding &One = Shown.emplace_back();
    One.F = &F;
    auto Lead = LeadNotes.find(&F);
    if (Lead != LeadNotes.end()) {
      One.Notes = std::move(Lead->second);
      continue;
    }
    for (const FindingNote &Note : F.Notes)
      One.Notes.push_back({Note.Loc, Note.Message, std::nullopt});
  }
  return Shown;
}

void sortFindings(std::vector<Finding> &Findings) {
  // Findings equal but for their fork are the same finding, shared by two
  // children (a double fork): the one with the first fork is kept.
  std::sort(Findings.begin(), Findings.end(),
            [](const Finding &L, const Finding &R) {
              return std::tie(L.Loc, L.Check, L.Message, L.Fork) <
                     std::tie(R.Loc, R.Check, R.Message, R.Fork);
            });
  Findings.erase(std::unique(Findings.begin(), Findings.end(),
                             [](const Finding &L, const Finding &R) {
                               return L.Loc == R.Loc && L.Check == R.Check &&
                                      L.Message == R.Message;
                             }),
                 Findings.end());
}

} // namespace forksafety
