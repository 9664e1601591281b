"""Review intervals: the named ones and ISO 8601 durations such as P6W or P3M.

Month steps are calendar months clamped to the month's end, the way people
count them: 30 November plus a quarter is 28 February, not 2 March.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

NAMED = {"monthly": "P1M", "quarterly": "P3M", "semiannual": "P6M", "annual": "P1Y"}
_DURATION = re.compile(r"P(?=[0-9])(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)?")


@dataclass(frozen=True)
class Interval:
    months: int = 0
    days: int = 0

    def after(self, start: date, times: int = 1) -> date:
        """``start`` plus this interval ``times`` over, months first, clamped to month end."""
        months = start.month - 1 + self.months * times
        year = start.year + months // 12
        month = months % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return date(year, month, day) + timedelta(days=self.days * times)


def is_interval(text: str) -> bool:
    return text in NAMED or _DURATION.fullmatch(text) is not None


def parse_interval(text: str) -> Interval:
    """An :class:`Interval` from ``quarterly`` or ``P1Y2M3W4D``; ValueError otherwise."""
    match = _DURATION.fullmatch(NAMED.get(text, text))
    if match is None:
        raise ValueError(f"not an interval: {text!r}")
    years, months, weeks, days = (int(g or 0) for g in match.groups())
    return Interval(months=years * 12 + months, days=weeks * 7 + days)
