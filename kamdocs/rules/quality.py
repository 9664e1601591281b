"""Plan quality: a transparent, rule-based score from 0 to 100 for the reviewer.

Every point lost is a :class:`Reason` with a rule id, the points and the line
of the file it is about, so the Business Area Manager can see why a score is
what it is. It is an aid to the review, not a verdict: ``kamdocs check``
never fails on it.

The score is calibrated against plans a manager has banded
(``tests/calibration/``). Three choices follow from that calibration:

- A placeholder (``TODO`` from the templates) is not text: a statement,
  action, owner, unit or section that is still a placeholder costs what the
  real thing would have earned.
- Each category is worth its configured weight for every plan. Nothing is
  scaled up because something else does not apply, so a change inside one
  category (a bumped review date) moves the score by at most that weight.
- Some failures keep a plan from "good" whatever its score (``essential``):
  a manager would not approve a plan with an open chain or without an
  economic buyer, however complete the rest. Below "good", essential
  failures in two or more categories make it "poor".
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from kamdocs.calendar.intervals import Interval
from kamdocs.config import Config, QualitySettings
from kamdocs.history.delivery import Delivery, done_day
from kamdocs.i18n import N_, _, day, ngettext, number
from kamdocs.plan.model import Plan
from kamdocs.plan.spellings import is_placeholder as placeholder_text
from kamdocs.rules.checks import ATX_HEADING, CODE_FENCE, normalise_title
from kamdocs.rules.freshness import Freshness, assess, days_text, interval_of, interval_words, status_words


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
    essential: bool = False
    """A failure that keeps the plan from "good" whatever its score."""


@dataclass(frozen=True)
class Quality:
    """A plan's quality score, its band and every reason behind the points lost."""

    score: int
    band: str | None
    """good, fair or poor; None for drafts and archived plans, which are not judged."""
    reasons: tuple[Reason, ...] = ()


QUALITY_RULES: dict[str, str] = {
    "goal-placeholder": "completeness",
    "goal-target-zero": "completeness",
    "goal-metric-missing": "completeness",
    "goal-baseline-missing": "completeness",
    "section-thin": "completeness",
    "strategy-thin": "completeness",
    "chain-empty": "chain",
    "chain-placeholder": "chain",
    "factor-without-conditions": "chain",
    "obstacle-unanswered": "chain",
    "commitment-untied": "chain",
    "commitments-missing": "ownership",
    "commitment-placeholder": "ownership",
    "commitment-owned-by-kam": "ownership",
    "commitment-due-outside-period": "ownership",
    "economic-buyer-unknown": "people",
    "champion-unknown": "people",
    "contact-not-touched": "people",
    "review-late": "freshness",
    "commitment-late": "delivery",
    "commitment-undelivered": "delivery",
    "goal-actual-missing": "kpis",
    "kpis-missing": "kpis",
    "kpis-not-measured": "kpis",
    "kpi-not-measured": "kpis",
    "kpi-placeholder": "kpis",
}
"""Every quality rule id and its category; docs/quality.md is checked against it."""

ESSENTIAL_RULES = frozenset(
    {
        "goal-placeholder",
        "goal-target-zero",
        "goal-baseline-missing",
        "strategy-thin",
        "chain-empty",
        "chain-placeholder",
        "obstacle-unanswered",
        "commitments-missing",
        "commitment-placeholder",
        "economic-buyer-unknown",
        "review-late",
        "kpis-missing",
        "kpis-not-measured",
    }
)
"""Rules whose every reason is essential. ``commitment-owned-by-kam`` is essential when every commitment is the
plan owner's while the team names others, and ``contact-not-touched`` when the contact is a key role."""

KEY_ROLES = ("economic-buyer", "champion", "coach")
"""Roles of the people a manager expects to be known and met: who decides, and who sells for us inside."""

SUBSTANCE_WORDS = 20
"""A section needs this many words of the plan's own text: two sentences that say something."""

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _Loss:
    """A reason before it has points: the share of its category it costs."""

    rule: str
    category: str
    share: Fraction
    path: str
    message: str
    line: int
    essential: bool = False


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


