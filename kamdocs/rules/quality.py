"""Plan quality: a transparent, rule-based score from 0 to 100 for the reviewer.

Every point lost is a :class:`Reason` with a rule id, the points and the line
of the file it is about, so the Business Area Manager can see why a score is
what it is. It is an aid to the review, not a verdict: ``kamdocs check``
never fails on it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kamdocs.calendar.intervals import Interval
from kamdocs.config import Config, QualitySettings
from kamdocs.history.delivery import Delivery, done_day
from kamdocs.plan.model import Plan
from kamdocs.rules.checks import ATX_HEADING, CODE_FENCE, TODO, normalise_title
from kamdocs.rules.freshness import Freshness, assess, interval_of


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
    """A plan's quality score, its band and every reason behind the points lost."""

    score: int
    band: str | None
    """good, fair or poor; None for drafts and archived plans, which are not judged."""
    reasons: tuple[Reason, ...] = ()


QUALITY_RULES: dict[str, str] = {
    "section-thin": "completeness",
    "goal-target-zero": "completeness",
    "goal-metric-missing": "completeness",
    "goal-baseline-missing": "completeness",
    "chain-empty": "chain",
    "factor-without-conditions": "chain",
    "obstacle-unanswered": "chain",
    "commitment-untied": "chain",
    "commitment-owned-by-kam": "ownership",
    "commitment-due-outside-period": "ownership",
    "review-late": "freshness",
    "kpi-not-measured": "freshness",
    "contact-not-touched": "freshness",
    "commitment-late": "delivery",
    "commitment-undelivered": "delivery",
    "kpis-missing": "kpis",
    "goal-actual-missing": "kpis",
}
"""Every quality rule id and its category; docs/quality.md is checked against it."""


@dataclass(frozen=True)
class _Loss:
    """A reason before it has points: the share of its category it costs."""

    rule: str
    category: str
    share: float
    path: str
    message: str
    line: int


@dataclass(frozen=True)
class QualityInputs:
    """Everything a score depends on besides the plan: passed in, so the score is a pure function."""

    today: date
    freshness: Freshness
    interval: Interval
    settings: QualitySettings
    full_sections: Sequence[str]
    delivery: Delivery | None = None


def quality_of(
    plan: Plan, today: date, config: Config, delivery: Delivery | None, fresh: Freshness | None = None
) -> Quality:
    """The plan's quality under ``config`` on ``today``: what status, the site and the CLI show."""
    fresh = fresh or assess(plan, today, config.default_interval, config.due_soon_days)
    interval = interval_of(plan, config.default_interval)[1]
    sections = config.required_sections.get("full", ())
    return assess_quality(plan, QualityInputs(today, fresh, interval, config.quality, sections, delivery))


def assess_quality(plan: Plan, inputs: QualityInputs) -> Quality:
    """The plan's score and reasons. Categories that do not apply to the plan give their weight to the rest."""
    judged: dict[str, list[_Loss] | None] = {
        "completeness": _completeness(plan, inputs),
        "chain": _chain(plan),
        "ownership": _ownership(plan),
        "freshness": _freshness(plan, inputs),
        "delivery": _delivery(plan, inputs),
        "kpis": _kpis(plan, inputs),
    }
    weights = {c: w for c, w in inputs.settings.weights.items() if w and judged.get(c) is not None}
    total = sum(weights.values())
    losses = [loss for category in weights for loss in judged[category] or ()]
    raw = [weights[loss.category] * 100 / total * loss.share for loss in losses]
    points = _apportion(raw)
    reasons = tuple(
        sorted(
            (Reason(x.rule, x.category, p, x.line, x.path, x.message) for x, p in zip(losses, points, strict=True)),
            key=lambda r: (r.line, r.rule, r.path),
        )
    )
    score = max(0, 100 - sum(points))
    return Quality(score, band(score, plan.status, inputs.settings), reasons)


def band(score: int, status: str, settings: QualitySettings) -> str | None:
    """good, fair or poor for an active plan; drafts and archived plans are not judged."""
    if status != "active":
        return None
    return "good" if score >= settings.good else "fair" if score >= settings.fair else "poor"


def _apportion(raw: Sequence[float]) -> list[int]:
    """Whole points per reason that add up to the rounded total (largest remainder first).

    Rounding each reason on its own could make the reasons add up to more or
    less than the points the plan lost; this way they always explain the score.
    """
    total = math.floor(sum(raw) + 0.5 + 1e-9)
    points = [math.floor(x + 1e-9) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: -(raw[i] - points[i]))
    for i in order[: max(0, total - sum(points))]:
        points[i] += 1
    return points


