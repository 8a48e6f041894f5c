//===- Arguments.cpp - Known arguments and conditions on parameters -------===//

#include "Core/ChildPaths/Arguments.h"

#include "Core/ChildPaths/ModelRecorder.h"
#include "Core/ClangCompat.h"
#include "Core/ExprValues.h"
#include "Core/Functions/LibraryModel.h"
#include "Core/StatementWalker.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/Builtins.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"

namespace forksafety {

using namespace clang;

namespace {

/// Counts, per parameter, the references to it and those that only read
/// its value.
class ParameterUses : public StatementWalker<ParameterUses> {
public:
  explicit ParameterUses(const FunctionDecl &Function) : Function(Function) {}

  void visitStatement(const Stmt &S) {
    if (const auto *Cast = dyn_cast<ImplicitCastExpr>(&S)) {
      if (Cast->getCastKind() == CK_LValueToRValue)
        if (std::optional<unsigned> Position =
                positionOf(Cast->getSubExpr()->IgnoreParens()))
          ++Reads[*Position];
    } else if (const auto *Ref = dyn_cast<DeclRefExpr>(&S)) {
      if (std::optional<unsigned> Position = positionOf(Ref))
        ++References[*Position];
    }
  }

  llvm::DenseMap<unsigned, unsigned> References, Reads;

private:
  std::optional<unsigned> positionOf(const Expr *E) const {
    const auto *Ref = dyn_cast<DeclRefExpr>(E);
    const auto *Param = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
    if (!Param || Param->getDeclContext() != &Function)
      return std::nullopt;
    return Param->getFunctionScopeIndex();
  }

  const FunctionDecl &Function;
};

ParameterCondition::OpType opOf(BinaryOperatorKind Op) {
  switch (Op) {
  case BO_EQ:
    return ParameterCondition::EQ;
  case BO_NE:
    return ParameterCondition::NE;
  case BO_LT:
    return ParameterCondition::LT;
  case BO_LE:
    return ParameterCondition::LE;
  case BO_GT:
    return ParameterCondition::GT;
  default:
    return ParameterCondition::GE;
  }
}

/// `C Op P` as `P Op' C`.
ParameterCondition::OpType mirrored(ParameterCondition::OpType Op) {
  switch (Op) {
  case ParameterCondition::LT:
    return ParameterCondition::GT;
  case ParameterCondition::LE:
    return ParameterCondition::GE;
  case ParameterCondition::GT:
    return ParameterCondition::LT;
  case ParameterCondition::GE:
    return ParameterCondition::LE;
  default:
    return Op;
  }
}

ParameterCondition::OpType negated(ParameterCondition::OpType Op) {
  switch (Op) {
  case ParameterCondition::EQ:
    return ParameterCondition::NE;
  case ParameterCondition::NE:
    return ParameterCondition::EQ;
  case ParameterCondition::LT:
    return ParameterCondition::GE;
  case ParameterCondition::LE:
    return ParameterCondition::GT;
  case ParameterCondition::GT:
    return ParameterCondition::LE;
  case ParameterCondition::GE:
    return ParameterCondition::LT;
  }
  return Op;
}

/// The value of \p E if it is an integer constant or a null pointer.
std::optional<int64_t> constantOf(const Expr *E, ASTContext &Ctx) {
  if (E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  if (E->getType()->isPointerType() || E->getType()->isNullPtrType())
    return E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull)
               ? std::optional<int64_t>(0)
               : std::nullopt;
  Expr::EvalResult Result;
  if (E->getType()->isIntegralOrEnumerationType() &&
      E->EvaluateAsInt(Result, Ctx) &&
      Result.Val.getInt().getSignificantBits() <= 64)
    return Result.Val.getInt().getExtValue();
  return std::nullopt;
}

/// True if \p E is an address that cannot be null: of a variable, a
/// function, a string literal or an array.
bool isAddress(const Expr *E) {
  E = E->IgnoreParens();
  if (const auto *Cast = dyn_cast<CastExpr>(E)) {
    if (Cast->getCastKind() == CK_ArrayToPointerDecay ||
        Cast->getCastKind() == CK_FunctionToPointerDecay)
      return true;
    if (Cast->getCastKind() == CK_NoOp || Cast->getCastKind() == CK_BitCast)
      return isAddress(Cast->getSubExpr());
    return false;
  }
  if (const auto *Unary = dyn_cast<UnaryOperator>(E))
    return Unary->getOpcode() == UO_AddrOf;
  return isa<StringLiteral>(E);
}

/// The expression whose value a __builtin_expect call passes through.
const Expr *throughExpect(const Expr *E) {
  const Expr *Expected = expectedValue(E);
  return Expected ? Expected->IgnoreParenImpCasts() : E;
}

} // namespace

const FunctionDecl *functionNamedBy(const Expr *E) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  if (!Ref)
    if (const auto *Unary = dyn_cast<UnaryOperator>(E->IgnoreParenImpCasts());
        Unary && Unary->getOpcode() == UO_AddrOf)
      Ref = dyn_cast<DeclRefExpr>(Unary->getSubExpr()->IgnoreParenImpCasts());
  return Ref ? dyn_cast<FunctionDecl>(Ref->getDecl()) : nullptr;
}

