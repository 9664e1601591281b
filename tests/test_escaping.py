"""Escaping with independent oracles: a partly weakened guard must fail here.

- Every front-matter and git field that reaches a page, built for real and read
  back with ``html.parser``: no attribute or element of the payload's own, and
  the field's text shows exactly as written.
- The CSV formula guard for every character it claims, read back with ``csv``.
- Markdown cells in job summaries and ``kamdocs diff --format markdown``,
  rendered by Python-Markdown and read back with ``html.parser``.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from kamdocs.escaping import csv_cell, markdown_cell, markdown_text, one_line
from kamdocs.findings import Finding, Severity
from kamdocs.report.check_output import step_summary
from kamdocs.rules.pipeline import CheckResult

from .commands import site_config
from .conftest import GitRepo, plan_text, run
from .htmlscan import Scan

INJECTED_ATTRIBUTES = {"onmouseover", "onclick", "data-pwn", "data-pwn2"}


def payload(field: str) -> str:
    """Text that breaks out of a double- or single-quoted attribute, or opens elements, if not escaped."""
    return f"{field}\" onmouseover=\"alert(1)\" data-pwn=\"1' onclick='alert(2)' data-pwn2='<b>{field}</b> &amp; <i>&"


FIELDS = [
    "account", "owner", "reviewer", "business_area", "region", "tier", "tag", "team", "crm_id",
    "goal_statement", "goal_metric", "goal_unit", "factor", "condition", "obstacle",
    "action", "commitment_owner", "kpi_name", "kpi_unit", "contact_name", "contact_title",
    "contact_boss", "contact_boss_title", "relationship_owner",
]  # fmt: skip


def hostile_plan() -> str:
    p = {f: json.dumps(payload(f)) for f in FIELDS}
    return f"""---
id: hostile
account: {p["account"]}
kind: one-page
owner: {p["owner"]}
business_area: {p["business_area"]}
region: {p["region"]}
tier: {p["tier"]}
tags: [{p["tag"]}]
team: [{p["team"]}]
crm_id: {p["crm_id"]}
review:
  interval: quarterly
  last_reviewed: 2026-10-01
  reviewer: {p["reviewer"]}
goal:
  statement: {p["goal_statement"]}
  metric: {p["goal_metric"]}
  target: 500000
  unit: {p["goal_unit"]}
  baseline: 100000
  actual: 200000
  period:
    start: 2026-01-01
    end: 2026-12-31
success_factors:
  - id: csf-a
    statement: {p["factor"]}
    conditions:
      - id: nc-a
        statement: {p["condition"]}
        obstacles:
          - id: obs-a
            statement: {p["obstacle"]}
commitments:
  - id: c-a
    action: {p["action"]}
    owner: {p["commitment_owner"]}
    due: 2026-12-15
    status: open
    resolves: [obs-a]
kpis:
  - id: kpi-a
    name: {p["kpi_name"]}
    unit: {p["kpi_unit"]}
    target: 60
    actual: 48
    as_of: 2026-09-30
    direction: higher-is-better
buying_center:
  - name: {p["contact_boss"]}
    title: {p["contact_boss_title"]}
    role: economic-buyer
    attitude: neutral
  - name: {p["contact_name"]}
    title: {p["contact_title"]}
    role: coach
    attitude: supporter
    reports_to: {p["contact_boss"]}
    relationship_owner: {p["relationship_owner"]}
---

