"""The key account manager's scorecard: a roll-up per owner, reviewer or business area over a period.

The traditional plan is part of the KAM's scorecard: the reviewer judges it,
and the work it commits to is delivered or not. This module counts, per
person (or area), over one period (by default the current fiscal year):

- plans owned: plans, not archived, whose goal period overlaps the period;
- quality: the average and the lowest score of those that are active;
- plans overdue for review now, and their days overdue;
- commitments due in the period (not dropped), split into done on time,
  done late (by the day git saw them become done, see :mod:`kamdocs.history.delivery`),
  overdue (past due, still open or in progress) and open (not due yet), so that
  ``due = on_time + late + overdue + open``;
- goal attainment per currency or unit, over the plans whose goal counts in the
  period: the sum of actuals over the sum of the targets of the same plans;
- reviews due in the period (each deadline, a review interval after a recorded
  review, that has passed) and how many were met by the next review; not known
  (None) when git history cannot tell, which a count of 0 would misreport.

It is a pure function of the status rows, the period and today.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from kamdocs.calendar.fiscal import FiscalYear, fiscal_year_of
from kamdocs.history.delivery import done_day
from kamdocs.plan.model import Plan
from kamdocs.report.budget import summed
from kamdocs.report.rollup import StatusRow, filled
from kamdocs.rules.freshness import interval_of

NOT_FILLED = "(not filled in)"
"""The row of plans whose owner, reviewer or area is still a placeholder: one row, not a person called 'TODO: ...'."""

GROUPINGS: dict[str, Callable[[StatusRow], str]] = {
    "owner": lambda r: filled(r.plan.owner) or NOT_FILLED,
    "reviewer": lambda r: filled(r.plan.review.reviewer) or NOT_FILLED,
    "business_area": lambda r: filled(r.plan.business_area) or NOT_FILLED,
}


@dataclass(frozen=True)
class Period:
    """The span of days a scorecard covers, with its label."""

    start: date
    end: date
    label: str
    fiscal_year: bool = False
    """True when the period is one fiscal year: goals then count by the fiscal year their period ends in."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def fiscal_period(year: FiscalYear) -> Period:
    """The scorecard period of one fiscal year."""
    return Period(year.start, year.end, f"fiscal year {year.label}", fiscal_year=True)


@dataclass(frozen=True)
class Attainment:
    """Goal attainment of one unit over a scorecard row's plans."""

    unit: str
    actual: float
    target: float
    """The targets of the plans that give an actual: the other side of the ratio."""
    plans: int
    missing: int
    """Plans whose goal counts in the period but give no actual: left out, never read as 0."""

    @property
    def ratio(self) -> float | None:
        return attainment_ratio(self.actual, self.target)


def attainment_ratio(actual: float, target: float) -> float | None:
    """Actual over target; None for no target or a ratio too large for a float (never an infinite bar)."""
    if not target:
        return None
    value = actual / target
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class ScorecardRow:
    """One owner's, reviewer's or business area's figures over the period."""

    key: str
    plan_ids: tuple[str, ...]
    quality_average: float | None
    quality_lowest: int | None
    lowest_plan: str | None
    lowest_account: str | None
    """The account of the lowest-scoring plan: what a reader knows it by."""
    overdue_plans: int
    days_overdue_total: int
    days_overdue_most: int
    commitments_due: int
    done_on_time: int
    done_late: int
    overdue: int
    open: int
    attainment: tuple[Attainment, ...]
    reviews_due: int | None
    """None when git history cannot tell (no git, a shallow clone): never a count of 0."""
    reviews_on_time: int | None
    reviews_since: date | None = None
    """The day the row's git history starts, when it starts after the period and after reviews it never saw."""

    @property
    def plans(self) -> int:
        return len(self.plan_ids)


def scorecard(rows: Iterable[StatusRow], by: str, period: Period, today: date, default_interval: str,
              fiscal_year_start: str) -> list[ScorecardRow]:  # fmt: skip
    """One row per owner, reviewer or business area (``by``), sorted by name."""
    key = GROUPINGS[by]
    groups: dict[str, list[StatusRow]] = {}
    for row in rows:
        plan = row.plan
        if plan.status == "archived" or plan.goal.period.end < period.start or plan.goal.period.start > period.end:
            continue
        groups.setdefault(key(row), []).append(row)
    return [
        _row(name, members, period, today, default_interval, fiscal_year_start)
        for name, members in sorted(groups.items(), key=lambda kv: (kv[0].casefold(), kv[0]))
    ]


def _row(name: str, rows: Sequence[StatusRow], period: Period, today: date, default_interval: str,
         fiscal_year_start: str) -> ScorecardRow:  # fmt: skip
    average, lowest = _quality(rows)
    overdue = [r.freshness.days_overdue for r in rows if r.freshness.state == "overdue"]
    counts = _commitment_counts(rows, period, today)
    reviews_due, reviews_on_time, since = _reviews(rows, period, today, default_interval)
    return ScorecardRow(
        key=name,
        plan_ids=tuple(sorted(r.plan.id for r in rows)),
        quality_average=average,
        quality_lowest=lowest[0],
        lowest_plan=lowest[1],
        lowest_account=lowest[2],
        overdue_plans=len(overdue),
        days_overdue_total=sum(overdue),
        days_overdue_most=max(overdue, default=0),
        commitments_due=sum(counts.values()),
        done_on_time=counts["on_time"],
        done_late=counts["late"],
        overdue=counts["overdue"],
        open=counts["open"],
        attainment=attainment(rows, period, fiscal_year_start),
        reviews_due=reviews_due,
        reviews_on_time=reviews_on_time,
        reviews_since=since,
    )


