//===- Operation.h - Work done on a child path -----------------*- C++ -*-===//
//
// An Operation is one piece of work a child may do (a call, a construction,
// an allocation...). An UnsafeSite is where, in the function being analysed,
// an operation that is not async-signal-safe happens or is reached through a
// chain of calls into functions defined in the translation unit.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_FUNCTIONS_OPERATION_H
#define FORKSAFETY_CORE_FUNCTIONS_OPERATION_H

#include "Core/Location.h"

#include <optional>
#include <string>
#include <vector>

namespace forksafety {

enum class OperationKind {
  Call,       ///< Subject is the function's name.
  Construct,  ///< Subject is the constructed type.
  Destroy,    ///< Subject is the destroyed variable, member or type.
  Allocate,   ///< A new-expression.
  Deallocate, ///< A delete-expression.
  Throw,      ///< A throw-expression.
  SpinLock,   ///< A loop waiting for a lock; Subject is the lock.
  Return,     ///< A return from main, which runs exit; Subject is main.
};

enum class Verdict {
  NotSignalSafe,        ///< A library function that is not async-signal-safe.
  Unverifiable,         ///< Nothing tells whether it is async-signal-safe.
  NotAllowedAfterVfork, ///< Async-signal-safe, but a vfork child may only
                        ///< call exec or _exit.
};

struct Operation {
  OperationKind Kind = OperationKind::Call;
  Verdict Safety = Verdict::NotSignalSafe;
  std::string Subject;
  /// Why an unverifiable operation cannot be verified ("no definition is
  /// visible"); empty otherwise.
  std::string Reason;
  bool IsExit = false; ///< A call to exit.
  /// Known to take a lock or to allocate (stdio, malloc, a mutex...): the
  /// worst kind of reason, reported before unverifiable calls and before
  /// functions that are merely not on the list.
  bool TakesLocks = false;
  bool IsExecPathSearch = false; ///< execlp/execvp/execvpe.
};

/// One step of a call chain inside a callee: "'Function' calls 'g' here".
struct ChainLink {
  Location Loc;
  std::string Function;
  Operation Op;
  /// When not zero, the link stands for this many calls of a long chain
  /// that are not shown, starting at Loc.
  unsigned Skipped = 0;
};

struct UnsafeSite {
  Location Loc;
  /// What happens at Loc: the unsafe operation itself, or a call to a
  /// function defined in the translation unit that reaches Leaf.
  Operation Op;
  /// The operation deep inside the callees that makes Op unsafe, when Op is
  /// a call to a function defined in the translation unit.
  Operation Leaf;
  bool ViaCallee = false;
  std::vector<ChainLink> Chain;
  /// Replaces a call to exit with _exit, when the call spells the name.
  std::optional<TextEdit> ExitFix;

  const Operation &leaf() const { return ViaCallee ? Leaf : Op; }
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_FUNCTIONS_OPERATION_H
