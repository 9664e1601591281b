"""Every goal attainment on a built site, recomputed from the plan files and compared.

The plans are written here, in three business areas, three units and three fiscal years, some
without an actual, one archived, one a draft. The expected figures come from the files alone:
front matter read with PyYAML, fiscal years by hand (calendar years), attainment as the sum of the
actuals over the sum of the targets of the plans that give an actual, per unit. No kamdocs code
computes them. Then every place the site shows an attainment is read back (the budget page, the
dashboard's cards, charts and grid, each business area's page, the scorecard, the plan pages and
plans.json) and compared; a caption with "attainment" that no check reads fails the test.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from .commands import built_site, site_config, write_repo
from .conftest import plan_text
from .grid_data import grid_rows
from .htmlscan import Scan, table_rows

TODAY = "2026-12-02"
"""December: next year's plans are already written."""
MKDOCS = site_config("git: false", f"today: {TODAY}", search=False)

PA, SV, LAB = "Process Analytics", "Service", "Lab & <Instruments>"
PLANS: dict[str, tuple[str, str, str, float, float | None, float | None, int, str]] = {
    # id: (area, owner, unit, target, baseline, actual, fiscal year, status)
    "acme": (PA, "anna@example.com", "CHF", 1_200_000, 1_000_000, 450_000, 2026, "active"),
    "bern": (PA, "anna@example.com", "CHF", 800_000, None, None, 2026, "active"),
    "como": (PA, "ben@example.com", "EUR", 500_000, 400_000, 510_000, 2026, "active"),
    "dora": (PA, "ben@example.com", "CHF", 300_000, 250_000, 120_000, 2027, "draft"),
    "emil": (SV, "anna@example.com", "units", 40, 30, 12, 2026, "active"),
    "fina": (SV, "ben@example.com", "CHF", 99_999.5, 80_000.25, None, 2026, "active"),
    "gone": (SV, "ben@example.com", "CHF", 7_000_000, 1, 1, 2026, "archived"),
    "hugo": (SV, "anna@example.com", "EUR", 250_000, None, 300_000, 2027, "active"),
    "iris": (LAB, "cleo@example.com", "CHF", 600_000, 500_000, 720_000, 2025, "active"),
    "jura": (LAB, "cleo@example.com", "CHF", 400_000, None, 100_000, 2026, "active"),
    "kilo": (LAB, "cleo@example.com", "units", 10, None, 0, 2027, "active"),
    # Fourteen CHF plans in one area: its account chart shows eleven and the rest as one bar.
    **{
        f"s{i:02d}": (SV, "dan@example.com", "CHF", 100_000 + 10_000 * i, None, 5_000 * (i * 7 % 15), 2026, "active")
        for i in range(14)
    },
}


def plan_file(plan_id: str, area: str, owner: str, unit: str, target: float, baseline: float | None,
              actual: float | None, year: int, status: str) -> str:  # fmt: skip
    goal = f"  target: {target}\n" + (f"  baseline: {baseline}\n" if baseline is not None else "")
    goal += f"  actual: {actual}\n" if actual is not None else ""
    text = plan_text(plan_id, **{
        "  target: 500000\n": goal, "unit: CHF": f"unit: {unit}", "account: Example Account AG": f"account: Account {plan_id}",
        "start: 2026-01-01": f"start: {year}-01-01", "end: 2026-12-31": f"end: {year}-12-31",
        "business_area: Process Analytics": f"business_area: {json.dumps(area)}",
        "owner: kam@example.com\nbusiness_area": f"owner: {owner}\nbusiness_area",
        "due: 2026-12-15": f"due: {year}-12-15",
    })  # fmt: skip
    extra = f"status: {status}\n"
    if status == "draft":
        text = text.replace(
            "review:\n  interval: quarterly\n  last_reviewed: 2026-10-01\n  reviewer: bam@example.com\n",
            "review:\n  reviewer: bam@example.com\n",
        )
    return text.replace("kind: one-page\n", "kind: one-page\n" + extra)


Key = tuple[str | None, str | None, str]
"""(group: an area, owner or None for all; fiscal year label or None for all years; unit)."""


def front_matter(repo: Path) -> list[dict]:
    return [
        yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1]) for p in sorted((repo / "plans").glob("*.md"))
    ]


GROUPS: dict[str, Callable[[dict], str]] = {
    "business_area": lambda d: d["business_area"],
    "owner": lambda d: d["owner"],
    "reviewer": lambda d: d["review"]["reviewer"],
}


