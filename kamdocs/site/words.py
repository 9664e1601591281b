"""The reader's words for kamdocs' own values: freshness states, statuses, roles and rule ids.

A plan file and ``kamdocs check`` speak in machine values (``due-soon``,
``economic-buyer``, ``commitment-owned-by-kam``), which authors need to look
up a rule or write a filter link. Staff reading the site are not plan authors:
pages show these words instead, and keep the machine value where an author
can still find it (a ``title`` tooltip, the "for the plan's author" details,
the filter's URL).
"""

from __future__ import annotations

STATES: dict[str, str] = {
    "overdue": "overdue",
    "due-soon": "due soon",
    "never-reviewed": "never reviewed",
    "fresh": "fresh",
    "archived": "archived",
}
"""Freshness states (:data:`kamdocs.rules.freshness.STATES`) as a reader says them."""

RULES: dict[str, str] = {
    # Freshness, as kamdocs check reports it.
    "review-overdue": "Review overdue",
    "review-in-future": "Review dated in the future",
    "commitment-overdue": "Commitment overdue",
    "kpi-stale": "KPI not measured recently",
    "goal-expired": "Goal period ended",
    "contact-stale": "Contact not recent",
    "obstacle-unresolved": "Obstacle without a commitment",
    "commitment-unlinked": "Commitment tied to no obstacle",
    "todo": "Placeholder not filled in",
    # Quality reasons.
    "section-thin": "Section too thin",
    "strategy-thin": "Strategy too thin",
    "goal-placeholder": "Goal not filled in",
    "goal-target-zero": "Goal target is 0",
    "goal-metric-missing": "Goal does not say what it measures",
    "goal-baseline-missing": "No baseline for the goal",
    "chain-empty": "No success factors",
    "factor-without-conditions": "Success factor without conditions",
    "obstacle-unanswered": "Obstacle without a commitment",
    "chain-placeholder": "Chain not filled in",
    "commitments-missing": "No commitments",
    "commitment-placeholder": "Commitment not filled in",
    "economic-buyer-unknown": "No economic buyer named",
    "champion-unknown": "No champion named",
    "commitment-untied": "Commitment tied to no obstacle",
    "commitment-owned-by-kam": "Commitment owned by the account manager",
    "commitment-due-outside-period": "Commitment due outside the goal period",
    "review-late": "Review late",
    "kpi-not-measured": "KPI not measured this interval",
    "contact-not-touched": "Contact not touched recently",
    "commitment-late": "Commitment delivered late",
    "commitment-undelivered": "Commitment not delivered",
    "kpis-missing": "No KPIs",
    "kpis-not-measured": "No KPI measured this interval",
    "kpi-placeholder": "KPI not filled in",
    "goal-actual-missing": "No actual for the goal",
}
"""Rule ids as a heading a reader understands; every quality and freshness rule has one (a test checks)."""

CATEGORIES: dict[str, str] = {
    "completeness": "Completeness",
    "chain": "The chain",
    "ownership": "Owned work",
    "people": "People known",
    "freshness": "Kept current",
    "delivery": "Delivery",
    "kpis": "Measured figures",
}
"""Quality categories as docs/quality.md names them for the business area manager."""

_VALUES: dict[str, str] = {
    "one-page": "one-page",
    "higher-is-better": "higher is better",
    "lower-is-better": "lower is better",
}
"""Values whose hyphen a reader writes too, or that read better otherwise."""


def state(value: str) -> str:
    """A freshness state in words: ``due soon``, ``never reviewed``."""
    return STATES.get(value, word(value))


def rule(rule_id: str) -> str:
    """A rule id as a reader's heading; a rule without an entry still reads as words, never as an id."""
    return RULES.get(rule_id) or word(rule_id).capitalize()


def category(value: str) -> str:
    """A quality category as the user guide names it."""
    return CATEGORIES.get(value, word(value).capitalize())


def word(value: str) -> str:
    """An enum value of the format (``in-progress``, ``economic-buyer``) as words (``in progress``)."""
    return _VALUES.get(value, value.replace("-", " ").replace("_", " "))
