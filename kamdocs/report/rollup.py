"""The roll-up: one row per plan with its freshness, commitments, goal, git facts, delivery and quality.

Every output reads these rows (the status table, JSON, CSV and Markdown, the
site's pages and downloads), so a number means the same wherever it is shown;
``row_record`` and ``rows_csv`` are the row's one plain and one CSV form.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from kamdocs.config import Config
from kamdocs.edit.codeowners import handle_of
from kamdocs.escaping import csv_cell, path_text
from kamdocs.history.delivery import Delivery, read_deliveries
from kamdocs.history.log import GitHistory, read_history
from kamdocs.plan.model import Plan
from kamdocs.plan.spellings import is_placeholder
from kamdocs.plan.validation import PlanValidator
from kamdocs.rules.confidential import public_plan
from kamdocs.rules.confidential_body import HtmlOf
from kamdocs.rules.freshness import Freshness, assess
from kamdocs.rules.pipeline import CheckResult, CheckRun, check_paths
from kamdocs.rules.quality import Quality, quality_of


@dataclass(frozen=True)
class StatusRow:
    """One plan with everything the roll-ups show: freshness, git facts, delivery and quality."""

    plan: Plan
    freshness: Freshness
    last_change: date | None
    last_author: str | None
    revisions: int | None
    uncommitted: bool
    owner_handle: str | None = None
    """The owner's GitHub handle, from github_handles or an owner written as @handle."""
    delivery: Delivery | None = None
    """When commitments became done and reviews were recorded, from git history."""
    judged: Callable[[], Quality] | None = field(default=None, compare=False, repr=False)
    """How the plan's quality is worked out (:attr:`quality`), when it is first asked for."""

    @functools.cached_property
    def quality(self) -> Quality | None:
        """The plan's quality score and the reasons behind it.

        Worked out when first read, not with the row: the site reads it only in the pages' late slots
        and the downloads, which a build makes in its forked process, so the main process, which the
        build's wall time waits for, does not score every plan (2.4 s of it at 10,000 plans).
        """
        return self.judged() if self.judged is not None else None

    @property
    def progress(self) -> float | None:
        """Goal attainment as a fraction of target (actual / target), if both are known."""
        goal = self.plan.goal
        if goal.actual is None or not goal.target:
            return None
        return goal.actual / goal.target


class RollUp(NamedTuple):
    """Everything the status table, the exports and the site start from."""

    result: CheckResult
    history: GitHistory
    rows: list[StatusRow]


def roll_up(
    config: Config,
    validator: PlanValidator,
    today: date,
    paths: Sequence[Path] | None = None,
    freshness_findings: bool = False,
) -> RollUp:
    """Check the plans, read their git history once, and make the rows.

    ``freshness_findings`` adds the freshness rules to the check's findings
    (the site logs them); the rows carry each plan's freshness either way.
    """
    result = check_paths(paths, CheckRun(config, validator, freshness=freshness_findings, today=today))
    history = read_history(config.root, config.plans_path) if config.git else GitHistory()
    return RollUp(result, history, status_rows(result.plans, today, config, history))


def status_rows(plans: Iterable[Plan], today: date, config: Config, history: GitHistory) -> list[StatusRow]:
    """Rows sorted by urgency: most overdue first, then due soon, never reviewed, fresh, archived.

    Each row carries the plan's delivery (from git history) and its quality score.
    """
    plans = list(plans)
    deliveries = read_deliveries(plans, history, config.plans_path)
    rows = []
    for plan in plans:
        facts = history.of(plan.file)
        last = facts.last if facts else None
        fresh = assess(plan, today, config.default_interval, config.due_soon_days)
        delivery = deliveries.get(plan.file)
        rows.append(
            StatusRow(
                plan=plan,
                freshness=fresh,
                last_change=last.date.date() if last else None,
                last_author=last.author if last else None,
                revisions=len(facts.revisions) if facts else None,
                uncommitted=bool(facts and facts.uncommitted),
                owner_handle=handle_of(plan.owner, config.github_handles),
                delivery=delivery,
                judged=functools.partial(quality_of, plan, today, config, delivery, fresh),
            )
        )
    return sorted(rows, key=row_order)


def row_order(row: StatusRow) -> tuple[int, int, str]:
    """The order of the rows everywhere: most urgent first, then by plan id."""
    return (*row.freshness.urgency(), row.plan.id)


