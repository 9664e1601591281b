"""The editor files `kamdocs init` writes: Front Matter CMS's `frontmatter.json`, checked against
Front Matter's own published schema for it (vendored, tests/vendor/frontmatter-cms), and the
schema Front Matter makes from it, which passes every sound plan and fails broken ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT7

from kamdocs.plan.loader import load

from .conftest import EXAMPLES, ROOT, run
from .frontmattercms import content_type_schema

VENDOR = ROOT / "tests" / "vendor" / "frontmatter-cms"
FRONT_MATTER_SCHEMA: dict[str, Any] = json.loads((VENDOR / "frontmatter.schema.json").read_text(encoding="utf-8"))
TODAY = "2026-11-24"

EDITOR_REJECTS = {
    "bad-enum.md": "a commitment's status outside its choices",
    "blank-lines-before.md": "kind 'onepage'",
    "bom.md": "kind 'onepage'",
    "crlf.md": "kind 'onepage'",
    "norway-no-stays-text.md": "kind 'NO'",
    "on-stays-text.md": "status 'on'",
    "boolean-where-text.md": "true where text belongs",
    "wrong-type-number.md": "'500k' where a number belongs",
    "out-of-range.md": "percent_complete above 100",
    "missing-key.md": "no account",
    "missing-nested-key.md": "no review.reviewer",
    "unknown-key.md": "no business_area (its misspelt key itself goes unnoticed)",
}
"""Worked out by reading each file: the broken plans whose fault is a type, a choice, a number's
bounds or a key every plan needs, which is what Front Matter's schema says."""
EDITOR_MISSES = {
    "bad-interval.md", "bad-slug.md", "bom-crlf-blank-lines.md", "date-impossible.md", "date-not-iso.md",
    "full-without-kpis.md", "missing-review-date.md", "too-few-commitments.md", "not-unique.md",
    "unknown-nested-key.md",
}  # fmt: skip
"""Schema faults Front Matter cannot see: patterns (ids, intervals, dates), what depends on kind or
status, repeats and unknown keys. docs/editing.md says kamdocs check finds them."""


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("init")
    assert run(["init", "repo", "--today", TODAY], where).exit_code == 0
    return where / "repo"


def front_matter_validator() -> jsonschema.Draft7Validator:
    """Front Matter's published schema, offline: a reference to anything else raises."""

    def nowhere(uri: str) -> Any:
        raise LookupError(f"not vendored: {uri}")

    jsonschema.Draft7Validator.check_schema(FRONT_MATTER_SCHEMA)
    registry: Registry = Registry(retrieve=nowhere).with_resource(  # type: ignore[call-arg]
        FRONT_MATTER_SCHEMA["$id"], DRAFT7.create_resource(FRONT_MATTER_SCHEMA)
    )
    return jsonschema.Draft7Validator(FRONT_MATTER_SCHEMA, registry=registry)


def editor_config(repo: Path) -> dict[str, Any]:
    return json.loads((repo / "frontmatter.json").read_text(encoding="utf-8"))


def test_frontmatter_json_passes_front_matters_own_schema(initialised: Path) -> None:
    config = editor_config(initialised)
    assert config["$schema"] == FRONT_MATTER_SCHEMA["$id"]
    errors = [f"{e.json_path}: {e.message}" for e in front_matter_validator().iter_errors(config)]
    assert errors == []


def test_front_matters_schema_is_strict_enough_to_catch_a_wrong_frontmatter_json(initialised: Path) -> None:
    """The check above could fail: a misspelt field key or an unknown field type is rejected."""
    validator = front_matter_validator()
    config = editor_config(initialised)
    field = config["frontMatter.taxonomy.contentTypes"][0]["fields"][0]
    assert not validator.is_valid({**config, "frontMatter.taxonomy.contentTypes": [
        {**config["frontMatter.taxonomy.contentTypes"][0], "fields": [{**field, "reqired": True}]}]})  # fmt: skip
    assert not validator.is_valid({**config, "frontMatter.taxonomy.contentTypes": [
        {**config["frontMatter.taxonomy.contentTypes"][0], "fields": [{**field, "type": "date"}]}]})  # fmt: skip


