"""Placeholder while the data-types work lands in this module."""

from typing import Any

from aloft.types.transformer import TypeTransformer

TRANSFORMERS: tuple[TypeTransformer[Any], ...] = ()
