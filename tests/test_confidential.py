"""Confidentiality: what a plan marks confidential reaches no byte of the site or of any export.

Every confidential value in the test repository is a unique canary. The site
is built for real and every export is written by the command; then every byte
of every output file is searched: HTML, the search index, the sitemap
(gunzipped too), plans.json, plans.csv, commitments.ics and plans.xlsx
(unzipped). A canary in a code block, which is not confidential, must be found,
so the search is known to see. With ``publish_confidential: true`` every canary
is back, and every page says the site is restricted.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from kamdocs.plan.loader import load
from kamdocs.plan.model import Plan, plan_from_data
from kamdocs.rules.confidential import FIELDS, public_plan, strip_body

from .commands import check_json, kamdocs_in_process, mkdocs_build_in_process, site_config, write_repo
from .conftest import ROOT, plan_text

MKDOCS = site_config(
    "git: false",
    "today: 2026-11-01",
    "on_invalid: warn",
    "group_by: [business_area, owner, reviewer, region, tier, tags]",
    "confidential_sections: [Pricing strategy]",
)

CANARIES = {
    "whole plan account": "Qzcanary Whole Account",
    "whole plan id": "qzcanary-whole-plan",
    "whole plan owner": "qzcanary.owner@example.com",
    "whole plan area": "Qzcanary Area",
    "whole plan body": "QZCANARY-WHOLE-BODY",
    "whole plan goal": "QZCANARY-WHOLE-GOAL",
    "contact name": "Qzcanary Contactname",
    "contact title": "QZCANARY-CONTACT-TITLE",
    "contact owner": "qzcanary.rel@example.com",
    "kpi name": "QZCANARY-KPI-NAME",
    "kpi id": "qzcanary-kpi",
    "commitment action": "QZCANARY-COMMITMENT-ACTION",
    "commitment id": "qzcanary-commitment",
    "commitment owner": "qzcanary.doer@example.com",
    "goal target": "987654321",
    "goal statement": "QZCANARY-GOAL-STATEMENT",
    "crm id": "QZCANARY-CRM",
    "tier": "qzcanary-tier",
    "body block": "QZCANARY-BODY-BLOCK",
    "body block 2": "QZCANARY-SECOND-BLOCK",
    "pricing section": "QZCANARY-PRICING",
    "pricing section setext": "QZCANARY-SETEXT",
}
VISIBLE = "QZVISIBLE-IN-CODE"

WHOLE = plan_text(
    CANARIES["whole plan id"],
    **{
        "account: Example Account AG": f"account: {CANARIES['whole plan account']}\nconfidential: true",
        "owner: kam@example.com": f"owner: {CANARIES['whole plan owner']}",
        "business_area: Process Analytics": f"business_area: {CANARIES['whole plan area']}",
        "statement: Grow order intake to CHF 500k": f"statement: {CANARIES['whole plan goal']}",
        "Body text.": CANARIES["whole plan body"],
    },
)

PARTS = plan_text(
    "parts",
    **{
        "account: Example Account AG": "account: Public Parts AG\nconfidential_fields: [goal.target, goal.statement, "
        f"crm_id, tier]\ncrm_id: {CANARIES['crm id']}\ntier: {CANARIES['tier']}\nregion: Nordics",
        "statement: Grow order intake to CHF 500k": f"statement: {CANARIES['goal statement']}",
        "target: 500000": f"target: {CANARIES['goal target']}\n  actual: 1000",
        "    resolves: [obs-a]\n": f"""    resolves: [obs-a]
  - id: {CANARIES["commitment id"]}
    action: {CANARIES["commitment action"]}
    owner: {CANARIES["commitment owner"]}
    due: 2026-01-15
    status: open
    resolves: [obs-a]
    confidential: true
kpis:
  - id: public-kpi
    name: Public share
    unit: "%"
    target: 10
    actual: 8
    as_of: 2026-10-01
    direction: higher-is-better
  - id: {CANARIES["kpi id"]}
    name: {CANARIES["kpi name"]}
    unit: "%"
    target: 10
    actual: 8
    as_of: 2026-01-01
    direction: higher-is-better
    confidential: true
buying_center:
  - name: Public Person
    role: coach
    attitude: supporter
    last_contact: 2026-10-01
  - name: {CANARIES["contact name"]}
    title: {CANARIES["contact title"]}
    role: economic-buyer
    attitude: skeptic
    relationship_owner: {CANARIES["contact owner"]}
    last_contact: 2025-01-01
    confidential: true
""",
        "Body text.": f"""Public intro.

<!-- confidential -->
{CANARIES["body block"]}
<!-- /confidential -->

Between.