def _item(plan: Plan, rule: str, share: float, path: str, message: str) -> _Loss:
    return _Loss(rule, QUALITY_RULES[rule], share, path, message, plan.line_of(path))


# Completeness.


def _completeness(plan: Plan, inputs: QualityInputs) -> list[_Loss] | None:
    if plan.kind == "full":
        return _sections(plan, inputs.full_sections) if inputs.full_sections else None
    goal = plan.goal
    checks = [
        (goal.target == 0, "goal-target-zero", "$.goal.target", "expected a goal target other than 0, found 0"),
        (
            goal.metric is None,
            "goal-metric-missing",
            "$.goal",
            f"expected goal.metric to say what the {goal.unit} target measures, found none",
        ),
        (
            goal.baseline is None,
            "goal-baseline-missing",
            "$.goal",
            "expected goal.baseline, the value the target grows from, found none",
        ),
    ]
    return [_item(plan, rule, 1 / len(checks), path, msg) for failed, rule, path, msg in checks if failed]


SUBSTANCE_CHARS = 120
"""One line longer than this (an editor's width) counts as more than a line of text."""


def _sections(plan: Plan, required: Sequence[str]) -> list[_Loss]:
    found = section_texts(plan.body)
    losses = []
    for title in required:
        entry = found.get(normalise_title(title))
        if entry is None:
            line, problem = plan.body_line - 1, "found no such section"
        else:
            offset, text = entry
            line = plan.body_line + offset
            if not text:
                problem = "found it empty"
            elif all(t.lstrip().startswith(TODO) for t in text):
                problem = "found only the placeholder " + repr(text[0].strip()[:60])
            elif len(text) < 2 and len(text[0]) <= SUBSTANCE_CHARS:
                problem = "found a single short line"
            else:
                continue
        losses.append(
            _Loss(
                "section-thin",
                QUALITY_RULES["section-thin"],
                1 / len(required),
                "body",
                f"expected the section '{title}' with more than a line of the plan's own text, {problem}",
                line,
            )
        )
    return losses


def section_texts(body: str) -> dict[str, tuple[int, list[str]]]:
    """Per H2 title (normalised): the 0-based body line of its heading and its non-blank text lines.

    Headings inside fenced code are text; deeper headings are structure, not text.
    """
    out: dict[str, tuple[int, list[str]]] = {}
    current: list[str] | None = None
    fence = ""
    for offset, line in enumerate(body.split("\n")):
        match = CODE_FENCE.match(line)
        if match and (not fence or (match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence))):
            fence = "" if fence else match.group(1)
        elif not fence:
            heading = ATX_HEADING.fullmatch(line)
            if heading:
                if len(heading.group(1)) <= 2:
                    current = None
                    if len(heading.group(1)) == 2 and heading.group(2):
                        current = out.setdefault(normalise_title(heading.group(2)), (offset, []))[1]
                continue
        if current is not None and line.strip() and not line.lstrip().startswith("<!--"):
            current.append(line)
    return out


# The chain.


def _chain(plan: Plan) -> list[_Loss] | None:
    if not plan.success_factors and plan.kind == "full":
        return None
    live = [(i, c) for i, c in enumerate(plan.commitments) if c.status != "dropped"]
    obstacles = [
        (f"$.success_factors[{i}].conditions[{j}].obstacles[{k}]", o)
        for i, f in enumerate(plan.success_factors)
        for j, c in enumerate(f.conditions)
        for k, o in enumerate(c.obstacles)
    ]
    count = len(plan.success_factors) + len(obstacles) + len(live)
    if count == 0 or not plan.success_factors:
        return [
            _item(
                plan,
                "chain-empty",
                1.0,
                "$.success_factors",
                "expected the chain goal → success factors → conditions → obstacles → commitments, "
                "found no success factors",
            )
        ]
    losses = []
    for i, factor in enumerate(plan.success_factors):
        if not factor.conditions:
            losses.append(
                _item(
                    plan,
                    "factor-without-conditions",
                    1 / count,
                    f"$.success_factors[{i}]",
                    f"expected success factor '{factor.id}' to name the conditions it needs, found none",
                )
            )
    answered = {t for _, c in live for t in c.resolves}
    for path, obstacle in obstacles:
        if obstacle.id not in answered:
            losses.append(
                _item(
                    plan,
                    "obstacle-unanswered",
                    1 / count,
                    path,
                    f"expected obstacle '{obstacle.id}' answered by an open or done commitment, found none",
                )
            )
    for i, commitment in live:
        if not commitment.resolves:
            losses.append(
                _item(
                    plan,
                    "commitment-untied",
                    1 / count,
                    f"$.commitments[{i}]",
                    f"expected commitment '{commitment.id}' to resolve an obstacle, found no 'resolves'",
                )
            )
    return losses