def weights_for(plan: Plan, settings: QualitySettings) -> dict[str, int]:
    """Each category's points for this plan: the configured weights, except that a ``full`` plan without
    success factors has no chain, and its parts (completeness) take the chain's points."""
    weights = {c: w for c, w in settings.weights.items() if w}
    if plan.kind == "full" and not plan.success_factors and "chain" in weights:
        chain = weights.pop("chain")
        if "completeness" in weights:  # switched off (weight 0), it stays off
            weights["completeness"] += chain
    return weights


def assess_quality(plan: Plan, inputs: QualityInputs) -> Quality:
    """The plan's score, band and reasons."""
    judged: dict[str, list[_Loss]] = {
        "completeness": _completeness(plan, inputs),
        "chain": _chain(plan),
        "ownership": _ownership(plan),
        "people": _people(plan, inputs),
        "freshness": _freshness(plan, inputs),
        "delivery": _delivery(plan, inputs),
        "kpis": _kpis(plan, inputs),
    }
    weights = weights_for(plan, inputs.settings)
    total = sum(inputs.settings.weights.values())
    configured = inputs.settings.weights
    found: list[Reason] = []
    for category, points in weights.items():
        if not judged[category]:
            continue
        # Each category is rounded on its own, so a change inside one never moves another's points.
        losses = _with_penalty(judged[category], ESSENTIAL_PENALTY * configured.get(category, 0) / points)
        raw = [Fraction(points * 100, total) * x.share for x in losses]
        found += [
            Reason(x.rule, x.category, p, x.line, x.path, x.message, x.essential)
            for x, p in zip(losses, _apportion(raw), strict=True)
        ]
    reasons = tuple(sorted(found, key=lambda r: (r.line, r.rule, r.path)))
    score = max(0, 100 - sum(r.points for r in reasons))
    return Quality(score, band(score, plan.status, inputs.settings, reasons), reasons)


ESSENTIAL_PENALTY = Fraction(1, 4)
"""What a category with an essential failure loses on top of its checks' shares, as a share of its configured
weight: one missing essential must show in the score, not only in the band."""


def _with_penalty(losses: list[_Loss], penalty: Fraction) -> list[_Loss]:
    """The category's losses, its essential ones raised (in proportion) by ``penalty`` in all, up to the whole
    category.

    Added rather than a minimum, so that anything more that fails in the category still costs its share;
    measured on the configured weight, so that a full plan's completeness, which also holds the chain's
    points, does not make a missing baseline cost more there.
    """
    if not any(x.essential for x in losses):
        return losses
    essential = Fraction(sum((x.share for x in losses if x.essential), Fraction(0)))
    lost = Fraction(sum((x.share for x in losses), Fraction(0)))
    extra = min(penalty, 1 - lost)
    if not essential or extra <= 0:
        return losses
    scale = (essential + extra) / essential
    return [replace(x, share=x.share * scale) if x.essential else x for x in losses]


def band(score: int, status: str, settings: QualitySettings, reasons: Sequence[Reason] = ()) -> str | None:
    """good, fair or poor for an active plan; drafts and archived plans are not judged.

    Good needs the score and no essential failure. Below good, essential failures in two or more
    categories make a plan poor: a manager sends it back whatever else it has.
    """
    if status != "active":
        return None
    essential = {r.category for r in reasons if r.essential}
    if score >= settings.good:
        return "fair" if essential else "good"
    return "poor" if score < settings.fair or len(essential) >= 2 else "fair"


