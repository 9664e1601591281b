"""One version of a plan in figures: what the plan's history shows and the history cache keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

KINDS = ("valid", "invalid", "deleted", "confidential")
"""What a version was: a plan kamdocs could judge; one with errors (no figures); the file removed in that
commit (a plan deleted and added again later); a confidential plan (only in the full view)."""


@dataclass(frozen=True)
class Figures:
    """What a plan's figures were at one version, judged on that version's day; None is unknown, never 0."""

    kind: str
    errors: int = 0
    goal_actual: float | None = None
    goal_target: float | None = None
    goal_unit: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    quality_score: int | None = None
    quality_band: str | None = None
    freshness: str | None = None
    last_reviewed: date | None = None
    open_commitments: int | None = None
    overdue_commitments: int | None = None
    done_commitments: int | None = None
    stale_contacts: int | None = None
    kpis: tuple[tuple[str, float | None, str], ...] = ()
    """(id, actual, unit) of each KPI shown."""
