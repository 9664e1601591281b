"""References to hidden items are hidden too: no public field names a contact, obstacle or any item left out.

A public contact's ``reports_to`` and a public commitment's ``resolves`` name other items of the plan.
The reference fields are found in the schema (``x-refers-to``, or a description saying the value is
the id or name of something), so a new one without a rule in :mod:`kamdocs.rules.confidential` and a
case here fails :func:`test_every_reference_field_in_the_schema_has_a_rule_and_a_case`. For each, a
hidden item's name or id is a canary, searched for in every byte of a real ``mkdocs build`` (pages,
search index, sitemap, plans.json, plans.csv, commitments.ics, plans.xlsx unzipped, inline SVG), of
``kamdocs export`` in every format and of ``kamdocs render``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from kamdocs.plan.model import plan_from_data
from kamdocs.rules.confidential import CONFIDENTIAL_CONTACT, CONFIDENTIAL_OBSTACLE, REFERENCES, public_plan
from kamdocs.site.exports import EXPORT_FORMATS

from .commands import kamdocs, mkdocs_build_in_process, site_config, write_repo
from .conftest import ROOT, plan_text
from .test_confidential import outputs

SCHEMA = json.loads((ROOT / "schema" / "plan.schema.json").read_text(encoding="utf-8"))
NAMES_ANOTHER = re.compile(r"\b(ids?|`?names?`?) of (the|an?)\b", re.I)


def _fields(definition: str, schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(definition, field, field schema) for every property of ``schema``, nested objects included."""
    for field, prop in schema.get("properties", {}).items():
        yield definition, field, prop
        yield from _fields(definition, prop)


def reference_fields() -> dict[tuple[str, str], str | None]:
    """Every field of the schema whose value names another item, with the definition ``x-refers-to`` names.

    A field counts when it or its items carry ``x-refers-to``, when a description says the value is the
    id or the name of something, or when it holds slugs but is not an item's own ``id``.
    """
    found: dict[tuple[str, str], str | None] = {}
    for name, definition in SCHEMA["$defs"].items():
        for owner, field, prop in _fields(name, definition):
            parts = [prop, prop.get("items", {})]
            annotated = next((p["x-refers-to"] for p in parts if "x-refers-to" in p), None)
            described = any(NAMES_ANOTHER.search(p.get("description", "")) for p in parts)
            slugs = field != "id" and any("slug" in p.get("x-expected", "") for p in parts)
            if annotated or described or slugs:
                found[(owner, field)] = annotated
    return found


BOSS = "Qzref Bosscanary"
BOSS_MAIL = "qzref.boss@example.com"
OBSTACLE_ID = "qzref-obstacle-id"
OBSTACLE_TEXT = "QZREF-OBSTACLE-STATEMENT"

CONTACTS = plan_text(
    "refs-contact",
    **{
        "Body text.": "Public body.",
        "    resolves: [obs-a]\n": f"""    resolves: [obs-a]
buying_center:
  - name: {BOSS}
    email: {BOSS_MAIL}
    role: economic-buyer
    confidential: true
  - name: Public Deputy
    role: champion
    reports_to: {BOSS}
  - name: Public Variant
    role: coach
    reports_to: "  qzref   BOSSCANARY "
  - name: Public Mailref
    role: influencer
    reports_to: {BOSS_MAIL}
  - name: Public Head
    role: technical-buyer
  - name: Public Report
    role: user-buyer
    reports_to: Public Head
""",
    },
)
"""A confidential contact named by public ones' ``reports_to``: as written, in other case and spacing, by e-mail."""

CHAIN = plan_text(
    "refs-chain",
    **{
        "account: Example Account AG": "account: Chain Refs AG\nconfidential_fields: [success_factors]",
        "id: obs-a\n            statement: The old spec names a competitor": f"id: {OBSTACLE_ID}\n"
        f"            statement: {OBSTACLE_TEXT}\n          - id: qzref-second-obstacle\n"
        "            statement: QZREF-SECOND-STATEMENT",
        "    resolves: [obs-a]\n": f"""    resolves: [{OBSTACLE_ID}, qzref-second-obstacle]
  - id: c-b
    action: Public second action
    owner: service@example.com
    due: 2026-12-01
    status: in-progress
    resolves: [qzref-second-obstacle]
""",
    },
)
"""``confidential_fields: [success_factors]``: the obstacles are left out, the commitments naming them are public."""

