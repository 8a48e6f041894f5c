//===- ForkHandlers.cpp - The pthread_atfork protocol ---------------------===//

#include "Core/Threads/ForkHandlers.h"

#include "Core/ChildPaths/ModelRecorder.h"
#include "Core/Functions/CallClassifier.h"

#include "clang/AST/Decl.h"

#include <algorithm>
#include <set>

namespace forksafety {

void recordForkHandlers(const ProgramFacts &Facts,
                        const ModelRecorder &Recorder, ProgramModel &Model) {
  auto UsrOf = [](const clang::FunctionDecl *Handler) {
    return Handler ? ModelRecorder::usrOf(*Handler) : std::string();
  };
  for (const AtForkRegistration &Registration : Facts.AtForkRegistrations)
    Model.AtForkHandlers.push_back(
        {Recorder.locationOf(Registration.Loc), UsrOf(Registration.Prepare),
         Registration.Prepare
             ? CallClassifier::displayName(*Registration.Prepare)
             : std::string(),
         UsrOf(Registration.Parent), UsrOf(Registration.Child)});
  for (const MutexUse &Use : Facts.MutexUses) {
    auto &Uses = Use.Locks ? Model.MutexLocks : Model.MutexUnlocks;
    std::vector<std::string> &Mutexes = Uses[UsrOf(Use.Function)];
    std::string Mutex = ModelRecorder::usrOf(*Use.Mutex);
    if (std::find(Mutexes.begin(), Mutexes.end(), Mutex) == Mutexes.end())
      Mutexes.push_back(std::move(Mutex));
  }
}

std::map<std::string, std::string>
protectedMutexes(const ProgramModel &Program) {
  auto Uses = [](const std::map<std::string, std::vector<std::string>> &Map,
                 const std::string &Function) {
    auto It = Map.find(Function);
    return It == Map.end()
               ? std::set<std::string>()
               : std::set<std::string>(It->second.begin(), It->second.end());
  };
  std::map<std::string, std::string> Protected;
  for (const AtForkModel &Handlers : Program.AtForkHandlers) {
    if (Handlers.Prepare.empty() || Handlers.Parent.empty() ||
        Handlers.Child.empty())
      continue;
    std::set<std::string> ParentUnlocks =
        Uses(Program.MutexUnlocks, Handlers.Parent);
    std::set<std::string> ChildUnlocks =
        Uses(Program.MutexUnlocks, Handlers.Child);
    for (const std::string &Mutex : Uses(Program.MutexLocks, Handlers.Prepare))
      if (ParentUnlocks.count(Mutex) && ChildUnlocks.count(Mutex))
        Protected.emplace(Mutex, Handlers.PrepareName);
  }
  return Protected;
}

} // namespace forksafety
