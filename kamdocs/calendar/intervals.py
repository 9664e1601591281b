"""Review intervals: the named ones and ISO 8601 durations such as P6W or P3M.

Month steps are calendar months clamped to the month's end, the way people
count them: 30 November plus a quarter is 28 February, not 2 March.

An interval is at least one day and at most :data:`MAX_MONTHS` months plus
:data:`MAX_DAYS` days: ``P0D`` would make every plan overdue the day after
its review, and ``P99999Y`` leaves the calendar. The calendar itself ends on
9999-12-31; :meth:`Interval.after` stops there, and :meth:`Interval.fits`
tells whether it had to, so a check can say so instead of a command crashing.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MAX_MONTHS = 1200
"""A hundred years of months: no review cadence is longer."""
MAX_DAYS = 36525
"""A hundred years of days and weeks."""

NAMED = {"monthly": "P1M", "quarterly": "P3M", "semiannual": "P6M", "annual": "P1Y"}
_DURATION = re.compile(r"P(?=[0-9])(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)?")


@dataclass(frozen=True)
class Interval:
    """A review cadence: whole months plus days, so that quarterly stays the same day of the month."""

    months: int = 0
    days: int = 0

    def after(self, start: date, times: int = 1) -> date:
        """``start`` plus this interval ``times`` over, months first, clamped to month end.

        A result past the calendar's last day is 9999-12-31 (``date.max``);
        callers that must not rely on that ask :meth:`fits` first.
        """
        months = start.month - 1 + self.months * times
        year = start.year + months // 12
        if year > date.max.year:
            return date.max
        month = months % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        shifted = date(year, month, day)
        if (date.max - shifted).days < self.days * times:
            return date.max
        return shifted + timedelta(days=self.days * times)

    def fits(self, start: date, times: int = 1) -> bool:
        """Whether ``start`` plus this interval ``times`` over is still inside the calendar."""
        months = start.month - 1 + self.months * times
        year = start.year + months // 12
        if year > date.max.year:
            return False
        month = months % 12 + 1
        shifted = date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
        return (date.max - shifted).days >= self.days * times


class IntervalRangeError(ValueError):
    """A well-formed duration that is zero or longer than any review cadence."""


def is_interval(text: str) -> bool:
    """Whether ``text`` is a named interval or a duration of one day to a hundred years."""
    try:
        parse_interval(text)
    except ValueError:
        return False
    return True


def parse_interval(text: str) -> Interval:
    """An :class:`Interval` from ``quarterly`` or ``P1Y2M3W4D``.

    ValueError when it is not one; :class:`IntervalRangeError` (a ValueError)
    when it is well formed but zero or out of range.
    """
    match = _DURATION.fullmatch(NAMED.get(text, text))
    if match is None:
        raise ValueError(f"not an interval: {text!r}")
    groups = match.groups()
    if any(g is not None and len(g.lstrip("0")) > 6 for g in groups):
        raise IntervalRangeError(f"{text!r}, which is longer than a hundred years")
    years, months, weeks, days = (int(g or 0) for g in groups)
    interval = Interval(months=years * 12 + months, days=weeks * 7 + days)
    if interval.months == 0 and interval.days == 0:
        raise IntervalRangeError(f"{text!r}, which is zero")
    if interval.months > MAX_MONTHS or interval.days > MAX_DAYS:
        raise IntervalRangeError(f"{text!r}, which is longer than a hundred years")
    return interval


def elapsed_share(start: date, end: date, today: date) -> float:
    """How much of the period from ``start`` to ``end`` (both included) has passed by the end of ``today``:
    0 before it starts, 1 from its last day on; the goal bar marks it, to set the actual against."""
    if today < start:
        return 0.0
    days = (end - start).days + 1
    if days <= 0 or today >= end:
        return 1.0
    return ((today - start).days + 1) / days


def year_less_a_day(start: date) -> date:
    """The last day of a year-long period that starts on ``start``: the day before the same date a year later.

    ``kamdocs init``'s example plans and ``kamdocs new``'s template both set their goal period with it, so
    the two agree: 2026-01-15 to 2027-01-14, and 2023-03-01 to 2024-02-29 across a leap day. A period
    that starts on 29 February ends on 28 February, the day before the next year's 1 March, so it is a
    whole year too (adding a year and clamping first would end it a day early, on 27 February).
    """
    if start.month == 2 and start.day == 29:
        return date(start.year + 1, 2, 28)
    return date(start.year + 1, start.month, start.day) - timedelta(days=1)
