"""The request bodies of the REST API, validated by FastAPI before any handler runs (a bad
one is a 422 naming the field)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from aloft.errors import InputError
from aloft.ir import ResourceType

_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$"
MAX_LABEL_KEY = 63
MAX_LABEL_VALUE = 256
MAX_LABELS = 64


def _label_key(key: str) -> str:
    """A label key has no '=' (a listing is filtered by ``KEY=VALUE``, split at the first
    '=') and no white space."""
    if "=" in key or any(c.isspace() for c in key):
        raise ValueError(f"label key {key[:80]!r} has '=' or white space, which keys cannot have")
    return key


LabelKey = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_LABEL_KEY),
    AfterValidator(_label_key),
]
Labels = Annotated[
    dict[LabelKey, Annotated[str, StringConstraints(max_length=MAX_LABEL_VALUE)]],
    Field(max_length=MAX_LABELS),
]
Annotations = Annotated[
    dict[LabelKey, Annotated[str, StringConstraints(max_length=4096)]],
    Field(max_length=MAX_LABELS),
]


def label_filter(pairs: list[str]) -> dict[str, str]:
    """The labels a listing is filtered by, from ``KEY=VALUE`` texts; ``InputError`` names a
    text that is not one, or is longer than a label can be."""
    labels: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key:
            raise InputError(f"label: {pair[:80]!r} is not KEY=VALUE")
        if len(key) > MAX_LABEL_KEY or len(value) > MAX_LABEL_VALUE:
            raise InputError(f"label: {pair[:80]!r} is longer than a label can be")
        labels[key] = value
    return labels


class Body(BaseModel):
    """Unknown fields are refused: a misspelt one would otherwise be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class NewProject(Body):
    """A project to create."""

    name: str = Field(pattern=_NAME)
    description: str = Field("", max_length=10_000)


class EntityBody(Body):
    """One entity of a registration, as the client compiled it."""

    resource_type: ResourceType
    template: dict[str, Any]
    closure: dict[str, Any]


class RegistrationBody(Body):
    """Entities to register under one version, with the code bundle their tasks come from."""

    project: str = Field("default", pattern=_NAME)
    domain: str = "development"
    version: str = Field("", max_length=63)
    bundle: str = Field("", pattern=r"^([0-9a-f]{64})?$")
    entities: list[EntityBody] = Field(min_length=1, max_length=10_000)


class EntityRef(Body):
    """A registered task, workflow or launch plan (its newest version if none is given)."""

    resource_type: ResourceType
    name: str = Field(min_length=1, max_length=500)
    version: str = Field("", max_length=63)


class NewExecution(Body):
    """An execution to launch: what, on which inputs (JSON ``inputs`` converted by each
    input's type, or IR ``literals``), named how, labelled how."""

    project: str = Field("default", pattern=_NAME)
    domain: str = "development"
    name: str = Field("", pattern=r"^([A-Za-z0-9][A-Za-z0-9_.-]{0,62})?$")
    entity: EntityRef
    inputs: dict[str, Any] = Field(default_factory=dict)
    literals: dict[str, dict[str, Any]] = Field(default_factory=dict)
    labels: Labels = Field(default_factory=dict)
    annotations: Annotations = Field(default_factory=dict)


class Relaunch(Body):
    """Relaunch an execution, optionally under a chosen name."""

    name: str = Field("", pattern=r"^([A-Za-z0-9][A-Za-z0-9_.-]{0,62})?$")


class Recover(Body):
    """Recover a failed execution, optionally with another version of what it ran."""

    name: str = Field("", pattern=r"^([A-Za-z0-9][A-Za-z0-9_.-]{0,62})?$")
    version: str = Field("", max_length=63)


class SignalBody(Body):
    """A gate's signal: a JSON ``value`` converted by the gate's type, or an IR ``literal``."""

    name: str = Field(min_length=1, max_length=500)
    value: Any = None
    literal: dict[str, Any] | None = None


class ErrorBody(BaseModel):
    """What every error response holds: one message naming the problem and where it is."""

    error: str
