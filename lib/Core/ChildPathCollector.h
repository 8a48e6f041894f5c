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
#include <memory>
#include <optional>
#include <vector>

namespace clang {
class CFG;
class Decl;
class FunctionDecl;
class Stmt;
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
};

/// A way a child path that never reached exec goes on running program code.
struct GoingOn {
  enum KindType { UnsafeWork, Returns } Kind;
  clang::SourceLocation Loc;
  UnsafeSite Site; ///< For UnsafeWork.
  PathContext Context;
};

struct CollectorSettings {
  bool InVforkChild = false;
  bool ReportExecpFunctions = false;
  /// Depth of the function being walked below the forking function.
  unsigned Depth = 0;
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
  void visitReturn(const clang::CFGBlock &From,
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

  clang::ASTContext &Ctx;
  const CallClassifier &Classifier;
  SummaryCache &Summaries;
  CollectorSettings Settings;

  std::map<ElementKey, UnsafeSite> Sites;
  std::map<ElementKey, GoingOn> GoingOnEvents;
  bool ReturnsWithoutExec = false;
  bool ReturnsAfterExec = false;
};

/// Summaries of the functions defined in the translation unit, memoised.
class SummaryCache {
public:
  SummaryCache(clang::ASTContext &Ctx, const CallClassifier &Classifier,
               const AnalysisOptions &Opts);
  ~SummaryCache();

  /// The summary of \p Definition called at \p Depth below the forking
  /// function, or nothing when \p Depth exceeds the limit.
  std::optional<FunctionSummary> get(const clang::FunctionDecl &Definition,
                                     bool InVforkChild, unsigned Depth);

  /// Builds (once) the CFG of a function body.
  const clang::CFG *cfgFor(const clang::Decl &D, const clang::Stmt &Body);

  unsigned maxCallDepth() const { return Opts.MaxCallDepth; }
  const AnalysisOptions &options() const { return Opts; }

private:
  FunctionSummary compute(const clang::FunctionDecl &Definition,
                          bool InVforkChild, unsigned Depth);

  clang::ASTContext &Ctx;
  const CallClassifier &Classifier;
  const AnalysisOptions &Opts;
  std::map<std::pair<const clang::FunctionDecl *, bool>, FunctionSummary> Done;
  struct Frame {
    const clang::FunctionDecl *Function;
    bool InVforkChild;
    size_t LowestOpenDependency;
  };
  std::vector<Frame> Stack;
  std::map<const clang::Decl *, std::unique_ptr<clang::CFG>> Graphs;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHCOLLECTOR_H