WHOLE_LISTS = plan_text(
    "refs-lists",
    **{
        "account: Example Account AG": "account: Lists Refs AG\nconfidential_fields: [buying_center, commitments]",
        "    resolves: [obs-a]\n": """    resolves: [obs-a]
  - id: qzref-hidden-commitment
    action: QZREF-HIDDEN-ACTION
    owner: qzref.doer@example.com
    due: 2026-12-01
    status: open
    resolves: [obs-a]
buying_center:
  - name: Qzref Listboss
    role: economic-buyer
  - name: Listed Deputy
    role: champion
    reports_to: Qzref Listboss
""",
    },
)
"""Whole lists left out: the items naming and the items named are gone together."""

CASES = {
    ("contact", "reports_to"): {"contact name": "bosscanary", "contact e-mail": BOSS_MAIL, "list": "qzref listboss"},
    ("commitment", "resolves"): {
        "obstacle id": OBSTACLE_ID,
        "obstacle statement": OBSTACLE_TEXT,
        "second obstacle": "qzref-second",
        "hidden commitment": "qzref-hidden",
    },
}
"""Per reference field, the canaries of the items it may name that are left out."""

MKDOCS = site_config("git: false", "today: 2026-11-01", "on_invalid: warn")


def test_every_reference_field_in_the_schema_has_a_rule_and_a_case() -> None:
    found = reference_fields()
    assert set(found) == set(REFERENCES) == set(CASES)
    assert found == REFERENCES  # each marked with x-refers-to, naming the definition the rule hides
    assert all(target in SCHEMA["$defs"] for target in REFERENCES.values())


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every output byte of the canary repository: the built site, every export format and render's folder."""
    root = tmp_path_factory.mktemp("references")
    repo = write_repo(root, {"refs-contact": CONTACTS, "refs-chain": CHAIN, "refs-lists": WHOLE_LISTS}, MKDOCS)
    built = mkdocs_build_in_process(repo)
    assert built.returncode == 0, built.stderr
    files = {f"site/{k}": v for k, v in outputs(root / "site").items()}
    exports = root / "exports"
    for fmt in EXPORT_FORMATS.names:
        done = kamdocs(repo, "export", "--format", fmt, "-o", str(exports / f"plans.{fmt}"))
        assert done.returncode == 0, done.stderr
    files.update({f"export/{k}": v for k, v in outputs(exports).items()})
    rendered = kamdocs(repo, "render", str(root / "rendered"), "--today", "2026-11-01")
    assert rendered.returncode == 0, rendered.stderr
    files.update({f"render/{k}": v for k, v in outputs(root / "rendered").items()})
    assert {name.split("/")[0] for name in files} == {"site", "export", "render"}
    for needed in ("site/search/search_index.json", "site/plans/commitments.ics", "site/plans/plans.csv"):
        assert needed in files, needed
    assert sum(name.startswith("site/plans/plans.xlsx/xl/worksheets/") for name in files) == 3
    assert sum(name.startswith("export/plans.xlsx/xl/worksheets/") for name in files) == 4  # and "Plan fields"
    assert any(name.startswith("render/") and name.endswith(".md") for name in files)
    return files


@pytest.mark.parametrize("field", sorted(CASES), ids="/".join)
def test_no_reference_names_a_hidden_item_in_any_output_byte(
    field: tuple[str, str], published: dict[str, bytes]
) -> None:
    leaks = [
        (what, name)
        for name, data in published.items()
        for what, canary in CASES[field].items()
        if canary.lower().encode() in data.lower()
    ]
    assert leaks == []