def test_init_recommends_the_extension_that_reads_it(initialised: Path) -> None:
    extensions = json.loads((initialised / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert extensions == {"recommendations": ["eliostruyf.vscode-front-matter"]}


def test_schema_for_editor_prints_what_init_wrote(initialised: Path) -> None:
    result = run(["schema", "--for-editor"], initialised)
    assert result.exit_code == 0, result.output
    assert result.output == (initialised / "frontmatter.json").read_text(encoding="utf-8")


def fields_by_name(fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in fields}


def test_the_fields_mirror_the_plan_format(initialised: Path) -> None:
    """Read against docs/format.md by hand: kinds, dates, bounds and the chain."""
    config = editor_config(initialised)
    (plan,) = config["frontMatter.taxonomy.contentTypes"]
    assert config["frontMatter.dashboard.content.card.fields.title"] == "account"
    assert plan["pageBundle"] is False
    assert config["frontMatter.content.pageFolders"][0]["path"] == "[[workspace]]/plans"
    assert config["frontMatter.content.pageFolders"][0]["contentTypes"] == [plan["name"]]
    top = fields_by_name(plan["fields"])
    assert top["kind"]["type"] == "choice" and top["kind"]["choices"] == ["one-page", "full"]
    assert top["status"]["default"] == "active"
    required = {name for name, f in top.items() if f.get("required")}
    assert required == {"id", "account", "kind", "owner", "business_area", "review", "goal"}
    review = fields_by_name(top["review"]["fields"])
    assert review["last_reviewed"] == {**review["last_reviewed"], "type": "datetime", "dateFormat": "yyyy-MM-dd"}
    assert review["reviewer"]["required"] is True
    goal = fields_by_name(top["goal"]["fields"])
    assert goal["target"]["type"] == "number" and goal["target"]["numberOptions"] == {"isDecimal": True}
    assert fields_by_name(goal["period"]["fields"])["end"]["type"] == "datetime"
    groups = {g["id"]: g for g in config["frontMatter.taxonomy.fieldGroups"]}
    chain = []
    field = top["success_factors"]
    while field is not None:
        assert field["type"] == "block"
        (group,) = field["fieldGroup"]
        chain.append(group)
        inner = fields_by_name(groups[group]["fields"])
        field = next((f for f in inner.values() if f["type"] == "block"), None)
    assert chain == ["success_factor", "condition", "obstacle"]
    commitment = fields_by_name(groups[top["commitments"]["fieldGroup"][0]]["fields"])
    assert commitment["percent_complete"]["numberOptions"] == {"isDecimal": True, "min": 0, "max": 100}
    assert commitment["resolves"]["type"] == "list"
    assert commitment["status"]["choices"] == ["open", "in-progress", "done", "dropped"]
    contact = fields_by_name(groups[top["buying_center"]["fieldGroup"][0]]["fields"])
    assert contact["role"]["choices"][:2] == ["economic-buyer", "technical-buyer"]
    assert groups["kpi"]["labelField"] == "name"


def test_a_narrowed_business_area_becomes_a_choice_in_the_editor(initialised: Path, tmp_path: Path) -> None:
    repo = tmp_path / "narrowed"
    assert run(["init", str(repo), "--today", TODAY], tmp_path).exit_code == 0
    schema_file = repo / "schema" / "plans.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["properties"]["business_area"] = {"enum": ["Process Analytics", "Laboratory Instruments"]}
    schema_file.write_text(json.dumps(schema), encoding="utf-8")
    result = run(["schema", "--for-editor"], repo)
    assert result.exit_code == 0, result.output
    area = fields_by_name(json.loads(result.output)["frontMatter.taxonomy.contentTypes"][0]["fields"])["business_area"]
    assert area["type"] == "choice" and area["choices"] == ["Process Analytics", "Laboratory Instruments"]
    assert area["required"] is True


def editor_verdicts(repo: Path, files: list[Path]) -> dict[str, list[str]]:
    """What Front Matter marks in each file: the errors of the schema it makes from the content type."""
    schema = content_type_schema(editor_config(repo), "plan")
    validator = jsonschema.Draft7Validator(schema)  # no format checker: Front Matter loads no ajv-formats
    found = {}
    for path in files:
        loaded = load(path, path.parent, 1_000_000)
        if loaded.source is not None:
            found[path.name] = [e.message for e in validator.iter_errors(loaded.source.data)]
    return found


def test_every_sound_plan_passes_the_schema_the_editor_uses(initialised: Path, tmp_path: Path) -> None:
    repo = tmp_path / "fresh"
    assert run(["init", str(repo), "--today", TODAY], tmp_path).exit_code == 0
    for kind in ("one-page", "full"):
        new = ["new", f"new-{kind}", "--kind", kind, "--account", "Acme", "--owner", "kim@example.com",
               "--area", "Process Analytics", "--today", TODAY]  # fmt: skip
        assert run(new, repo).exit_code == 0
    files = [*sorted((ROOT / "plans").glob("*.md")), *sorted((repo / "plans").glob("*.md")),
             *sorted((EXAMPLES / "positive").glob("*.md"))]  # fmt: skip
    verdicts = editor_verdicts(initialised, files)
    assert len(verdicts) == len(files) >= 15
    assert {name: errors for name, errors in verdicts.items() if errors} == {}


def test_the_editor_marks_broken_plans_it_can_see_and_misses_what_docs_say(initialised: Path) -> None:
    names = sorted({*EDITOR_REJECTS, *EDITOR_MISSES})
    verdicts = editor_verdicts(initialised, [EXAMPLES / "negative" / name for name in names])
    assert set(verdicts) == set(names)
    assert {name for name, errors in verdicts.items() if errors} == set(EDITOR_REJECTS)


def test_a_schema_whose_parts_contain_themselves_still_gives_a_valid_frontmatter_json(tmp_path: Path) -> None:
    """A repository's own tree of regions (an object that holds itself, a list of itself) ends."""
    repo = tmp_path / "tree"
    assert run(["init", str(repo), "--today", TODAY], tmp_path).exit_code == 0
    schema_file = repo / "schema" / "plans.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["properties"]["x-region"] = {"$ref": "#/$defs/region"}
    schema["$defs"] = {
        "region": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "parent": {"$ref": "#/$defs/region"},
                "parts": {"type": "array", "items": {"$ref": "#/$defs/region"}},
            },
        }
    }
    schema_file.write_text(json.dumps(schema), encoding="utf-8")
    assert run(["check"], repo).exit_code == 0
    result = run(["schema", "--for-editor"], repo)
    assert result.exit_code == 0, result.output
    config = json.loads(result.output)
    assert list(front_matter_validator().iter_errors(config)) == []
    region = fields_by_name(config["frontMatter.taxonomy.contentTypes"][0]["fields"])["x-region"]
    depth = 0
    while "parent" in fields_by_name(region["fields"]):
        region, depth = fields_by_name(region["fields"])["parent"], depth + 1
    assert 1 <= depth <= 10


