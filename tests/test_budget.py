"""The budget roll-up against sums computed here from the plan files, independently of kamdocs'
loader and model; fiscal years at the calendar's edges; every output form; the site's page and cards."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
import yaml

from kamdocs.calendar.fiscal import FiscalStartError, fiscal_year_of, parse_start, starting_in

from .commands import MKDOCS as PLAIN_MKDOCS
from .commands import TODAY as COMMANDS_TODAY
from .commands import mkdocs_build_in_process
from .conftest import plan_text, run
from .htmlscan import Scan, table_rows

D = date.fromisoformat

# Fiscal years.


@pytest.mark.parametrize(
    ("day", "start", "label", "first", "last"),
    [
        ("2026-03-31", "04-01", "2025/26", "2025-04-01", "2026-03-31"),
        ("2026-04-01", "04-01", "2026/27", "2026-04-01", "2027-03-31"),
        ("2026-12-31", "01-01", "2026", "2026-01-01", "2026-12-31"),
        ("2027-01-01", "01-01", "2027", "2027-01-01", "2027-12-31"),
        ("2028-02-29", "03-01", "2027/28", "2027-03-01", "2028-02-29"),  # a leap year's last day
        ("2027-02-28", "03-01", "2026/27", "2026-03-01", "2027-02-28"),
        ("2026-12-30", "12-31", "2025/26", "2025-12-31", "2026-12-30"),
        ("9999-12-31", "01-01", "9999", "9999-01-01", "9999-12-31"),
        ("9999-12-31", "04-01", "9999/00", "9999-04-01", "9999-12-31"),  # the calendar ends first
        ("0001-01-01", "01-01", "1", "0001-01-01", "0001-12-31"),
    ],
)
def test_fiscal_year_of(day: str, start: str, label: str, first: str, last: str) -> None:
    year = fiscal_year_of(D(day), start)
    assert (year.label, year.start, year.end) == (label, D(first), D(last))
    assert D(day) in year


def test_the_days_before_the_first_fiscal_year() -> None:
    year = fiscal_year_of(D("0001-02-01"), "04-01")
    assert year.start == date.min and year.end == D("0001-03-31")


@pytest.mark.parametrize("text", ["02-29", "13-01", "00-10", "4-1", "04/01", "", "2026-04-01", "04-31"])
def test_a_fiscal_year_start_every_year_has(text: str) -> None:
    with pytest.raises(FiscalStartError):
        parse_start(text)


def test_a_date_for_the_fiscal_year_start_is_named_as_written(make_repo) -> None:
    mkdocs = "site_name: x\nplugins:\n  - kamdocs:\n      fiscal_year_start: 2026-04-01\n"  # YAML reads a date
    repo = make_repo({"plans/a.md": plan_text("a"), "docs/index.md": "# x\n"}, mkdocs=mkdocs)
    result = run(["budget"], repo)
    assert result.exit_code == 2
    assert "fiscal_year_start: expected a month and day MM-DD such as 04-01, found '2026-04-01'" in result.output
    build = mkdocs_build_in_process(repo)
    assert build.returncode == 1 and "found '2026-04-01'" in build.stderr


def test_starting_in() -> None:
    assert (starting_in(2026, "04-01").start, starting_in(2026, "04-01").end) == (D("2026-04-01"), D("2027-03-31"))


@pytest.mark.parametrize("value", ["02-29", "4-01", 401, "April"])
def test_the_option_is_checked(make_repo, value: object) -> None:
    repo = make_repo(
        {"plans/a.md": plan_text("a")},
        mkdocs=f"site_name: x\nplugins:\n  - kamdocs:\n      fiscal_year_start: {value!r}\n",
    )
    result = run(["budget"], repo)
    assert result.exit_code == 2 and "fiscal_year_start" in result.output


# A repository in three units over two fiscal years (April to March).

PLANS = {
    # id: (area, unit, target, baseline, actual, period end, status)
    "acme": ("Process Analytics", "CHF", 1_200_000, 1_000_000, 450_000, "2027-03-31", "active"),
    "bern": ("Process Analytics", "CHF", 800_000, None, None, "2027-03-31", "active"),
    "como": ("Process Analytics", "EUR", 500_000, 400_000, 510_000, "2026-03-31", "active"),
    "dora": ("Process Analytics", "CHF", 300_000, 250_000, 120_000, "2026-03-31", "draft"),
    "emil": ("Service", "units", 40, 30, 12, "2027-03-31", "active"),
    "fina": ("Service", "CHF", 99_999.5, 80_000.25, None, "2027-02-28", "active"),
    "gone": ("Service", "CHF", 7_000_000, 1, 1, "2027-03-31", "archived"),
    "hugo": ("Service", "EUR", 250_000, None, 300_000, "2027-03-31", "active"),
}
MKDOCS = PLAIN_MKDOCS.replace("      on_invalid: warn\n", "").replace(
    f"      today: {COMMANDS_TODAY}\n", '      fiscal_year_start: "04-01"\n      today: 2026-11-24\n'
)
"""The tests' usual mkdocs.yml, with fiscal years from April, judged on 2026-11-24."""


