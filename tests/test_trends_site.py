"""The manager's trends on a built site and in plans.json: a real git repository with fixed dates (the
plans of tests/test_trends.py, whose figures are worked out there, and a plan that was confidential
first), a real ``mkdocs build`` into a temporary folder, and Chromium at 1366 and 390 px."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from .commands import built_site, site_config
from .conftest import ROOT, GitRepo, plan_text
from .htmlscan import table_rows
from .test_trends import HISTORY, TODAY

sys.path.insert(0, str(ROOT / "scripts"))
from browser import CHROMIUM_FLAGS, chromium_path, serve

MKDOCS = site_config("git: true", f"today: {TODAY.isoformat()}", 'fiscal_year_start: "04-01"', search=False)
"""Fiscal years from April: the scorecard's period starts on 2026-04-01, tests/test_trends.py's "then"."""

CANARIES = ("913579", "424242", "CANARY-OLD-ACTION")
"""What only the confidential versions of plans/shh.md hold: no byte of the site may carry them."""


def shh(actual: int, *, whole: bool = False, field: bool = False, action: str = "Run a specification workshop") -> str:
    """plans/shh.md: confidential as a whole (``whole``), or its actual only (``field``), or public."""
    marks = "confidential: true\n" if whole else ""
    marks += "confidential_fields: [goal.actual]\n" if field else ""
    return plan_text(
        "shh",
        **{
            "kind: one-page\n": "kind: one-page\n" + marks,
            "\nowner: kam@example.com\nbusiness_area: Process Analytics\n": "\nowner: dora@example.com\nbusiness_area: Area C\n",
            "  unit: CHF\n": f"  unit: CHF\n  actual: {actual}\n",
            "    action: Run a specification workshop\n": f"    action: {action}\n",
            "  last_reviewed: 2026-10-01\n": "  last_reviewed: 2026-02-01\n",
        },
    )


SHH = [
    ("2026-02-10", shh(913579, whole=True, action="CANARY-OLD-ACTION")),
    ("2026-05-10", shh(424242, field=True)),
    ("2026-08-10", shh(100000)),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GitRepo]:
    repo = GitRepo(tmp_path_factory.mktemp("trends-site") / "repo")
    repo.write("mkdocs.yml", MKDOCS)
    repo.write("docs/index.md", "# Plans\n")
    commits = sorted([(day, name, text) for day, name, text in HISTORY] + [(d, "shh", t) for d, t in SHH])
    for day, name, text in commits:
        repo.commit(f"{name} on {day}", f"{day}T09:00:00+00:00", **{f"plans__{name}.md": text})
    return built_site(repo.path), repo


def plans_json(site: Path) -> dict[str, Any]:
    return json.loads((site / "plans" / "plans.json").read_text(encoding="utf-8"))


V2_KEYS = {
    "id", "file", "account", "owner", "owner_handle", "business_area", "kind", "status", "reviewer", "interval",
    "last_reviewed", "next_review", "freshness", "days_overdue", "days_left", "open_commitments",
    "overdue_commitments", "goal_progress", "last_change", "last_author", "revisions", "uncommitted", "team",
    "region", "tier", "tags", "crm_id", "goal", "success_factors", "commitments", "kpis", "buying_center",
    "fiscal_year", "quality",
}  # fmt: skip
"""Every key of a plan in version 2 (docs/site.md): the status row's, less its goal and score copies, and more."""


def test_plans_json_version_3_keeps_every_version_2_key(site: tuple[Path, GitRepo]) -> None:
    document = plans_json(site[0])
    assert document["version"] == 3 and document["today"] == TODAY.isoformat()
    assert set(document) == {"version", "today", "plans", "budget"}
    up = next(p for p in document["plans"] if p["id"] == "up")
    assert set(up) == V2_KEYS | {"history"}
    # Version 2's values, from the plan's file today (its October version): unchanged.
    assert up["goal"] == {
        "statement": "Grow order intake to CHF 500k", "metric": "order intake", "target": 500000, "unit": "CHF",
        "baseline": 400000, "actual": 200000, "period": {"start": "2026-01-01", "end": "2026-12-31"},
    }  # fmt: skip
    assert (up["last_reviewed"], up["next_review"], up["freshness"], up["revisions"]) == (
        "2026-10-01", "2027-01-01", "fresh", 3,
    )  # fmt: skip
    assert up["quality"]["score"] == 86 and up["goal_progress"] == 0.4
    assert up["commitments"][0]["id"] == "c-a" and up["commitments"][0]["overdue"] is False