<!--confidential--> {CANARIES["body block 2"]} <!-- /CONFIDENTIAL -->

```markdown
## Next steps
{VISIBLE}
```

## Pricing Strategy

{CANARIES["pricing section"]}

### Sub-part

Still pricing.

## Next steps

Public next steps.

pricing strategy
----------------

{CANARIES["pricing section setext"]}

Public again
============

Public end.""",
    },
)


def outputs(root: Path) -> dict[str, bytes]:
    """Every output file's bytes by name; gzip files unpacked, xlsx members unzipped."""
    found = {}
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        name = str(path.relative_to(root))
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(io.BytesIO(data)) as book:
                for member in book.namelist():
                    found[f"{name}/{member}"] = book.read(member)
            continue
        found[name] = data
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The site and the exports of the canary repository, published as usual and as a restricted site."""
    root = tmp_path_factory.mktemp("confidential")
    results = []
    for name, extra in (("public", ""), ("restricted", "      publish_confidential: true\n")):
        repo = write_repo(root / name, {CANARIES["whole plan id"]: WHOLE, "parts": PARTS}, MKDOCS + extra)
        result = mkdocs_build_in_process(repo)
        assert result.returncode == 0, result.stderr
        exports = repo.parent / "exports"
        exports.mkdir()
        for fmt, file in (("json", "plans.json"), ("csv", "plans.csv"), ("ics", "commitments.ics"), ("xlsx", "x.xlsx")):
            done = kamdocs_in_process(repo, "export", "--format", fmt, "-o", str(exports / file))
            assert done.returncode == 0, done.stderr
        results.append(repo.parent)
    return results[0], results[1]


def test_no_confidential_value_reaches_any_output_byte(built: tuple[Path, Path]) -> None:
    public, _ = built
    files = {**{f"site/{k}": v for k, v in outputs(public / "site").items()}}
    files.update({f"export/{k}": v for k, v in outputs(public / "exports").items()})
    assert any(name.endswith("search_index.json") for name in files)
    assert any(name.endswith("sitemap.xml") for name in files)
    assert sum(name.startswith("export/x.xlsx/") for name in files) > 3
    leaks = [
        (what, name)
        for name, data in files.items()
        for what, canary in CANARIES.items()
        if canary.lower().encode() in data.lower()
    ]
    assert leaks == []
    # The search sees what it should: the code block's text, the public parts, the count.
    assert any(VISIBLE.encode() in data for data in files.values())
    page = files["site/plans/accounts/parts/index.html"].decode()
    for public_text in (
        "Public intro.",
        "Between.",
        "Public next steps.",
        "Public end.",
        "Public share",
        "Public Person",
    ):
        assert public_text in page, public_text
    assert "Still pricing" not in page
    dashboard = files["site/plans/index.html"].decode()
    assert '<span class="kd-count">1</span> confidential plan, counted here, not listed' in dashboard  # one: singular
    assert not (public / "site/plans/accounts" / CANARIES["whole plan id"]).exists()


def test_a_restricted_site_has_everything_and_says_so_on_every_page(built: tuple[Path, Path]) -> None:
    _, restricted = built
    files = {**outputs(restricted / "site"), **{f"export/{k}": v for k, v in outputs(restricted / "exports").items()}}
    everything = b"".join(files.values()).lower()
    missing = [what for what, canary in CANARIES.items() if canary.lower().encode() not in everything]
    assert missing == []
    pages = [name for name in files if name.endswith(".html")]
    assert len(pages) > 10
    assert [
        name
        for name in pages
        if b'<div class="kd-restricted" role="note"><strong>Restricted</strong>' not in files[name]
    ] == []


def test_the_log_and_the_cli_still_see_everything(built: tuple[Path, Path]) -> None:
    public, _ = built
    status = kamdocs_in_process(public / "repo", "status", "--format", "json", "--today", "2026-11-01")
    assert CANARIES["whole plan account"] in status.stdout
    checked = kamdocs_in_process(public / "repo", "check", "--today", "2026-11-01")
    assert f"expected contact with {CANARIES['contact name']}" in checked.stdout


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("a\n<!-- confidential -->\nsecret\n<!-- /confidential -->\nb", "a\n\n\n\nb"),
        ("a\r\n<!-- confidential -->\r\nsecret\r\n<!-- /confidential -->\r\nb", "a\r\n\n\n\r\nb"),
        ("a\n<!-- confidential -->\nsecret\nmore", "a\n\n\n"),  # unclosed: hidden to the end
        ("a\n```\n<!-- confidential -->\n```\nb", "a\n```\n\n\n"),  # a marker in code still counts: fail closed
        ("a\n~~~~\n## Pricing strategy\n~~~~\nb", "a\n~~~~"),  # written as the section, in code: hidden
        ("a\n~~~~\n## Pricing\n~~~~\nb", "a\n~~~~\n## Pricing\n~~~~\nb"),
        ("## Pricing strategy ##\nsecret\n# Next\nb", "# Next\nb"),
        ("##   PRICING    strategy\nsecret\n### deeper\nsecret\n## Other\nb", "## Other\nb"),
        ("   ## Pricing strategy\nb\n\n## x\nc", "## x\nc"),  # text to Python-Markdown, a heading to its author
        ("Pricing strategy\n---\nsecret\n\nOther\n===\nb", "Other\n===\nb"),
        ("Pricing strategy\n---\nsecret\nOther\n===\nb", ""),  # Python-Markdown: "Other" is no heading here
        ("a\n<!-- /confidential -->\nb", "\n\nb"),  # a stray close hides back to the start
        ("x <!-- confidential --> secret <!-- /confidential -->\nb", "x  \nb"),
    ],
)
def test_body_stripping(body: str, kept: str) -> None:
    stripped, _ = strip_body(body, ["Pricing  Strategy"])
    assert stripped == kept
    assert "secret" not in stripped


def test_an_unclosed_marker_and_an_unknown_field_are_findings(tmp_path: Path) -> None:
    text = plan_text(
        "odd",
        **{
            "account: Example Account AG": "account: Odd AG\nconfidential_fields: [goal.target, goal.margin]",
            "Body text.": "Intro.\n\n<!-- confidential -->\nsecret",
        },
    )
    repo = write_repo(tmp_path, {"odd": text})
    found = {(f["rule"], f["line"]) for f in check_json(repo)}
    lines = text.split("\n")
    assert ("confidential-field-unknown", lines.index("account: Odd AG") + 2) in found
    assert ("confidential-unclosed", lines.index("<!-- confidential -->") + 1) in found


def test_a_plan_with_nothing_marked_is_its_own_public_view() -> None:
    data = {
        "id": "a",
        "account": "A",
        "kind": "one-page",
        "owner": "o",
        "business_area": "B",
        "review": {"reviewer": "r"},
        "goal": {"statement": "s", "target": 1, "unit": "CHF", "period": {"start": "2026-01-01", "end": "2026-12-31"}},
    }
    plan = plan_from_data(data, "plans/a.md", "Body with ## no heading\n")
    assert public_plan(plan, ()) is plan
    assert public_plan(plan, ("Pricing",)) == plan


def _bundled_plan(name: str) -> Plan:
    source = load(ROOT / "plans" / f"{name}.md", ROOT, 1 << 20).source
    assert source is not None
    return plan_from_data(source.data, source.rel, source.body, source.body_line, source.line_map())


# A plan with every field that confidential_fields can name filled in: novaris-pharma's,
# with helvetia-chemicals' KPIs, and a body with nothing marked in it.
EVERYTHING = replace(_bundled_plan("novaris-pharma"), kpis=_bundled_plan("helvetia-chemicals").kpis, body="Body.\n")
NEUTRAL = "a confidential obstacle"
# What each path leaves out, written out by hand: text placeholders, figures missing (None, never 0), lists empty.
LEFT_OUT = {
    "goal": {"goal": {"statement": "Confidential", "metric": None, "target": None, "baseline": None, "actual": None}},
    "goal.statement": {"goal": {"statement": "Confidential"}},
    "goal.metric": {"goal": {"metric": None}},
    "goal.target": {"goal": {"target": None}},
    "goal.baseline": {"goal": {"baseline": None}},
    "goal.actual": {"goal": {"actual": None}},
    "crm_id": {"crm_id": None},
    "region": {"region": None},
    "tier": {"tier": None},
    "tags": {"tags": ()},
    "team": {"team": ()},
    "success_factors": {
        "success_factors": (),
        "commitments": tuple(replace(c, resolves=(NEUTRAL,)) if c.resolves else c for c in EVERYTHING.commitments),
    },
    "commitments": {"commitments": ()},
    "kpis": {"kpis": ()},
    "buying_center": {"buying_center": ()},
}


def test_every_field_confidential_fields_accepts_is_left_out_and_nothing_else() -> None:
    assert set(LEFT_OUT) == set(FIELDS)
    for path, changes in LEFT_OUT.items():
        plan = replace(EVERYTHING, confidential_fields=(path,))
        goal = replace(plan.goal, **changes.get("goal", {}))
        expected = replace(plan, goal=goal, **{k: v for k, v in changes.items() if k != "goal"})
        assert expected != plan, path  # the field is filled in, so leaving it out shows
        assert public_plan(plan, ()) == expected, path
