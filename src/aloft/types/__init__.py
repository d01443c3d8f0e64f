"""The type engine: Python types ↔ literal types, Python values ↔ literals.

A registry of transformers, one per family of Python types (see :mod:`aloft.types.engine`
for the dispatch and for how to add a type). Importing this package loads no transformer and
never imports pydantic; the built-in transformers load on first use.
"""

from aloft.types.engine import (
    literal_type_of,
    parse_cli_value,
    register_transformer,
    struct_fields,
    to_literal,
    to_python,
)
from aloft.types.messages import python_type_name
from aloft.types.transformer import TypeTransformer

__all__ = [
    "TypeTransformer",
    "literal_type_of",
    "parse_cli_value",
    "python_type_name",
    "register_transformer",
    "struct_fields",
    "to_literal",
    "to_python",
]