# Owned work.


def _ownership(plan: Plan) -> list[_Loss] | None:
    live = [(i, c) for i, c in enumerate(plan.commitments) if c.status != "dropped"]
    if not live:
        return None
    owner = plan.owner.casefold()
    others = [m for m in plan.team if m.casefold() != owner]
    checks = len(live) * (2 if others else 1)
    period = plan.goal.period
    losses = []
    for i, c in live:
        if others and c.owner.casefold() == owner:
            losses.append(
                _item(
                    plan,
                    "commitment-owned-by-kam",
                    1 / checks,
                    f"$.commitments[{i}].owner",
                    f"expected commitment '{c.id}' owned by someone other than the plan owner, as the team "
                    f"names {len(others)} other{'s' if len(others) != 1 else ''}, found {c.owner}",
                )
            )
        if not period.start <= c.due <= period.end:
            losses.append(
                _item(
                    plan,
                    "commitment-due-outside-period",
                    1 / checks,
                    f"$.commitments[{i}].due",
                    f"expected commitment '{c.id}' due within the goal period {period.start} to {period.end}, "
                    f"found {c.due}",
                )
            )
    return losses


# Freshness.


def _freshness(plan: Plan, inputs: QualityInputs) -> list[_Loss] | None:
    if plan.status == "archived":
        return None
    today, interval, fresh = inputs.today, inputs.interval, inputs.freshness
    dated = len(plan.kpis) + len(plan.buying_center)
    review_share = 0.5 if dated else 1.0
    losses = []
    if fresh.state == "overdue":
        losses.append(
            _item(
                plan,
                "review-late",
                review_share,
                "$.review.last_reviewed",
                f"expected a review by {fresh.next_review} ({fresh.interval}), found none: "
                f"{fresh.days_overdue} day{'s' if fresh.days_overdue != 1 else ''} overdue",
            )
        )
    elif fresh.state == "never-reviewed":
        losses.append(_item(plan, "review-late", review_share, "$.review", "expected a review, found none"))
    for i, kpi in enumerate(plan.kpis):
        if interval.after(kpi.as_of) < today:
            losses.append(
                _item(
                    plan,
                    "kpi-not-measured",
                    0.5 / dated,
                    f"$.kpis[{i}].as_of",
                    f"expected KPI '{kpi.id}' measured within the {fresh.interval} interval, found it as of {kpi.as_of}",
                )
            )
    for i, contact in enumerate(plan.buying_center):
        last = contact.last_contact
        if last is None or interval.after(last, 2) < today:
            losses.append(
                _item(
                    plan,
                    "contact-not-touched",
                    0.5 / dated,
                    f"$.buying_center[{i}].last_contact" if last else f"$.buying_center[{i}]",
                    f"expected contact with {contact.name} within two {fresh.interval} intervals, found "
                    + (f"the last on {last}" if last else "no last_contact"),
                )
            )
    return losses


# Delivery.


def _delivery(plan: Plan, inputs: QualityInputs) -> list[_Loss] | None:
    today = inputs.today
    due = [(i, c) for i, c in enumerate(plan.commitments) if c.status != "dropped" and c.due < today]
    if not due:
        return None
    losses = []
    for i, c in due:
        done = done_day(inputs.delivery, c, today)
        if done is not None and done <= c.due:
            continue
        if done is None:
            rule, what = "commitment-undelivered", f"found it still {c.status.replace('-', ' ')}"
        else:
            late = (done - c.due).days
            rule, what = (
                "commitment-late",
                f"found it done on {done} per git history, {late} day{'s' if late != 1 else ''} late",
            )
        losses.append(
            _item(
                plan,
                rule,
                1 / len(due),
                f"$.commitments[{i}].status",
                f"expected commitment '{c.id}' done by {c.due}, {what}",
            )
        )
    return losses


# Measured KPIs.


def _kpis(plan: Plan, inputs: QualityInputs) -> list[_Loss] | None:
    if plan.kind != "full":
        return None
    losses = []
    if not plan.kpis:
        losses.append(
            _item(
                plan,
                "kpis-missing",
                0.5,
                "$.kpis",
                "expected KPIs with target, actual and direction, found none",
            )
        )
    if plan.goal.actual is None and plan.goal.period.start <= inputs.today:
        losses.append(
            _item(
                plan,
                "goal-actual-missing",
                0.5,
                "$.goal",
                f"expected goal.actual measured since the period began on {plan.goal.period.start}, found none",
            )
        )
    return losses
