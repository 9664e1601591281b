"""Delivery from git history: when each commitment became done, and when each review was recorded.

A plan says a commitment is ``done``; only git says *when* it became done.
The quality score and the scorecard judge delivery on time from the commit
that changed the status, never from a date the plan reports about itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from kamdocs.model import Commitment


@dataclass(frozen=True)
class Delivery:
    """What git history says about one plan's commitments and reviews."""

    done_on: Mapping[str, date] = field(default_factory=lambda: MappingProxyType({}))
    """Commitment id -> the day of the commit in which its status became ``done`` (the start of its
    latest run of ``done``, so a commitment reopened and closed again counts from the second close)."""
    reviews: tuple[tuple[date, date], ...] = ()
    """(``review.last_reviewed`` value, day of the commit that recorded it), oldest first, one per new value."""
    known: bool = False
    """False when git was not read (no repository, ``git: false``): dates below fall back to the plan's own."""


def done_day(delivery: Delivery | None, commitment: Commitment, today: date) -> date | None:
    """The day ``commitment`` became done, or None if it is not done.

    A commitment done in the working tree but in no commit yet is counted as done
    ``today``: it will be, once committed. Without git, the due date stands in,
    since nothing better is known (and nothing is judged late without evidence).
    """
    if commitment.status != "done":
        return None
    if delivery is None or not delivery.known:
        return commitment.due
    return delivery.done_on.get(commitment.id, today)
