"""One self-contained JSON Schema: a repository's schema with kamdocs' plan schema inside it.

A repository schema names kamdocs' plan format by its URN (``urn:kamdocs:plan:v1``).
kamdocs resolves that name from a registry of its own; an editor, a CI linter or any
other generic validator cannot. The bundle copies the plan schema under ``$defs`` and
rewrites every reference into a JSON pointer within the one document, so a Draft 2020-12
validator with no registry at all validates plans as kamdocs' own validator does.

References are rewritten, not resolved by embedding the URN as an ``$id`` (the bundling
the 2020-12 specification allows): plain JSON pointers are what the most tools follow.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from kamdocs.config import ConfigError

BUNDLE_KEY = "kamdocs-plan-v1"
"""Where the plan schema goes under the repository schema's ``$defs``."""

INSTANCE_KEYWORDS = frozenset({"const", "enum", "examples", "default"})
"""Keywords whose values are data, not schemas: a ``$ref`` key inside them is text to keep."""


def self_contained(schema: dict[str, Any], bundled: dict[str, Any], bundled_id: str, own_id: str) -> dict[str, Any]:
    """``schema`` with every reference to ``bundled_id`` (and to its own ``$id``) made local.

    ``own_id`` is the schema's ``$id``, or the name kamdocs resolves it by when it has none.
    A reference kamdocs cannot resolve either (another file, a web address) is a
    :class:`ConfigError`, as it is for ``kamdocs check``.
    """
    _refuse_inner_ids(schema)
    if own_id == bundled_id:  # the bundled schema itself: its references are already local
        return _rewritten(schema, {bundled_id: "#"}, local="#")
    uses_bundled = any(_base(ref) == bundled_id for ref in _refs(schema))
    defs = schema.get("$defs", {})
    key = BUNDLE_KEY
    while isinstance(defs, dict) and key in defs:
        key += "-bundled"
    pointer = f"#/$defs/{key}"
    result = _rewritten(schema, {own_id: "#", bundled_id: pointer}, local="#")
    if uses_bundled:
        inner = {k: v for k, v in bundled.items() if k not in ("$id", "$schema")}
        result.setdefault("$defs", {})[key] = _rewritten(inner, {bundled_id: pointer}, local=pointer)
    return result


def _base(ref: str) -> str:
    return ref.partition("#")[0]


def _refs(node: Any) -> Iterator[str]:
    """Every ``$ref`` and ``$dynamicRef`` in a schema, outside the keywords that hold data."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                yield value
            elif key not in INSTANCE_KEYWORDS:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _refuse_inner_ids(schema: dict[str, Any]) -> None:
    """An ``$id`` below the root starts a new base for the references under it; the bundle does not
    follow those, so it refuses them instead of writing a schema that means something else."""
    stack: list[tuple[Any, str]] = [(value, f"/{key}") for key, value in schema.items() if key not in INSTANCE_KEYWORDS]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$id"), str):
                raise ConfigError(
                    f"schema: expected '$id' only at the top of the schema, found one at {where}; "
                    "move that part under $defs without an $id so kamdocs schema can bundle it"
                )
            stack.extend((v, f"{where}/{k}") for k, v in node.items() if k not in INSTANCE_KEYWORDS)
        elif isinstance(node, list):
            stack.extend((v, f"{where}/{i}") for i, v in enumerate(node))


def _rewritten(node: Any, bases: dict[str, str], local: str) -> Any:
    """A copy of ``node`` whose references point into the one document.

    ``bases`` maps a base URI to the pointer its document now lives at; ``local`` is where a
    reference with no base (``#/$defs/x``) points, the document being copied.
    """
    if isinstance(node, list):
        return [_rewritten(item, bases, local) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("$ref", "$dynamicRef") and isinstance(value, str):
            result[key] = _local_ref(value, bases, local)
        elif key in INSTANCE_KEYWORDS:
            result[key] = copy.deepcopy(value)
        else:
            result[key] = _rewritten(value, bases, local)
    return result


def _local_ref(ref: str, bases: dict[str, str], local: str) -> str:
    base, _, fragment = ref.partition("#")
    if base and base not in bases:
        known = ", ".join(sorted(bases))
        raise ConfigError(
            f"schema: expected $ref to {known} or to a '#/...' place in the schema itself, found {ref!r}; "
            "copy what it names under $defs"
        )
    target = bases[base] if base else local
    if fragment and not fragment.startswith("/"):
        raise ConfigError(f"schema: expected $ref with a JSON pointer after '#', found {ref!r} (an anchor name)")
    return target + fragment
