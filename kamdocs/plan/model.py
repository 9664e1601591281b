"""The plan model: frozen, typed, built only from front matter the schema accepted.

Everything downstream (checks, freshness, roll-ups, renderers) reads these
objects rather than raw dictionaries, so a key name lives in one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from kamdocs.plan.linemap import LineMap

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

PLAN_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
"""What a plan id looks like (the schema's pattern): the file name of its plan, without ``.md``."""


@dataclass(frozen=True)
class Obstacle:
    """What stands in the way of a condition; commitments answer it by its id (``resolves``)."""

    id: str
    statement: str


@dataclass(frozen=True)
class Condition:
    """What must hold for a success factor, and the obstacles in its way."""

    id: str
    statement: str
    obstacles: tuple[Obstacle, ...] = ()


@dataclass(frozen=True)
class SuccessFactor:
    """What the goal depends on (the chain's first link), and the conditions it needs."""

    id: str
    statement: str
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Commitment:
    """One action someone promised, with its owner, due date and status."""

    id: str
    action: str
    owner: str
    due: date
    status: str
    resolves: tuple[str, ...] = ()
    percent_complete: float | None = None
    confidential: bool = False
    """Left out of the site and the exports (:mod:`kamdocs.rules.confidential`)."""

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "in-progress")

    def overdue_on(self, today: date) -> bool:
        """Past its due date and still open or in progress: the day after ``due`` at the earliest."""
        return self.is_open and self.due < today


@dataclass(frozen=True)
class Kpi:
    """One measured indicator of a full plan, with its target and actual."""

    id: str
    name: str
    unit: str
    target: float
    actual: float
    as_of: date
    direction: str
    confidential: bool = False


@dataclass(frozen=True)
class Contact:
    """One person of the customer's buying centre."""

    name: str
    role: str
    title: str | None = None
    attitude: str | None = None
    influence: str | None = None
    reports_to: str | None = None
    relationship_owner: str | None = None
    last_contact: date | None = None
    email: str | None = None
    """Matches the same person across plans in the stakeholder index (any letter case)."""
    confidential: bool = False


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass(frozen=True)
class Goal:
    """The plan's one goal: what, how much, in which unit, over which period."""

    statement: str
    target: float | None
    """Always given in a plan file; ``None`` only in a public view that leaves it out."""
    unit: str
    period: Period
    metric: str | None = None
    baseline: float | None = None
    actual: float | None = None


@dataclass(frozen=True)
class Review:
    reviewer: str
    interval: str | None = None
    """None means "the configured default"; resolved where the clock is."""
    last_reviewed: date | None = None


