"""A site build's freshness findings as a person reads the build log: one line per rule.

At a thousand plans a line per finding is four thousand lines, and the warnings that matter scroll
away. The build log instead says, for each freshness rule, how many findings there are and which
three plans are the most urgent (most days late first), and where the full list is. The plugin and
``kamdocs build``/``render`` print the same lines; ``log_findings: all`` (and ``mkdocs build -v``)
restores one line per finding, and ``kamdocs check`` is untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from kamdocs.config import Config
from kamdocs.escaping import one_line
from kamdocs.findings import RULES, Finding, json_path, plural
from kamdocs.plan.model import Plan
from kamdocs.rules.freshness import issues

MOST_URGENT = 3
"""How many plans each rule's line names."""

WORDS: dict[str, tuple[str, str, str]] = {
    "review-overdue": ("overdue review", "overdue reviews", "most overdue"),
    "review-in-future": ("review dated after today", "reviews dated after today", "furthest ahead"),
    "commitment-overdue": ("overdue commitment", "overdue commitments", "most overdue"),
    "kpi-stale": ("stale KPI", "stale KPIs", "longest unmeasured"),
    "goal-expired": ("expired goal", "expired goals", "longest ended"),
    "contact-stale": ("stale contact", "stale contacts", "longest without contact"),
}
"""Each freshness rule in a reader's words: one finding, several, and how its plans are ordered."""


@dataclass(frozen=True)
class Late:
    """One plan under one rule: its file and its most days late (None if they could not be told)."""

    file: str
    days: int | None


@dataclass(frozen=True)
class RuleCount:
    """One freshness rule in a build: how many findings, in how many plans, and the most urgent plans."""

    rule: str
    findings: int
    files: tuple[str, ...]
    """The plans with such a finding, by file."""
    most_urgent: tuple[Late, ...]

    @property
    def plans(self) -> int:
        return len(self.files)


def freshness_counts(
    findings: Iterable[Finding], plans: Iterable[Plan], today: date, config: Config
) -> tuple[RuleCount, ...]:
    """The freshness findings counted per rule, in the catalogue's order, each with its most urgent plans.

    The counts are of ``findings`` (what one line per finding would log); the days come from the
    freshness rules run again on the plans those findings are in, matched by rule and JSON path.
    """
    findings = list(findings)
    files = {f.file for f in findings}
    days: dict[tuple[str, str, str], int] = {}
    for plan in plans:
        if plan.file in files:
            for issue in issues(plan, today, config.default_interval, config.due_soon_days):
                days[(plan.file, issue.rule, json_path(issue.path))] = issue.days
    counts = []
    for rule in (r for r in RULES if r in WORDS):
        mine = [f for f in findings if f.rule == rule]
        if not mine:
            continue
        worst: dict[str, int | None] = {}
        for f in mine:
            late = days.get((f.file, f.rule, f.path))
            known = [d for d in (worst.get(f.file), late) if d is not None]
            worst[f.file] = max(known) if known else None
        ordered = sorted(worst.items(), key=lambda item: (item[1] is None, -(item[1] or 0), item[0]))
        urgent = tuple(Late(file, late) for file, late in ordered[:MOST_URGENT])
        counts.append(RuleCount(rule, len(mine), tuple(sorted(worst)), urgent))
    return tuple(counts)


def summary_lines(counts: Sequence[RuleCount], dashboard: str, every_finding: str) -> list[str]:
    """The build log's lines for ``counts``: one per rule, then where the full list is.

    ``dashboard`` is the dashboard's address in the site (``plans/``); ``every_finding`` says how to
    get one line per finding in this build (``mkdocs build -v``, ``log_findings: all``).
    """
    if not counts:
        return []
    lines = []
    for count in counts:
        one, many, order = WORDS[count.rule]
        what = f"{count.findings} {one if count.findings == 1 else many}"
        if count.plans != count.findings:
            what += f" in {plural(count.plans, 'plan')}"
        named = ", ".join(f"{one_line(late.file)}{_days(late.days)}" for late in count.most_urgent)
        lines.append(f"freshness: {what} [{count.rule}]; {order}: {named}")
    total = sum(c.findings for c in counts)
    plans = len({file for c in counts for file in c.files})
    lines.append(
        f"freshness: {plural(total, 'finding')} in {plural(plans, 'plan')} in all; "
        f"the full list: kamdocs status, or the dashboard ({dashboard}); one line per finding: {every_finding}"
    )
    return lines


def _days(days: int | None) -> str:
    return "" if days is None else f" ({plural(days, 'day')})"
