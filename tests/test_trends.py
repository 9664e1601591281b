"""The manager's trends (kamdocs.report.trends) from a real git repository with fixed commit dates.

Four plans of three owners in two business areas, committed from February to October 2026; today is
2026-11-22 and the period starts on 2026-04-01. Every figure is worked out here from the history the test
builds. A plan's quality score is 100 less the points of the reasons it has (kamdocs' quality page): the
minimal plan of tests/example-files misses a champion (3), an economic buyer (6), an actual (10), a baseline
(11) and a metric (5), and its one commitment is owned by the KAM (5): 100 - 40 = 60. Giving the actual,
baseline and metric takes 26 points off: 86; without the actual it is 76. A commitment past its due day and
not done on time costs 10 (commitment-undelivered: "late", done on 2026-10-15 for 2026-03-01, keeps them),
and so does a review later than its interval (review-late: "new" today, reviewed 2026-06-20 quarterly).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kamdocs.config.mkdocs_yml import load_config
from kamdocs.plan.validation import PlanValidator
from kamdocs.report.rollup import StatusRow, roll_up
from kamdocs.report.scorecard import Period, scorecard
from kamdocs.report.timeline import Timeline
from kamdocs.report.trends import Change, changes, month_ends, monthly, months_ago, then_of
from kamdocs.site.exports import plans_json
from kamdocs.site.pages import SiteBuilder

from .commands import site_config
from .conftest import GitRepo, plan_text

TODAY = date(2026, 11, 22)
PERIOD = Period(date(2026, 4, 1), date(2027, 3, 31), "the test period")
MKDOCS = site_config("git: true", f"today: {TODAY.isoformat()}", search=False)


def version(plan_id: str, owner: str, area: str, reviewed: str, *, actual: int | None = None,
            baseline: int | None = None, metric: bool = False, due: str = "2026-12-15", status: str = "open") -> str:  # fmt: skip
    """One version of a plan: quarterly reviews, a CHF 500,000 goal in calendar 2026, one commitment."""
    goal = "  unit: CHF\n" + (f"  actual: {actual}\n" if actual is not None else "")
    goal += f"  baseline: {baseline}\n" if baseline is not None else ""
    goal += "  metric: order intake\n" if metric else ""
    return plan_text(
        plan_id,
        **{
            "\nowner: kam@example.com\nbusiness_area: Process Analytics\n": f"\nowner: {owner}\nbusiness_area: {area}\n",
            "  last_reviewed: 2026-10-01\n": f"  last_reviewed: {reviewed}\n",
            "  unit: CHF\n": goal,
            "    owner: kam@example.com\n    due: 2026-12-15\n    status: open\n": (
                f"    owner: {owner}\n    due: {due}\n    status: {status}\n"
            ),
        },
    )


ANNA, BEN, CLEO = "anna@example.com", "ben@example.com", "cleo@example.com"
A, B = "Area A", "Area B"

HISTORY = [
    # (day, file, text)
    ("2026-02-10", "up", version("up", ANNA, A, "2026-02-01")),  # 60
    ("2026-02-10", "down", version("down", BEN, B, "2026-02-01", actual=150000, baseline=400000, metric=True)),  # 86
    ("2026-03-15", "late", version("late", BEN, B, "2026-03-10", due="2026-03-01")),  # 50, 1 overdue commitment
    ("2026-06-10", "up", version("up", ANNA, A, "2026-06-01", actual=200000, baseline=400000, metric=True)),  # 86
    ("2026-07-01", "new", version("new", CLEO, A, "2026-06-20")),  # 60
    ("2026-09-10", "down", version("down", BEN, B, "2026-09-01", baseline=400000, metric=True)),  # 76
    ("2026-10-05", "up", version("up", ANNA, A, "2026-10-01", actual=200000, baseline=400000, metric=True)),  # 86
    ("2026-10-15", "late", version("late", BEN, B, "2026-10-10", due="2026-03-01", status="done")),  # 50: done late
]


def committed(path: Path) -> GitRepo:
    repo = GitRepo(path)
    repo.write("mkdocs.yml", MKDOCS)
    repo.write("docs/index.md", "# Plans\n")
    for day, name, text in HISTORY:
        repo.commit(f"{name} on {day}", f"{day}T09:00:00+00:00", **{f"plans__{name}.md": text})
    return repo


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[StatusRow], dict[str, Timeline]]:
    repo = committed(tmp_path_factory.mktemp("trends") / "repo")
    config = load_config(cwd=repo.path)
    validator = PlanValidator(config)
    result = roll_up(config, validator, TODAY)
    builder = SiteBuilder.public(result.rows, result.history, TODAY, config, validator=validator)
    return builder.rows, dict(builder.timelines)


def test_then_is_the_period_start_or_twelve_months_ago() -> None:
    assert then_of(date(2026, 4, 1), TODAY) == date(2026, 4, 1)
    assert then_of(date(2027, 4, 1), TODAY) == TODAY  # a period still to come starts today, not later
    assert then_of(None, TODAY) == date(2025, 11, 22)
    assert months_ago(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert month_ends(TODAY) == (
        date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30),
        date(2026, 5, 31), date(2026, 6, 30), date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 30),
        date(2026, 10, 31), TODAY,
    )  # fmt: skip


def by_key(found: tuple[Change, ...]) -> dict[str, Change]:
    return {c.key: c for c in found}


def test_change_per_owner(built: tuple[list[StatusRow], dict[str, Timeline]]) -> None:
    rows, lines = built
    scored = scorecard(rows, "owner", PERIOD, TODAY, "quarterly", "01-01")
    result = changes(scored, rows, lines, "owner", PERIOD.start, TODAY)
    got = by_key(result.rows)
    # Anna: "up" was 60 on 2026-04-01 (its February version) and is 86 now (its October one). No overdue commitment.
    assert (got[ANNA].quality_then, got[ANNA].quality_now, got[ANNA].quality_change) == (60, 86, 26)
    assert (got[ANNA].overdue_then, got[ANNA].overdue_now, got[ANNA].known_then) == (0, 0, 1)
    # Ben: "down" 86 and "late" 50 then, average 68; now "down" is 76 (no actual) and "late" 50, average 63: -5.
    # "late"'s commitment was due 2026-03-01 and open in its March version (1 overdue then), done now (0).
    assert (got[BEN].quality_then, got[BEN].quality_now, got[BEN].quality_change) == (68, 63, -5)
    assert (got[BEN].overdue_then, got[BEN].overdue_now, got[BEN].overdue_change) == (1, 0, -1)
    # Cleo's plan was first committed on 2026-07-01: not known then, left out (not 0), so no change either.
    assert (got[CLEO].known_then, got[CLEO].quality_then, got[CLEO].overdue_then) == (0, None, None)
    assert got[CLEO].quality_change is None and got[CLEO].overdue_change is None
    assert [c.key for c in result.improved] == [ANNA]
    assert [c.key for c in result.dropped] == [BEN]
    assert [c.key for c in result.ranked()] == [ANNA, CLEO, BEN]


def test_change_per_business_area(built: tuple[list[StatusRow], dict[str, Timeline]]) -> None:
    rows, lines = built
    scored = scorecard(rows, "business_area", PERIOD, TODAY, "quarterly", "01-01")
    got = by_key(changes(scored, rows, lines, "business_area", PERIOD.start, TODAY).rows)
    # Area A: "up" (60 then) and "new" (not known then); now 86 and 50 (its review is late): average 68, +8.
    assert (got[A].plans, got[A].known_then, got[A].quality_then, got[A].quality_now) == (2, 1, 60, 68)
    assert got[A].quality_change == 8
    assert (got[B].quality_then, got[B].quality_now, got[B].overdue_then, got[B].overdue_now) == (68, 63, 1, 0)


def test_twelve_months_of_headline_figures(built: tuple[list[StatusRow], dict[str, Timeline]]) -> None:
    rows, lines = built
    months = monthly(rows, lines, TODAY, "01-01", "quarterly")
    assert [m.day for m in months] == list(month_ends(TODAY))
    # Known plans at each month's end: none before February; up and down from 02-10, late from 03-15, new from 07-01.
    assert [m.plans for m in months] == [0, 0, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4]
    # Overdue for review (quarterly; a review is due three months after the one recorded):
    # Feb, Mar, Apr: none (up and down reviewed 02-01: due 05-01; late reviewed 03-10: due 06-10).
    # May 31: up and down (due 05-01). Jun 30: down and late (up reviewed 06-01 on 06-10: due 09-01).
    # Jul 31, Aug 31: down and late. Sep 30: up (due 09-01), late, new (reviewed 06-20: due 09-20); down was
    # reviewed 09-01. Oct 31: new only (up reviewed 10-01, late 10-10). Today: new (due 09-20); down is due 12-01.
    assert [m.overdue_plans for m in months] == [0, 0, 0, 0, 0, 2, 2, 2, 2, 3, 1, 1]
    # Overdue commitments: late's, due 03-01, open from its 03-15 version until its 10-15 version marked it done.
    assert [m.overdue_commitments for m in months] == [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0]
    # Quality (up, down, late, new): Feb 28 (60 + 86) / 2; Mar to May (60 + 86 + 50) / 3; Jun (86 + 86 + 50) / 3;
    # Jul, Aug (86 + 86 + 50 + 60) / 4; Sep, Oct (86 + 76 + 50 + 60) / 4; today "new"'s review is late: 50.
    expected = [None, None, 73, 196 / 3, 196 / 3, 196 / 3, 222 / 3, 70.5, 70.5, 68, 68, 65.5]
    for month, want in zip(months, expected, strict=True):
        assert month.quality_average == pytest.approx(want) if want is not None else month.quality_average is None
    # Attainment in CHF (every goal is calendar 2026, the fiscal year of every month end from January on;
    # December 2025 is another fiscal year): Feb to May only down gives an actual (150,000 of 500,000);
    # Jun to Aug up too (200,000): 350,000 of 1,000,000; from Sep down has none: up's 200,000 of 500,000.
    sums = [[(u.unit, u.actual, u.target, u.plans) for u in m.attainment] for m in months]
    assert sums == (
        [[], []]
        + [[("CHF", 150000, 500000, 1)]] * 4
        + [[("CHF", 350000, 1000000, 2)]] * 3
        + [[("CHF", 200000, 500000, 1)]] * 3
    )


def export(repo: GitRepo) -> dict[str, dict]:
    """plans.json's plans by id, with their history, as the site makes it (its public timelines)."""
    config = load_config(cwd=repo.path)
    validator = PlanValidator(config)
    result = roll_up(config, validator, TODAY)
    builder = SiteBuilder.public(result.rows, result.history, TODAY, config, validator=validator)
    document = json.loads(plans_json(builder.rows, TODAY, "01-01", builder.timelines))
    return {p["id"]: p for p in document["plans"]}