@dataclass(frozen=True)
class Plan:
    """One key account plan, as its front matter and body describe it."""

    id: str
    account: str
    kind: str
    status: str
    owner: str
    business_area: str
    review: Review
    goal: Goal
    file: str
    """Path relative to the repository root, as findings name it."""
    body: str = ""
    team: tuple[str, ...] = ()
    region: str | None = None
    tier: str | None = None
    tags: tuple[str, ...] = ()
    crm_id: str | None = None
    success_factors: tuple[SuccessFactor, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    buying_center: tuple[Contact, ...] = ()
    extensions: tuple[tuple[str, Any], ...] = ()
    """Keys starting with ``x-`` and keys a repository schema adds, untouched."""
    body_line: int = 1
    """The file line the body starts on."""
    confidential: bool = False
    """The whole plan is left out of the site and the exports, and only counted."""
    confidential_fields: tuple[str, ...] = ()
    """Dotted paths (``goal.target``) left out of the site and the exports."""
    lines: Mapping[str, int] = field(default_factory=LineMap, compare=False, repr=False)
    """File line per JSON path (``$.commitments[0].owner``) of the places the quality score points at."""

    def line_of(self, *paths: str) -> int:
        """The file line of the first of ``paths`` that is known, else the line of the front matter's start."""
        for path in paths:
            if path in self.lines:
                return self.lines[path]
        return max(1, self.body_line - 1) if not self.lines else min(self.lines.values())

    @property
    def obstacles(self) -> tuple[Obstacle, ...]:
        return tuple(o for f in self.success_factors for c in f.conditions for o in c.obstacles)


_KNOWN = frozenset(
    [
        "id",
        "account",
        "kind",
        "status",
        "owner",
        "business_area",
        "review",
        "goal",
        "team",
        "region",
        "tier",
        "tags",
        "crm_id",
        "success_factors",
        "commitments",
        "kpis",
        "buying_center",
        "confidential",
        "confidential_fields",
    ]
)


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


_Part = TypeVar("_Part", bound="DataclassInstance")


def _sub(data: Mapping[str, Any], cls: type[_Part], **converted: Any) -> _Part:
    names = cls.__dataclass_fields__
    values = {k: v for k, v in data.items() if k in names}
    values.update(converted)
    return cls(**values)


def plan_from_data(
    data: Mapping[str, Any], file: str, body: str, body_line: int = 1, lines: Mapping[str, int] | None = None
) -> Plan:
    """Build a :class:`Plan` from front matter that has passed the schema."""
    goal = data["goal"]
    review = data["review"]
    return Plan(
        id=data["id"],
        account=data["account"],
        kind=data["kind"],
        status=data.get("status", "active"),
        owner=data["owner"],
        business_area=data["business_area"],
        review=_sub(review, Review, last_reviewed=_date(review.get("last_reviewed"))),
        goal=_sub(
            goal,
            Goal,
            period=Period(
                date.fromisoformat(goal["period"]["start"]),
                date.fromisoformat(goal["period"]["end"]),
            ),
        ),
        file=file,
        body=body,
        team=tuple(data.get("team", ())),
        region=data.get("region"),
        tier=data.get("tier"),
        tags=tuple(data.get("tags", ())),
        crm_id=data.get("crm_id"),
        success_factors=tuple(
            _sub(
                f,
                SuccessFactor,
                conditions=tuple(
                    _sub(
                        c,
                        Condition,
                        obstacles=tuple(_sub(o, Obstacle) for o in c.get("obstacles", ())),
                    )
                    for c in f.get("conditions", ())
                ),
            )
            for f in data.get("success_factors", ())
        ),
        commitments=tuple(
            _sub(c, Commitment, due=date.fromisoformat(c["due"]), resolves=tuple(c.get("resolves", ())))
            for c in data.get("commitments", ())
        ),
        kpis=tuple(_sub(k, Kpi, as_of=date.fromisoformat(k["as_of"])) for k in data.get("kpis", ())),
        buying_center=tuple(
            _sub(c, Contact, last_contact=_date(c.get("last_contact"))) for c in data.get("buying_center", ())
        ),
        extensions=tuple((k, v) for k, v in data.items() if k not in _KNOWN),
        body_line=body_line,
        confidential=bool(data.get("confidential", False)),
        confidential_fields=tuple(data.get("confidential_fields", ())),
        lines=lines if lines is not None else LineMap(),
    )


def plan_data(plan: Plan) -> dict[str, Any]:
    """The front matter ``plan`` was built from, as far as the model keeps it: :func:`plan_from_data`'s inverse.

    Export and import go through the model, not the file, so that what leaves kamdocs is what every other
    output shows: the public view, with the confidential parts already taken out. A value that is ``None``,
    an empty list or ``False`` is left out, as a plan leaves out what it does not have (a missing figure stays
    missing); ``plan_from_data(plan_data(plan))`` gives the same plan.
    """
    data: dict[str, Any] = {
        "id": plan.id,
        "account": plan.account,
        "kind": plan.kind,
        "status": plan.status,
        "owner": plan.owner,
        "business_area": plan.business_area,
        "team": list(plan.team),
        "region": plan.region,
        "tier": plan.tier,
        "tags": list(plan.tags),
        "crm_id": plan.crm_id,
        "review": _part_data(plan.review),
        "goal": _part_data(plan.goal),
        "success_factors": [_part_data(f) for f in plan.success_factors],
        "commitments": [_part_data(c) for c in plan.commitments],
        "kpis": [_part_data(k) for k in plan.kpis],
        "buying_center": [_part_data(c) for c in plan.buying_center],
        "confidential": plan.confidential,
        "confidential_fields": list(plan.confidential_fields),
    }
    data.update(plan.extensions)
    return {k: v for k, v in data.items() if _kept(v)}


def _part_data(part: DataclassInstance) -> dict[str, Any]:
    """One part of a plan (goal, commitment, obstacle ...) as front matter, its own parts included."""
    out: dict[str, Any] = {}
    for name in part.__dataclass_fields__:
        value = getattr(part, name)
        if isinstance(value, date):
            value = value.isoformat()  # as the loader gives dates: the schema's YYYY-MM-DD text
        elif isinstance(value, tuple):
            value = [_part_data(v) if hasattr(v, "__dataclass_fields__") else v for v in value]
        elif hasattr(value, "__dataclass_fields__"):
            value = _part_data(value)
        if _kept(value):
            out[name] = value
    return out


def _kept(value: Any) -> bool:
    return value is not None and value is not False and value != [] and value != {}