def _apportion(raw: Sequence[Fraction | float]) -> list[int]:
    """Whole points per reason that add up to the rounded total (largest remainder first).

    Rounding each reason on its own could make the reasons add up to more or
    less than the points the plan lost; this way they always explain the score.
    """
    exact = [x if isinstance(x, Fraction) else Fraction(x) for x in raw]
    total = math.floor(sum(exact, Fraction(0)) + Fraction(1, 2))
    points = [math.floor(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: -(exact[i] - points[i]))
    for i in order[: max(0, total - sum(points))]:
        points[i] += 1
    return points


def is_placeholder(value: object) -> bool:
    """A value that is a placeholder, not the plan's own text (``TODO: ...`` as ``kamdocs new`` writes it,
    ``TBD``, ``???``): the one test :mod:`kamdocs.plan.spellings` gives ``check`` and the budget too."""
    return isinstance(value, str) and placeholder_text(value)


def _placeholder_paragraph(paragraph: str) -> bool:
    """A paragraph of a section that is a placeholder (TODO, TBD, ???), as ``check`` reports body lines."""
    return is_placeholder(paragraph)


def _item(plan: Plan, rule: str, share: Fraction, path: str, message: str, essential: bool = False) -> _Loss:
    return _Loss(
        rule, QUALITY_RULES[rule], share, path, message, plan.line_of(path), essential or rule in ESSENTIAL_RULES
    )


def _unwritten(plan: Plan, path: str, share: Fraction, message: str, item: str, text: str) -> _Loss:
    """A link of the chain that is still the template's placeholder: it costs what its own text would earn.
    ``message`` names the link (``{id}``) and the placeholder (``{placeholder}``)."""
    return _item(plan, "chain-placeholder", share, path, _(message).format(id=item, placeholder=quoted(text)))


# TRANSLATORS: {placeholder} is the template's text the plan still holds, in quotes ('TODO: ...').
FACTOR_UNWRITTEN = N_("expected success factor '{id}' in the plan's words, found the placeholder {placeholder}")
CONDITION_UNWRITTEN = N_("expected condition '{id}' in the plan's words, found the placeholder {placeholder}")
OBSTACLE_UNWRITTEN = N_("expected obstacle '{id}' in the plan's words, found the placeholder {placeholder}")
KPI_NAME_UNWRITTEN = N_("expected KPI '{id}' to name what it measures, found the placeholder {placeholder}")
KPI_UNIT_UNWRITTEN = N_("expected KPI '{id}' to name its unit, found the placeholder {placeholder}")


def quoted(value: str) -> str:
    """A placeholder as a message quotes it: its first 60 characters, in Python's quotes (``'TODO: ...'``)."""
    return repr(value.strip()[:60])


# Completeness: a measurable goal, and (full plans) parts with substance.


def _completeness(plan: Plan, inputs: QualityInputs) -> list[_Loss]:
    goal_share = Fraction(1, 3) if plan.kind == "full" else Fraction(1)
    losses = _goal(plan, goal_share)
    if plan.kind == "full":
        judged = [t for t in inputs.full_sections if normalise_title(t) not in DATA_SECTIONS]
        if judged:
            losses += _sections(plan, judged, 1 - goal_share)
        else:
            losses = [replace(x, share=x.share / goal_share) for x in losses]  # no parts to judge: the goal is all
    return losses


def _goal(plan: Plan, share: Fraction) -> list[_Loss]:
    """Five checks of a measurable goal, each a fifth of the goal's share: (failed, rule, path, message)."""
    goal = plan.goal
    metric_placeholder = goal.metric is not None and is_placeholder(goal.metric)
    checks = [
        (is_placeholder(goal.statement), "goal-placeholder", "$.goal.statement",
         N_("expected the account sales goal in the plan's words, found the placeholder {placeholder}")),
        (goal.metric is None, "goal-metric-missing", "$.goal",
         # TRANSLATORS: goal.metric, goal.unit, goal.baseline and goal.actual name fields of the plan file: keep them.
         N_("expected goal.metric to say what the {unit} target measures, found none")),
        (metric_placeholder, "goal-placeholder", "$.goal.metric",
         N_("expected goal.metric, what the target measures, found the placeholder {placeholder}")),
        (goal.target == 0, "goal-target-zero", "$.goal.target", N_("expected a goal target other than 0, found 0")),
        (is_placeholder(goal.unit), "goal-placeholder", "$.goal.unit",
         N_("expected goal.unit, a currency like CHF or a unit, found the placeholder {placeholder}")),
        (goal.baseline is None, "goal-baseline-missing", "$.goal",
         N_("expected goal.baseline, the value the target grows from, found none")),
    ]  # fmt: skip
    held = {"$.goal.statement": goal.statement, "$.goal.metric": goal.metric or "", "$.goal.unit": goal.unit}
    return [
        _item(plan, rule, share / 5, path, _(message).format(unit=goal.unit, placeholder=quoted(held.get(path, ""))))
        for failed, rule, path, message in checks
        if failed
    ]


DATA_SECTIONS = frozenset({"commitments", "kpis"})
"""Sections the site fills from the front matter: judged by the commitments and KPIs, not by their text."""


def _sections(plan: Plan, required: Sequence[str], share: Fraction) -> list[_Loss]:
    found = section_texts(plan.body)
    losses = []
    for title in required:
        entry = found.get(normalise_title(title))
        line = plan.body_line - 1 if entry is None else plan.body_line + entry[0]
        problem = _section_problem(title, None if entry is None else entry[1])
        if problem is None:
            continue
        rule = "strategy-thin" if "strateg" in normalise_title(title) else "section-thin"
        losses.append(
            _Loss(rule, QUALITY_RULES[rule], share / len(required), "body", problem, line, rule in ESSENTIAL_RULES)
        )
    return losses


def _section_problem(title: str, paragraphs: list[str] | None) -> str | None:
    """What is wrong with a required section, in the reason's words: ``paragraphs`` is ``None`` when the plan
    has no such section; ``None`` when the section has enough of the plan's own text."""
    values = {"title": title, "minimum": number(SUBSTANCE_WORDS)}
    if paragraphs is None:
        message = _(
            "expected the section '{title}' with at least {minimum} words of the plan's own text, found no such section"
        )
        return message.format(**values)
    if not paragraphs:
        message = _(
            "expected the section '{title}' with at least {minimum} words of the plan's own text, found it empty"
        )
        return message.format(**values)
    own = [p for p in paragraphs if not _placeholder_paragraph(p)]
    if not own:
        message = _(
            "expected the section '{title}' with at least {minimum} words of the plan's own text, "
            "found only the placeholder {placeholder}"
        )
        return message.format(**values, placeholder=repr(" ".join(paragraphs[0].split())[:60]))
    words = sum(len(WORD.findall(p)) for p in own)
    if words >= SUBSTANCE_WORDS:
        return None
    message = ngettext(
        "expected the section '{title}' with at least {minimum} words of the plan's own text, found {count} word",
        "expected the section '{title}' with at least {minimum} words of the plan's own text, found {count} words",
        words,
    )
    return message.format(**values, count=number(words))


def section_texts(body: str) -> dict[str, tuple[int, list[str]]]:
    """Per H2 title (normalised): the 0-based body line of its heading and its paragraphs of text.

    A paragraph is the text between blank lines, joined with spaces, so
    wrapping a sentence over more lines changes nothing. Headings inside
    fenced code are text; deeper headings and HTML comment lines are
    structure, not text.
    """
    out: dict[str, tuple[int, list[str]]] = {}
    current: list[str] | None = None
    paragraph: list[str] = []
    fence = ""

    def close() -> None:
        if current is not None and paragraph:
            current.append(" ".join(paragraph))
        paragraph.clear()

    for offset, line in enumerate(body.split("\n")):
        match = CODE_FENCE.match(line)
        if match and (not fence or (match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence))):
            fence = "" if fence else match.group(1)
            continue
        if not fence:
            heading = ATX_HEADING.fullmatch(line)
            if heading:
                close()
                if len(heading.group(1)) <= 2:
                    current = None
                    if len(heading.group(1)) == 2 and heading.group(2):
                        current = out.setdefault(normalise_title(heading.group(2)), (offset, []))[1]
                continue
        if not line.strip() or line.lstrip().startswith("<!--"):
            if not fence:
                close()
            continue
        paragraph.append(line.strip())
    close()
    return out