ReadOnlyParameters::ReadOnlyParameters(const FunctionDecl &Function)
    : Function(Function), ReadOnly(Function.getNumParams(), false) {
  auto MayBeReadOnly = [&](unsigned I) {
    QualType Type = Function.getParamDecl(I)->getType();
    return Type->isScalarType() && !Type->isReferenceType();
  };
  unsigned Count = Function.getNumParams();
  if (!Function.hasBody() || llvm::none_of(llvm::seq(0u, Count), MayBeReadOnly))
    return;
  ParameterUses Uses(Function);
  Uses.walk(Function.getBody());
  for (unsigned I = 0; I < Count; ++I)
    ReadOnly[I] =
        MayBeReadOnly(I) && Uses.References.lookup(I) == Uses.Reads.lookup(I);
}

std::optional<unsigned> ReadOnlyParameters::positionOf(const Expr *E) const {
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *Param = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
  if (!Param || Param->getDeclContext() != &Function)
    return std::nullopt;
  unsigned Position = Param->getFunctionScopeIndex();
  if (Position >= ReadOnly.size() || !ReadOnly[Position])
    return std::nullopt;
  return Position;
}

std::optional<ParameterCondition>
parameterCondition(const Expr *Condition, bool Taken,
                   const ReadOnlyParameters &Params, ASTContext &Ctx) {
  const Expr *E = throughExpect(Condition->IgnoreParenImpCasts());
  if (const auto *Unary = dyn_cast<UnaryOperator>(E);
      Unary && Unary->getOpcode() == UO_LNot)
    return parameterCondition(Unary->getSubExpr(), !Taken, Params, Ctx);
  std::optional<ParameterCondition> Result;
  if (std::optional<unsigned> Param = Params.positionOf(E)) {
    Result = ParameterCondition{*Param, ParameterCondition::NE, 0};
  } else if (const auto *Binary = dyn_cast<BinaryOperator>(E);
             Binary && Binary->isComparisonOp()) {
    ParameterCondition::OpType Op = opOf(Binary->getOpcode());
    if (std::optional<unsigned> Param = Params.positionOf(Binary->getLHS())) {
      if (std::optional<int64_t> Value = constantOf(Binary->getRHS(), Ctx))
        Result = ParameterCondition{*Param, Op, *Value};
    } else if (std::optional<unsigned> Param =
                   Params.positionOf(Binary->getRHS())) {
      if (std::optional<int64_t> Value = constantOf(Binary->getLHS(), Ctx))
        Result = ParameterCondition{*Param, mirrored(Op), *Value};
    }
  }
  if (Result && !Taken)
    Result->Op = negated(Result->Op);
  return Result;
}