def budget_plan(plan_id: str, area: str, unit: str, target: float, baseline: float | None, actual: float | None,
                end: str, status: str) -> str:  # fmt: skip
    goal = f"  target: {target}\n" + (f"  baseline: {baseline}\n" if baseline is not None else "")
    goal += f"  actual: {actual}\n" if actual is not None else ""
    extra = f"status: {status}\n" + ("review:\n  reviewer: bam@example.com\n" if status == "draft" else "")
    text = plan_text(plan_id, **{"  target: 500000\n": goal, "unit: CHF": f"unit: {unit}", "end: 2026-12-31": f"end: {end}",
                                 "business_area: Process Analytics": f"business_area: {area}",
                                 "start: 2026-01-01": "start: 2025-04-01"})  # fmt: skip
    if status == "draft":
        text = text.replace(
            "review:\n  interval: quarterly\n  last_reviewed: 2026-10-01\n  reviewer: bam@example.com\n", ""
        )
    return text.replace("kind: one-page\n", "kind: one-page\n" + extra)


@pytest.fixture
def budget_repo(make_repo) -> Path:
    files = {f"plans/{i}.md": budget_plan(i, *v) for i, v in PLANS.items()}
    return make_repo({**files, "docs/index.md": "# Budget\n"}, mkdocs=MKDOCS)


def expected_lines(repo: Path) -> dict[tuple[str | None, str | None, str], dict[str, float | int | None]]:
    """The roll-up computed here: front matter read with PyYAML, fiscal years by hand (April to March)."""
    groups: dict[tuple[str | None, str | None, str], list[dict]] = defaultdict(list)
    for path in sorted((repo / "plans").glob("*.md")):
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        if data.get("status") == "archived":
            continue
        end = data["goal"]["period"]["end"]  # PyYAML reads the date as a date
        first = end.year if end.month >= 4 else end.year - 1
        label = f"{first}/{(first + 1) % 100:02d}"
        unit, area = data["goal"]["unit"], data["business_area"]
        for key in [(area, label, unit), (area, None, unit), (None, label, unit)]:
            groups[key].append(data["goal"])
    out = {}
    for key, goals in groups.items():
        actuals = [g for g in goals if "actual" in g]
        baselines = [g for g in goals if "baseline" in g]
        target_a = sum(g["target"] for g in actuals)
        baseline = sum(g["baseline"] for g in baselines)
        out[key] = {
            "plans": len(goals),
            "target": sum(g["target"] for g in goals),
            "actual": sum(g["actual"] for g in actuals) if actuals else None,
            "actuals_missing": len(goals) - len(actuals),
            "target_with_actual": target_a,
            "baseline": baseline if baselines else None,
            "baselines_missing": len(goals) - len(baselines),
            "attainment": round(sum(g["actual"] for g in actuals) / target_a, 4) if actuals and target_a else None,
            "growth": round((sum(g["target"] for g in baselines) - baseline) / baseline, 4) if baseline else None,
        }
    return out