def expected(repo: Path, by: str) -> dict[Key, tuple[float, float, int]]:
    """(sum of actuals, sum of the targets of the same plans, plans without actual) per group, year and unit,
    over the plans that are not archived; ``by`` names the grouping (:data:`GROUPS`)."""
    groups: dict[Key, list[dict]] = defaultdict(list)
    for data in front_matter(repo):
        if data.get("status") == "archived":
            continue
        year = str(data["goal"]["period"]["end"].year)  # calendar fiscal years: the year the goal ends in
        unit, group = data["goal"]["unit"], GROUPS[by](data)
        for key in [(group, year, unit), (group, None, unit), (None, year, unit), (None, None, unit)]:
            groups[key].append(data["goal"])
    out = {}
    for key, goals in groups.items():
        given = [g for g in goals if "actual" in g]
        out[key] = (sum(g["actual"] for g in given), sum(g["target"] for g in given), len(goals) - len(given))
    return out


def pct(actual: float, target: float) -> str:
    return f"{round(actual / target * 100)}%"


def num(text: str) -> float:
    return float(text.replace(",", ""))


NOTE = re.compile(r"actual ([\d,.]+) (\S+) of ([\d,.]+) (\S+) \((\d+%)\)")


def check_note(note: str, want: tuple[float, float, int], unit: str, where: str) -> None:
    """A note "actual A U of T U (P%)" against the sums computed here (or "no actual yet" without any)."""
    actual, target, missing = want
    found = NOTE.search(note)
    if found is None:
        assert note.startswith("no actual yet") and target == 0 and actual == 0, (where, note, want)
        return
    assert (found[2], found[4]) == (unit, unit), (where, note)
    assert num(found[1]) == pytest.approx(actual) and num(found[3]) == pytest.approx(target), (where, note, want)
    assert found[5] == pct(actual, target), (where, note, want)
    if missing:
        assert f"{missing} plan{'s' if missing != 1 else ''} without actual left out" in note, (where, note)


FIGURE = re.compile(
    r'<div class="kd-sr-only"><table class="kd-sr-table"><caption>(.*?)</caption>.*?<tbody>(.*?)</tbody>', re.S
)


def figures(page: str) -> list[tuple[str, list[list[str]]]]:
    """Every chart's caption and its rows, from the table each chart carries for screen readers."""
    return [(html.unescape(caption), table_rows(body)) for caption, body in FIGURE.findall(page)]


def sections(page: str) -> dict[str, str]:
    """The HTML of each fiscal year's sections (div[data-kd-fy], up to its own closing tag), by ?fy= value."""
    out: dict[str, str] = {}
    for start in re.finditer(r'<div class="kd-fy" data-kd-fy="([^"]+)"(?: hidden)?>', page):
        depth, at = 1, start.end()
        for tag in re.finditer(r"<(/?)div\b", page[at:]):
            depth += -1 if tag[1] else 1
            if depth == 0:
                out[start[1]] = out.get(start[1], "") + page[at : at + tag.start()]
                break
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("attainment")
    repo = write_repo(root, {i: plan_file(i, *v) for i, v in PLANS.items()}, MKDOCS)
    return repo, built_site(repo)


