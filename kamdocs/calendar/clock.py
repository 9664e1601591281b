"""The one clock: what "today" is for a run.

Resolved once, at the edge (the CLI or the plugin), and passed down as a
plain ``date``. Nothing below this module reads the system clock, so every
freshness rule can be tested on any day without patching.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date, datetime, timezone

from kamdocs.errors import UsageError


class ClockError(UsageError, ValueError):
    """A "today" that cannot be understood; the CLI reports it and exits 2."""


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str, label: str) -> date:
    """A date written YYYY-MM-DD, or a ClockError naming the option it came from."""
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ClockError(f"{label}: expected a date YYYY-MM-DD, found {text!r}")


def resolve_today(explicit: str | date | None = None, environ: Mapping[str, str] | None = None) -> date:
    """Today, from the first of: ``explicit`` (``--today``), ``SOURCE_DATE_EPOCH``, the local date.

    ``SOURCE_DATE_EPOCH`` is the reproducible-builds convention: seconds since
    1970-01-01 UTC, read as a UTC date.
    """
    if isinstance(explicit, date):
        return explicit
    if explicit:
        return parse_date(explicit, "--today")
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise ClockError(f"SOURCE_DATE_EPOCH: expected whole seconds since 1970, found {epoch!r}") from None
    return date.today()
