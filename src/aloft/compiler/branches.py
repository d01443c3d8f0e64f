"""Compiling a traced conditional into a branch node and one workflow per case.

Everything the conditional reads from outside itself (workflow inputs and outputs of earlier
nodes, in its conditions or in the nodes of its cases) becomes an input of the branch node;
each case is compiled as a workflow over those inputs whose outputs are the conditional's.
Conditions compare primitive values only, as in Flyte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from aloft.compiler.graph import (
    Constant,
    OutputRef,
    TracedBinding,
    TracedBranch,
    TracedCase,
    TracedCheck,
    TracedComparison,
    TracedCondition,
    TracedGraph,
    TracedNode,
)
from aloft.compiler.typecheck import binding_variant
from aloft.errors import CompileError
from aloft.ir import (
    START_NODE,
    Binding,
    BranchCase,
    BranchTarget,
    Check,
    CheckOperator,
    Comparison,
    ComparisonOperator,
    Condition,
    Conjunction,
    ConjunctionOperator,
    Identifier,
    Node,
    Operand,
    PromiseBinding,
    ResourceType,
    SimpleKind,
    SimpleType,
    TypedInterface,
    UnionType,
    Variable,
    WorkflowClosure,
    describe,
)

CompileGraph = Callable[[TracedGraph], WorkflowClosure]

_NUMBERS = {SimpleKind.INTEGER, SimpleKind.FLOAT}
_COMPARABLE = _NUMBERS | {
    SimpleKind.STRING,
    SimpleKind.BOOLEAN,
    SimpleKind.DATETIME,
    SimpleKind.DATE,
    SimpleKind.DURATION,
    SimpleKind.NONE,
}


def compile_branch(
    node: TracedNode, branch: TracedBranch, graph: TracedGraph, compile_graph: CompileGraph
) -> tuple[Node, list[WorkflowClosure]]:
    """The branch node for ``node`` and the compiled workflow of each case that runs one."""
    where = f"{node.location}: conditional {branch.name!r} (node {node.id})"
    if not branch.cases:
        raise CompileError(f"{where} has no cases; start it with .if_(condition)")
    outputs = _outputs(branch, where)
    inner = set(_ids(branch))
    free: dict[OutputRef, str] = {}
    for ref in _refs_of_branch(branch):
        if ref.node not in inner and ref not in free:
            free[ref] = _var_name(ref)
    inputs = TypedInterface(inputs={var: Variable(type=ref.type) for ref, var in free.items()})
    cases, closures = [], []
    for index, case in enumerate(branch.cases):
        what = f"{where}, case {index}"
        condition = _condition(case.condition, free, what) if case.condition else None
        if case.error:
            cases.append(BranchCase(condition=condition, error=case.error))
            continue
        sub = TracedGraph(
            id=Identifier(
                resource_type=ResourceType.WORKFLOW, name=f"{graph.id.name}.{node.id}.case-{index}"
            ),
            interface=TypedInterface(inputs=inputs.inputs, outputs=outputs),
            nodes=[_rebound_node(n, free) for n in case.nodes],
            outputs={name: _rebound(b, free) for name, b in case.outputs.items()},
            location=case.location,
            failure_policy=graph.failure_policy,
            interruptible=graph.interruptible,
        )
        closure = compile_graph(sub)
        closures.append(closure)
        cases.append(BranchCase(condition=condition, workflow=closure.workflow.id))
    bindings = tuple(
        Binding(var=var, data=PromiseBinding(node=ref.node, output=ref.output, path=ref.path))
        for ref, var in free.items()
    )
    upstream = dict.fromkeys(ref.node for ref in free if ref.node != START_NODE)
    upstream.update(dict.fromkeys(node.after))
    compiled = Node(
        id=node.id,
        name=branch.name,
        target=BranchTarget(name=branch.name, cases=tuple(cases)),
        inputs=bindings,
        upstream=tuple(upstream),
        overrides=node.overrides,
        source=node.location.source,
    )
    return compiled, closures


def _outputs(branch: TracedBranch, where: str) -> dict[str, Variable]:
    """The conditional's outputs; every case that does not fail must give each of them."""
    outputs = branch.interface.outputs
    for index, case in enumerate(branch.cases):
        if case.error or not outputs:
            continue
        missing = [name for name in outputs if name not in case.outputs]
        if missing:
            raise CompileError(
                f"{where}: case {index} gives no {', '.join(map(repr, missing))}, which the "
                "other cases give; every case must give the same outputs (or .fail())"
            )
        for name, binding in case.outputs.items():
            wanted = outputs.get(name)
            given = binding.type if isinstance(binding, OutputRef) else None
            if wanted is None or given is None or binding_variant(given, wanted.type) is None:
                shown = describe(given) if given is not None else "a constant"
                raise CompileError(
                    f"{where}: case {index} gives output {name!r} as {shown}, but the first "
                    f"case as {describe(wanted.type) if wanted else 'nothing'}"
                )
    return outputs