std::vector<KnownArgument> knownArguments(
    const CallExpr &Call, const ReadOnlyParameters *Params, ASTContext &Ctx,
    llvm::function_ref<std::optional<int64_t>(const Expr &)> ValueOnPath) {
  std::vector<KnownArgument> Known;
  const FunctionDecl *Callee = Call.getDirectCallee();
  // The arguments of an operator call on an object start with the object.
  if (Callee && isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee))
    return Known;
  const auto *Prototype = Callee ? nullptr
                                 : Call.getCallee()
                                       ->getType()
                                       ->getPointeeOrArrayElementType()
                                       ->getAs<FunctionProtoType>();
  if (!Callee && !Prototype)
    return Known;
  unsigned Count =
      std::min(Call.getNumArgs(),
               Callee ? Callee->getNumParams() : Prototype->getNumParams());
  for (unsigned I = 0; I < Count; ++I) {
    const Expr *Arg = Call.getArg(I);
    if (const FunctionDecl *Function = functionNamedBy(Arg)) {
      std::string Usr = ModelRecorder::usrOf(*Function);
      if (!Usr.empty())
        Known.push_back({I, KnownArgument::Function, 0, {std::move(Usr)}});
    } else if (std::optional<int64_t> Value = constantOf(Arg, Ctx))
      Known.push_back({I, KnownArgument::Constant, *Value});
    else if (std::optional<int64_t> Value =
                 ValueOnPath ? ValueOnPath(*Arg) : std::nullopt)
      Known.push_back({I, KnownArgument::Constant, *Value});
    else if (Arg->getType()->isPointerType() && isAddress(Arg))
      Known.push_back({I, KnownArgument::NonZero, 0});
    else if (std::optional<unsigned> Param =
                 Params ? Params->positionOf(Arg) : std::nullopt)
      Known.push_back({I, KnownArgument::Parameter, *Param});
  }
  return Known;
}

namespace {

/// A walk that feeds a FieldStoreFinder, for units the index's walk does
/// not feed it: the program's own code, as the system headers'
/// declarations and the types, most of a translation unit, hold no store
/// that matters.
class FieldStores : public TypeSkippingVisitor<FieldStores> {
  using Base = TypeSkippingVisitor<FieldStores>;

public:
  FieldStores(FieldStoreFinder &Finder, const SourceManager &SM)
      : Finder(Finder), SM(SM) {}

  bool TraverseDecl(Decl *D) {
    if (D && (holdsNoCode(*D) || isLibraryCodeToSkip(*D, SM)))
      return true;
    return Base::TraverseDecl(D);
  }
  bool TraverseFunctionDecl(FunctionDecl *Function) {
    const FunctionDecl *Outer = Current;
    Current = Function;
    bool Result = Base::TraverseFunctionDecl(Function);
    Current = Outer;
    return Result;
  }
  bool VisitBinaryOperator(BinaryOperator *Assign) {
    Finder.assignment(*Assign, Current);
    return true;
  }
  bool VisitInitListExpr(InitListExpr *List) {
    Finder.initializers(*List, Current);
    return true;
  }

private:
  FieldStoreFinder &Finder;
  const SourceManager &SM;
  const FunctionDecl *Current = nullptr;
};

} // namespace

const ReadOnlyParameters &
ReadOnlyParameterCache::of(const FunctionDecl &Function) {
  std::unique_ptr<ReadOnlyParameters> &Parameters = Known[&Function];
  if (!Parameters)
    Parameters = std::make_unique<ReadOnlyParameters>(Function);
  return *Parameters;
}

FunctionPointerFlow::FunctionPointerFlow(ASTContext &Ctx,
                                         ReadOnlyParameterCache *Params)
    : Ctx(Ctx), Params(Params ? *Params : OwnParams) {}

FunctionPointerFlow::~FunctionPointerFlow() = default;

std::string FunctionPointerFlow::valueOf(const Expr *E,
                                         const FunctionDecl *Enclosing) {
  if (const FunctionDecl *Function = functionNamedBy(E))
    return ModelRecorder::usrOf(*Function);
  const Expr *Inner = E->IgnoreParenImpCasts();
  if (const auto *Member = dyn_cast<MemberExpr>(Inner))
    if (const auto *Field = dyn_cast<FieldDecl>(Member->getMemberDecl())) {
      std::string Usr = ModelRecorder::usrOf(*Field);
      return Usr.empty() ? "" : FunctionPointerValue::Field + Usr;
    }
  if (!Enclosing)
    return "";
  std::optional<unsigned> Position = Params.of(*Enclosing).positionOf(Inner);
  std::string Usr = ModelRecorder::usrOf(*Enclosing);
  if (!Position || Usr.empty())
    return "";
  return FunctionPointerValue::Parameter + Usr + "#" +
         std::to_string(*Position);
}

