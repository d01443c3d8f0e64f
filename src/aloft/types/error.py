"""``FlyteError``: what an ``on_failure`` handler receives about the failure it handles."""

from __future__ import annotations

from dataclasses import dataclass

ERROR_INPUT = "err"
"""The input of an ``on_failure`` handler that receives the error."""


@dataclass
class FlyteError:
    """Why a workflow failed: the error's message and the node that failed."""

    message: str
    failed_node_id: str