Body text.
"""


MKDOCS = site_config('today: "2026-11-22"', "group_by: [business_area, owner, reviewer, region, tier, tags, kind]")
# git keeps neither < nor > in a name, so the author's payload breaks attributes with quotes only.
AUTHOR = 'Ann" onmouseover="alert(3)" data-pwn="1\' onclick=\'alert(4)\' &amp; Kam'
SUBJECT = payload("subject") + " | `code` *em*"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GitRepo]:
    repo = GitRepo(tmp_path_factory.mktemp("escaping") / "repo")
    repo.write("mkdocs.yml", MKDOCS)
    repo.write("docs/index.md", "# Home\n")
    repo.write("plans/hostile.md", hostile_plan())
    repo.write("plans/plain.md", plan_text("plain"))
    repo.commit(SUBJECT, "2026-02-01T10:00:00+00:00", author=AUTHOR)
    site = repo.path / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(site)], cwd=repo.path,
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return site, repo


def test_the_hostile_plan_is_valid(hostile_site: tuple[Path, GitRepo]) -> None:
    _, repo = hostile_site
    result = run(["check", "--no-freshness", "plans/hostile.md"], repo.path)
    assert result.exit_code == 0, result.output


def test_no_page_gets_an_attribute_or_element_from_front_matter_or_git(hostile_site: tuple[Path, GitRepo]) -> None:
    site, _ = hostile_site
    pages = [p for p in site.rglob("*.html") if "/plans/" in p.as_posix() or p.name == "index.html"]
    assert len(pages) > 15
    for page in pages:
        scan = Scan(page.read_text(encoding="utf-8"))
        injected = {(e.tag, a) for e in scan.elements for a in e.attrs if a in INJECTED_ATTRIBUTES}
        assert not injected, (page, injected)
        assert not scan.find("b") and not scan.find("i"), page


def test_each_field_shows_exactly_as_written(hostile_site: tuple[Path, GitRepo]) -> None:
    site, repo = hostile_site
    strings = Scan((site / "plans/accounts/hostile/index.html").read_text(encoding="utf-8")).strings()
    for field in FIELDS:
        assert any(payload(field) in s for s in strings), field
    author = repo.git("log", "-1", "--format=%an").strip()  # what git stored: the oracle
    assert author == AUTHOR
    assert author in strings  # the history table's author cell
    assert SUBJECT in strings  # the history table's change cell
    assert f"Last changed on 2026-02-01 by {author}; 1 revision." in strings


def test_fields_inside_attribute_values_decode_to_the_field(hostile_site: tuple[Path, GitRepo]) -> None:
    site, _ = hostile_site
    scan = Scan((site / "plans/accounts/hostile/index.html").read_text(encoding="utf-8"))
    chips = [e.attrs["title"] for e in scan.elements if "kd-chip" in (e.attrs.get("class") or "")]
    assert chips == [f"{payload('commitment_owner')}, due 2026-12-15, open"]
    # 2026-01-01 to 2026-11-22 is 325 of the period's 364 days: 89 % of it has passed.
    goal = (
        f"actual 200,000 of target 500,000 {payload('goal_unit')}, from a baseline of 100,000; "
        "89% of the goal period has passed"
    )
    captions = [e.content for e in scan.find("figcaption") if "kd-sr-only" in (e.attrs.get("class") or "")]
    assert captions == [goal]  # the goal bar's words for a screen reader
    svg_titles = [e.content for e in scan.find("title")]
    assert goal in svg_titles
    assert f"{payload('contact_name')}: coach, supporter" in svg_titles


@pytest.mark.parametrize(
    ("facet", "field", "word"),
    [("business-area", "business_area", "Business area"), ("owner", "owner", "Owner"),
     ("reviewer", "reviewer", "Reviewer"), ("region", "region", "Region"), ("tier", "tier", "Tier"),
     ("tags", "tag", "Tag")],
)  # fmt: skip
def test_facet_pages_title_the_value_as_text(
    hostile_site: tuple[Path, GitRepo], facet: str, field: str, word: str
) -> None:
    site, _ = hostile_site
    index = Scan((site / f"plans/by-{facet}/index.html").read_text(encoding="utf-8"))
    links = [a for a in index.elements if a.tag == "a" and a.content == payload(field)]
    # The value's link in the list of values and, on the people's and areas' index pages, in the change table:
    # the same page, the value as text in each.
    assert links and len({a.attrs["href"] for a in links}) == 1
    target = (site / f"plans/by-{facet}" / links[0].attrs["href"]).resolve() / "index.html"
    page = Scan(target.read_text(encoding="utf-8"))
    assert [h.content for h in page.find("h1")] == [f"{word}: {payload(field)}"]
    assert page.find("title")[0].content.startswith(f"{word}: {payload(field)} - ")


# CSV: the formula guard, for every character it claims, also after whitespace and line breaks.

GUARDED = ["=", "+", "-", "@", "＝", "＋", "－", "＠"]
LEADING = ["", " ", "   ", "\n", "\r\n", " \n ", "\u3000", "\u00a0", "\u200b", "\ufeff"]


@pytest.mark.parametrize("sign", GUARDED)
@pytest.mark.parametrize("lead", LEADING)
def test_a_formula_sign_after_any_leading_space_is_guarded(sign: str, lead: str) -> None:
    text = f'{lead}{sign}HYPERLINK("http://evil.example","x")'
    assert csv_cell(text) == one_line("'" + text)


@pytest.mark.parametrize("text", ["\tx", "\t", "\r", "\rx", "\t=1"])
def test_tab_and_carriage_return_at_the_start_are_guarded(text: str) -> None:
    assert csv_cell(text) == one_line("'" + text)


@pytest.mark.parametrize(
    "text", ["a=1", "x+y", "1-2", "kam@example.com", "", "Müller AG", "'quoted", "*", "(=1)", "–dash", "Zürich\u200dx"]
)
def test_text_without_a_leading_formula_sign_is_unchanged(text: str) -> None:
    assert csv_cell(text) == text


@pytest.mark.parametrize(("value", "cell"), [(-5, "-5"), (3, "3"), (-1.5, "-1.5"), (None, ""), (True, "true")])
def test_numbers_stay_numbers(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_status_csv_guards_fields_end_to_end(make_repo) -> None:
    accounts = [f"{lead}{sign}1+1" for sign in GUARDED for lead in ("", " \n")]
    files = {
        f"plans/p{i:02d}.md": plan_text(f"p{i:02d}", **{"account: Example Account AG": f"account: {json.dumps(a)}"})
        for i, a in enumerate(accounts)
    }
    result = run(["status", "--format", "csv", "--today", "2026-11-22"], make_repo(files))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))
    assert sorted(r["account"] for r in rows) == sorted(("'" + a).replace("\n", "\\n") for a in accounts)


# Markdown cells: job summaries and diffs.

HOSTILE_CELLS = [
    "a | b",
    "`code` and ``more``",
    "line one\nline two\r\nthree",
    "<b>bold</b> <img src=x onerror=alert(1)>",
    "[link](javascript:alert(1)) ![i](x.png)",
    "*em* _em_ **strong** ~~del~~",
    "back\\slash \\| escaped pipe",
    "&amp; &lt;b&gt;",
]


def _rows(scan: Scan) -> list[list]:
    rows, current = [], None
    for e in scan.elements:
        if e.tag == "tr":
            current = []
            rows.append(current)
        elif e.tag in ("td", "th") and current is not None:
            current.append(e)
    return rows


def as_text(text: str) -> str:
    return " ".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


@pytest.mark.parametrize("message", HOSTILE_CELLS)
def test_step_summary_cells_stay_one_cell_of_text(message: str) -> None:
    finding = Finding("bad-value", Severity.ERROR, f"plans/{message}.md", 3, 1, "$", message)
    summary = step_summary(CheckResult((), (finding,), 1))
    html = markdown.markdown(summary, extensions=["tables"])
    scan = Scan(html)
    rows = _rows(scan)
    assert [[c.content for c in row] for row in rows] == [
        ["File", "Line", "Severity", "Rule", "Message"],
        [f"plans/{as_text(message)}.md", "3", "error", "bad-value", as_text(message)],
    ]
    assert scan.tags() <= {"h3", "p", "table", "thead", "tbody", "tr", "th", "td"}, scan.tags()


@pytest.mark.parametrize("text", HOSTILE_CELLS)
def test_markdown_text_renders_as_itself_in_a_list_item(text: str) -> None:
    html = markdown.markdown(f"- **{markdown_text(text)}**\n  - {markdown_cell(text)}", extensions=["tables"])
    scan = Scan(html)
    assert scan.tags() == {"ul", "li", "strong"}, scan.tags()
    assert [s.content for s in scan.find("strong")] == [as_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a|b", "a&#124;b"),
        ("`x`", "&#96;x&#96;"),
        ("a\nb\r\nc\rd", "a b c d"),
        ("<&>", "&lt;&amp;&gt;"),
        ("[x](y)", "&#91;x&#93;(y)"),
        ("*_~{}\\", "&#42;&#95;&#126;&#123;&#125;&#92;"),
        ("a\u2028b\x85c", "a b c"),
        ("plain text, 100% fine: ok.", "plain text, 100% fine: ok."),
    ],
)
def test_markdown_cell_escapes_by_hand(text: str, expected: str) -> None:
    assert markdown_cell(text) == expected


def test_diff_markdown_keeps_hostile_text_as_text(git_repo: GitRepo) -> None:
    git_repo.write("plans/a.md", plan_text("a"))
    git_repo.commit("Plans", "2026-11-01T10:00:00+00:00")
    hostile = ["Goal | `x` <b>b</b>", "Owner\n<i>i</i> [l](javascript:alert(1))", "Action *em* _u_ ~~d~~ \\| ![i](x)"]
    changed = plan_text(
        "a",
        **{
            "statement: Grow order intake to CHF 500k": f"statement: {json.dumps(hostile[0])}",
            "owner: kam@example.com\nbusiness_area": f"owner: {json.dumps(hostile[1])}\nbusiness_area",
            "commitments:\n": f"commitments:\n  - id: c-new\n    action: {json.dumps(hostile[2])}\n"
            "    owner: kam@example.com\n    due: 2027-02-01\n    status: open\n    resolves: [obs-a]\n",
        },
    )
    git_repo.write("plans/a.md", changed)
    git_repo.commit("Change", "2026-11-02T10:00:00+00:00")
    result = run(["diff", "HEAD~1", "HEAD", "--format", "markdown"], git_repo.path)
    assert result.exit_code == 0, result.output
    scan = Scan(markdown.markdown(result.output))
    assert scan.tags() <= {"h3", "p", "ul", "li", "strong"}, scan.tags()
    assert [s.content for s in scan.find("strong")] == ["plans/a.md (Example Account AG)"]
    text = " ".join(li.content for li in scan.find("li"))
    assert f"Grow order intake to CHF 500k → {hostile[0]}" in text
    assert f"kam@example.com → {as_text(hostile[1])}" in text
    assert hostile[2] in text


STATUS_CELLS = [text.replace("\r\n", "\n") for text in HOSTILE_CELLS]
"""A carriage return in front matter is a ``control-character`` error, and an invalid plan has no status row."""


def test_status_markdown_keeps_each_field_in_its_own_cell(make_repo) -> None:
    files = {
        f"plans/p{i}.md": plan_text(
            f"p{i}",
            **{
                "account: Example Account AG": f"account: {json.dumps(text)}",
                "owner: kam@example.com\nbusiness_area: Process Analytics": f"owner: {json.dumps(text)}\n"
                f"business_area: {json.dumps(text)}",
            },
        )
        for i, text in enumerate(STATUS_CELLS)
    }
    result = run(["status", "--format", "markdown", "--today", "2026-11-22"], make_repo(files))
    assert result.exit_code == 0, result.output
    scan = Scan(markdown.markdown(result.output, extensions=["tables"]))
    assert scan.tags() <= {"h3", "p", "table", "thead", "tbody", "tr", "th", "td"}, scan.tags()
    rows = {row[0].content: [c.content for c in row] for row in _rows(scan)[1:]}
    for i, text in enumerate(STATUS_CELLS):
        assert len(rows[f"p{i}"]) == 10  # with the quality column
        assert rows[f"p{i}"][1:4] == [as_text(text)] * 3


def short(tag: str) -> str:
    """Hostile text short enough that no chart label clips it (22 characters): an element, an
    entity and both quotes, each of which shows as itself only if it is escaped."""
    return f"<i>{tag}</i>&amp;\"'"


ACCOUNT, AREA, OWNER, C_OWNER = short("ac"), short("ar"), short("ow"), short("co")
UNIT, K_NAME, K_UNIT = short("gu"), short("kn"), short("ku")
C_NAME, C_TITLE, C_BOSS, C_BOSS_TITLE, REL_OWNER = short("cn"), short("ct"), short("cb"), short("bt"), short("ro")


def _yaml(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def short_plan() -> str:
    return plan_text(
        "short",
        **{
            "account: Example Account AG": f"account: {_yaml(ACCOUNT)}",
            "business_area: Process Analytics": f"business_area: {_yaml(AREA)}",
            "owner: kam@example.com\nbusiness_area": f"owner: {_yaml(OWNER)}\nbusiness_area",
            "  unit: CHF": f"  unit: {_yaml(UNIT)}\n  actual: 200000",
            "    owner: kam@example.com": f"    owner: {_yaml(C_OWNER)}",
            "---\n\nBody text.": f"""kpis:
  - id: kpi-a
    name: {_yaml(K_NAME)}
    unit: {_yaml(K_UNIT)}
    target: 60
    actual: 48
    as_of: 2026-09-30
    direction: higher-is-better
