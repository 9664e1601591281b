"""`kamdocs schema` prints one self-contained JSON Schema: a generic validator with no kamdocs
registry (plain jsonschema, Draft 2020-12, an empty `referencing` registry that raises on
every reference it cannot find) gives kamdocs' own schema verdict on every plan."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry
from referencing.exceptions import Unresolvable

from kamdocs.config import load_config
from kamdocs.plan.loader import load
from kamdocs.plan.validation import PlanValidator

from .commands import kamdocs, mkdocs_build, write_repo
from .conftest import EXAMPLES, ROOT, plan_text, run

SCHEMA_RULES = {"missing-key", "unknown-key", "wrong-type", "bad-value", "bad-format", "bad-date", "out-of-range",
                "too-few", "not-unique"}  # fmt: skip
"""The rule ids of docs/rules.md that the schema gives (the rest are checks a schema cannot say)."""
NEGATIVE = EXAMPLES / "negative"
EXPECTED: dict[str, list[list[Any]]] = json.loads((NEGATIVE / "expected.json").read_text(encoding="utf-8"))


def plan_files(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in sorted(folder.glob("*.md"))]


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            elif key not in ("const", "enum", "examples", "default"):
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def plain_validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """A validator that knows nothing of kamdocs: no registry, every reference checked up front."""
    registry: Registry = Registry()  # no resources, and its retrieve raises: an unknown URI is Unresolvable
    validator = jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    jsonschema.Draft202012Validator.check_schema(schema)
    resolver = validator._resolver  # the resolver the validator itself uses, rooted at the schema
    found = list(refs(schema))
    assert found, "a bundle with no $ref proves nothing about bundling"
    for ref in found:
        assert ref.startswith("#/"), ref
        try:
            resolver.lookup(ref)
        except Unresolvable as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"{ref} does not resolve inside the printed schema: {exc}")
    return validator


def printed_schema(repo: Path) -> dict[str, Any]:
    result = run(["schema"], repo)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def verdicts(repo: Path, schema: dict[str, Any], files: list[Path]) -> tuple[dict[str, bool], dict[str, bool]]:
    """For each file that loads: whether plain jsonschema rejects it, and whether kamdocs' schema check does."""
    plain = plain_validator(schema)
    own = PlanValidator(load_config(repo / "mkdocs.yml"))
    theirs, ours = {}, {}
    for path in files:
        loaded = load(path, path.parent, 1_000_000)
        if loaded.source is None:
            continue  # not YAML a schema ever sees: the loader's findings, not the schema's
        theirs[path.name] = not plain.is_valid(loaded.source.data)
        ours[path.name] = bool(own.check(loaded.source))
    return theirs, ours


@pytest.fixture
def initialised(tmp_path: Path) -> Path:
    assert run(["init", "repo", "--today", "2026-11-24"], tmp_path).exit_code == 0
    return tmp_path / "repo"


def test_the_schema_of_an_initialised_repository_validates_as_kamdocs_does(initialised: Path) -> None:
    schema = printed_schema(initialised)
    files = plan_files(ROOT / "plans", initialised / "plans", EXAMPLES / "positive", NEGATIVE)
    theirs, ours = verdicts(initialised, schema, files)
    assert theirs == ours
    # Worked out by hand from tests/example-files/negative/expected.json: the files whose
    # expected findings include a rule the schema gives are the ones a schema rejects.
    by_hand = {name for name, found in EXPECTED.items() if {rule for rule, *_ in found} & SCHEMA_RULES}
    rejected = {name for name, bad in theirs.items() if bad}
    assert rejected == by_hand & set(theirs)
    assert len(rejected) >= 15
    assert not any(theirs[p.name] for p in plan_files(ROOT / "plans", initialised / "plans", EXAMPLES / "positive"))


def test_kamdocs_own_repository_prints_the_bundled_schema_self_contained() -> None:
    schema = printed_schema(ROOT)
    bundled = json.loads((ROOT / "kamdocs" / "schema" / "plan.schema.json").read_text(encoding="utf-8"))
    assert schema == bundled  # its references were local already: nothing to rewrite
    theirs, ours = verdicts(ROOT, schema, plan_files(ROOT / "plans", NEGATIVE))
    assert theirs == ours
    assert sum(theirs.values()) >= 15


NARROWED = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:acme-plans",
    "allOf": [{"$ref": "urn:kamdocs:plan:v1#/$defs/plan"}, {"$ref": "urn:acme-plans#/$defs/acme"}],
    "properties": {"x-segment": {"$ref": "#/$defs/segment"}},
    "unevaluatedProperties": False,
    "$defs": {
        "acme": {"properties": {"business_area": {"enum": ["Process Analytics", "Laboratory Instruments"]}}},
        "segment": {"type": "string", "enum": ["A", "B"], "default": {"$ref": "data, not a reference"}},
    },
}