# The chain.


def _chain(plan: Plan) -> list[_Loss]:
    """Each element of the chain (factor, condition, obstacle, commitment) has an equal share; a placeholder
    statement costs its element's whole share, a missing link the share of that link."""
    live = [(i, c) for i, c in enumerate(plan.commitments) if c.status != "dropped"]
    if not plan.success_factors:
        if plan.kind == "full":
            return []
        return [
            _item(
                plan,
                "chain-empty",
                Fraction(1),
                "$.success_factors",
                _(
                    "expected the chain goal → success factors → conditions → obstacles → commitments, "
                    "found no success factors"
                ),
            )
        ]
    elements = sum(1 + sum(1 + len(c.obstacles) for c in f.conditions) for f in plan.success_factors) + len(live)
    each = Fraction(1, elements)
    answered = {t for _i, c in live for t in c.resolves}
    losses = []
    for i, factor in enumerate(plan.success_factors):
        path = f"$.success_factors[{i}]"
        if is_placeholder(factor.statement):
            losses.append(_unwritten(plan, path, each, FACTOR_UNWRITTEN, factor.id, factor.statement))
        elif not factor.conditions:
            losses.append(
                _item(
                    plan,
                    "factor-without-conditions",
                    each / 2,
                    path,
                    _("expected success factor '{id}' to name the conditions it needs, found none").format(
                        id=factor.id
                    ),
                )
            )
        for j, condition in enumerate(factor.conditions):
            if is_placeholder(condition.statement):
                where = f"{path}.conditions[{j}]"
                losses.append(_unwritten(plan, where, each, CONDITION_UNWRITTEN, condition.id, condition.statement))
            for k, obstacle in enumerate(condition.obstacles):
                where = f"{path}.conditions[{j}].obstacles[{k}]"
                if is_placeholder(obstacle.statement):
                    losses.append(_unwritten(plan, where, each, OBSTACLE_UNWRITTEN, obstacle.id, obstacle.statement))
                elif obstacle.id not in answered:
                    losses.append(
                        _item(
                            plan,
                            "obstacle-unanswered",
                            each / 2,
                            where,
                            _("expected obstacle '{id}' answered by an open or done commitment, found none").format(
                                id=obstacle.id
                            ),
                        )
                    )
    for i, commitment in live:
        if not commitment.resolves:
            losses.append(
                _item(
                    plan,
                    "commitment-untied",
                    each,
                    f"$.commitments[{i}]",
                    _("expected commitment '{id}' to resolve an obstacle, found no 'resolves'").format(
                        id=commitment.id
                    ),
                )
            )
    return losses