def test_plans_json_history_of_a_renamed_and_a_deleted_plan(git_repo: GitRepo) -> None:
    git_repo.write("mkdocs.yml", MKDOCS)
    git_repo.commit("first", "2026-02-10T09:00:00+00:00",
                    **{"plans__first.md": version("first", ANNA, A, "2026-02-01"),
                       "plans__back.md": version("back", BEN, B, "2026-02-01")})  # fmt: skip
    git_repo.git("mv", "plans/first.md", "plans/moved.md")  # and its id with it, as kamdocs asks
    git_repo.commit(
        "renamed", "2026-03-10T09:00:00+00:00", **{"plans__moved.md": version("moved", ANNA, A, "2026-02-01")}
    )
    git_repo.commit("actual", "2026-04-10T09:00:00+00:00",
                    **{"plans__moved.md": version("moved", ANNA, A, "2026-04-01", actual=1000)})  # fmt: skip
    git_repo.git("rm", "-q", "plans/back.md")
    git_repo.commit("deleted", "2026-05-10T09:00:00+00:00")
    git_repo.commit("again", "2026-06-10T09:00:00+00:00",
                    **{"plans__back.md": version("back", BEN, B, "2026-06-01", actual=7)})  # fmt: skip
    plans = export(git_repo)
    moved = plans["moved"]["history"]["changes"]
    # Written as first.md on 02-10; the rename on 03-10 changed no figure (not a change); the actual on 04-10:
    # 60 then, 70 with the actual (100 less 40, less the 10 of goal-actual-missing).
    assert [(c["day"], c.get("file")) for c in moved] == [("2026-02-10", "plans/first.md"), ("2026-04-10", None)]
    assert "goal_actual" not in moved[0]["figures"] and moved[1]["figures"]["goal_actual"] == 1000
    assert [c["figures"]["quality_score"] for c in moved] == [60, 70]
    back = plans["back"]["history"]["changes"]
    # Added on 02-10, deleted on 05-10 (a change: the plan was gone), added again on 06-10 with an actual of 7.
    assert [(c["day"], c["figures"]["kind"]) for c in back] == [
        ("2026-02-10", "valid"), ("2026-05-10", "deleted"), ("2026-06-10", "valid"),
    ]  # fmt: skip
    assert back[1]["figures"] == {"kind": "deleted"} and back[2]["figures"]["goal_actual"] == 7


def test_plans_json_history_of_a_shallow_clone(git_repo: GitRepo, tmp_path: Path) -> None:
    git_repo.write("mkdocs.yml", MKDOCS)
    for day, name, text in HISTORY:
        git_repo.commit(f"{name} on {day}", f"{day}T09:00:00+00:00", **{f"plans__{name}.md": text})
    clone = GitRepo.__new__(GitRepo)
    clone.path = tmp_path / "shallow"
    git_repo.git("clone", "-q", "--depth", "2", f"file://{git_repo.path}", str(clone.path))
    plans = export(clone)
    # The two newest commits: up on 10-05 and late on 10-15. Each plan's first change here is its version in
    # force in the clone's oldest commit (10-05), and the history says it is cut.
    assert all(p["history"]["shallow"] for p in plans.values())
    assert [c["day"] for c in plans["late"]["history"]["changes"]] == ["2026-10-05", "2026-10-15"]
    assert [c["day"] for c in plans["up"]["history"]["changes"]] == ["2026-10-05"]