std::vector<std::pair<unsigned, std::string>>
FunctionPointerFlow::passedBy(const CallExpr &Call,
                              const FunctionDecl *Caller) {
  std::vector<std::pair<unsigned, std::string>> Passed;
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || (isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee)))
    return Passed;
  unsigned Count = std::min(Call.getNumArgs(), Callee->getNumParams());
  for (unsigned I = 0; I < Count; ++I) {
    const Expr *Arg = Call.getArg(I);
    if (Callee->getParamDecl(I)->getType()->isFunctionPointerType() &&
        !Arg->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
      Passed.emplace_back(I, valueOf(Arg, Caller));
  }
  return Passed;
}

void FunctionPointerFlow::recordStores(ProgramModel &Model) {
  FieldStoreFinder Finder(*this, Model);
  FieldStores(Finder, Ctx.getSourceManager()).TraverseAST(Ctx);
  Finder.finish();
}

void FieldStoreFinder::finish() {
  for (auto &[Field, Values] : Model.FunctionsStored)
    sortUnique(Values);
}

void FieldStoreFinder::assignment(const BinaryOperator &Assign,
                                  const FunctionDecl *Enclosing) {
  if (Assign.getOpcode() != BO_Assign)
    return;
  if (const auto *Member =
          dyn_cast<MemberExpr>(Assign.getLHS()->IgnoreParenImpCasts()))
    if (const auto *Field = dyn_cast<FieldDecl>(Member->getMemberDecl()))
      store(*Field, Assign.getRHS(), Enclosing);
}

void FieldStoreFinder::initializers(const InitListExpr &List,
                                    const FunctionDecl *Enclosing) {
  const InitListExpr *Semantic =
      List.isSemanticForm() ? &List : List.getSemanticForm();
  if (!Semantic)
    return;
  forEachFieldInitializer(*Semantic,
                          [&](const FieldDecl &Field, const Expr &Value) {
                            store(Field, &Value, Enclosing);
                          });
}

void FieldStoreFinder::store(const FieldDecl &Field, const Expr *Value,
                             const FunctionDecl *Enclosing) {
  if (!Field.getType()->isFunctionPointerType() ||
      isa<ImplicitValueInitExpr>(Value) ||
      Value->isNullPointerConstant(Field.getASTContext(),
                                   Expr::NPC_ValueDependentIsNotNull))
    return;
  std::string Usr = ModelRecorder::usrOf(Field);
  if (!Usr.empty())
    Model.FunctionsStored[Usr].push_back(Flow.valueOf(Value, Enclosing));
}

std::vector<KnownArgument>
parameterValues(const std::map<unsigned, std::vector<std::string>> &Passed) {
  std::vector<KnownArgument> Values;
  for (const auto &[Position, Functions] : Passed) {
    // Only functions: no parameter or field left to resolve.
    if (Functions.empty() ||
        llvm::any_of(Functions, [](const std::string &Value) {
          return !llvm::StringRef(Value).starts_with("c:");
        }))
      continue;
    KnownArgument Value{Position, KnownArgument::Function, 0, Functions};
    sortUnique(Value.Functions);
    Values.push_back(std::move(Value));
  }
  return Values;
}

std::optional<bool> conditionHolds(const ParameterCondition &Condition,
                                   const KnownArgument &Value) {
  if (Value.Kind == KnownArgument::NonZero ||
      Value.Kind == KnownArgument::Function) {
    if (Condition.Value != 0)
      return std::nullopt;
    if (Condition.Op == ParameterCondition::EQ)
      return false;
    if (Condition.Op == ParameterCondition::NE)
      return true;
    return std::nullopt;
  }
  if (Value.Kind != KnownArgument::Constant)
    return std::nullopt;
  int64_t L = Value.Value, R = Condition.Value;
  switch (Condition.Op) {
  case ParameterCondition::EQ:
    return L == R;
  case ParameterCondition::NE:
    return L != R;
  case ParameterCondition::LT:
    return L < R;
  case ParameterCondition::LE:
    return L <= R;
  case ParameterCondition::GT:
    return L > R;
  case ParameterCondition::GE:
    return L >= R;
  }
  return std::nullopt;
}

} // namespace forksafety