def test_budget_json_matches_sums_computed_from_the_files(budget_repo: Path) -> None:
    result = run(["budget", "--format", "json"], budget_repo)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["version"] == 1 and document["fiscal_year_start"] == "04-01"
    got = {}
    for line in document["lines"]:
        year = line["fiscal_year"]["label"] if line["fiscal_year"] else None
        got[(line["business_area"], year, line["unit"])] = {k: line[k] for k in ["plans", "target", "actual",
            "actuals_missing", "target_with_actual", "baseline", "baselines_missing", "attainment",
            "growth"]}  # fmt: skip
    expected = expected_lines(budget_repo)
    assert got.keys() == expected.keys()
    for key, want in expected.items():
        for field, value in want.items():
            assert got[key][field] == pytest.approx(value) if value is not None else got[key][field] is None, (
                key,
                field,
            )
    # Spot checks that read as the budget people would: drafts count, archived plans do not,
    # a plan without an actual is left out of attainment on both sides, CHF and EUR stay apart.
    assert got[("Process Analytics", "2026/27", "CHF")]["attainment"] == pytest.approx(450_000 / 1_200_000, abs=1e-4)
    assert got[("Process Analytics", "2025/26", "CHF")]["plans"] == 1  # the draft
    assert got[("Service", None, "CHF")]["target"] == pytest.approx(99_999.5)  # the archived 7,000,000 left out
    assert (
        got[("Service", "2026/27", "CHF")]["actual"] is None
        and got[("Service", "2026/27", "CHF")]["attainment"] is None
    )


def test_budget_by_area_and_fiscal_year(budget_repo: Path) -> None:
    document = json.loads(
        run(["budget", "--format", "json", "--area", "service", "--fiscal-year", "2026"], budget_repo).output
    )
    keys = {(line["level"], line["business_area"], line["unit"]) for line in document["lines"]}
    # One fiscal year: no "All years" area totals, which would repeat the lines (and name years not shown).
    assert keys == {("line", "Service", "CHF"), ("line", "Service", "EUR"), ("line", "Service", "units"),
                    ("year-total", None, "CHF"), ("year-total", None, "EUR"), ("year-total", None, "units")}  # fmt: skip
    assert "All years" not in run(["budget", "--fiscal-year", "2026"], budget_repo).output
    assert "All years" in run(["budget"], budget_repo).output  # two fiscal years: each area's total over both


def test_budget_table_is_right_aligned_with_separators_and_units(budget_repo: Path) -> None:
    lines = run(["budget"], budget_repo).output.splitlines()
    header = lines[0]
    row = next(line for line in lines if line.startswith("Process Analytics  2026/27"))
    # Right-aligned: each amount ends where its header ends.
    for title, amount in [("Target", "2,000,000 CHF"), ("Actual", "450,000 CHF"), ("Baseline", "1,000,000 CHF")]:
        assert row.index(amount) + len(amount) == header.index(title) + len(title), title
    service = next(line for line in lines if line.startswith("Service            2026/27") and " CHF" in line)
    assert "99,999.5 CHF" in service and "80,000.25 CHF" in service
    assert " 0 CHF" not in service  # no actual is "–", never 0
    assert "fiscal years start on 04-01" in lines[-1]


def test_budget_csv_and_markdown(budget_repo: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run(["budget", "--format", "csv"], budget_repo).output.lstrip("\ufeff"))))
    service = next(
        r
        for r in rows
        if (r["level"], r["business_area"], r["fiscal_year"], r["unit"]) == ("line", "Service", "2026/27", "CHF")
    )
    assert (service["target"], service["actual"], service["actuals_missing"]) == ("99999.5", "", "1")
    markdown = run(["budget", "--format", "markdown"], budget_repo).output
    assert "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|" in markdown
    assert "| **Service** | **All years** |" in markdown