def test_a_narrowed_repository_schema_keeps_its_narrowing_in_the_bundle(initialised: Path) -> None:
    (initialised / "schema" / "plans.schema.json").write_text(json.dumps(NARROWED), encoding="utf-8")
    plans = initialised / "plans"
    text = (plans / "example-full.md").read_text(encoding="utf-8")
    (plans / "other-area.md").write_text(
        text.replace("id: example-full", "id: other-area").replace("Laboratory Instruments", "Marketing"), "utf-8"
    )
    (plans / "bad-segment.md").write_text(
        text.replace("id: example-full", "id: bad-segment\nx-segment: C"), encoding="utf-8"
    )
    schema = printed_schema(initialised)
    assert schema["$defs"]["segment"]["default"] == {"$ref": "data, not a reference"}
    theirs, ours = verdicts(initialised, schema, plan_files(plans))
    assert (
        theirs
        == ours
        == {
            "bad-segment.md": True,
            "example-full.md": False,
            "example-one-page.md": False,
            "other-area.md": True,
        }
    )


@pytest.mark.parametrize("ref", ["other.schema.json#/$defs/plan", "https://example.com/plan.json"])
def test_a_reference_no_bundle_can_hold_is_one_line_naming_it(initialised: Path, ref: str) -> None:
    """kamdocs check refuses these too (its registry holds only the two schemas), so no bundle is printed."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "urn:kamdocs:plan:v1#/$defs/plan",
        "properties": {"x-extra": {"$ref": ref}},
    }
    (initialised / "schema" / "plans.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    result = run(["schema"], initialised)
    assert result.exit_code == 2
    assert ref in result.output and "$ref" in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_an_id_below_the_root_is_refused_by_name_rather_than_bundled_wrong(initialised: Path) -> None:
    """An inner $id would change what the references under it mean; the bundle says where it is."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "urn:kamdocs:plan:v1#/$defs/plan",
        "$defs": {"area": {"$id": "urn:area", "type": "string"}},
    }
    (initialised / "schema" / "plans.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    assert run(["check"], initialised).exit_code == 0  # kamdocs itself takes it
    result = run(["schema"], initialised)
    assert result.exit_code == 2
    assert "found one at /$defs/area" in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


SCHEMAS = {
    # name: (schema text, what the one-line error says after "schema s.json: ")
    "nested-not-200": ('{"not": ' * 200 + "{}" + "}" * 200, "expected JSON nested at most 64 levels, found more"),
    "nested-items-800": (
        '{"properties": {"account": ' + '{"items": ' * 800 + "{}" + "}" * 800 + "}}",
        "expected JSON nested at most 64 levels, found more",
    ),
    "nested-arrays-100000": ("[" * 100_000 + "]" * 100_000, "expected JSON nested at most 64 levels, found more"),
    "nan-bound": ('{"properties": {"goal": {"maximum": NaN}}}', "invalid JSON: NaN is not a JSON number"),
    "infinity-bound": ('{"minimum": -Infinity}', "invalid JSON: -Infinity is not a JSON number"),
    "overflowing-bound": ('{"maximum": 1e999}', "invalid JSON: 1e999 is beyond the range of numbers"),
}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_a_hostile_repository_schema_is_one_configuration_error(tmp_path: Path, name: str) -> None:
    text, message = SCHEMAS[name]
    repo = write_repo(
        tmp_path, {"good": plan_text("good")}, mkdocs="site_name: P\nplugins:\n  - kamdocs:\n      schema: s.json\n"
    )
    (repo / "s.json").write_text(text, encoding="utf-8")

    for command in ("check", "schema"):
        result = kamdocs(repo, command, timeout=30)
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr == f"kamdocs: error: schema s.json: {message}\n", command
    build = mkdocs_build(repo)
    assert build.returncode == 1
    assert "Traceback" not in build.stderr
    assert f"schema s.json: {message}" in build.stderr


def test_a_repository_schema_nested_64_levels_deep_is_accepted(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path, {"good": plan_text("good")}, mkdocs="site_name: P\nplugins:\n  - kamdocs:\n      schema: s.json\n"
    )
    (repo / "s.json").write_text('{"not": ' * 63 + '{"type": "string"}' + "}" * 63, encoding="utf-8")

    result = kamdocs(repo, "check", "--no-freshness")

    assert (result.returncode, result.stderr) == (0, "")


def test_a_repository_schema_that_is_a_fifo_is_a_configuration_error(tmp_path: Path) -> None:
    repo = write_repo(
        tmp_path, {"good": plan_text("good")}, mkdocs="site_name: P\nplugins:\n  - kamdocs:\n      schema: s.json\n"
    )
    os.mkfifo(repo / "s.json")
    result = kamdocs(repo, "check", timeout=20)
    assert result.returncode == 2
    assert result.stderr.strip() == "kamdocs: error: schema s.json: expected a regular file, found a special file"