def _ids(branch: TracedBranch) -> Iterator[str]:
    """The ids of every node called inside the conditional, at any depth."""
    for case in branch.cases:
        for node in case.nodes:
            yield node.id
            if isinstance(node.target, TracedBranch):
                yield from _ids(node.target)


def _refs_of_branch(branch: TracedBranch) -> Iterator[OutputRef]:
    for case in branch.cases:
        if case.condition is not None:
            yield from _refs_of_condition(case.condition)
        for node in case.nodes:
            for binding in node.inputs.values():
                yield from _refs(binding)
            if isinstance(node.target, TracedBranch):
                yield from _refs_of_branch(node.target)
        for binding in case.outputs.values():
            yield from _refs(binding)


def _refs_of_condition(condition: TracedCondition) -> Iterator[OutputRef]:
    if isinstance(condition, TracedComparison):
        operands: tuple[object, ...] = (condition.left, condition.right)
    elif isinstance(condition, TracedCheck):
        operands = (condition.operand,)
    else:
        yield from _refs_of_condition(condition.left)
        yield from _refs_of_condition(condition.right)
        return
    yield from (operand for operand in operands if isinstance(operand, OutputRef))


def _refs(binding: TracedBinding) -> Iterator[OutputRef]:
    if isinstance(binding, OutputRef):
        yield binding
    elif isinstance(binding, list):
        for item in binding:
            yield from _refs(item)
    elif isinstance(binding, dict):
        for item in binding.values():
            yield from _refs(item)


def _var_name(ref: OutputRef) -> str:
    path = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in ref.path)
    return f"{ref.node}.{ref.output}{path}"


def _rebound(binding: TracedBinding, free: dict[OutputRef, str]) -> TracedBinding:
    """``binding`` inside a case: what it reads from outside comes from the case's inputs."""
    if isinstance(binding, OutputRef):
        var = free.get(binding)
        return binding if var is None else OutputRef(node=START_NODE, output=var, type=binding.type)
    if isinstance(binding, list):
        return [_rebound(item, free) for item in binding]
    if isinstance(binding, dict):
        return {key: _rebound(item, free) for key, item in binding.items()}
    return binding


def _rebound_node(node: TracedNode, free: dict[OutputRef, str]) -> TracedNode:
    target = node.target
    if isinstance(target, TracedBranch):
        target = TracedBranch(
            name=target.name, cases=[_rebound_case(c, free) for c in target.cases]
        )
    inputs = {name: _rebound(binding, free) for name, binding in node.inputs.items()}
    return replace(node, target=target, inputs=inputs)


def _rebound_case(case: TracedCase, free: dict[OutputRef, str]) -> TracedCase:
    return replace(
        case,
        condition=_rebound_condition(case.condition, free) if case.condition else None,
        nodes=[_rebound_node(n, free) for n in case.nodes],
        outputs={name: _rebound(b, free) for name, b in case.outputs.items()},
    )