def test_hostile_area_names_stay_text(make_repo) -> None:
    text = budget_plan(
        "evil", '=HYPERLINK("x") | <script>alert(1)</script>', "CHF", 100, None, None, "2026-12-31", "active"
    )
    repo = make_repo({"plans/evil.md": text, "docs/index.md": "# Budget\n"}, mkdocs=MKDOCS)
    rows = list(csv.DictReader(io.StringIO(run(["budget", "--format", "csv"], repo).output.lstrip("\ufeff"))))
    assert rows[0]["business_area"].startswith("'=HYPERLINK")
    markdown = run(["budget", "--format", "markdown"], repo).output
    assert ("<script>" not in markdown and "\\|" in markdown) or "&#124;" in markdown
    site = repo.parent / "site"
    assert mkdocs_build_in_process(repo).returncode == 0
    page = (site / "plans/budget/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert any("<script>alert(1)</script>" in s for s in Scan(page).strings())  # shown as text


def test_the_largest_amounts_a_plan_may_hold_sum_exactly(make_repo) -> None:
    """The schema caps figures at 1e15, so no sum overflows; at the cap, sums stay exact integers."""
    big = {f"plans/b{i}.md": budget_plan(f"b{i}", "Huge", "CHF", 999_999_999_999_999, None, 0.000_000_000_001 * (i + 1),
                                         "2026-12-31", "active") for i in range(3)}  # fmt: skip
    repo = make_repo(big, mkdocs=MKDOCS)
    document = json.loads(run(["budget", "--format", "json"], repo).output)
    assert document["lines"][0]["target"] == 2_999_999_999_999_997
    assert document["lines"][0]["actual"] == pytest.approx(6e-12)
    assert "2,999,999,999,999,997 CHF" in run(["budget"], repo).output


# The site.


def test_budget_page_and_money_cards(budget_repo: Path) -> None:
    site = budget_repo.parent / "site"
    result = mkdocs_build_in_process(budget_repo)
    assert result.returncode == 0, result.stderr
    page = (site / "plans/budget/index.html").read_text(encoding="utf-8")
    # Every line is in the "All years" section's roll-up table (not the charts' own tables).
    every = page.split('data-kd-fy="all" hidden>', 1)[1]
    every = every[every.index('<table class="kd-table kd-budget') :]
    rows = table_rows(every[: every.index("</table>")])
    # Without a script, the current fiscal year shows and the others are hidden.
    assert '<div class="kd-fy" data-kd-fy="2026">' in page and 'data-kd-fy="2025" hidden>' in page
    expected = expected_lines(budget_repo)

    def missing(n: int, what: str) -> str:
        return f" {n} plan{'s' if n != 1 else ''} without {what}" if n else ""

    for row in rows:
        # The site groups the columns: the number of plans under the area, those without an actual under it.
        area_text, plans = re.fullmatch(r"(.*) (\d+) plans?", row[0]).groups()  # type: ignore[union-attr]
        area = None if area_text == "All areas" else area_text
        year = None if row[1] == "All years" else row[1]
        unit = row[2].rsplit(" ", 1)[-1]
        want = expected[(area, year, unit)]
        assert plans == str(want["plans"])
        assert row[2] == f"{want['target']:,.2f}".rstrip("0").rstrip(".") + f" {unit}"
        assert row[3] == (
            "–" if want["actual"] is None else f"{want['actual']:,.2f}".rstrip("0").rstrip(".") + f" {unit}"
        ) + missing(int(want["actuals_missing"] or 0), "actual")
        attainment = want["attainment"]
        of = want["target_with_actual"] if want["actuals_missing"] and want["actual"] is not None else None
        assert row[4] == ("–" if attainment is None else f"{round(attainment * 100)}%") + (
            "" if of is None else " of " + f"{of:,.2f}".rstrip("0").rstrip(".") + f" {unit}"
        )
    assert len(rows) == len(expected)
    scan = Scan(page)
    assert {e.attrs.get("class") for e in scan.find("td") if e.content.strip().endswith(" CHF")} == {"kd-num"}
    assert (
        "Fiscal year 2026/27: target and actual, CHF" in page
        and "Fiscal year 2026/27: target and actual, units" in page
    )
    cards = [e.content for e in Scan((site / "plans/index.html").read_text(encoding="utf-8")).elements
             if e.tag == "div" and e.attrs.get("class") == "kd-card kd-card-money"]  # fmt: skip
    chf = expected[(None, "2026/27", "CHF")]
    assert any(c.startswith(f"{chf['target']:,.2f}".rstrip("0").rstrip(".") + " CHF target 2026/27") for c in cards), (
        cards
    )
    # CHF and EUR (units are not money) in each of 2025/26, 2026/27 and all years, one section per year.
    assert len(cards) == 6
    plans = json.loads((site / "plans/plans.json").read_text(encoding="utf-8"))["plans"]
    assert {p["id"]: p["fiscal_year"]["label"] for p in plans}["como"] == "2025/26"