def _quality(rows: Sequence[StatusRow]) -> tuple[float | None, tuple[int | None, str | None, str | None]]:
    """The average score of the plans that have one, and the lowest (score, plan id, account); all None
    when no plan has a score (a missing score is missing, never 0)."""
    judged = [
        (r.quality.score, r.plan.id, r.plan.account)
        for r in rows
        if r.quality is not None and r.quality.band is not None
    ]
    if not judged:
        return None, (None, None, None)
    return sum(s for s, _, _ in judged) / len(judged), min(judged)


def _commitment_counts(rows: Sequence[StatusRow], period: Period, today: date) -> dict[str, int]:
    """The commitments due in the period, not dropped: done on time, done late, overdue, still open."""
    counts = {"on_time": 0, "late": 0, "overdue": 0, "open": 0}
    for r in rows:
        for c in r.plan.commitments:
            if c.status == "dropped" or c.due not in period:
                continue
            done = done_day(r.delivery, c, today)
            if done is not None:
                counts["on_time" if done <= c.due else "late"] += 1
            else:
                counts["overdue" if c.due < today else "open"] += 1
    return counts


def _reviews(
    rows: Sequence[StatusRow], period: Period, today: date, default_interval: str
) -> tuple[int | None, int | None, date | None]:
    """Reviews due in the period and those made on time, over the plans whose git history tells (None, None
    when none does), and the latest day a plan's history starts when it starts inside the period."""
    told = [r for r in rows if r.delivery is not None and r.delivery.tells_reviews]
    if not told:
        return None, None, None
    due, met, since = 0, 0, None
    for r in told:
        d, m, partial = reviews_in(r, period, today, default_interval)
        due, met = due + d, met + m
        start = r.delivery.since if partial and r.delivery is not None else None
        if start is not None:
            since = start if since is None else max(since, start)
    return due, met, since


def counts_in(row: StatusRow, period: Period, fiscal_year_start: str) -> bool:
    """Whether the plan's goal counts in the period: by the fiscal year its period ends in, or its end in the range."""
    end = row.plan.goal.period.end
    if period.fiscal_year:
        year = fiscal_year_of(end, fiscal_year_start)
        return (year.start, year.end) == (period.start, period.end)
    return end in period


def attainment(rows: Sequence[StatusRow], period: Period, fiscal_year_start: str) -> tuple[Attainment, ...]:
    """Per unit, over the plans whose goal counts in the period; units never added together, and no line for a
    unit that is still the template's placeholder (the budget lists those plans as incomplete)."""
    by_unit: dict[str, list[Plan]] = {}
    for r in rows:
        if counts_in(r, period, fiscal_year_start) and filled(r.plan.goal.unit):  # a placeholder is no unit
            by_unit.setdefault(r.plan.goal.unit, []).append(r.plan)
    lines = [summed(None, None, unit, by_unit[unit]) for unit in sorted(by_unit)]  # the budget's own sums
    return tuple(
        Attainment(line.unit, line.actual or 0.0, line.target_with_actual, line.plans, line.actuals_missing)
        for line in lines
    )


def reviews_in(row: StatusRow, period: Period, today: date, default_interval: str) -> tuple[int, int, bool]:
    """(due, on time, partial): review deadlines in the period that have passed, and those the next review met.

    The reviews are the review dates git recorded (the plan's current one
    without git). Each review sets a deadline one interval later; a deadline
    counts when it falls in the period before today, and is met when a later
    review is dated on or before it.

    Reviews made before git knew the plan are not known, so a deadline before
    the plan's first commit is not counted. ``partial`` says the count misses
    some of the period: the plan was reviewed before its first commit (it was
    imported, not started, in git) and that commit came after the period began.
    """
    delivery = row.delivery
    if delivery is not None and delivery.known and delivery.reviews:
        reviews = sorted({value for value, _ in delivery.reviews})
    else:
        reviews = [row.plan.review.last_reviewed] if row.plan.review.last_reviewed else []
    last = row.plan.review.last_reviewed
    if last is not None and last not in reviews:  # an uncommitted review in the working tree
        reviews = sorted([*reviews, last])
    interval = interval_of(row.plan, default_interval)[1]
    since = delivery.since if delivery is not None else None
    partial = since is not None and since > period.start and bool(reviews) and reviews[0] < since
    due = met = 0
    for i, review in enumerate(reviews):
        if not interval.fits(review):
            continue
        deadline = interval.after(review)
        if deadline not in period or deadline >= today:
            continue
        if since is not None and deadline < since:
            continue
        due += 1
        following = reviews[i + 1] if i + 1 < len(reviews) else None
        met += following is not None and following <= deadline
    return due, met, partial