def public_rows(
    rows: Sequence[StatusRow], config: Config, today: date, html_of: HtmlOf | None = None
) -> tuple[list[StatusRow], int]:
    """The rows the site and the exports may show, and how many confidential plans were left out.

    A plan with parts left out (:func:`kamdocs.rules.confidential.public_plan`) gets its freshness and
    quality computed again from what is shown, so no figure or reason on the site comes from a
    hidden value. With ``publish_confidential`` every row is shown as it is. ``html_of`` renders a body
    as the site will, so that the sections hidden are the ones its renderer makes.
    """
    if config.publish_confidential:
        return list(rows), 0
    shown, hidden = [], 0
    for row in rows:
        plan = public_plan(row.plan, config.confidential_sections, html_of)
        if plan is None:
            hidden += 1
        elif plan == row.plan:
            shown.append(row)
        else:
            fresh = assess(plan, today, config.default_interval, config.due_soon_days)
            judged = functools.partial(quality_of, plan, today, config, row.delivery, fresh)
            shown.append(replace(row, plan=plan, freshness=fresh, judged=judged))
    return shown, hidden


def filter_rows(
    rows: Sequence[StatusRow], owners: Sequence[str] = (), areas: Sequence[str] = (), states: Sequence[str] = ()
) -> list[StatusRow]:
    """Rows matching every given filter; owners match the full handle or the part before '@'."""
    wanted_owners = {o.casefold() for o in owners}
    wanted_areas = {a.casefold() for a in areas}

    def owner_matches(owner: str) -> bool:
        folded = owner.casefold()
        return folded in wanted_owners or folded.split("@")[0] in wanted_owners

    return [
        r
        for r in rows
        if (not owners or owner_matches(r.plan.owner))
        and (not areas or r.plan.business_area.casefold() in wanted_areas)
        and (not states or r.freshness.state in states)
    ]


def summary(rows: Sequence[StatusRow]) -> dict[str, int]:
    """The dashboard's counts over some rows: plans, overdue, due soon, overdue commitments."""
    counts = {"plans": len(rows), "overdue": 0, "due_soon": 0, "never_reviewed": 0, "fresh": 0, "archived": 0}
    for row in rows:
        counts[row.freshness.state.replace("-", "_")] += 1
    counts["open_commitments"] = sum(r.freshness.open_commitments for r in rows)
    counts["overdue_commitments"] = sum(r.freshness.overdue_commitments for r in rows)
    return counts


RECORD_FIELDS = (
    "id", "file", "account", "owner", "owner_handle", "business_area", "kind", "status", "reviewer", "interval", "last_reviewed",
    "next_review", "freshness", "days_overdue", "days_left", "open_commitments", "overdue_commitments",
    "goal_target", "goal_actual", "goal_unit", "goal_progress", "period_start", "period_end", "last_change",
    "last_author", "revisions", "uncommitted", "quality_score", "quality_band",
)  # fmt: skip
"""The keys of each plan in the JSON ``plans`` list, and the CSV header, in order."""


def filled(text: str | None) -> str | None:
    """A text field as exports give it: a placeholder (``TODO: CHF, EUR, units...``) is not filled in, so None.

    The plan keeps its placeholder (``kamdocs check`` names it); a download never passes it on as a unit,
    owner or business area that a spreadsheet would then sum or group by.
    """
    return None if text is None or is_placeholder(text) else text


def row_record(row: StatusRow) -> dict[str, Any]:
    """One row as plain JSON-ready values; the shared source of the JSON and CSV forms."""
    plan, fresh, goal = row.plan, row.freshness, row.plan.goal
    return {
        "id": plan.id,
        "file": path_text(plan.file),
        "account": plan.account,
        "owner": filled(plan.owner),
        "owner_handle": row.owner_handle,
        "business_area": filled(plan.business_area),
        "kind": plan.kind,
        "status": plan.status,
        "reviewer": filled(plan.review.reviewer),
        "interval": fresh.interval,
        "last_reviewed": iso(plan.review.last_reviewed),
        "next_review": iso(fresh.next_review),
        "freshness": fresh.state,
        "days_overdue": fresh.days_overdue,
        "days_left": fresh.days_left,
        "open_commitments": fresh.open_commitments,
        "overdue_commitments": fresh.overdue_commitments,
        "goal_target": goal.target,
        "goal_actual": goal.actual,
        "goal_unit": filled(goal.unit),
        "goal_progress": None if row.progress is None else round(row.progress, 4),
        "period_start": iso(goal.period.start),
        "period_end": iso(goal.period.end),
        "last_change": iso(row.last_change),
        "last_author": row.last_author,
        "revisions": row.revisions,
        "uncommitted": row.uncommitted,
        "quality_score": row.quality.score if row.quality else None,
        "quality_band": row.quality.band if row.quality else None,
    }


def iso(value: date | None) -> str | None:
    """A date as YYYY-MM-DD, or None."""
    return value.isoformat() if value else None


def rows_csv(rows: Sequence[StatusRow]) -> str:
    """The rows as CSV (``kamdocs status --format csv`` and the site's plans.csv), with the formula guard
    on every text cell and a byte-order mark, so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RECORD_FIELDS)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row_record(row).values()])
    return "\ufeff" + buffer.getvalue()
