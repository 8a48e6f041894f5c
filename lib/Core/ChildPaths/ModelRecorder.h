//===- ModelRecorder.h - The program model of a translation unit -*- C++
//-*-===//
//
// Records, from the AST, the paths of fork children and of functions as
// PathGraphs (see ProgramModel.h): the walk follows the CFG under the fork's
// outcome and keeps, for each stretch of it, the work that matters in a
// child. Callees are named by USR and recorded on request.
//
//===----------------------------------------------------------------------===//

#ifndef FORKSAFETY_CORE_CHILDPATHS_MODELRECORDER_H
#define FORKSAFETY_CORE_CHILDPATHS_MODELRECORDER_H

#include "Core/ChildPaths/Arguments.h"
#include "Core/Functions/CallClassifier.h"
#include "Core/Model/ProgramModel.h"
#include "Core/ProgramFacts.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <map>
#include <memory>

namespace clang {
class ASTContext;
class CFG;
class CFGBlock;
class Decl;
class Expr;
class FunctionDecl;
} // namespace clang

namespace forksafety {

class CFGCache;
class FunctionShape;

class ModelRecorder {
public:
  ModelRecorder(clang::ASTContext &Ctx, const AnalysisOptions &Opts,
                CFGCache &Graphs);
  ~ModelRecorder();

  /// The child paths of \p Fork.
  ForkModel recordFork(const ForkSite &Fork, bool InWrapper,
                       bool ThreadsMayExist);
  /// The paths of the function \p Usr, when a recorded graph calls it and
  /// the translation unit defines it; null otherwise.
  std::optional<FunctionModel> recordFunction(llvm::StringRef Usr);
  /// The paths of \p Definition.
  FunctionModel recordFunction(const clang::FunctionDecl &Definition);

  /// Records, on request, the function \p Argument names, if the
  /// translation unit defines it: the function it is passed to may call it.
  void nameFunctionArgument(const clang::Expr *Argument);

  /// The USR that names \p D across translation units. One with internal
  /// linkage ends with UsrFileMark and the absolute name of its file.
  static std::string usrOf(const clang::Decl &D);

  /// While one lives, usrOf on its thread remembers the USR of each
  /// declaration of its translation unit: recording names each function
  /// several times (as a caller, a callee, a function of the model), and
  /// making a USR costs more than finding it again. One made while another
  /// of the same unit lives shares it.
  class UsrMemo {
  public:
    explicit UsrMemo(const clang::ASTContext &Ctx);
    ~UsrMemo();
    UsrMemo(const UsrMemo &) = delete;
    UsrMemo &operator=(const UsrMemo &) = delete;

  private:
    friend class ModelRecorder;
    const clang::ASTContext &Ctx;
    llvm::DenseMap<const clang::Decl *, std::string> Usrs;
    UsrMemo *Outer;
    bool Installed;
  };

  Location locationOf(clang::SourceLocation Loc) const;

  /// The continuation \p Key (see ForkModel::Continuation) as recorded so
  /// far; null if there is none.
  const PathGraph *continuation(llvm::StringRef Key) const;
  /// Moves the continuations recorded into \p Model, whose forks are the
  /// ones recorded, dropping the nodes that only lead on.
  void moveContinuations(ProgramModel &Model);

  /// The USRs of the defined callees named in the graphs recorded so far,
  /// in the order they were first named: recording one may name more.
  const std::vector<std::string> &calleesNamed() const { return CalleeOrder; }

  /// The read-only parameters found so far, for the rest of the
  /// translation unit's recording to share.
  ReadOnlyParameterCache &parameters() { return Parameters; }

private:
  friend class GraphRecorder;
  struct SharedContinuation;

  /// The continuation the child of \p Fork, which starts at \p ForkBlock of
  /// \p Graph, may share with the other forks of its function; null when
  /// the child needs paths of its own.
  SharedContinuation *continuationFor(const ForkSite &Fork,
                                      const clang::CFG &Graph,
                                      const clang::CFGBlock &ForkBlock);
  const FunctionShape &shapeOf(const clang::Decl &Function,
                               const clang::CFG &Graph);

  clang::ASTContext &Ctx;
  const AnalysisOptions &Opts;
  CFGCache &Graphs;
  CallClassifier Classifier;
  /// Definitions of the callees named in recorded graphs.
  llvm::StringMap<const clang::FunctionDecl *> Callees;
  std::vector<std::string> CalleeOrder;
  std::map<const clang::Decl *, std::unique_ptr<SharedContinuation>>
      Continuations;
  llvm::StringMap<SharedContinuation *> ContinuationsByKey;
  std::map<const clang::Decl *, std::unique_ptr<FunctionShape>> Shapes;
  ReadOnlyParameterCache Parameters;
};

} // namespace forksafety

#endif // FORKSAFETY_CORE_CHILDPATHS_MODELRECORDER_H
