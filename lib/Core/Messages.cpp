//===- Messages.cpp - The text of findings and notes ----------------------===//

#include "Core/Messages.h"

namespace forksafety {

namespace {

std::string quoted(llvm::StringRef S) { return "'" + S.str() + "'"; }

/// "call to 'printf'", "construction of 'std::string'".
std::string nounPhrase(const Operation &Op) {
  switch (Op.Kind) {
  case OperationKind::Call:
    if (Op.Subject.empty())
      return "call through a function pointer";
    return "call to " + quoted(Op.Subject);
  case OperationKind::Construct:
    return "construction of " + quoted(Op.Subject);
  case OperationKind::Destroy:
    return "destruction of " + quoted(Op.Subject);
  case OperationKind::Allocate:
    return "allocation with 'new'";
  case OperationKind::Deallocate:
    return "deallocation with 'delete'";
  case OperationKind::Throw:
    return "throwing an exception";
  case OperationKind::SpinLock:
    return "waiting for the spin lock " + quoted(Op.Subject);
  case OperationKind::Return:
    return "return from " + quoted(Op.Subject);
  }
  return "";
}

/// "calls 'printf'", "constructs 'std::string'".
std::string verbPhrase(const Operation &Op) {
  switch (Op.Kind) {
  case OperationKind::Call:
    if (Op.Subject.empty())
      return "calls through a function pointer";
    return "calls " + quoted(Op.Subject);
  case OperationKind::Construct:
    return "constructs " + quoted(Op.Subject);
  case OperationKind::Destroy:
    return "destroys " + quoted(Op.Subject);
  case OperationKind::Allocate:
    return "allocates with 'new'";
  case OperationKind::Deallocate:
    return "deallocates with 'delete'";
  case OperationKind::Throw:
    return "throws an exception";
  case OperationKind::SpinLock:
    return "waits for the spin lock " + quoted(Op.Subject);
  case OperationKind::Return:
    return "returns from " + quoted(Op.Subject);
  }
  return "";
}

/// What cannot be verified: "'serve_forever'" or "the construction of 'T'".
std::string unverifiedSubject(const Operation &Op) {
  if (Op.Kind == OperationKind::Call && !Op.Subject.empty())
    return quoted(Op.Subject);
  return "the " + nounPhrase(Op);
}

} // namespace

std::string unsafeSiteMessage(const UnsafeSite &Site, bool InVforkChild) {
  const Operation &Leaf = Site.leaf();
  const char *Child =
      InVforkChild ? "the child of a vfork" : "the child of a fork";
  if (Leaf.Safety == Verdict::Unverifiable) {
    std::string Message = "cannot verify that " + unverifiedSubject(Site.Op) +
                          " is async-signal-safe";
    if (Site.ViaCallee)
      return Message + ": it " + verbPhrase(Leaf) + " (" + Leaf.Reason + ")";
    return Message + ": " + Leaf.Reason;
  }
  std::string Message = nounPhrase(Site.Op) + " in " + Child;
  if (Leaf.Safety == Verdict::NotAllowedAfterVfork)
    Message += " is not allowed: only exec functions and '_exit' may be "
               "called there";
  else
    Message += " is not async-signal-safe";
  if (Site.ViaCallee)
    return Message + ": it " + verbPhrase(Leaf);
  if (Leaf.IsExit)
    return Message + "; use '_exit'";
  return Message;
}

std::string unsafeWorkNote(const UnsafeSite &Site, bool Also) {
  const Operation &Leaf = Site.leaf();
  std::string Note = std::string(Also ? "the child also " : "the child ") +
                     verbPhrase(Site.Op) + ", which ";
  if (!Site.ViaCallee && Leaf.IsExit)
    return Note + "runs atexit handlers and flushes stdio";
  switch (Leaf.Safety) {
  case Verdict::NotSignalSafe:
    return Note + "is not async-signal-safe";
  case Verdict::Unverifiable:
    return Note + "cannot be verified to be async-signal-safe";
  case Verdict::NotAllowedAfterVfork:
    return Note + "a vfork child may not do";
  }
  return Note;
}

std::string chainNote(const ChainLink &Link) {
  if (Link.Skipped)
    return "(skipping " + std::to_string(Link.Skipped) +
           (Link.Skipped == 1 ? " call" : " calls") +
           " of the chain; MaxCallDepth 0 shows them all)";
  return quoted(Link.Function) + " " + verbPhrase(Link.Op) + " here";
}

std::string returnNote(llvm::StringRef FunctionName, bool Also) {
  return std::string(Also ? "the child also returns from "
                          : "the child returns from ") +
         quoted(FunctionName) + " without calling exec";
}

std::string contextNote(bool LoopsBack) {
  return LoopsBack ? "the child loops back into code the parent also runs"
                   : "the child falls through into code the parent also runs";
}

std::string forkInThreadedProgramMessage(llvm::StringRef ForkFunction) {
  return "child of " + quoted(ForkFunction) +
         " may run program code without calling exec in a program that "
         "creates threads";
}

std::string forkSiteNote(llvm::StringRef ForkFunction) {
  return "child process created by " + quoted(ForkFunction) + " here";
}

std::string threadCreationNote() { return "threads are created here"; }

std::string unseenThreadsNote() {
  return "the thread state after this call is unknown: no definition of "
         "the function is visible";
}

std::string execPathSearchNote(llvm::StringRef Function) {
  return quoted(Function) +
         " searches PATH, which may allocate; resolve the path before the "
         "fork and call 'execve'";
}

std::string protectedMutexNote(llvm::StringRef Function, llvm::StringRef Mutex,
                               llvm::StringRef Handler) {
  return "'" + Function.str() + "' on '" + Mutex.str() +
         "' is safe in the child: the fork handler '" + Handler.str() +
         "' registered with pthread_atfork locks it before the fork";
}

} // namespace forksafety
