//===- ForkHandlers.h - The pthread_atfork protocol ------------*- C++ -*-===//
//
// A program may keep its own mutexes usable in a child: a prepare handler
// registered with pthread_atfork locks the mutex before the fork, and the
// parent and child handlers unlock it after. In the child the mutex is then
// in a known state, so locking and unlocking it there is safe.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_THREADS_FORKHANDLERS_H
#define FORKSAFETY_CORE_THREADS_FORKHANDLERS_H

#include "Core/Model/ProgramModel.h"
#include "Core/ProgramFacts.h"

#include <map>
#include <string>

namespace forksafety {

class ModelRecorder;

/// Adds the pthread_atfork registrations and the global mutex uses in
/// \p Facts to \p Model.
void recordForkHandlers(const ProgramFacts &Facts,
                        const ModelRecorder &Recorder, ProgramModel &Model);

/// The mutexes the fork handlers of \p Program keep usable in a child,
/// by USR, each with the name of the prepare handler that locks it.
std::map<std::string, std::string>
protectedMutexes(const ProgramModel &Program);

} // namespace forksafety

#endif // FORKSAFETY_CORE_THREADS_FORKHANDLERS_H