# Owned work.


def _ownership(plan: Plan) -> list[_Loss]:
    """Each commitment has an equal share: a placeholder action costs all of it; its owner (someone other
    than the plan owner) and its due date (inside the goal period) a third each."""
    live = [(i, c) for i, c in enumerate(plan.commitments) if c.status != "dropped"]
    if not live:
        return [
            _item(
                plan,
                "commitments-missing",
                Fraction(1),
                "$.commitments",
                _("expected commitments in the front matter, each with an owner and a due date, found none"),
            )
        ]
    owner = plan.owner.casefold()
    others = [m for m in plan.team if m.casefold() != owner]
    all_kam = all(c.owner.casefold() == owner for _i, c in live)
    each = Fraction(1, len(live))
    period = plan.goal.period
    losses = []
    for i, c in live:
        if is_placeholder(c.action):
            losses.append(
                _item(
                    plan,
                    "commitment-placeholder",
                    each,
                    f"$.commitments[{i}].action",
                    _(
                        "expected commitment '{id}' to say what will be delivered, found the placeholder {placeholder}"
                    ).format(id=c.id, placeholder=quoted(c.action)),
                )
            )
            continue
        if is_placeholder(c.owner):
            losses.append(
                _item(
                    plan,
                    "commitment-placeholder",
                    each / 3,
                    f"$.commitments[{i}].owner",
                    _("expected commitment '{id}' owned by a person, found the placeholder {placeholder}").format(
                        id=c.id, placeholder=quoted(c.owner)
                    ),
                )
            )
        elif c.owner.casefold() == owner:
            losses.append(
                _item(
                    plan,
                    "commitment-owned-by-kam",
                    each / 3,
                    f"$.commitments[{i}].owner",
                    _owned_by_kam(c.id, c.owner, len(others)),
                    essential=all_kam and bool(others),
                )
            )
        if not period.start <= c.due <= period.end:
            losses.append(
                _item(
                    plan,
                    "commitment-due-outside-period",
                    each / 3,
                    f"$.commitments[{i}].due",
                    _("expected commitment '{id}' due within the goal period {start} to {end}, found {due}").format(
                        id=c.id, start=day(period.start), end=day(period.end), due=day(c.due)
                    ),
                )
            )
    return losses