def test_properties_the_editor_has_no_field_for_are_left_out(tmp_path: Path) -> None:
    """A property with no type, a type the editor lacks, a list of numbers: no field (kamdocs check still checks
    them); a list of strings beside them still becomes a list field, and a date a date picker."""
    repo = tmp_path / "odd"
    assert run(["init", str(repo), "--today", TODAY], tmp_path).exit_code == 0
    schema_file = repo / "schema" / "plans.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["properties"].update(
        {
            "x-anything": {"description": "no type at all"},
            "x-nothing": {"type": "null"},
            "x-either": {"type": ["string", "null"]},
            "x-scores": {"type": "array", "items": {"type": "integer"}},
            "x-tags": {"type": "array", "items": {"type": "string"}},
            "x-count": {"type": "integer", "minimum": 1},
            "x-met": {"type": "string", "format": "date"},
        }
    )
    schema_file.write_text(json.dumps(schema), encoding="utf-8")
    result = run(["schema", "--for-editor"], repo)
    assert result.exit_code == 0, result.output
    config = json.loads(result.output)
    assert list(front_matter_validator().iter_errors(config)) == []
    fields = fields_by_name(config["frontMatter.taxonomy.contentTypes"][0]["fields"])
    assert {name for name in fields if name.startswith("x-")} == {"x-tags", "x-count", "x-met"}
    assert fields["x-tags"] == {"name": "x-tags", "title": "x-tags", "type": "list"}
    assert fields["x-count"] == {
        "name": "x-count",
        "title": "x-count",
        "type": "number",
        "numberOptions": {"isDecimal": False, "min": 1},
    }
    assert fields["x-met"] == {"name": "x-met", "title": "x-met", "type": "datetime", "dateFormat": "yyyy-MM-dd"}
