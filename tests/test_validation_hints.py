"""Every schema finding names a rule, says expected/found, and hints at a fix that fits the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamdocs.config import Config
from kamdocs.rules.pipeline import CheckRun, check_paths

from .conftest import plan_text


def findings_for(tmp_path: Path, text: str, schema: dict | None = None) -> list:
    (tmp_path / "plans").mkdir(exist_ok=True)
    path = tmp_path / "plans" / "p.md"
    path.write_text(text, encoding="utf-8")
    config = Config(root=tmp_path)
    if schema is not None:
        (tmp_path / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
        config = Config(root=tmp_path, schema="schema.json")
    return list(check_paths([path], CheckRun.without_freshness(config)).findings)


def line_of(text: str, token: str) -> int:
    return text.count("\n", 0, text.index(token)) + 1


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("status: open", "status: open\n    percent_complete: 40%", "remove the % sign: write 40"),
        ("status: open", "status: open\n    percent_complete: 12.5 %", "remove the % sign: write 12.5"),
        ("status: open", 'status: open\n    percent_complete: "40"', "remove the quotes: write 40"),
        ("status: open", "status: open\n    percent_complete: forty", "write only the number here"),
        ("target: 500000", 'target: "650000"', "remove the quotes: write 650000"),
        ("target: 500000", "target: '-1.5e3'", "remove the quotes: write -1.5e3"),
        ("target: 500000", "target: 500k CHF", "write 500000, and put 'CHF' in the 'unit' key"),
        ("target: 500000", "target: 500 machines", "put the unit in the 'unit' key"),
        ("target: 500000", "target: 1'200'000", "write 1200000"),
    ],
)
def test_number_hints_match_the_field(tmp_path: Path, old: str, new: str, hint: str) -> None:
    text = plan_text("p", **{old: new})
    (finding,) = findings_for(tmp_path, text)
    assert finding.rule == "wrong-type"
    assert finding.message.startswith("expected a number for ")
    assert hint in finding.hint
    if "percent_complete" in new:
        assert "'unit'" not in finding.hint
    assert finding.line == line_of(text, new.split("\n")[-1].strip())


def test_quoted_number_that_is_not_yaml_number_is_not_told_to_drop_quotes(tmp_path: Path) -> None:
    """``1_000`` unquoted is text in YAML 1.2, so "remove the quotes" would not fix it."""
    (finding,) = findings_for(tmp_path, plan_text("p", **{"target: 500000": "target: '1_000'"}))
    assert "remove the quotes" not in finding.hint


REPO_SCHEMA = {
    "$ref": "urn:kamdocs:plan:v1",
    "properties": {
        "account": {"maxLength": 20},
        "owner": {"minLength": 5},
        "tags": {"maxItems": 2, "uniqueItems": True},
        "region": {"pattern": "^[A-Z]{2}$"},
        "x-score": {"minimum": 1, "exclusiveMaximum": 10, "multipleOf": 0.5},
        "x-map": {"maxProperties": 1, "minProperties": 1},
    },
    "unevaluatedProperties": False,
}

BOUNDS = [
    # (old, new, rule, start of message, hint or "")
    (
        "account: Example Account AG",
        "account: Example Account AG Holding",
        "bad-length",
        "expected at most 20 character(s) for 'account', found 26",
        "shorten",
    ),
    ("owner: kam@example.com\nbusiness", "owner: a@b\nbusiness", "bad-length", "expected at least 5 character(s)", ""),
    ("review:", "tags: [a, b, c]\nreview:", "too-many", "expected at most 2 item(s) in 'tags', found 3", ""),
    ("review:", "tags: [a, a]\nreview:", "not-unique", "expected each value once in 'tags', found 'a'", "remove"),
    ("review:", "region: emea\nreview:", "bad-format", "expected text matching ^[A-Z]{2}$ for 'region'", ""),
    ("review:", "x-score: 0\nreview:", "out-of-range", "expected a number of at least 1 for 'x-score'", ""),
    ("review:", "x-score: 10\nreview:", "out-of-range", "expected a number less than 10 for 'x-score'", ""),
    ("review:", "x-score: 1.2\nreview:", "out-of-range", "expected a multiple of 0.5 for 'x-score'", ""),
    ("review:", "x-map: {a: 1, b: 2}\nreview:", "too-many", "expected at most 1 key(s) in 'x-map', found 2", ""),
    ("review:", "x-map: {}\nreview:", "too-few", "expected at least 1 key(s) in 'x-map', found 0", ""),
]


@pytest.mark.parametrize(
    ("old", "new", "rule", "message", "hint"), BOUNDS, ids=[f"{b[2]}-{i}" for i, b in enumerate(BOUNDS)]
)
def test_schema_bounds_have_a_rule_id_and_expected_found(
    tmp_path: Path, old: str, new: str, rule: str, message: str, hint: str
) -> None:
    text = plan_text("p", **{old: new})
    findings = findings_for(tmp_path, text, REPO_SCHEMA)
    assert [f.rule for f in findings] == [rule], [f.message for f in findings]
    (finding,) = findings
    assert finding.message.startswith(message), finding.message
    assert "found" in finding.message
    assert hint in finding.hint
    assert finding.severity.value == "error"


def test_bundled_percent_bounds(tmp_path: Path) -> None:
    for value, bound in (("140", "at most 100"), ("-1", "at least 0"), ("100.5", "at most 100")):
        text = plan_text("p", **{"status: open": f"status: open\n    percent_complete: {value}"})
        (finding,) = findings_for(tmp_path, text)
        assert finding.rule == "out-of-range"
        assert finding.message == (
            f"expected a number of {bound} for 'commitments[0].percent_complete', found the number {float(value)!r}"
            if "." in value
            else f"expected a number of {bound} for 'commitments[0].percent_complete', found the number {value}"
        )
        assert (finding.line, finding.column) == (line_of(text, "percent_complete"), 23)


OTHER_KEYWORDS = [
    # (extra schema properties, old, new, rule, start of the message)
    (
        {"x-mail": {"format": "email"}},
        "review:",
        "x-mail: not-a-mail\nreview:",
        "bad-format",
        "expected text in the email format for 'x-mail', found the text 'not-a-mail'",
    ),
    (
        {"x-a": {"type": "string"}},
        "review:",
        "x-a: one\nreview:",
        "missing-key",
        "expected the key 'x-b' at the top level because 'x-a' is set",
    ),
    (
        {"x-n": {"not": {"const": 3}}},
        "review:",
        "x-n: 3\nreview:",
        "schema",
        "expected 'x-n' to meet the schema's 'not' rule, found that ",
    ),
    (
        {"x-l": {"contains": {"const": 1}}},
        "review:",
        "x-l: [2]\nreview:",
        "schema",
        "expected 'x-l' to meet the schema's 'contains' rule, found that ",
    ),
]


@pytest.mark.parametrize(
    ("props", "old", "new", "rule", "message"), OTHER_KEYWORDS, ids=["format", "dependentRequired", "not", "contains"]
)
def test_every_other_keyword_still_says_expected_and_found(
    tmp_path: Path, props: dict, old: str, new: str, rule: str, message: str
) -> None:
    schema = {**REPO_SCHEMA, "properties": props, "dependentRequired": {"x-a": ["x-b"]}}
    text = plan_text("p", **{old: new})
    (finding,) = findings_for(tmp_path, text, schema)
    assert finding.rule == rule
    assert finding.message.startswith(message), finding.message
    assert "expected" in finding.message and "found" in finding.message
