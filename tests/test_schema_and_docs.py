"""The schema is valid 2020-12 and self-describing; the docs cover every key,
rule and option, so nothing public ships undocumented."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema

from kamdocs.config import OPTIONS, REMOVED
from kamdocs.findings import FRESHNESS_RULES, RULES

from .conftest import ROOT

SCHEMA = json.loads((ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8"))
DOCS = ROOT / "docs"


def properties(schema: Any, prefix: str = "") -> Iterator[tuple[str, dict]]:
    """Every named property in the schema, with a dotted name."""
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            yield prefix + name, sub
            yield from properties(sub, prefix + name + ".")
        if "items" in schema:
            yield from properties(schema["items"], prefix)
    for name, definition in SCHEMA["$defs"].items() if not prefix and schema is SCHEMA else ():
        yield from properties(definition, f"{name}:")


def test_schema_passes_the_2020_12_metaschema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] == "urn:kamdocs:plan:v1"


def test_every_property_has_title_and_description() -> None:
    found = list(properties(SCHEMA))
    assert len(found) > 50
    for name, sub in found:
        if "$ref" in sub:
            continue
        assert sub.get("title"), name
        assert sub.get("description"), name


def test_bundled_schema_is_the_packaged_one() -> None:
    packaged = ROOT / "kamdocs" / "schema" / "plan.schema.json"
    assert packaged.read_bytes() == (ROOT / "schema" / "plan.schema.json").read_bytes()


def test_format_doc_names_every_key() -> None:
    text = (DOCS / "format.md").read_text(encoding="utf-8")
    for name, _ in properties(SCHEMA):
        key = name.split(":")[-1].split(".")[-1]
        assert f"`{key}`" in text or f"`{name.split(':')[-1]}`" in text, name


def test_rules_doc_lists_every_rule_with_its_severity() -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \|", text, flags=re.M))
    assert documented == {rule.id: rule.severity.value for rule in RULES.values()}


def test_configuration_doc_lists_every_option() -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    options, removed = text.split("## Options", 1)[1].split("## Removed options", 1)
    documented = re.findall(r"^\| `([a-z_]+)` \|", options, flags=re.M)
    assert documented == list(OPTIONS)
    # Each option's help is written once, in config.OPTIONS, and the table shows it word for word.
    described = dict(re.findall(r"^\| `([a-z_]+)` \| [^|]*\| (.*) \|$", options, flags=re.M))
    assert described == {name: option.help for name, option in OPTIONS.items()}
    assert re.findall(r"^\| `([a-z_]+)` \|", removed.split("\n## ", 1)[0], flags=re.M) == list(REMOVED)


def test_every_rule_is_exercised_by_an_example_file() -> None:
    expected = json.loads((ROOT / "tests" / "example-files" / "negative" / "expected.json").read_text(encoding="utf-8"))
    exercised = {finding[0] for findings in expected.values() for finding in findings}
    # These need a file made at test time (size, links, depth) or several plans: see test_loader.py.
    made_at_test_time = {
        "file-too-large", "symlink-outside", "unreadable", "yaml-too-deep", "id-duplicate", "schema",
        "not-a-file", "too-many", "bad-length",
    }  # fmt: skip
    # Freshness rules depend on the day; tests/test_freshness.py covers each at its boundaries.
    assert set(RULES) - exercised == made_at_test_time | FRESHNESS_RULES