def _owned_by_kam(commitment: str, owner: str, others: int) -> str:
    """The reason a commitment the plan owner holds costs points, with how many others the team names."""
    if not others:
        message = _(
            "expected commitment '{id}' owned by someone in service, product or management rather than "
            "the plan owner (the plan names no team), found {owner}"
        )
        return message.format(id=commitment, owner=owner)
    message = ngettext(
        "expected commitment '{id}' owned by someone in service, product or management rather than "
        "the plan owner (the team names {count} other), found {owner}",
        "expected commitment '{id}' owned by someone in service, product or management rather than "
        "the plan owner (the team names {count} others), found {owner}",
        others,
    )
    return message.format(id=commitment, owner=owner, count=number(others))


# People known and met.


def _people(plan: Plan, inputs: QualityInputs) -> list[_Loss]:
    """An economic buyer and a champion (or coach) named: three tenths each; every contact met within two
    review intervals: the other four tenths, shared."""
    contacts = plan.buying_center
    named = {c.role for c in contacts if not is_placeholder(c.name)}
    losses = []
    if "economic-buyer" not in named:
        losses.append(
            _item(
                plan,
                "economic-buyer-unknown",
                Fraction(3, 10),
                "$.buying_center",
                _("expected the buying centre to name the economic buyer, who decides, found none"),
            )
        )
    if not named & {"champion", "coach"}:
        losses.append(
            _item(
                plan,
                "champion-unknown",
                Fraction(3, 10),
                "$.buying_center",
                _("expected the buying centre to name a champion or coach, who sells for us inside, found none"),
            )
        )
    today, interval, fresh = inputs.today, inputs.interval, inputs.freshness
    for i, contact in enumerate(contacts):
        last = contact.last_contact
        if last is None or interval.after(last, 2) < today:
            losses.append(
                _item(
                    plan,
                    "contact-not-touched",
                    Fraction(4, 10 * len(contacts)),
                    f"$.buying_center[{i}].last_contact" if last else f"$.buying_center[{i}]",
                    _untouched(contact.name, contact.role, interval_words(fresh.interval), last),
                    essential=contact.role in KEY_ROLES,
                )
            )
    return losses


ROLE_WORDS: dict[str, str] = {
    "economic-buyer": N_("economic buyer"),
    "technical-buyer": N_("technical buyer"),
    "user-buyer": N_("user buyer"),
    "coach": N_("coach"),
    "champion": N_("champion"),
    "influencer": N_("influencer"),
    "gatekeeper": N_("gatekeeper"),
    "blocker": N_("blocker"),
}
"""A contact's role in the buying centre as a reader says it."""


def _untouched(name: str, role: str, interval: str, last: date | None) -> str:
    """The reason a contact not met within two review intervals costs points."""
    values = {"name": name, "role": _(ROLE_WORDS[role]) if role in ROLE_WORDS else role.replace("-", " ")}
    if last is None:
        # TRANSLATORS: last_contact is the field's name in the plan file: keep it as it is.
        message = _("expected contact with {name} ({role}) within two {interval} intervals, found no last_contact")
        return message.format(**values, interval=interval)
    message = _("expected contact with {name} ({role}) within two {interval} intervals, found the last on {last}")
    return message.format(**values, interval=interval, last=day(last))


# Freshness.


def _freshness(plan: Plan, inputs: QualityInputs) -> list[_Loss]:
    """The review on its cadence: the whole category, so a review date alone moves the score by at most its
    weight."""
    fresh = inputs.freshness
    if plan.status == "archived":
        return []
    if fresh.state == "overdue":
        return [
            _item(
                plan,
                "review-late",
                Fraction(1),
                "$.review.last_reviewed",
                ngettext(
                    "expected a review by {next_review} ({interval}), found none: {count} day overdue",
                    "expected a review by {next_review} ({interval}), found none: {count} days overdue",
                    fresh.days_overdue,
                ).format(
                    next_review=day(fresh.next_review),
                    interval=interval_words(fresh.interval),
                    count=days_text(fresh.days_overdue),
                ),
            )
        ]
    if fresh.state == "never-reviewed":
        return [_item(plan, "review-late", Fraction(1), "$.review", _("expected a review, found none"))]
    return []