def read(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


YEARS = {"2025", "2026", "2027"}


def test_budget_page(site: tuple[Path, Path]) -> None:
    repo, out = site
    want = expected(repo, "business_area")
    page = read(out, "plans/budget")
    found = sections(page)
    assert set(found) == YEARS | {"all"}
    checked = qualified = 0
    for key, body in found.items():
        year = None if key == "all" else key
        for caption, rows in figures(body):
            unit = caption.rsplit(", ", 1)[1]
            assert caption.startswith("All fiscal years:" if year is None else f"Fiscal year {year}:"), caption
            for area, _target, _actual, note in rows:
                check_note(note, want[(area, year, unit)], unit, caption)
                checked += 1
        roll_up = body[body.index('<table class="kd-table kd-budget') :]
        for cells in table_rows(roll_up[: roll_up.index("</table>")]):
            row = budget_row(cells)
            assert row.year == year or year is None, (key, cells)
            actual, target, missing = want[(row.area, row.year, row.unit)]
            assert row.attainment == (pct(actual, target) if target else "–"), (key, cells)
            assert row.no_actual == missing, (key, cells)
            # Beside a Target cell that holds every plan, the attainment says which targets it is of.
            assert row.of == (f"of {target:,.0f} {row.unit}" if missing and actual is not None else None), cells
            checked += 1
            qualified += row.of is not None
    assert checked > 40 and qualified > 3


@dataclass(frozen=True)
class BudgetRow:
    """A line of the budget page's table, read back: area (None for "All areas"), year (None for "All
    years"), unit, attainment as shown, and how many plans give no actual."""

    area: str | None
    year: str | None
    unit: str
    attainment: str
    no_actual: int
    of: str | None
    """Under the attainment, when some plans give no actual: the targets it is of."""


def budget_row(cells: list[str]) -> BudgetRow:
    """The site's columns (site/budget_page.py): area with "N plans" under it, fiscal year, target, actual with
    "N plans without actual" under it, attainment, baseline, growth."""
    area = re.fullmatch(r"(.*) \d+ plans?", cells[0])
    missing = re.search(r" (\d+) plans? without actual$", cells[3])
    name = area.group(1) if area else cells[0]
    return BudgetRow(
        area=None if name == "All areas" else name,
        year=None if cells[1] == "All years" else cells[1],
        unit=cells[2].rsplit(" ", 1)[1],
        attainment=cells[4].split(" of ", 1)[0],
        no_actual=int(missing.group(1)) if missing else 0,
        of=cells[4].split(" ", 1)[1] if " of " in cells[4] else None,
    )


def test_dashboard_cards_charts_and_grid(site: tuple[Path, Path]) -> None:
    repo, out = site
    want = expected(repo, "business_area")
    page = read(out, "plans")
    found = sections(page)
    assert set(found) == YEARS | {"all"}
    cards = 0
    for key, body in found.items():
        year = None if key == "all" else key
        for card in Scan(body).find("div", **{"class": "kd-card kd-card-money"}):
            unit = card.content.split(" target")[0].rsplit(" ", 1)[1]
            assert unit in ("CHF", "EUR")  # money only: units have no card
            words = f" target {year}" if year else " target, all years"
            assert words in card.content, card.content
            check_note(card.content, want[(None, year, unit)], unit, f"card {key}")
            cards += 1
        charts = figures(body)
        for caption, rows in charts:
            assert caption.startswith("Goal attainment by business area, "), caption
            assert ("all fiscal years" if year is None else f"fiscal year {year}") in caption
            unit = caption.rsplit(", ", 1)[1]

            def ratio(area: str, year: str | None = year, unit: str = unit) -> tuple[float, str]:
                actual, target, _ = want[(area, year, unit)]
                return (-actual / target if target else 0.0, area.casefold())

            assert [r[0] for r in rows] == sorted((r[0] for r in rows), key=ratio)  # highest first
            for area, note in rows:
                check_note(note, want[(area, year, unit)], unit, caption)
        units = {k[2] for k in want if k[1] == year}
        assert {c.rsplit(", ", 1)[1] for c, _ in charts} == units  # a chart per unit, none mixing them
    assert cards == 7  # CHF in 2025; CHF and EUR in 2026, 2027 and all years
    assert "Average goal attainment" not in page
    # The grid's Goal column: each plan's own actual over its target.
    (data,) = grid_rows(out / "plans/index.html", page)
    plans = {f"Account {d['id']}": d["goal"] for d in front_matter(repo)}
    for row in data:
        goal = plans[row[0][0]]
        assert row[5][0] == (pct(goal["actual"], goal["target"]) if "actual" in goal else "–"), row


def test_business_area_pages(site: tuple[Path, Path]) -> None:
    """Per fiscal year: the area's attainment per unit, and each account's own, the rest summed."""
    repo, out = site
    want = expected(repo, "business_area")
    goals = {d["id"]: d for d in front_matter(repo)}
    seen = 0
    for folder in sorted((out / "plans/by-business-area").iterdir()):
        if not folder.is_dir():
            continue
        page = read(out, f"plans/by-business-area/{folder.name}")
        area = html.unescape(re.search(r"<h1[^>]*>Business area: (.*?)<", page)[1])  # type: ignore[index]
        found = sections(page)
        assert set(found) == YEARS | {"all"}
        for key, body in found.items():
            year = None if key == "all" else key
            when = "all fiscal years" if year is None else f"fiscal year {year}"
            summaries = re.findall(r'<p class="kd-area-attainment">Goal attainment in (.*?), (\S+): (.*?)</p>', body)
            units = {k[2] for k in want if k[:2] == (area, year)}
            assert {u for _, u, _ in summaries} == units, (area, key)
            for words, unit, note in summaries:
                assert words == when
                check_note(html.unescape(note), want[(area, year, unit)], unit, f"{area} {key}")
                seen += 1
            mine = [
                d
                for d in goals.values()
                if d["business_area"] == area
                and d.get("status") != "archived"
                and (year is None or str(d["goal"]["period"]["end"].year) == year)
            ]
            for caption, rows in figures(body):
                assert caption.startswith(f"Goal attainment by account, {when}, "), caption
                unit = caption.rsplit(", ", 1)[1]
                given = sorted(
                    (d for d in mine if d["goal"]["unit"] == unit and "actual" in d["goal"]),
                    key=lambda d: (-d["goal"]["actual"] / d["goal"]["target"], d["account"].casefold()),
                )
                top = given if len(given) <= 12 else given[:11]
                for (label, note), d in zip(rows, top, strict=False):
                    assert label == d["account"], (caption, label)
                    check_note(note, (d["goal"]["actual"], d["goal"]["target"], 0), unit, caption)
                    seen += 1
                if len(given) > 12:  # the rest as one bar: its sums, computed here
                    rest = given[11:]
                    assert rows[-1][0] == f"{len(rest)} other plans"
                    actual, target = sum(d["goal"]["actual"] for d in rest), sum(d["goal"]["target"] for d in rest)
                    check_note(rows[-1][1], (actual, target, 0), unit, caption + " rest")
                    seen += 1
                assert len(rows) == min(len(given), 12)
    assert seen >= 40


def test_scorecard(site: tuple[Path, Path]) -> None:
    repo, out = site
    page = read(out, "plans/scorecard")
    found = sections(page)
    assert set(found) == YEARS | {"all"}
    checked = 0
    for by, column in (("owner", "Owner"), ("reviewer", "Reviewer"), ("business_area", "Business area")):
        want = expected(repo, by)
        for key, body in found.items():
            year = None if key == "all" else key
            for table in re.findall(r"<table.*?</table>", body, re.S):
                if f">{column}</th>" not in table:
                    continue
                for row in table_rows(table):
                    name = row[0]
                    text = row[-1]
                    for part in text.split("; "):
                        if part == "–":
                            continue
                        got = re.match(r"(\d+%) of ([\d,.]+) (\S+)", part)
                        if got is None:
                            unit = part.removeprefix("no actual in ")
                            assert want[(name, year, unit)][1] == 0, (name, part)
                            continue
                        actual, target, missing = want[(name, year, got[3])]
                        assert got[1] == pct(actual, target) and num(got[2]) == pytest.approx(target), (name, part)
                        if missing:
                            assert f"({missing} without actual)" in part, (name, part)
                        checked += 1
    assert checked > 20


def test_plan_pages(site: tuple[Path, Path]) -> None:
    repo, out = site
    for data in front_matter(repo):
        goal = data["goal"]
        page = read(out, f"plans/accounts/{data['id']}")
        shares = re.findall(r"actual <strong>[^<]*</strong> \((\d+%)\)", page)
        assert shares == ([pct(goal["actual"], goal["target"])] if "actual" in goal else []), data["id"]


def test_plans_json(site: tuple[Path, Path]) -> None:
    repo, out = site
    document = json.loads((out / "plans/plans.json").read_text(encoding="utf-8"))
    files = {d["id"]: d["goal"] for d in front_matter(repo)}
    for plan in document["plans"]:
        goal = files[plan["id"]]
        want = round(goal["actual"] / goal["target"], 4) if "actual" in goal else None
        assert plan["goal_progress"] == want, plan["id"]
    want = expected(repo, "business_area")
    levels = set()
    for line in document["budget"]:
        year = line["fiscal_year"]["label"] if line["fiscal_year"] else None
        actual, target, missing = want[(line["business_area"], year, line["unit"])]
        assert line["actuals_missing"] == missing
        assert line["attainment"] == (round(actual / target, 4) if target else None), line
        levels.add(line["level"])
    assert levels == {"line", "area-total", "year-total"}


def test_every_attainment_caption_is_checked(site: tuple[Path, Path]) -> None:
    """The checks above read charts captioned so; a new attainment chart elsewhere must be added to them."""
    _, out = site
    known = ("Goal attainment by business area, ", "Goal attainment by account, ")
    for page in out.glob("plans/**/index.html"):
        for caption, _ in figures(page.read_text(encoding="utf-8")):
            if "attainment" in caption.lower():
                assert caption.startswith(known), (page, caption)
