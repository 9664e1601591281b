"""The reader's words for kamdocs' own values: freshness states, statuses, roles and rule ids.

A plan file and ``kamdocs check`` speak in machine values (``due-soon``,
``economic-buyer``, ``commitment-owned-by-kam``), which authors need to look
up a rule or write a filter link. Staff reading the site are not plan authors:
pages show these words instead, and keep the machine value where an author
can still find it (a ``title`` tooltip, the "for the plan's author" details,
the filter's URL).
"""

from __future__ import annotations

from kamdocs.i18n import N_, _
from kamdocs.rules.confidential import CONFIDENTIAL_CONTACT, CONFIDENTIAL_OBSTACLE, PLACEHOLDER
from kamdocs.rules.quality import ROLE_WORDS

STATES: dict[str, str] = {
    "overdue": N_("overdue"),
    "due-soon": N_("due soon"),
    "never-reviewed": N_("never reviewed"),
    "fresh": N_("fresh"),
    "archived": N_("archived"),
}
"""Freshness states (:data:`kamdocs.rules.freshness.STATES`) as a reader says them."""

RULES: dict[str, str] = {
    # Freshness, as kamdocs check reports it.
    "review-overdue": N_("Review overdue"),
    "review-in-future": N_("Review dated in the future"),
    "commitment-overdue": N_("Commitment overdue"),
    "kpi-stale": N_("KPI not measured recently"),
    "goal-expired": N_("Goal period ended"),
    "contact-stale": N_("Contact not recent"),
    "obstacle-unresolved": N_("Obstacle without a commitment"),
    "commitment-unlinked": N_("Commitment tied to no obstacle"),
    "todo": N_("Placeholder not filled in"),
    # Quality reasons.
    "section-thin": N_("Section too thin"),
    "strategy-thin": N_("Strategy too thin"),
    "goal-placeholder": N_("Goal not filled in"),
    "goal-target-zero": N_("Goal target is 0"),
    "goal-metric-missing": N_("Goal does not say what it measures"),
    "goal-baseline-missing": N_("No baseline for the goal"),
    "chain-empty": N_("No success factors"),
    "factor-without-conditions": N_("Success factor without conditions"),
    "obstacle-unanswered": N_("Obstacle without a commitment"),
    "chain-placeholder": N_("Chain not filled in"),
    "commitments-missing": N_("No commitments"),
    "commitment-placeholder": N_("Commitment not filled in"),
    "economic-buyer-unknown": N_("No economic buyer named"),
    "champion-unknown": N_("No champion named"),
    "commitment-untied": N_("Commitment tied to no obstacle"),
    "commitment-owned-by-kam": N_("Commitment owned by the account manager"),
    "commitment-due-outside-period": N_("Commitment due outside the goal period"),
    "review-late": N_("Review late"),
    "kpi-not-measured": N_("KPI not measured this interval"),
    "contact-not-touched": N_("Contact not touched recently"),
    "commitment-late": N_("Commitment delivered late"),
    "commitment-undelivered": N_("Commitment not delivered"),
    "kpis-missing": N_("No KPIs"),
    "kpis-not-measured": N_("No KPI measured this interval"),
    "kpi-placeholder": N_("KPI not filled in"),
    "goal-actual-missing": N_("No actual for the goal"),
}
"""Rule ids as a heading a reader understands; every quality and freshness rule has one (a test checks)."""

CATEGORIES: dict[str, str] = {
    "completeness": N_("Completeness"),
    "chain": N_("The chain"),
    "ownership": N_("Owned work"),
    "people": N_("People known"),
    "freshness": N_("Kept current"),
    "delivery": N_("Delivery"),
    "kpis": N_("Measured figures"),
}
"""Quality categories as docs/quality.md names them for the business area manager."""

_VALUES: dict[str, str] = {
    "one-page": N_("one-page"),
    "higher-is-better": N_("higher is better"),
    "lower-is-better": N_("lower is better"),
    # The format's other enum values (schema/plan.schema.json), so that every one is in the catalogue.
    "full": N_("full"),
    "draft": N_("draft"),
    "active": N_("active"),
    "archived": N_("archived"),
    "open": N_("open"),
    "in-progress": N_("in progress"),
    "done": N_("done"),
    "dropped": N_("dropped"),
    **ROLE_WORDS,  # the buying centre's roles, as the quality reasons say them too
    "supporter": N_("supporter"),
    "neutral": N_("neutral"),
    "skeptic": N_("skeptic"),
    "opponent": N_("opponent"),
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
}
"""Enum values of the format as a reader says them: a hyphen a reader writes too stays, the others are
spaces. The keys are the plan's machine values, the same in every language; only the words are translated."""


# TRANSLATORS: a quality band, which describes the plan's quality score: "78/100, good".
BANDS = {"good": N_("good"), "fair": N_("fair"), "poor": N_("poor")}
"""The quality bands (:class:`kamdocs.config.options.QualitySettings`) in the reader's words."""


def band_word(band: str) -> str:
    """A quality band in the reader's words; one kamdocs does not know is shown as it is."""
    return _(BANDS[band]) if band in BANDS else band


def state(value: str) -> str:
    """A freshness state in words, in the reader's language: ``due soon``, ``never reviewed``."""
    return _(STATES[value]) if value in STATES else word(value)


def rule(rule_id: str) -> str:
    """A rule id as a reader's heading; a rule without an entry still reads as words, never as an id."""
    return _(RULES[rule_id]) if RULES.get(rule_id) else word(rule_id).capitalize()


def category(value: str) -> str:
    """A quality category as the user guide names it."""
    return _(CATEGORIES[value]) if value in CATEGORIES else word(value).capitalize()


def word(value: str) -> str:
    """An enum value of the format (``in-progress``, ``economic-buyer``) as words (``in progress``), in the
    reader's language; a value the format does not know is shown as written, its hyphens as spaces."""
    return _(_VALUES[value]) if value in _VALUES else value.replace("-", " ").replace("_", " ")


PUBLIC_WORDS = frozenset({PLACEHOLDER, CONFIDENTIAL_CONTACT, CONFIDENTIAL_OBSTACLE})
"""What the public view of a plan puts where a confidential value was (:mod:`kamdocs.rules.confidential`):
English in the plan model and the downloads, in the reader's words on a page."""


def public(value: str) -> str:
    """A plan's text as a page shows it: the public view's stand-ins in the reader's words, the rest as written."""
    return _(value) if value in PUBLIC_WORDS else value
