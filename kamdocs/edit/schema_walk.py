"""Walking the plan schema for the editors made from it: one property at a time, references followed.

Two editors take their forms from the schema in force: Front Matter CMS for VS Code
(:mod:`kamdocs.edit.editor_files`) and Decap CMS in the browser
(:mod:`kamdocs.edit.decap_config`). Both need the same thing from it: an object's
properties in the schema's order, each with its ``$ref`` and ``allOf`` followed and a
repository schema's narrowing applied, and which of them are required. That walk is here
once, so the two editors cannot read the schema differently.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def resolve(root: Mapping[str, Any], ref: str) -> Mapping[str, Any]:
    """The schema a local ``#/a/b`` reference names."""
    node: Any = root
    for part in ref.removeprefix("#").split("/")[1:]:
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def facets(
    root: Mapping[str, Any], node: Mapping[str, Any], followed: frozenset[str] = frozenset()
) -> Iterator[Mapping[str, Any]]:
    """``node`` and what it takes from ``$ref`` and ``allOf``, base first: a repository schema
    narrows the bundled one by keys beside its ``$ref``. Conditionals (if/then) are left out:
    a form cannot say "required when status is draft". A reference already followed on the
    way here is not followed again (a schema may refer to itself)."""
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#") and ref not in followed:
        yield from facets(root, resolve(root, ref), followed | {ref})
    for part in node.get("allOf", ()):
        if isinstance(part, Mapping):
            yield from facets(root, part, followed)
    yield node


def merged(root: Mapping[str, Any], node: Mapping[str, Any]) -> dict[str, Any]:
    """One property's schema with its references followed, later (narrower) keys winning."""
    out: dict[str, Any] = {}
    for facet in facets(root, node):
        out.update({k: v for k, v in facet.items() if k not in ("$ref", "allOf")})
    return out


def object_properties(
    root: Mapping[str, Any], node: Mapping[str, Any]
) -> tuple[list[tuple[str, dict[str, Any]]], frozenset[str]]:
    """The properties of an object schema in the schema's order, each merged over every facet
    (a repository's extra field comes after the bundled ones), and the names it requires."""
    parts: dict[str, list[Mapping[str, Any]]] = {}
    required: set[str] = set()
    for facet in facets(root, node):
        for name, prop in facet.get("properties", {}).items():
            if isinstance(prop, Mapping):
                parts.setdefault(name, []).append(prop)
        required.update(r for r in facet.get("required", ()) if isinstance(r, str))
    out: list[tuple[str, dict[str, Any]]] = []
    for name, props in parts.items():
        whole: dict[str, Any] = {}
        for part in props:
            whole.update(merged(root, part))
        out.append((name, whole))
    return out, frozenset(required)


def text_choices(prop: Mapping[str, Any]) -> tuple[list[str], str | None] | None:
    """A property's fixed list of texts (``enum``) and its default text, which both editors offer as a
    choice; None when it has no such list."""
    if not (isinstance(prop.get("enum"), list) and all(isinstance(v, str) for v in prop["enum"])):
        return None
    default = prop.get("default")
    return list(prop["enum"]), default if isinstance(default, str) else None
