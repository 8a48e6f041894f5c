//===- ChildPathCollector.h - Unsafe work along child paths ----*- C++ -*-===//
//
// The path visitor shared by the fork-site analysis and the callee
// summaries: it classifies every element on a path, follows calls into
// functions defined in the translation unit through their summaries, and
// records the unsafe operations and the ways a child goes on running.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_CHILDPATHCOLLECTOR_H
#define FORKSAFETY_CORE_CHILDPATHCOLLECTOR_H

#include "Core/AnalysisOptions.h"
#include "Core/Operation.h"
#include "Core/PathWalker.h"

#include "llvm/ADT/DenseSet.h"

#include <map>
#include <optional>
#include <vector>

namespace clang {
class FunctionDecl;
} // namespace clang

namespace forksafety {

class CallClassifier;
class SummaryCache;

/// What calling a function does to a child, as seen by its callers.
struct FunctionSummary {
  /// The first unsafe operation the function may perform.
  std::optional<UnsafeSite> FirstUnsafe;
  /// The first unsafe operation on a path that has not reached exec.
  std::optional<UnsafeSite> FirstUnsafeBeforeExec;
  bool ReturnsWithoutExec = false;
  bool ReturnsAfterExec = false;
  /// The longest chain of calls into defined functions that the summary
  /// relies on, starting inside the function; at most MaxCallDepth + 1 long.
  std::vector<ChainLink> DeepestCalls;
};

/// A way a child path that never reached exec goes on running program code.
struct GoingOn {
  enum KindType { UnsafeWork, Returns } Kind;
  clang::SourceLocation Loc;
  UnsafeSite Site; ///< For UnsafeWork.
  PathContext Context;
};

struct CollectorSettings {
  /// The function being walked, as named in call chains.
  std::string FunctionName;
  ChildRules Rules = ChildRules::AsyncSignalSafe;
  bool ReportExecpFunctions = false;
  /// For fork-site walks: functions this many calls deep or deeper cannot
  /// be verified.
  std::optional<unsigned> MaxCallDepth;
  /// For fork-site walks: the fork call; objects declared before it are the
  /// only ones whose destruction is reported.
  clang::SourceLocation ForkLoc;
  /// For fork-site walks: blocks the parent or the failure path reach.
  const llvm::DenseSet<const clang::CFGBlock *> *OtherProcessBlocks = nullptr;
  /// Where the function's body ends, for returns that fall off its end.
  clang::SourceLocation BodyEnd;
};

class ChildPathCollector : public PathWalker::Visitor {
public:
  ChildPathCollector(clang::ASTContext &Ctx, const CallClassifier &Classifier,
                     SummaryCache &Summaries, CollectorSettings Settings)
      : Ctx(Ctx), Classifier(Classifier), Summaries(Summaries),
        Settings(Settings) {}

  PathWalker::Step visitElement(const clang::CFGElement &Element,
                                const PathState &State) override;
  void visitEdge(const clang::CFGBlock &From, const clang::CFGBlock &To,
                 PathState &State) override;
  void visitReturn(const clang::ReturnStmt *Return,
                   const PathState &State) override;

  /// Every unsafe site on any path, in source order.
  std::vector<UnsafeSite> unsafeSites() const;
  /// The earliest way a path without exec goes on, if any.
  std::optional<GoingOn> firstGoingOn() const;
  FunctionSummary summary() const;

private:
  /// Identifies a CFG element across paths: its statement, or for an
  /// implicit destructor its trigger and the destroyed declaration.
  using ElementKey = std::pair<const void *, const void *>;

  void record(ElementKey Key, UnsafeSite Site, const PathState &State,
              bool GoesOn);
  PathWalker::Step followCall(const struct ClassifiedElement &Call,
                              ElementKey Key, const PathState &State);
  bool isBefore(clang::SourceLocation L, clang::SourceLocation R) const;
  bool isBetterReason(const UnsafeSite &Candidate,
                      const UnsafeSite *Best) const;
  std::optional<UnsafeSite> beyondDepthLimit(const ClassifiedElement &Call,
                                             const FunctionSummary &Callee);

  clang::ASTContext &Ctx;
  const CallClassifier &Classifier;
  SummaryCache &Summaries;
  CollectorSettings Settings;

  std::map<ElementKey, UnsafeSite> Sites;
  std::map<ElementKey, GoingOn> GoingOnEvents;
  bool ReturnsWithoutExec = false;
  bool ReturnsAfterExec = false;
  std::vector<ChainLink> DeepestCalls;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHCOLLECTOR_H