def test_the_outputs_say_a_confidential_item_is_named(published: dict[str, bytes]) -> None:
    """The canary search sees the references: they are there, in neutral words, on the page and in plans.json."""
    contact_page = published["site/plans/accounts/refs-contact/index.html"].decode()
    assert contact_page.count(f'<td data-label="Reports to">{CONFIDENTIAL_CONTACT}</td>') == 3
    assert '<td data-label="Reports to">Public Head</td>' in contact_page  # a reference to a shown contact stays
    assert "<svg" in contact_page and "Public Deputy" in contact_page
    chain_page = published["site/plans/accounts/refs-chain/index.html"].decode()
    assert chain_page.count(CONFIDENTIAL_OBSTACLE) == 2
    assert "Not tied to an obstacle" not in chain_page
    assert "<p>No success factors to show.</p>" in chain_page and 'class="kd-chain' not in chain_page
    plans = {p["id"]: p for p in json.loads(published["export/plans.json"])["plans"]}
    assert plans == {p["id"]: p for p in json.loads(published["site/plans/plans.json"])["plans"]}
    reports = {c["name"]: c["reports_to"] for c in plans["refs-contact"]["buying_center"]}
    assert reports == {
        "Public Deputy": CONFIDENTIAL_CONTACT,
        "Public Variant": CONFIDENTIAL_CONTACT,
        "Public Mailref": CONFIDENTIAL_CONTACT,
        "Public Head": None,
        "Public Report": "Public Head",
    }
    resolves = {c["id"]: c["resolves"] for c in plans["refs-chain"]["commitments"]}
    assert resolves == {"c-a": [CONFIDENTIAL_OBSTACLE], "c-b": [CONFIDENTIAL_OBSTACLE]}
    assert plans["refs-lists"]["buying_center"] == [] and plans["refs-lists"]["commitments"] == []
    workbook = b"".join(data for name, data in published.items() if name.startswith("site/plans/plans.xlsx/"))
    assert CONFIDENTIAL_OBSTACLE.encode() in workbook  # in a sheet's inline strings
    assert CONFIDENTIAL_CONTACT.encode() in published["render/accounts/refs-contact/index.md"]


def _plan(**extra: Any) -> Any:
    data = {
        "id": "a",
        "account": "A",
        "kind": "full",
        "owner": "o",
        "business_area": "B",
        "review": {"reviewer": "r"},
        "goal": {"statement": "s", "target": 1, "unit": "CHF", "period": {"start": "2026-01-01", "end": "2026-12-31"}},
        **extra,
    }
    return plan_from_data(data, "plans/a.md", "")


def _obstacle(i: str) -> dict[str, Any]:
    return {"id": i, "statement": i.upper()}


def _commitment(i: str, resolves: list[str], **extra: Any) -> dict[str, Any]:
    return {"id": i, "action": i, "owner": "x", "due": "2026-05-01", "status": "open", "resolves": resolves, **extra}


@pytest.mark.parametrize(
    ("contacts", "fields", "expected"),
    [
        # Nothing hidden: a reference to someone outside the buying centre is shown as written.
        ([{"name": "A", "role": "coach", "reports_to": "The board"}], [], ["The board"]),
        # One contact hidden: only references to shown contacts stay (fail closed for everyone else).
        (
            [
                {"name": "Boss", "role": "coach", "confidential": True},
                {"name": "A", "role": "coach", "reports_to": "Boss"},
                {"name": "B", "role": "coach", "reports_to": "A"},
                {"name": "C", "role": "coach", "reports_to": "The board"},
                {"name": "D", "role": "coach", "reports_to": "boss"},
                {"name": "E", "role": "coach"},
            ],
            [],
            [CONFIDENTIAL_CONTACT, "A", CONFIDENTIAL_CONTACT, CONFIDENTIAL_CONTACT, None],
        ),
        # A KPI or a commitment left out hides no contact: references stay.
        ([{"name": "A", "role": "coach", "reports_to": "The board"}], ["kpis", "commitments"], ["The board"]),
    ],
)
def test_reports_to_in_the_public_view(contacts: list[dict], fields: list[str], expected: list[str | None]) -> None:
    plan = _plan(buying_center=contacts, confidential_fields=fields)
    shown = public_plan(plan, ())
    assert shown is not None
    assert [c.reports_to for c in shown.buying_center] == expected


def test_resolves_in_the_public_view() -> None:
    chain = [
        {"id": "f", "statement": "F", "conditions": [{"id": "n", "statement": "N", "obstacles": [_obstacle("o1")]}]}
    ]
    commitments = [_commitment("c1", ["o1", "o2", "o3"]), _commitment("c2", ["o1"]), _commitment("c3", [])]
    kept = public_plan(_plan(success_factors=chain, commitments=commitments, kpis=[], confidential_fields=["kpis"]), ())
    assert kept is not None
    assert [c.resolves for c in kept.commitments] == [("o1", "o2", "o3"), ("o1",), ()]  # nothing of the chain hidden
    hidden = public_plan(
        _plan(success_factors=chain, commitments=commitments, confidential_fields=["success_factors"]), ()
    )
    assert hidden is not None
    assert [c.resolves for c in hidden.commitments] == [(CONFIDENTIAL_OBSTACLE,), (CONFIDENTIAL_OBSTACLE,), ()]