def test_plans_json_history(site: tuple[Path, GitRepo]) -> None:
    built, repo = site
    document = plans_json(built)
    up = next(p for p in document["plans"] if p["id"] == "up")
    shas = repo.git("log", "--format=%H", "--", "plans/up.md").split()[::-1]
    history = up["history"]
    assert history["shallow"] is False
    assert [(c["day"], c["commit"]) for c in history["changes"]] == list(
        zip(["2026-02-10", "2026-06-10", "2026-10-05"], shas, strict=True)
    )
    common = {"kind": "valid", "goal_target": 500000, "goal_unit": "CHF", "period_start": "2026-01-01",
              "period_end": "2026-12-31", "freshness": "fresh", "open_commitments": 1, "overdue_commitments": 0,
              "done_commitments": 0, "stale_contacts": 0}  # fmt: skip
    # February: no actual (left out, not 0), 100 - 40 = 60; June and October: 86 with the actual 200,000.
    # Bands (docs/quality.md): 86 is fair, 80 or more with an essential missing (no economic buyer named);
    # 60 is poor, below 80 with essentials missing in two categories (the goal's actual and the economic buyer).
    first, june, october = (c["figures"] for c in history["changes"])
    assert first == {**common, "quality_score": 60, "quality_band": "poor", "last_reviewed": "2026-02-01"}
    assert june == {**common, "goal_actual": 200000, "quality_score": 86, "quality_band": "fair",
                    "last_reviewed": "2026-06-01"}  # fmt: skip
    assert october == {**june, "last_reviewed": "2026-10-01"}


def test_no_confidential_version_reaches_plans_json_or_any_page(site: tuple[Path, GitRepo]) -> None:
    built, repo = site
    document = plans_json(built)
    plan = next(p for p in document["plans"] if p["id"] == "shh")
    # February's version was confidential as a whole: not there, not even its day. May's kept its actual
    # confidential: the figure is left out. August's is public.
    changes = plan["history"]["changes"]
    assert [c["day"] for c in changes] == ["2026-05-10", "2026-08-10"]
    assert "goal_actual" not in changes[0]["figures"] and changes[1]["figures"]["goal_actual"] == 100000
    first = repo.git("log", "--format=%H", "--", "plans/shh.md").split()[-1]
    for path in built.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for canary in (*CANARIES, first):
                assert canary.encode() not in data, (canary, path)


def section(page: str, start: str, end: str) -> str:
    """The HTML of ``page`` from the first ``start`` to the next ``end`` after it."""
    i = page.index(start)
    return page[i : page.index(end, i + len(start))]


def read(site: Path, path: str) -> str:
    return (site / "plans" / path).read_text(encoding="utf-8")


def test_scorecard_shows_each_owners_change_most_improved_first(site: tuple[Path, GitRepo]) -> None:
    page = read(site[0], "scorecard/index.html")
    current = section(page, '<div class="kd-fy" data-kd-fy="2026">', '<h2 id="by-reviewer"')  # 2026/27, by owner
    assert "Change since 2026-04-01" in current
    # tests/test_trends.py works out anna's, ben's and cleo's change; dora's plan (plans/shh.md) was public
    # from 2026-05-10 on, so not known on 2026-04-01, and scores 65 today: 100 less a champion (3), the
    # economic buyer (6), a review due 2026-05-01 and not made (10), the baseline (11) and the metric (5).
    # Reviews on time in 2026/27, quarterly: up was reviewed 02-01, 06-01, 10-01 (due 05-01 and 09-01, both
    # missed: 0 of 2); down 02-01, 09-01 and late 03-10, 10-10 (due 05-01 and 06-10, missed: 0 of 2);
    # new 06-20 (due 09-20, missed: 0 of 1); shh 02-01 (due 05-01, missed: 0 of 1).
    rows = table_rows(section(current, 'class="kd-table kd-changes', "</table>"))
    assert rows == [
        ["anna@example.com", "60 → 86 (+26)", "0 → 0 (±0)", "0 of 2", "1 of 1"],
        ["cleo@example.com", "50 now, no score then", "0 now, not known then", "0 of 1", "0 of 1"],
        ["dora@example.com", "65 now, no score then", "0 now, not known then", "0 of 1", "0 of 1"],
        ["ben@example.com", "68 → 63 (-5)", "1 → 0 (-1)", "0 of 2", "2 of 2"],
    ]
    improved = section(current, "Most improved", "</div>")
    dropped = section(current, "Biggest drops", "</div>")
    assert "anna@" in improved and "ben@" not in improved
    assert "ben@" in dropped and "quality 68 → 63 (-5), overdue commitments 1 → 0 (-1)" in re.sub(
        "<[^>]+>", "", dropped
    )


def test_grouped_pages_show_the_change_over_twelve_months(site: tuple[Path, GitRepo]) -> None:
    built = site[0]
    anna = re.sub("<[^>]+>", "", read(built, "by-owner/anna-example-com/index.html"))
    # Twelve months before 2026-11-22: no plan was in git yet, so there is no "then" to compare with.
    assert (
        "Since 2025-11-22 (twelve months): quality 86 now, no score then, overdue commitments 0 now, not known "
        "then; reviews on time: 0 of 2; plans known then: 0 of 1." in anna
    )
    index = read(built, "by-owner/index.html")
    assert "Change over the last twelve months" in index
    rows = table_rows(section(index, 'class="kd-table kd-changes', "</table>"))
    assert [r[0] for r in rows] == ["anna@example.com", "ben@example.com", "cleo@example.com", "dora@example.com"]


