//===- FunctionSummaries.h - What calling a defined function does -*- C++
//-*-===//
//
// Summaries of the functions defined in the translation unit, computed once
// each. Mutually recursive functions form strongly connected components of
// the call graph; a component is summarised as a whole, repeating the walk of
// its functions until their summaries stop changing.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_FUNCTIONSUMMARIES_H
#define FORKSAFETY_CORE_FUNCTIONSUMMARIES_H

#include "Core/AnalysisOptions.h"
#include "Core/ChildPathCollector.h"

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace clang {
class ASTContext;
class CFG;
class Decl;
class FunctionDecl;
class Stmt;
} // namespace clang

namespace forksafety {

class CallClassifier;

class SummaryCache {
public:
  SummaryCache(clang::ASTContext &Ctx, const CallClassifier &Classifier,
               const AnalysisOptions &Opts);
  ~SummaryCache();

  /// The summary of \p Definition, or nothing when calls nest deeper than
  /// the analysis follows.
  std::optional<FunctionSummary> get(const clang::FunctionDecl &Definition,
                                     ChildRules Rules);

  unsigned maxCallDepth() const { return Opts.MaxCallDepth; }

  /// Builds (once) the CFG of a function body.
  const clang::CFG *cfgFor(const clang::Decl &D, const clang::Stmt &Body);

private:
  using Key = std::pair<const clang::FunctionDecl *, ChildRules>;
  struct Frame {
    Key Function;
    size_t LowLink;
  };
  /// A summary of a function in a component that is still being solved.
  struct Pending {
    FunctionSummary Summary;
    unsigned Round;
    size_t LowLink;
  };

  FunctionSummary compute(const Key &Function);
  FunctionSummary solve(const Key &Function, size_t Index);
  void recordPending(const Key &Function, const FunctionSummary &Summary,
                     size_t LowLink);

  clang::ASTContext &Ctx;
  const CallClassifier &Classifier;
  const AnalysisOptions &Opts;
  std::map<Key, FunctionSummary> Done;
  std::map<Key, Pending> Working;
  std::map<Key, size_t> OnStack;
  std::vector<Frame> Stack;
  /// Functions of open components whose summaries are in Working.
  std::vector<Key> OpenMembers;
  /// Numbers the walks over open components; a Working summary from the
  /// current round is reused, an older one is recomputed.
  unsigned Round = 0;
  /// Counts changes of Working summaries, to detect a component's fixpoint.
  unsigned Changes = 0;
  std::map<const clang::Decl *, std::unique_ptr<clang::CFG>> Graphs;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_FUNCTIONSUMMARIES_H
