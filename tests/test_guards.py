"""Guards that a weakened (not removed) check must fail: the survivors of benchmarks/mutants.py.

Each test here was written against a planted bug that passed every other test
(see docs/performance.md, "Planted bugs"). The oracles are independent of the
code under test: hand-written expected values, or a parse with the standard
library (``html.parser`` through :mod:`tests.htmlscan`, ``csv``, ``json``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import markdown
import pytest

from kamdocs.calendar.intervals import Interval
from kamdocs.plan.loader import read_regular_file
from kamdocs.plan.safeyaml import YamlProblem, parse
from kamdocs.site.sanitize import sanitize

from .commands import site_config
from .conftest import GitRepo, plan_text, run
from .htmlscan import Scan
from .test_sanitize import assert_inert


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


MKDOCS = site_config('today: "2026-11-22"', "group_by: [business_area, owner]", search=False)


@pytest.fixture(scope="module")
def short_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = GitRepo(tmp_path_factory.mktemp("guards") / "repo")
    repo.write("mkdocs.yml", MKDOCS)
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


# The sanitiser: data: addresses in every spelling a browser still reads as data:.

DATA_SPELLINGS = [
    '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    '<a href="Data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="da&#13;ta:text/html,x">x</a>',
    '<a href="da&#10;ta:text/html,x">x</a>',
    '<a href="d&#13;&#10;ata:text/html,x">x</a>',
    '<a href=" data:text/html,x">x</a>',
    '<a href="&#x20;&#x20;data:text/html,x">x</a>',
    '<a href="&#x1f;data:text/html,x">x</a>',
    '<img src="DATA:text/html,x">',
    '<img src=" data:text/html,x">',
    '<img src="da&#13;ta:text/html,x">',
]


@pytest.mark.parametrize("html", DATA_SPELLINGS)
def test_no_data_address_survives_in_any_spelling(html: str) -> None:
    scan = assert_inert(sanitize(html))
    addresses = [v for e in scan.elements for k, v in e.attrs.items() if k in ("href", "src")]
    assert addresses == []


def test_an_image_keeps_a_data_image_address_in_any_case() -> None:
    scan = Scan(
        sanitize('<img src="DATA:image/png;base64,iVBORw0KGgo=" alt="a"><img src=" data:IMAGE/gif;base64,R0lG">')
    )
    assert [e.attrs.get("src") for e in scan.find("img")] == [
        "DATA:image/png;base64,iVBORw0KGgo=",
        " data:IMAGE/gif;base64,R0lG",
    ]


# Body findings: line and column by hand, whatever the indentation.


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        ("TODO: write", 36, 1),
        ("  TODO: write", 36, 3),
        ("\tTODO: write", 36, 2),
        ("\t\tTODO: write", 36, 3),
        (" \tTODO: write", 36, 3),
        ("Intro.\n\n\tTODO: write", 38, 2),
    ],
)
def test_todo_in_the_body_has_its_line_and_column(make_repo, body: str, line: int, column: int) -> None:
    text = plan_text("p", **{"Body text.": body})
    assert text.split("\n").index("---", 1) == 33  # the closing line is file line 34, then a blank line
    repo = make_repo({"plans/p.md": text})
    result = run(["check", "--no-freshness", "--format", "json", "plans/p.md"], repo)
    findings = [f for f in json.loads(result.output)["findings"] if f["rule"] == "todo"]
    assert [(f["line"], f["column"]) for f in findings] == [(line, column)]


# --severity also lowers: a rule made a warning is a warning, whatever its default.


@pytest.mark.parametrize("rule", ["section-missing", "period-inverted"])
def test_severity_warning_makes_an_error_rule_a_warning(make_repo, rule: str) -> None:
    broken = {
        "section-missing": plan_text("p"),
        "period-inverted": plan_text("p", **{"start: 2026-01-01": "start: 2027-01-01"}),
    }[rule]
    sections = "site_name: x\nplugins:\n  - kamdocs:\n      required_sections: {one-page: [Situation]}\n"
    mkdocs = sections if rule == "section-missing" else None
    repo = make_repo({"plans/p.md": broken}, mkdocs=mkdocs)
    before = run(["check", "--no-freshness", "--format", "json"], repo)
    assert before.exit_code == 1
    assert {(f["rule"], f["severity"]) for f in json.loads(before.output)["findings"]} >= {(rule, "error")}
    after = run(["check", "--no-freshness", "--format", "json", "--severity", f"{rule}=warning"], repo)
    severities = {f["severity"] for f in json.loads(after.output)["findings"] if f["rule"] == rule}
    assert severities == {"warning"}
    assert after.exit_code == (0 if all(f["rule"] == rule for f in json.loads(after.output)["findings"]) else 1)


# CODEOWNERS: only one whole handle per line, and no path CODEOWNERS would cut at a '#'.

BEGIN = "# BEGIN kamdocs: each plan's reviewer must approve changes to it (kamdocs codeowners)"


@pytest.mark.parametrize(
    "reviewer", ["'@bam evil@example.com'", "'@bam other'", "'@bam '", "'@bam-x y'", "'@org/team extra'"]
)
def test_codeowners_refuses_a_reviewer_with_a_second_word(make_repo, reviewer: str) -> None:
    repo = make_repo({"plans/a.md": plan_text("a", **{"reviewer: bam@example.com": f"reviewer: {reviewer}"})})
    result = run(["codeowners"], repo)
    assert result.exit_code == 0, result.output
    owners = (repo / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert owners.splitlines() == [BEGIN, "# END kamdocs"]
    assert "no GitHub handle for reviewer" in result.output


@pytest.mark.parametrize("folder", ["a#b", "#a", "a #b", "a\\b", "x\\"])
def test_codeowners_skips_a_path_with_a_comment_sign_or_backslash(make_repo, folder: str) -> None:
    reviewer = {"reviewer: bam@example.com": "reviewer: '@bam'"}
    repo = make_repo({"plans/ok.md": plan_text("ok", **reviewer), f"plans/{folder}/b.md": plan_text("b", **reviewer)})
    result = run(["codeowners"], repo)
    assert result.exit_code == 0, result.output
    owners = (repo / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert owners.splitlines() == [BEGIN, "/plans/ok.md @bam", "# END kamdocs"]
    assert "cannot be written into CODEOWNERS safely" in result.output


# The reader every command shares never blocks on a FIFO, even one that appears after stat().


def test_reading_a_fifo_directly_raises_instead_of_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "p.md"
    os.mkfifo(fifo)
    outcome: list[str] = []

    def read() -> None:
        try:
            read_regular_file(fifo, 100)
            outcome.append("read")
        except Exception as exc:  # the loader turns this one into a not-a-file finding
            outcome.append(type(exc).__name__)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    blocked = reader.is_alive()
    if blocked:  # let the thread go: a writer that opens and closes ends the blocked open
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(5)
    assert not blocked
    assert outcome == ["NotRegularFile"]


# The depth pre-scan: a '#' inside plain flow text starts no comment, so the brackets after it count.


@pytest.mark.parametrize(
    ("document", "prefix", "close"),
    [
        ("id: x\n", "note: [a#b, ", "]"),
        ("id: x\n", "note: [a#, ", "]"),
        ("id: x\n", "note: {k: v#w, x: ", "}"),
        ("", "- [x#y, ", "]"),
    ],
)
def test_a_hash_inside_flow_text_hides_no_brackets_from_the_depth_limit(document: str, prefix: str, close: str) -> None:
    text = document + prefix + "[" * 1200 + "]" * 1200 + close + "\n"
    with pytest.raises(YamlProblem) as caught:
        parse(text)
    # Levels: the root collection, the outer bracket, then the run; level 65 is the 63rd bracket of the run.
    line = document.count("\n")
    assert (caught.value.rule, caught.value.line, caught.value.column) == ("yaml-too-deep", line, len(prefix) + 62)


# The calendar's last day: a review or contact that lands exactly on 9999-12-31 still fits.


@pytest.mark.parametrize(
    ("interval", "start", "times", "fits"),
    [
        (Interval(days=1), date(9999, 12, 30), 1, True),
        (Interval(days=2), date(9999, 12, 30), 1, False),
        (Interval(days=1), date(9999, 12, 29), 2, True),
        (Interval(days=1), date(9999, 12, 30), 2, False),
        (Interval(days=7), date(9999, 12, 24), 1, True),
        (Interval(days=7), date(9999, 12, 25), 1, False),
        (Interval(months=1, days=1), date(9999, 11, 30), 1, True),
        (Interval(months=1, days=2), date(9999, 11, 30), 1, False),
    ],
)
def test_an_interval_that_ends_on_the_last_day_fits(interval: Interval, start: date, times: int, fits: bool) -> None:
    assert interval.fits(start, times) is fits


@pytest.mark.parametrize(("last", "finding"), [("9999-12-30", False), ("9999-12-31", True)])
def test_check_accepts_a_review_due_on_the_last_day(make_repo, last: str, finding: bool) -> None:
    text = plan_text(
        "p", **{"interval: quarterly": "interval: P1D", "last_reviewed: 2026-10-01": f"last_reviewed: {last}"}
    )
    repo = make_repo({"plans/p.md": text})
    result = run(["check", "--no-freshness", "--format", "json"], repo)
    rules = [f["rule"] for f in json.loads(result.output)["findings"]]
    assert rules == (["date-out-of-range"] if finding else [])


# The diff's Markdown: the plan's title line (file and account) is text, like every change line.

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
