"""The scorecard page: one sortable table per grouping (owner, reviewer, business area) for the current
fiscal year, each name linked to its page of plans where the site has one (``group_by``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from kamdocs.report.scorecard import Period, ScorecardRow
from kamdocs.report.scorecard_output import BY_TITLES, HEADERS, NUMERIC, cells
from kamdocs.site.html import esc, sort_cell, table

Link = Callable[[str], str]


def scorecard_table(rows: Sequence[ScorecardRow], by: str, pages: Mapping[str, str], link: Link) -> str:
    """A sortable table; ``pages`` maps a name to the source path of its facet page."""
    body = []
    for row in rows:
        page = pages.get(row.key)
        name = f'<a href="{esc(link(page))}">{esc(row.key)}</a>' if page else esc(row.key)
        texts = cells(row)
        met, due = row.reviews_on_time, row.reviews_due
        keys = [row.plans, row.quality_average, row.quality_lowest, row.overdue_plans, row.days_overdue_total,
                row.commitments_due, row.done_on_time, row.done_late, row.overdue, row.open,
                None if met is None or due is None else met - due, texts[-1]]  # fmt: skip
        body.append(
            [sort_cell(name, row.key.casefold())]
            + [sort_cell(esc(t), -1 if k is None else k) for t, k in zip(texts, keys, strict=True)]
        )
    if not body:
        return "<p>No plan's goal period overlaps this period.</p>"
    return table([BY_TITLES[by], *HEADERS], body, css="kd-table kd-wide", sortable=True, numeric=NUMERIC)


def explanation(period: Period) -> str:
    return (
        f"<p>{esc(period.label[0].upper() + period.label[1:])}, {period.start} to {period.end}. Plans whose goal "
        "period overlaps it, archived ones left out. Quality is the average and the lowest score of the active "
        "plans (see the plan quality page of the user guide). Commitments due in the period add up: on time + late "
        "+ overdue + open (not due yet); when a commitment became done comes from git history, not from the plan. "
        "Reviews on time: the review deadlines in the period that have passed, and how many the next review met. "
        "Goal attainment: actuals over the targets of the plans that give one, per currency or unit. "
        "<code>kamdocs scorecard</code> gives the same for any period.</p>"
    )