buying_center:
  - name: {_yaml(C_BOSS)}
    title: {_yaml(C_BOSS_TITLE)}
    role: economic-buyer
    attitude: neutral
  - name: {_yaml(C_NAME)}
    title: {_yaml(C_TITLE)}
    role: coach
    attitude: supporter
    influence: high
    reports_to: {_yaml(C_BOSS)}
    relationship_owner: {_yaml(REL_OWNER)}
---

Body text.""",
        },
    )


SHORT_SITE_MKDOCS = site_config('today: "2026-11-22"', "group_by: [business_area, owner]", search=False)


@pytest.fixture(scope="module")
def short_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = GitRepo(tmp_path_factory.mktemp("guards") / "repo")
    repo.write("mkdocs.yml", SHORT_SITE_MKDOCS)
    repo.write("docs/index.md", "# Home\n")
    repo.write("plans/short.md", short_plan())
    repo.commit("Add a plan", "2026-02-01T10:00:00+00:00")
    site = repo.path / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(site)], cwd=repo.path,
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return site


def page(site: Path, path: str) -> Scan:
    return Scan((site / path / "index.html").read_text(encoding="utf-8"))


def rows(scan: Scan, first_header: str) -> list[list[str]]:
    """The body rows of the table whose first column header is ``first_header``, as decoded cell text."""
    out: list[list[str]] = []
    in_table = False
    for e in scan.elements:
        if e.tag == "table":
            in_table = False
        elif e.tag == "th" and e.content == first_header:
            in_table = True
        elif in_table and e.tag == "tr":
            out.append([])
        elif in_table and e.tag == "td" and out:
            out[-1].append(e.content)
    return [r for r in out if r]


def labels(scan: Scan, css: str) -> list[str]:
    return [e.content for e in scan.elements if e.tag == "text" and css in (e.attrs.get("class") or "").split()]


def test_no_generated_page_has_an_element_of_the_fields(short_site: Path) -> None:
    pages = list((short_site / "plans").rglob("*.html"))
    assert len(pages) >= 6
    for html in pages:
        scan = Scan(html.read_text(encoding="utf-8"))
        assert not scan.find("i"), html


def test_every_kpi_cell_shows_the_field_as_written(short_site: Path) -> None:
    scan = page(short_site, "plans/accounts/short")
    assert [r[:4] for r in rows(scan, "KPI")] == [[K_NAME, f"60 {K_UNIT}", f"48 {K_UNIT}", "higher is better"]]


def test_every_buying_centre_cell_shows_the_field_as_written(short_site: Path) -> None:
    scan = page(short_site, "plans/accounts/short")
    assert rows(scan, "Name") == [
        [C_BOSS, C_BOSS_TITLE, "economic buyer", "neutral", "", "", "", "–"],  # the role in the reader's words
        [C_NAME, C_TITLE, "coach", "supporter", "high", C_BOSS, REL_OWNER, "–"],
    ]
    assert sorted(labels(scan, "kd-name")) == sorted([C_BOSS, C_NAME])


def test_commitments_page_heads_each_owner_with_the_text(short_site: Path) -> None:
    scan = page(short_site, "plans/commitments")
    assert [h.content for h in scan.find("h2", **{"class": "kd-owner"})] == [C_OWNER]
    assert [r[1:] for r in rows(scan, "Due")] == [["open", "Run a specification workshop", ACCOUNT]]


def test_budget_row_shows_area_and_unit_as_written(short_site: Path) -> None:
    scan = page(short_site, "plans/budget")
    table = rows(scan, "Business area")
    # The site's columns: area (its plans under it), year, target, actual, attainment, baseline, growth.
    assert table[0] == [f"{AREA} 1 plan", "2026", f"500,000 {UNIT}", f"200,000 {UNIT}", "40%",
                        "– 1 plan without baseline", "–"]  # fmt: skip
    # The line and the year's total ("All years" needs two years).
    assert [r[0] for r in table] == [f"{AREA} 1 plan", "All areas 1 plan"]


def test_chart_labels_show_account_and_area_as_written(short_site: Path) -> None:
    dashboard = page(short_site, "plans")
    assert AREA in labels(dashboard, "kd-label")
    area_pages = [p.parent for p in (short_site / "plans/by-business-area").glob("*/index.html")]
    assert len(area_pages) == 1
    assert ACCOUNT in labels(Scan((area_pages[0] / "index.html").read_text(encoding="utf-8")), "kd-label")


TITLE_ACCOUNTS = [
    "Acme <b>b</b> & Co",
    "Acme *em* _u_ ~~d~~",
    "Acme `code` [l](javascript:alert(1))",
    "Acme ![i](x.png) \\* {: onclick=x}",
]


@pytest.mark.parametrize("account", TITLE_ACCOUNTS)
def test_diff_markdown_title_shows_the_account_as_text(git_repo: GitRepo, account: str) -> None:
    git_repo.write("plans/a.md", plan_text("a", **{"account: Example Account AG": f"account: {json.dumps(account)}"}))
    git_repo.commit("Plans", "2026-11-01T10:00:00+00:00")
    changed = plan_text(
        "a",
        **{
            "account: Example Account AG": f"account: {json.dumps(account)}",
            "target: 500000": "target: 600000",
        },
    )
    git_repo.write("plans/a.md", changed)
    git_repo.commit("Change", "2026-11-02T10:00:00+00:00")
    result = run(["diff", "HEAD~1", "HEAD", "--format", "markdown"], git_repo.path)
    assert result.exit_code == 0, result.output
    scan = Scan(markdown.markdown(result.output))
    assert scan.tags() <= {"h3", "p", "ul", "li", "strong"}, scan.tags()
    assert [s.content for s in scan.find("strong")] == [f"plans/a.md ({account})"]
