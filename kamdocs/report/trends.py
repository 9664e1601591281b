"""The manager's trends: how each owner's, reviewer's and business area's plans changed over a period, and
the dashboard's headline figures month by month, from the plans' timelines (:mod:`kamdocs.report.timeline`).

"Then" is the state at the start of the period (the scorecard's period, or twelve months ago), read from
each plan's version in force that day (:meth:`Timeline.at`); "now" is today's state, the status rows the
scorecard and the dashboard already show, so a trend ends on the figure beside it. A plan git knew nothing
of on a day (not committed yet, deleted, invalid, or confidential then: its public timeline has no such
version) is left out of that day's figures and counted as not known, never as 0.

A version's figures are those it had judged on its own day (the day of its commit): a month's figure is
each plan's state at its last commit on or before the month's end. A review deadline that passed after
that commit is counted (the review it recorded and today's interval tell when); a commitment that fell
due after it counts from the next commit (or today's state) on, since a version's figures keep the counts,
not the due days.

Pure functions of the status rows, the timelines and today; no site imports.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from kamdocs.calendar.fiscal import fiscal_year_of
from kamdocs.calendar.intervals import Interval
from kamdocs.report.figures import Figures
from kamdocs.report.rollup import StatusRow, filled
from kamdocs.report.scorecard import ScorecardRow, attainment_ratio
from kamdocs.report.timeline import Timeline
from kamdocs.rules.freshness import interval_of

MONTHS = 12
"""The dashboard's trends cover the last twelve months: eleven month ends and today."""


def months_ago(today: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it is shorter): "12 months ago"."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def month_ends(today: date, months: int = MONTHS) -> tuple[date, ...]:
    """The last day of each of the ``months - 1`` months before today's, oldest first, then today."""
    ends = []
    for back in range(months - 1, 0, -1):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        ends.append(date(year, month + 1, calendar.monthrange(year, month + 1)[1]))
    return (*ends, today)


def state_then(timeline: Timeline | None, day: date) -> Figures | None:
    """A plan's figures in force at the end of ``day``; None when it had no valid public version then."""
    if timeline is None:
        return None
    point = timeline.at(day)
    if point is None or point.figures.kind != "valid":
        return None
    return point.figures


@dataclass(frozen=True)
class Change:
    """One owner's, reviewer's or business area's change from ``then`` to today, over the plans the
    scorecard counts for them (grouped by who owns, reviews and holds each plan today)."""

    key: str
    plans: int
    known_then: int
    """Of those plans, how many had a valid public version then: the others are left out of "then"."""
    quality_then: float | None
    quality_now: float | None
    overdue_then: int | None
    """Overdue commitments then over the plans known then; None when no plan was known then."""
    overdue_now: int
    reviews_due: int | None
    reviews_on_time: int | None

    @property
    def quality_change(self) -> float | None:
        if self.quality_then is None or self.quality_now is None:
            return None
        return self.quality_now - self.quality_then

    @property
    def overdue_change(self) -> int | None:
        return None if self.overdue_then is None else self.overdue_now - self.overdue_then

    @property
    def rank(self) -> tuple[float, int]:
        """How much better: the rise in average quality first, then the fall in overdue commitments; an
        unknown change counts as none."""
        return (self.quality_change or 0.0, -(self.overdue_change or 0))


@dataclass(frozen=True)
class Changes:
    """Every group's change over one period, and those that improved and dropped, the largest first."""

    by: str
    then: date
    today: date
    rows: tuple[Change, ...]
    """In the scorecard's order (by name)."""

    @property
    def improved(self) -> tuple[Change, ...]:
        """Groups whose plans got better, most improved first."""
        better = [c for c in self.rows if c.rank > (0.0, 0)]
        return tuple(sorted(better, key=lambda c: (_negated(c.rank), c.key.casefold())))

    @property
    def dropped(self) -> tuple[Change, ...]:
        """Groups whose plans got worse, the biggest drop first."""
        worse = [c for c in self.rows if c.rank < (0.0, 0)]
        return tuple(sorted(worse, key=lambda c: (c.rank, c.key.casefold())))

    def ranked(self) -> tuple[Change, ...]:
        """Most improved first, then those that did not move, then the drops with the biggest last."""
        moved = {c.key for c in (*self.improved, *self.dropped)}
        still = tuple(c for c in self.rows if c.key not in moved)
        return (*self.improved, *still, *reversed(self.dropped))


def _negated(rank: tuple[float, int]) -> tuple[float, int]:
    return (-rank[0], -rank[1])


def then_of(period_start: date | None, today: date) -> date:
    """The day "then" is: the period's start (never after today), or twelve months ago without a period."""
    if period_start is None:
        return months_ago(today, MONTHS)
    return min(period_start, today)