NOT_KNOWN = "not known"


def spark_values(page: str, title: str) -> list[str]:
    """A dashboard trend's values, month by month, from its screen-reader table."""
    figure = section(page, f"<figcaption>{title}</figcaption>", "</figure>")
    return [row[1] for row in table_rows(figure)]


def test_dashboard_trends_month_by_month(site: tuple[Path, GitRepo]) -> None:
    page = read(site[0], "index.html")
    # tests/test_trends.py's months, and plans/shh.md from 2026-05-10 on: reviewed 2026-02-01 quarterly, so
    # overdue for review from 05-01 at every month end it is known at; its one commitment is due 2026-12-15.
    nk = NOT_KNOWN
    assert spark_values(page, "Plans overdue for review") == [nk, nk, "0", "0", "0", "3", "3", "3", "3", "4", "2", "2"]
    assert spark_values(page, "Overdue commitments") == [nk, nk, "0", "1", "1", "1", "1", "1", "1", "1", "0", "0"]
    # Attainment in CHF: every goal is calendar 2026, in fiscal year 2026/27 (April to March), so the month
    # ends to March 2026 have none. Apr, May: down's 150,000 of 500,000 (shh's actual was confidential then);
    # Jun, Jul: and up's 200,000: 350,000 of 1,000,000; Aug: and shh's 100,000: 450,000 of 1,500,000;
    # from Sep down has no actual: 300,000 of 1,000,000.
    assert spark_values(page, "Goal attainment, CHF") == [nk] * 4 + [
        "30%",
        "30%",
        "35%",
        "35%",
        "30%",
        "30%",
        "30%",
        "30%",
    ]
    assert "0 on 2026-02-28, 2 on 2026-11-22" in section(page, "<figcaption>Plans overdue for review", "</figure>")
    # Today's point is the money card's figure: up's 200,000 and shh's 100,000 of their 1,000,000.
    assert "actual 300,000 CHF of 1,000,000 CHF (30%)" in page


def test_without_git_the_dashboard_says_there_is_no_history(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write("mkdocs.yml", MKDOCS.replace("git: true", "git: false"))
    repo.write("docs/index.md", "# Plans\n")
    repo.commit("plans", "2026-10-02T12:00:00+00:00", **{"plans__up.md": HISTORY[0][2]})
    built = built_site(repo.path)
    page = read(built, "index.html")
    assert "No trends over the last twelve months" in page and "kd-spark" not in page
    assert json.loads((built / "plans" / "plans.json").read_text(encoding="utf-8"))["plans"][0]["history"] is None


@pytest.mark.e2e
def test_no_sideways_scroll_on_the_scorecard_and_dashboard(site: tuple[Path, GitRepo]) -> None:
    from playwright.sync_api import sync_playwright

    with serve(site[0]) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for width in (1366, 390):
            for path in ("plans/", "plans/scorecard/", "plans/by-owner/"):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(f"{base}/{path}")
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
                if path == "plans/":
                    sparks = page.locator("figure.kd-spark")
                    assert sparks.count() == 4  # overdue plans, overdue commitments, quality, attainment in CHF
                    for i in range(sparks.count()):
                        box = sparks.nth(i).bounding_box()
                        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
                page.close()
        browser.close()


@pytest.mark.e2e
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_the_trends(site: tuple[Path, GitRepo], scheme: str) -> None:
    """axe-core (tests/vendor) on the dashboard, scorecard and a grouped view: no violation in kamdocs' markup
    (tests/test_accessibility.py's rule: in the content and not Material's own)."""
    from playwright.sync_api import sync_playwright

    from .test_accessibility import AXE, CLASSIFY

    ours = []
    with serve(site[0]) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for width in (1366, 390):
            context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
            page = context.new_page()
            for path in ("plans/", "plans/scorecard/", "plans/by-owner/", "plans/by-owner/anna-example-com/"):
                page.goto(f"{base}/{path}")
                page.add_script_tag(path=str(AXE))
                violations = page.evaluate(CLASSIFY, page.evaluate("async () => (await axe.run(document)).violations"))
                ours += [
                    (path, width, v["id"], n["target"]) for v in violations for n in v["nodes"] if not n["material"]
                ]
            context.close()
        browser.close()
    assert ours == []


def test_hostile_names_are_escaped_in_the_change_block() -> None:
    from datetime import date

    from kamdocs.report.trends import Change, Changes
    from kamdocs.site.scorecard_page import changes_block

    hostile = '<script>alert(1)</script>"&'
    better = Change(hostile, 1, 1, 50.0, 60.0, 2, 1, 1, 1)
    worse = Change("b" + hostile, 1, 1, 60.0, 50.0, 1, 2, None, None)
    found = Changes("owner", date(2026, 4, 1), TODAY, (better, worse))
    html = changes_block(found, "owner", {hostile: "by-owner/x.md"}, lambda src: src + '"><img>', True)
    assert "<script>" not in html and "<img>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;" in html
    assert html.index("Most improved") < html.index("&lt;script") < html.index("Biggest drops")
