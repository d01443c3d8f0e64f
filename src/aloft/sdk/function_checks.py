"""Checks of a task's function when it is decorated, so that a task that cannot work is
refused at import time, naming its file and line, rather than failing when it runs."""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

from aloft.errors import DecoratorError
from aloft.sdk.location import location

_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def check_is_function(fn: Any, decorator: str) -> None:
    """``DecoratorError`` unless ``fn`` is a plain (or ``async``) Python function."""
    if inspect.isfunction(fn):
        return
    if not inspect.isclass(fn):
        raise DecoratorError(f"{decorator} decorates a function, not {fn!r}")
    try:
        lines = inspect.getsourcelines(fn)[1]
        where = f"{location(inspect.getsourcefile(fn) or '', lines)}: "
    except (OSError, TypeError):
        where = ""
    raise DecoratorError(f"{where}{decorator} decorates a function, not the class {fn.__name__}")


def check_task_function(fn: Callable[..., Any], what: str, *, streams: bool = False) -> None:
    """``DecoratorError`` (starting with ``what``, the task's file:line and name) if ``fn``
    is a generator (unless it ``streams``: its one output is an ``Iterator[T]``), takes
    positional-only parameters, returns a value without declaring an output type, or
    declares outputs it never returns."""
    generator = inspect.isgeneratorfunction(fn)
    if inspect.isasyncgenfunction(fn) or (generator and not streams):
        raise DecoratorError(
            f"{what} is a generator (it uses yield); a task returns its outputs once: "
            "return a list instead, or declare its one output as an Iterator[T]"
        )
    parameters = inspect.signature(fn).parameters.values()
    positional = [p.name for p in parameters if p.kind is inspect.Parameter.POSITIONAL_ONLY]
    if positional:
        raise DecoratorError(
            f"{what} takes {', '.join(repr(p) for p in positional)} as positional-only "
            "(before /); a task's inputs are passed by name: drop the /"
        )
    body = _function_node(fn)
    if body is None:  # no source to read (built in a REPL, say): nothing more to check
        return
    returns = [node for node in _own_nodes(body, ast.Return) if getattr(node, "value", None)]
    returns_value = any(_gives_value(node) for node in returns)
    annotation = inspect.signature(fn).return_annotation
    if annotation == "None":  # postponed annotations (``from __future__ import annotations``)
        annotation = None
    if annotation is inspect.Signature.empty and returns_value:
        raise DecoratorError(
            f"{what} returns a value but declares no output type, so the value would be "
            "lost: annotate what it returns (-> int, say), or return nothing"
        )
    declares = annotation not in (inspect.Signature.empty, None, type(None))
    raises = any(True for _ in _own_nodes(body, ast.Raise))
    if declares and not returns and not raises and not generator:
        raise DecoratorError(
            f"{what} declares outputs ({_shown(annotation)}) but has no return statement "
            "that gives them"
        )


def _function_node(fn: Callable[..., Any]) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == fn.__name__:
            return node
    return None


def _own_nodes(function: ast.AST, kind: type[ast.AST]) -> Iterator[ast.AST]:
    """The nodes of ``kind`` in ``function``'s own body (not in functions it defines)."""
    todo = list(ast.iter_child_nodes(function))
    while todo:
        node = todo.pop()
        if isinstance(node, kind):
            yield node
        if not isinstance(node, _NESTED):
            todo.extend(ast.iter_child_nodes(node))


def _gives_value(node: ast.AST) -> bool:
    value = getattr(node, "value", None)
    return value is not None and not (isinstance(value, ast.Constant) and value.value is None)


def _shown(annotation: Any) -> str:
    if isinstance(annotation, str):  # postponed: the annotation as written
        return annotation
    return getattr(annotation, "__name__", None) or repr(annotation)