def changes(
    scored: Sequence[ScorecardRow],
    rows: Sequence[StatusRow],
    timelines: Mapping[str, Timeline],
    by: str,
    then: date,
    today: date,
) -> Changes:
    """Each scorecard row's change from ``then`` to today: average quality and overdue commitments then
    (from the timelines) and now (today's rows), with the row's reviews on time over its period."""
    by_id = {r.plan.id: r for r in rows}
    out = []
    for score in scored:
        members = [by_id[i] for i in score.plan_ids if i in by_id]
        before = [state_then(timelines.get(r.plan.file), then) for r in members]
        known = [f for f in before if f is not None]
        out.append(
            Change(
                key=score.key,
                plans=len(members),
                known_then=len(known),
                quality_then=_average(f.quality_score for f in known if f.quality_band is not None),
                quality_now=_average(r.quality.score for r in members if r.quality is not None and r.quality.band),
                overdue_then=sum(f.overdue_commitments or 0 for f in known) if known else None,
                overdue_now=sum(r.freshness.overdue_commitments for r in members),
                reviews_due=score.reviews_due,
                reviews_on_time=score.reviews_on_time,
            )
        )
    return Changes(by, then, today, tuple(out))


def _average(scores: Iterable[int | None]) -> float | None:
    values = [s for s in scores if s is not None]
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class UnitSum:
    """Attainment of one currency or unit on one day: the sum of actuals over the sum of the targets of the
    plans that give both, whose goal counts in that day's fiscal year (the dashboard's money cards' figure)."""

    unit: str
    actual: float
    target: float
    plans: int

    @property
    def ratio(self) -> float | None:
        return attainment_ratio(self.actual, self.target)


@dataclass(frozen=True)
class Month:
    """The dashboard's headline figures on one day (a month's end, or today), over the plans known then."""

    day: date
    plans: int
    """Plans whose state that day is known: the others are left out, never counted as 0."""
    overdue_plans: int
    overdue_commitments: int
    quality_average: float | None
    quality_plans: int
    attainment: tuple[UnitSum, ...]


@dataclass(frozen=True)
class _State:
    """What one plan adds to a day's figures."""

    overdue: bool
    overdue_commitments: int
    quality: int | None
    archived: bool
    unit: str | None
    actual: float | None
    target: float | None
    period_end: date | None


def monthly(
    rows: Sequence[StatusRow], timelines: Mapping[str, Timeline], today: date, fiscal_year_start: str,
    default_interval: str, months: int = MONTHS,
) -> tuple[Month, ...]:  # fmt: skip
    """The headline figures at each of the last ``months - 1`` month ends (from the timelines) and today
    (from the rows), oldest first. Only plans shown today are counted: one deleted since is not on the site.

    A plan is overdue for review at a month's end when its version then was, or when the review it
    recorded was more than its interval (today's) before that day: a plan nobody touched is the one whose
    review is missed, and it has no commit to be judged at."""
    out = []
    intervals = [interval_of(r.plan, default_interval)[1] for r in rows]
    for day in month_ends(today, months):
        states: list[_State | None]
        if day == today:
            states = [_now(r) for r in rows]
        else:
            states = [
                _past(state_then(timelines.get(r.plan.file), day), day, interval)
                for r, interval in zip(rows, intervals, strict=True)
            ]
        areas = [filled(r.plan.business_area) is not None for r in rows]
        out.append(
            _month(day, [(s, a) for s, a in zip(states, areas, strict=True) if s is not None], fiscal_year_start)
        )
    return tuple(out)


def _now(row: StatusRow) -> _State:
    plan, quality = row.plan, row.quality
    return _State(
        overdue=row.freshness.state == "overdue",
        overdue_commitments=row.freshness.overdue_commitments,
        quality=quality.score if quality is not None and quality.band is not None else None,
        archived=plan.status == "archived",
        unit=filled(plan.goal.unit),
        actual=plan.goal.actual,
        target=plan.goal.target,
        period_end=plan.goal.period.end,
    )


def _past(figures: Figures | None, day: date, interval: Interval) -> _State | None:
    if figures is None:
        return None
    last = figures.last_reviewed
    aged = (
        figures.freshness in ("fresh", "due-soon")
        and last is not None
        and interval.fits(last)
        and interval.after(last) < day
    )
    return _State(
        overdue=figures.freshness == "overdue" or aged,
        overdue_commitments=figures.overdue_commitments or 0,
        quality=figures.quality_score if figures.quality_band is not None else None,
        archived=figures.freshness == "archived",
        unit=filled(figures.goal_unit),
        actual=figures.goal_actual,
        target=figures.goal_target,
        period_end=figures.period_end,
    )


def _month(day: date, states: Sequence[tuple[_State, bool]], fiscal_year_start: str) -> Month:
    year = fiscal_year_of(day, fiscal_year_start)
    sums: dict[str, list[tuple[float, float]]] = {}
    for s, area_filled in states:
        if s.archived or not area_filled or s.unit is None or s.actual is None or s.target is None:
            continue
        if s.period_end is None or fiscal_year_of(s.period_end, fiscal_year_start) != year:
            continue
        sums.setdefault(s.unit, []).append((s.actual, s.target))
    scores = [s.quality for s, _ in states if s.quality is not None]
    return Month(
        day=day,
        plans=len(states),
        overdue_plans=sum(s.overdue for s, _ in states),
        overdue_commitments=sum(s.overdue_commitments for s, _ in states),
        quality_average=sum(scores) / len(scores) if scores else None,
        quality_plans=len(scores),
        attainment=tuple(
            UnitSum(unit, _fsum(a for a, _ in pairs), _fsum(t for _, t in pairs), len(pairs))
            for unit, pairs in sorted(sums.items())
        ),
    )


def _fsum(values: Iterable[float]) -> float:
    items = list(values)
    try:
        return math.fsum(items)
    except OverflowError:
        return math.copysign(math.inf, sum(items))
