"""The schema pre-check may say "not sure" for a valid plan, never "valid" for
an invalid one. Held to that over many generated variations of real plans."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource

from kamdocs.config import Config
from kamdocs.plan.fastschema import compile_schema
from kamdocs.plan.loader import load
from kamdocs.plan.validation import PlanValidator

from .conftest import EXAMPLES, ROOT

VALIDATOR = PlanValidator(Config(root=ROOT))
SAMPLES = [
    load(p, p.parent, 1 << 20).source.data
    for p in [*sorted((ROOT / "plans").glob("*.md")), *sorted((EXAMPLES / "positive").glob("*.md"))]
]
FORMAT_CHECKER = jsonschema.Draft202012Validator.FORMAT_CHECKER


def test_precheck_exists_for_the_bundled_schema_and_accepts_every_valid_sample() -> None:
    assert VALIDATOR.precheck is not None
    for data in SAMPLES:
        assert VALIDATOR.validator.is_valid(data)
        assert VALIDATOR.precheck(data), data["id"]


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths(v, (*prefix, i))
    return out


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "",
            "x",
            "open",
            "done",
            "full",
            "one-page",
            "draft",
            "2026-02-30",
            "2026-01-01",
            "P6W",
            "quarterly",
            "Obs A",
            "obs-a",
            "x-extra",
            "high",
            "supporter",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda c: (
        st.lists(c, max_size=3)
        | st.dictionaries(st.sampled_from(["id", "statement", "x-a", "due", "foo"]), c, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=1500, deadline=None)
@given(
    sample=st.sampled_from(range(len(SAMPLES))),
    choice=st.integers(min_value=0),
    action=st.sampled_from(["replace", "delete", "add"]),
    key=st.sampled_from(["id", "foo", "x-foo", "status", "resolves", "due", "as_of", "kind", "target", "unit"]),
    value=values,
)
def test_precheck_never_accepts_what_jsonschema_rejects(sample, choice, action, key, value) -> None:
    data = copy.deepcopy(SAMPLES[sample])
    targets = paths(data)
    path = targets[choice % len(targets)]
    parent: Any = data
    for part in path[:-1]:
        parent = parent[part]
    if path and action == "replace":
        parent[path[-1]] = value
    elif path and action == "delete":
        del parent[path[-1]]
    else:
        node = parent[path[-1]] if path else data
        if isinstance(node, dict):
            node[key] = value
        elif isinstance(node, list):
            node.append(value)
    if VALIDATOR.precheck(data):
        assert VALIDATOR.validator.is_valid(data)


@pytest.mark.parametrize(
    ("schema", "instance", "valid"),
    [
        ({"uniqueItems": True}, [1, 1.0], False),
        ({"uniqueItems": True}, [1, True], True),
        ({"type": "integer"}, 2.0, True),
        ({"type": "number"}, True, False),
        ({"enum": ["a"]}, "a", True),
        ({"pattern": "b"}, "abc", True),
        ({"format": "date"}, "2026-02-30", False),
        ({"properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"a": "x", "b": 1}, False),
        ({"if": {"required": ["a"]}, "then": {"required": ["b"]}}, {"a": 1}, False),
        ({"if": {"required": ["a"]}, "else": {"required": ["b"]}}, {}, False),
    ],
)
def test_keywords_agree_with_jsonschema(schema: dict, instance: Any, valid: bool) -> None:
    check = compile_schema(schema, Registry().resolver(), FORMAT_CHECKER)
    assert check is not None
    assert jsonschema.Draft202012Validator(schema, format_checker=FORMAT_CHECKER).is_valid(instance) is valid
    assert check(instance) is valid


@pytest.mark.parametrize(
    "schema",
    [
        {"oneOf": [{}]},
        {"enum": [1]},
        {"unevaluatedProperties": {"type": "string"}},
        {"prefixItems": [{}]},
        {"properties": {"a": {"$id": "urn:x", "type": "string"}}},
    ],
)
def test_unknown_keywords_mean_no_precheck(schema: dict) -> None:
    assert compile_schema(schema, Registry().resolver(), FORMAT_CHECKER) is None


def test_unevaluated_properties_counts_only_unconditional_keys() -> None:
    base = {"$id": "urn:base", "properties": {"a": {}}}
    schema = {
        "$ref": "urn:base",
        "allOf": [{"if": True, "then": {"properties": {"b": {}}}}],
        "unevaluatedProperties": False,
    }
    resource = Resource.from_contents({"$schema": "https://json-schema.org/draft/2020-12/schema", **base})
    registry = Registry().with_resource("urn:base", resource)
    check = compile_schema(schema, registry.resolver(), FORMAT_CHECKER)
    assert check is not None
    assert check({"a": 1})
    assert not check({"a": 1, "b": 2})  # valid for jsonschema, but "not sure" is allowed
    assert not check({"c": 1})
