"""What of a plan may be published: the public view, made before any page or export sees the plan.

Key account plans hold commercial secrets and personal data, and the site is
read by everyone in the company. A plan marks what must not be published:

- ``confidential: true`` on the whole plan, a commitment, a KPI or a
  buying-centre entry;
- ``confidential_fields:``, a list of dotted paths from :data:`FIELDS`
  (``goal.target``, ``crm_id``, ``buying_center`` ...);
- in the body, text between ``<!-- confidential -->`` and
  ``<!-- /confidential -->``, and every H1 or H2 section whose title the
  configuration lists under ``confidential_sections``, decided on what the
  site's Markdown renderer makes of the body (:mod:`kamdocs.rules.confidential_body`).

:func:`public_plan` gives the plan without any of it (or ``None`` for a
confidential plan), and the site and the exports are made from that alone, so
nothing computed from a confidential value (a quality reason, a budget sum, a
chart) can reach a reader. It fails closed: an unclosed marker hides the rest
of the body, and a path that names no field is an error in ``kamdocs check``.
The CLI's ``check``, ``status`` and ``diff`` run where the files are and see
everything.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import replace
from typing import TypeVar

from kamdocs.findings import Finding, finding
from kamdocs.i18n import N_
from kamdocs.plan.loader import SourceFile
from kamdocs.plan.model import Commitment, Contact, Goal, Kpi, Plan
from kamdocs.rules.confidential_body import HtmlOf, body_renderer, public_body, strip_markers

PLACEHOLDER = N_("Confidential")
"""What a left-out text that the plan cannot do without (the goal's statement) reads as."""

CONFIDENTIAL_CONTACT = N_("a confidential contact")
"""What a shown contact's ``reports_to`` reads as when it may name a left-out contact."""
CONFIDENTIAL_OBSTACLE = N_("a confidential obstacle")
"""What stands in a shown commitment's ``resolves`` for every obstacle it names that is left out."""

REFERENCES = {
    ("contact", "reports_to"): "contact",
    ("commitment", "resolves"): "obstacle",
}
"""Every field that names another item of the plan, as (schema definition, field), with the definition it names.

The schema marks the same fields with ``x-refers-to``; a test derives them from the schema and fails on a
reference field missing here, so a new one cannot ship without a rule in :func:`_hide_references`.
"""

FIELDS = {
    "goal": "the goal's statement and every figure",
    "goal.statement": "the goal's statement",
    "goal.metric": "the goal's metric",
    "goal.target": "the goal's target",
    "goal.baseline": "the goal's baseline",
    "goal.actual": "the goal's actual",
    "crm_id": "the CRM id",
    "region": "the region",
    "tier": "the tier",
    "tags": "the tags",
    "team": "the account team",
    "success_factors": "the whole constraint chain",
    "commitments": "every commitment",
    "kpis": "every KPI",
    "buying_center": "the whole buying centre",
}
"""The paths ``confidential_fields`` accepts, with what each leaves out."""


@functools.cache
def default_renderer() -> HtmlOf:
    """The renderer of ``kamdocs render`` and ``export``: Python-Markdown with the body extensions."""
    return body_renderer()


def public_plan(plan: Plan, sections: Collection[str], html_of: HtmlOf | None = None) -> Plan | None:
    """The plan as the site and the exports may show it; ``None`` when the whole plan is confidential.

    ``html_of`` renders a body as the site will (the plugin's is made from ``mkdocs.yml``), so the
    sections hidden are those the renderer makes headings of.
    """
    if plan.confidential:
        return None
    if not _marks_anything(plan, sections):
        return plan  # nothing marked: the common case costs one scan
    hidden = set(plan.confidential_fields)
    body, _ = strip_body(plan.body, sections, html_of)
    shown = replace(
        plan,
        goal=_public_goal(plan.goal, hidden),
        body=body,
        crm_id=_unless_hidden(plan.crm_id, "crm_id", hidden, None),
        region=_unless_hidden(plan.region, "region", hidden, None),
        tier=_unless_hidden(plan.tier, "tier", hidden, None),
        tags=_unless_hidden(plan.tags, "tags", hidden, ()),
        team=_unless_hidden(plan.team, "team", hidden, ()),
        success_factors=_unless_hidden(plan.success_factors, "success_factors", hidden, ()),
        commitments=_shown_items(plan.commitments, "commitments" in hidden),
        kpis=_shown_items(plan.kpis, "kpis" in hidden),
        buying_center=_shown_items(plan.buying_center, "buying_center" in hidden),
    )
    return _hide_references(plan, shown)


_Value = TypeVar("_Value")
_Item = TypeVar("_Item", Commitment, Kpi, Contact)


def _unless_hidden(value: _Value, name: str, hidden: Collection[str], empty: _Value) -> _Value:
    """``value``, or what a left-out field of :data:`FIELDS` reads as (``empty``: missing, never 0)."""
    return empty if name in hidden else value


def _shown_items(items: tuple[_Item, ...], whole: bool) -> tuple[_Item, ...]:
    """A list whose items can each be ``confidential: true``: none of it when :data:`FIELDS` leaves it
    out ``whole``, else the items not marked."""
    return () if whole else tuple(item for item in items if not item.confidential)


def _marks_anything(plan: Plan, sections: Collection[str]) -> bool:
    """Whether anything in the plan might be confidential: a field, an item, a marker or a section."""
    return bool(
        plan.confidential_fields
        or (sections and plan.body)
        or "<!--" in plan.body
        or any(item.confidential for item in plan.commitments)
        or any(item.confidential for item in plan.kpis)
        or any(item.confidential for item in plan.buying_center)
    )


def _public_goal(goal: Goal, hidden: Collection[str]) -> Goal:
    """The goal with its statement read as :data:`PLACEHOLDER` and its figures missing (never 0), as marked."""
    if "goal" in hidden:
        hidden = {f"goal.{name}" for name in ("statement", "metric", "target", "baseline", "actual")}
    return replace(
        goal,
        statement=_unless_hidden(goal.statement, "goal.statement", hidden, PLACEHOLDER),
        metric=_unless_hidden(goal.metric, "goal.metric", hidden, None),
        target=_unless_hidden(goal.target, "goal.target", hidden, None),
        baseline=_unless_hidden(goal.baseline, "goal.baseline", hidden, None),
        actual=_unless_hidden(goal.actual, "goal.actual", hidden, None),
    )


def _hide_references(plan: Plan, shown: Plan) -> Plan:
    """``shown`` with every reference (:data:`REFERENCES`) that may name a left-out item made neutral.

    One rule for every reference field: once any item of the kind it names (for an obstacle, any part
    of the chain) is left out, a reference stays only if it names an item that is shown; any other
    becomes the neutral words
    (:data:`CONFIDENTIAL_CONTACT`, :data:`CONFIDENTIAL_OBSTACLE`). Neutral rather than dropped, so a
    commitment still reads as answering an obstacle (it does) and no quality reason or "not tied to
    an obstacle" note is made up on the public page. It fails closed: a ``reports_to`` that names a
    left-out contact in other letter case or spacing, or by e-mail, or someone outside the buying
    centre, is neutral too, since kamdocs cannot tell a variant spelling from another person.
    """
    if shown.buying_center != plan.buying_center:
        names = {c.name for c in shown.buying_center}
        contacts = tuple(
            c if c.reports_to is None or c.reports_to in names else replace(c, reports_to=CONFIDENTIAL_CONTACT)
            for c in shown.buying_center
        )
        shown = replace(shown, buying_center=contacts)
    if shown.success_factors != plan.success_factors:
        kept = {o.id for f in shown.success_factors for n in f.conditions for o in n.obstacles}
        commitments = tuple(
            c if set(c.resolves) <= kept else replace(c, resolves=_neutral_resolves(c.resolves, kept))
            for c in shown.commitments
        )
        shown = replace(shown, commitments=commitments)
    return shown


def _neutral_resolves(resolves: tuple[str, ...], kept: Collection[str]) -> tuple[str, ...]:
    """The ids of shown obstacles in their order, and the neutral words once for all the others."""
    return tuple(dict.fromkeys(o if o in kept else CONFIDENTIAL_OBSTACLE for o in resolves))


def strip_body(body: str, sections: Collection[str], html_of: HtmlOf | None = None) -> tuple[str, int | None]:
    """The body without its confidential blocks and sections, and the 0-based line of an unclosed marker."""
    text, markers = public_body(body, sections, html_of or default_renderer())
    unclosed = None if markers.unclosed is None else body.count("\n", 0, markers.unclosed)
    return text, unclosed


def check_confidential(source: SourceFile, plan: Plan) -> list[Finding]:
    """Markings that cannot be honoured as written: a path that names no field, an unclosed marker.

    Both fail closed on the site (nothing is published that might be meant to be hidden), and both
    are findings, so the author learns what was hidden and why.
    """
    findings = []
    for i, path in enumerate(plan.confidential_fields):
        if path not in FIELDS:
            findings.append(
                source.finding(
                    "confidential-field-unknown",
                    ["confidential_fields", i],
                    f"expected a field kamdocs can leave out ({', '.join(FIELDS)}), found {path!r}",
                    "mark a commitment, KPI or contact with confidential: true, or the whole plan",
                    at_value=True,
                )
            )
    markers = strip_markers(plan.body)
    if markers.unclosed is not None:
        line, column = _place(plan.body, markers.unclosed)
        findings.append(
            finding(
                "confidential-unclosed",
                source.rel,
                source.body_line + line,
                column,
                "",
                "expected <!-- /confidential --> after <!-- confidential -->, found none: "
                "the site leaves out everything after the marker",
                "close the block where the confidential text ends",
            )
        )
    for problem in markers.problems:
        line, column = _place(plan.body, problem.offset)
        findings.append(
            finding(
                "confidential-marker-ambiguous",
                source.rel,
                source.body_line + line,
                column,
                "",
                f"expected <!-- confidential --> or <!-- /confidential -->, found {problem.found}",
                problem.hint,
            )
        )
    return findings


def _place(body: str, offset: int) -> tuple[int, int]:
    """The 0-based line and 1-based column of ``offset`` in the body."""
    start = body.rfind("\n", 0, offset) + 1
    return body.count("\n", 0, offset), offset - start + 1