def _rebound_condition(condition: TracedCondition, free: dict[OutputRef, str]) -> TracedCondition:
    if isinstance(condition, TracedComparison):
        left, right = _rebound(condition.left, free), _rebound(condition.right, free)
        assert isinstance(left, OutputRef | Constant) and isinstance(right, OutputRef | Constant)
        return replace(condition, left=left, right=right)
    if isinstance(condition, TracedCheck):
        operand = _rebound(condition.operand, free)
        assert isinstance(operand, OutputRef)
        return replace(condition, operand=operand)
    return replace(
        condition,
        left=_rebound_condition(condition.left, free),
        right=_rebound_condition(condition.right, free),
    )


def _condition(condition: TracedCondition, free: dict[OutputRef, str], where: str) -> Condition:
    """The IR of ``condition``, its operands checked: primitive values of types that compare."""
    if isinstance(condition, TracedComparison):
        left, right = (_operand(o, free) for o in (condition.left, condition.right))
        kinds = [_kinds(o, where) for o in (condition.left, condition.right)]
        if not _compatible(*kinds):
            raise CompileError(
                f"{where}: cannot compare {_shown(condition.left)} with {_shown(condition.right)}"
            )
        return Comparison(operator=ComparisonOperator(condition.operator), left=left, right=right)
    if isinstance(condition, TracedCheck):
        operator = CheckOperator(condition.operator)
        holds = _kinds(condition.operand, where)
        if operator is not CheckOperator.IS_NONE and SimpleKind.BOOLEAN not in holds:
            raise CompileError(
                f"{where}: {operator.value}() needs a bool, but {_shown(condition.operand)} is not"
            )
        return Check(operator=operator, operand=_operand(condition.operand, free))
    return Conjunction(
        operator=ConjunctionOperator(condition.operator),
        left=_condition(condition.left, free, where),
        right=_condition(condition.right, free, where),
    )


def _operand(value: OutputRef | Constant, free: dict[OutputRef, str]) -> Operand:
    if isinstance(value, Constant):
        return Operand(value=value.value)
    return Operand(var=free[value])


def _kinds(value: OutputRef | Constant, where: str) -> set[SimpleKind]:
    """The primitive kinds ``value`` may hold; anything else is a compile error."""
    if isinstance(value, Constant):
        kind = type(value.value).__name__
        simple = _LITERAL_KINDS.get(kind)
        if simple is None:
            raise CompileError(f"{where}: conditions compare primitive values, not {kind}")
        return {simple}
    variants = value.type.variants if isinstance(value.type, UnionType) else (value.type,)
    kinds = set()
    for variant in variants:
        if not isinstance(variant, SimpleType) or variant.simple not in _COMPARABLE:
            raise CompileError(
                f"{where}: conditions compare primitive values, but {_shown(value)} is "
                f"{describe(value.type)}"
            )
        kinds.add(variant.simple)
    return kinds


def _compatible(left: set[SimpleKind], right: set[SimpleKind]) -> bool:
    if SimpleKind.NONE in left or SimpleKind.NONE in right:
        return True  # == None and != None are fine; orders fail at run time
    return bool(left & right) or (bool(left & _NUMBERS) and bool(right & _NUMBERS))


def _shown(value: OutputRef | Constant) -> str:
    if isinstance(value, Constant):
        return "a constant"
    if value.node == START_NODE:
        return f"workflow input {value.output}"
    return f"output {value.output} of node {value.node}"


_LITERAL_KINDS = {
    "IntegerValue": SimpleKind.INTEGER,
    "FloatValue": SimpleKind.FLOAT,
    "StringValue": SimpleKind.STRING,
    "BooleanValue": SimpleKind.BOOLEAN,
    "DatetimeValue": SimpleKind.DATETIME,
    "DateValue": SimpleKind.DATE,
    "DurationValue": SimpleKind.DURATION,
    "NoneValue": SimpleKind.NONE,
}