# Delivery.


def _delivery(plan: Plan, inputs: QualityInputs) -> list[_Loss]:
    today = inputs.today
    due = [(i, c) for i, c in enumerate(plan.commitments) if c.status != "dropped" and c.due < today]
    losses = []
    for i, c in due:
        done = done_day(inputs.delivery, c, today)
        if done is not None and done <= c.due:
            continue
        if done is None:
            rule = "commitment-undelivered"
            message = _("expected commitment '{id}' done by {due}, found it still {status}").format(
                id=c.id, due=day(c.due), status=status_words(c.status)
            )
        else:
            late = (done - c.due).days
            rule = "commitment-late"
            message = ngettext(
                "expected commitment '{id}' done by {due}, found it done on {done} per git history, {count} day late",
                "expected commitment '{id}' done by {due}, found it done on {done} per git history, {count} days late",
                late,
            ).format(id=c.id, due=day(c.due), done=day(done), count=days_text(late))
        losses.append(_item(plan, rule, Fraction(1, len(due)), f"$.commitments[{i}].status", message))
    return losses


# Measured: the goal's actual and the KPIs.


def _kpis(plan: Plan, inputs: QualityInputs) -> list[_Loss]:
    """The goal's actual once the period has begun; KPIs (required in a full plan) share half with it. A KPI
    whose name or unit is a placeholder costs its whole share; a real one half of it when it was not measured
    within the review interval."""
    judge_kpis = plan.kind == "full" or bool(plan.kpis)
    goal_share = Fraction(1, 2) if judge_kpis else Fraction(1)
    losses = []
    if plan.goal.actual is None and plan.goal.period.start <= inputs.today:
        losses.append(
            _item(
                plan,
                "goal-actual-missing",
                goal_share,
                "$.goal",
                _("expected goal.actual measured since the period began on {start}, found none").format(
                    start=day(plan.goal.period.start)
                ),
            )
        )
    if not judge_kpis:
        return losses
    share = 1 - goal_share
    if not plan.kpis:
        losses.append(
            _item(
                plan, "kpis-missing", share, "$.kpis", _("expected KPIs with target, actual and direction, found none")
            )
        )
        return losses
    each = share / len(plan.kpis)
    real = []
    for i, kpi in enumerate(plan.kpis):
        held = [(key, v) for key, v in (("name", kpi.name), ("unit", kpi.unit)) if is_placeholder(v)]
        if not held:
            real.append((i, kpi))
            continue
        key, value = held[0]
        message = KPI_NAME_UNWRITTEN if key == "name" else KPI_UNIT_UNWRITTEN
        reason = _(message).format(id=kpi.id, placeholder=quoted(value))
        losses.append(_item(plan, "kpi-placeholder", each, f"$.kpis[{i}].{key}", reason))
    interval, today = inputs.interval, inputs.today
    cadence = interval_words(inputs.freshness.interval)
    stale = [(i, k) for i, k in real if interval.after(k.as_of) < today]
    if stale and len(stale) == len(real):
        losses.append(
            _item(
                plan,
                "kpis-not-measured",
                each / 2 * len(stale),
                "$.kpis",
                _(
                    "expected the KPIs measured within the {interval} interval, found every one older, "
                    "the latest as of {as_of}"
                ).format(interval=cadence, as_of=day(max(k.as_of for _i, k in stale))),
            )
        )
    else:
        for i, kpi in stale:
            losses.append(
                _item(
                    plan,
                    "kpi-not-measured",
                    each / 2,
                    f"$.kpis[{i}].as_of",
                    _("expected KPI '{id}' measured within the {interval} interval, found it as of {as_of}").format(
                        id=kpi.id, interval=cadence, as_of=day(kpi.as_of)
                    ),
                )
            )
    return losses
