"""Freshness states and rules at their boundaries: the day itself, the day
before, the day after, and month-end clamping."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from kamdocs.calendar.clock import ClockError, resolve_today
from kamdocs.calendar.intervals import parse_interval
from kamdocs.config import Config
from kamdocs.findings import Severity
from kamdocs.plan.loader import load
from kamdocs.plan.model import plan_from_data
from kamdocs.rules.freshness import assess
from kamdocs.rules.pipeline import CheckRun, check_paths

from .conftest import plan_text

D = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "interval", "expected"),
    [
        ("2026-11-30", "quarterly", "2027-02-28"),
        ("2027-11-30", "quarterly", "2028-02-29"),
        ("2026-01-31", "monthly", "2026-02-28"),
        ("2026-03-31", "monthly", "2026-04-30"),
        ("2026-08-31", "semiannual", "2027-02-28"),
        ("2024-02-29", "annual", "2025-02-28"),
        ("2026-01-01", "P6W", "2026-02-12"),
        ("2026-01-01", "P90D", "2026-04-01"),
        ("2026-11-30", "P3M", "2027-02-28"),
        ("2026-01-31", "P1M2D", "2026-03-02"),
        ("2026-01-01", "P1Y", "2027-01-01"),
    ],
)
def test_next_review_dates(start: str, interval: str, expected: str) -> None:
    assert parse_interval(interval).after(D(start)) == D(expected)


def make_plan(tmp_path: Path, **replace: str):
    path = tmp_path / "p.md"
    path.write_text(plan_text("p", **replace), encoding="utf-8")
    source = load(path, tmp_path, 1 << 20).source
    return plan_from_data(source.data, "p.md", source.body)


# The minimal plan: last_reviewed 2026-10-01, quarterly -> next review 2027-01-01.
@pytest.mark.parametrize(
    ("today", "state", "days_overdue", "days_left"),
    [
        ("2026-12-17", "fresh", 0, 15),
        ("2026-12-18", "due-soon", 0, 14),
        ("2026-12-31", "due-soon", 0, 1),
        ("2027-01-01", "due-soon", 0, 0),
        ("2027-01-02", "overdue", 1, None),
        ("2027-03-01", "overdue", 59, None),
    ],
)
def test_plan_states_at_the_boundaries(tmp_path: Path, today: str, state: str, days_overdue: int, days_left) -> None:
    fresh = assess(make_plan(tmp_path), D(today), "quarterly", 14)
    assert (fresh.state, fresh.days_overdue, fresh.days_left) == (state, days_overdue, days_left)
    assert fresh.next_review == D("2027-01-01")


def test_default_interval_applies_when_the_plan_sets_none(tmp_path: Path) -> None:
    plan = make_plan(tmp_path, **{"  interval: quarterly\n": ""})
    assert assess(plan, D("2026-11-01"), "monthly", 14).next_review == D("2026-11-01")
    assert assess(plan, D("2026-11-01"), "annual", 14).interval == "annual"


def test_never_reviewed_draft_and_archived(tmp_path: Path) -> None:
    draft = make_plan(
        tmp_path, **{"kind: one-page": "kind: one-page\nstatus: draft", "  last_reviewed: 2026-10-01\n": ""}
    )
    assert assess(draft, D("2030-01-01"), "quarterly", 14).state == "never-reviewed"
    archived = make_plan(tmp_path, **{"kind: one-page": "kind: one-page\nstatus: archived"})
    result = assess(archived, D("2030-01-01"), "quarterly", 14)
    assert (result.state, result.overdue_commitments) == ("archived", 0)


def findings_on(tmp_path: Path, today: str, config: Config | None = None, **replace: str):
    (tmp_path / "plans").mkdir(exist_ok=True)
    (tmp_path / "plans" / "p.md").write_text(plan_text("p", **replace), encoding="utf-8")
    result = check_paths(None, CheckRun.with_freshness(config or Config(root=tmp_path), D(today)))
    return [(f.rule, f.line, f.column, f.severity.value) for f in result.findings]


LATER = {"due: 2026-12-15": "due: 2027-12-15", "end: 2026-12-31": "end: 2027-12-31"}
"""Moves the commitment and goal period out of the way of review-date tests."""


def test_review_overdue_points_at_last_reviewed(tmp_path: Path) -> None:
    assert findings_on(tmp_path, "2027-01-01", **LATER) == []
    assert findings_on(tmp_path, "2027-01-02", **LATER) == [("review-overdue", 9, 18, "warning")]


def test_commitment_overdue_from_the_day_after_its_due_date(tmp_path: Path) -> None:
    # The commitment is due 2026-12-15 and open; the goal period ends 2026-12-31.
    assert findings_on(tmp_path, "2026-12-15") == []
    assert findings_on(tmp_path, "2026-12-16") == [("commitment-overdue", 31, 10, "warning")]
    assert findings_on(tmp_path, "2026-12-16", **{"status: open": "status: done"}) == []
    assert findings_on(tmp_path, "2026-12-16", **{"status: open": "status: in-progress"})[0][0] == "commitment-overdue"


def test_goal_expired_after_the_period_end(tmp_path: Path) -> None:
    replace = {"due: 2026-12-15": "due: 2027-12-15", "last_reviewed: 2026-10-01": "last_reviewed: 2026-12-20"}
    assert findings_on(tmp_path, "2026-12-31", **replace) == []
    assert findings_on(tmp_path, "2027-01-01", **replace) == [("goal-expired", 17, 10, "warning")]


def test_review_in_future(tmp_path: Path) -> None:
    assert findings_on(tmp_path, "2026-10-01") == []
    assert findings_on(tmp_path, "2026-09-30") == [("review-in-future", 9, 18, "warning")]


def test_kpi_stale_after_one_interval(tmp_path: Path) -> None:
    full = (Path(__file__).parent / "example-files" / "positive" / "full-minimal.md").read_text(encoding="utf-8")
    (tmp_path / "plans").mkdir()
    path = tmp_path / "plans" / "full-minimal.md"
    # KPI as of 2026-09-30 (line 30), quarterly: still current on 2026-12-30, stale the day after.
    path.write_text(full.replace("due: 2026-12-15", "due: 2027-06-15"), encoding="utf-8")
    day_of = check_paths(None, CheckRun.with_freshness(Config(root=tmp_path), D("2026-12-30"))).findings
    day_after = check_paths(None, CheckRun.with_freshness(Config(root=tmp_path), D("2026-12-31"))).findings
    assert [f.rule for f in day_of] == []
    assert [(f.rule, f.line) for f in day_after] == [("kpi-stale", 30)]


def test_contact_stale_after_two_intervals(tmp_path: Path) -> None:
    contact = "buying_center:\n  - name: Ana\n    role: champion\n    last_contact: 2026-05-31\n"
    replace = {"commitments:": contact + "commitments:", "due: 2026-12-15": "due: 2027-12-15"}
    # 2026-05-31 + 2 quarters = 2026-11-30 (clamped from the 31st).
    assert findings_on(tmp_path, "2026-11-30", **replace) == []
    assert findings_on(tmp_path, "2026-12-01", **replace) == [("contact-stale", 30, 19, "warning")]


def test_drafts_and_archived_plans_get_no_freshness_findings(tmp_path: Path) -> None:
    for status in ("draft", "archived"):
        assert findings_on(tmp_path, "2030-01-01", **{"kind: one-page": f"kind: one-page\nstatus: {status}"}) == []


def test_severity_is_configurable_per_rule(tmp_path: Path) -> None:
    config = Config(root=tmp_path, severity={"review-overdue": Severity.ERROR})
    got = findings_on(tmp_path, "2027-01-02", config, **LATER)
    assert got == [("review-overdue", 9, 18, "error")]


def test_check_without_today_has_no_freshness(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "p.md").write_text(plan_text("p"), encoding="utf-8")
    assert check_paths(None, CheckRun.without_freshness(Config(root=tmp_path))).findings == ()


def test_one_clock() -> None:
    assert resolve_today("2026-05-01", {"SOURCE_DATE_EPOCH": "0"}) == D("2026-05-01")
    assert resolve_today(None, {"SOURCE_DATE_EPOCH": "1767225600"}) == D("2026-01-01")
    assert resolve_today(None, {"SOURCE_DATE_EPOCH": "1767225599"}) == D("2025-12-31")
    assert resolve_today(None, {}) in (date.today(), date.today() + timedelta(days=1))
    with pytest.raises(ClockError, match="expected a date YYYY-MM-DD"):
        resolve_today("2026-02-30", {})
    with pytest.raises(ClockError, match="SOURCE_DATE_EPOCH"):
        resolve_today(None, {"SOURCE_DATE_EPOCH": "yesterday"})


@pytest.mark.parametrize(("interval", "days"), [("P10D", 10), ("P2W", 14), ("P6W", 42), ("P1W3D", 10), ("P1D", 1)])
def test_contact_stale_after_exactly_two_day_or_week_intervals(tmp_path: Path, interval: str, days: int) -> None:
    """Two intervals of ``days`` days each, counted here with plain day arithmetic, not the code under test."""
    touched = D("2026-06-10")
    contact = f"buying_center:\n  - name: Ana\n    role: champion\n    last_contact: {touched.isoformat()}\n"
    replace = {"commitments:": contact + "commitments:", "interval: quarterly": f"interval: {interval}", **LATER}

    def stale(today: date) -> list[tuple]:
        return [f for f in findings_on(tmp_path, today.isoformat(), **replace) if f[0] == "contact-stale"]

    two = timedelta(days=2 * days)
    assert stale(touched + two - timedelta(days=1)) == []
    assert stale(touched + two) == []
    assert stale(touched + two + timedelta(days=1)) == [("contact-stale", 30, 19, "warning")]
    assert stale(touched + timedelta(days=days + 1)) == []  # one interval late is not yet two


@pytest.mark.parametrize(("interval", "days"), [("P10D", 10), ("P2W", 14), ("P6W", 42)])
def test_kpi_and_review_follow_day_and_week_intervals(tmp_path: Path, interval: str, days: int) -> None:
    replace = {"interval: quarterly": f"interval: {interval}", **LATER}
    reviewed = D("2026-10-01")
    due = reviewed + timedelta(days=days)
    rules = lambda today: [f[0] for f in findings_on(tmp_path, today.isoformat(), **replace)]  # noqa: E731
    assert rules(due) == []
    assert rules(due + timedelta(days=1)) == ["review-overdue"]
    fresh = assess(make_plan(tmp_path, **replace), due, interval, 14)
    assert (fresh.next_review, fresh.days_left) == (due, 0)


ONE_DAY_GOAL = {
    "start: 2026-01-01": "start: 2027-03-31",
    "end: 2026-12-31": "end: 2027-03-31",
    "due: 2026-12-15": "due: 2027-12-15",
    "last_reviewed: 2026-10-01": "last_reviewed: 2027-03-01",
}
"""A goal period of one day: it starts and ends on 2027-03-31."""


def test_goal_period_of_one_day_is_valid_and_expires_the_day_after(tmp_path: Path) -> None:
    for today in ("2027-03-01", "2027-03-30", "2027-03-31"):
        assert findings_on(tmp_path, today, **ONE_DAY_GOAL) == [], today
    assert findings_on(tmp_path, "2027-04-01", **ONE_DAY_GOAL) == [("goal-expired", 17, 10, "warning")]
    inverted = {**ONE_DAY_GOAL, "start: 2026-01-01": "start: 2027-04-01"}
    assert [f[0] for f in findings_on(tmp_path, "2027-03-31", **inverted)] == ["period-inverted"]


def test_goal_period_of_one_day_in_status_and_the_plan_model(tmp_path: Path) -> None:
    plan = make_plan(tmp_path, **ONE_DAY_GOAL)
    assert plan.goal.period.start == plan.goal.period.end == D("2027-03-31")
    assert assess(plan, D("2027-03-31"), "quarterly", 14).state == "fresh"
