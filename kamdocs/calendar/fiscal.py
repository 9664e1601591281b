"""Fiscal years: which budget year a goal counts in.

A goal counts in the fiscal year in which its period *ends*: a goal for
July 2026 to June 2027 is money the company expects by June 2027, so with
calendar fiscal years it belongs to 2027. (The alternative, the year in which
the period starts, books a goal before any of it can be earned.)

A fiscal year is named by the calendar year it starts in, and by both years
when it does not start on 1 January: ``2026`` or ``2026/27``. ``--period
2026`` on the command line means the fiscal year that starts in 2026.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_START = "01-01"
_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


class FiscalStartError(ValueError):
    """A ``fiscal_year_start`` that is not a day every year has."""


@dataclass(frozen=True, order=True)
class FiscalYear:
    """One fiscal year: its first and last day, and the name people use for it."""

    start: date
    end: date

    @property
    def label(self) -> str:
        if (self.start.month, self.start.day) == (1, 1):
            return str(self.start.year)
        return f"{self.start.year}/{(self.start.year + 1) % 100:02d}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def parse_start(text: str) -> tuple[int, int]:
    """(month, day) from ``MM-DD``; 29 February is refused, since most years lack it."""
    match = _MONTH_DAY.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise FiscalStartError(f"expected a month and day MM-DD such as 04-01, found {text!r}")
    month, day = int(match.group(1)), int(match.group(2))
    try:
        date(2001, month, day)  # not a leap year: 02-29 fails here, as it would in three years of four
    except ValueError:
        raise FiscalStartError(f"expected a day that every year has, found {text!r}") from None
    return month, day


def starting_in(year: int, start: str = DEFAULT_START) -> FiscalYear:
    """The fiscal year that starts in calendar ``year``."""
    month, day = parse_start(start)
    first = date(year, month, day)
    try:
        following = date(year + 1, month, day)
    except ValueError:  # year 9999: the calendar ends before the fiscal year does
        return FiscalYear(first, date.max)
    return FiscalYear(first, following - timedelta(days=1))


def fiscal_year_of(day: date, start: str = DEFAULT_START) -> FiscalYear:
    """The fiscal year that ``day`` falls in."""
    month, first_day = parse_start(start)
    year = day.year if (day.month, day.day) >= (month, first_day) else day.year - 1
    if year < 1:  # the calendar's first days, before the first fiscal year that starts in it
        return FiscalYear(date.min, starting_in(1, start).start - timedelta(days=1))
    return starting_in(year, start)
