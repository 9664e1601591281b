"""Plan quality: a transparent, rule-based score from 0 to 100 for the reviewer.

Every point lost is a :class:`Reason` with a rule id, the points and the line
of the file it is about, so the Business Area Manager can see why a score is
what it is. It is an aid to the review, not a verdict: ``kamdocs check``
never fails on it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """One thing that cost the plan points."""

    rule: str
    category: str
    points: int
    line: int
    path: str
    """JSON path into the front matter (``$.commitments[2].owner``) or ``body`` for a section."""
    message: str


@dataclass(frozen=True)
class Quality:
    score: int
    band: str | None
    """good, fair or poor; None for drafts and archived plans, which are not judged."""
    reasons: tuple[Reason, ...] = ()
