"""Review intervals: the named ones and ISO 8601 durations such as P6W or P3M.

Only the syntax lives here for now; date arithmetic (calendar months clamped
to the month's end) belongs with the freshness rules.
"""

from __future__ import annotations

import re

NAMED = {"monthly": "P1M", "quarterly": "P3M", "semiannual": "P6M", "annual": "P1Y"}
_DURATION = re.compile(r"P(?=[0-9])(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)?")


def is_interval(text: str) -> bool:
    return text in NAMED or _DURATION.fullmatch(text) is not None
