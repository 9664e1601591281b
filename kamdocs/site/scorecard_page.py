"""The scorecard page: one sortable table per grouping (owner, reviewer, business area) for the current
fiscal year, each name linked to its page of plans where the site has one (``group_by``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from kamdocs.report.scorecard import Period, ScorecardRow
from kamdocs.report.scorecard_output import BY_TITLES, HEADERS, cells
from kamdocs.site.html import breakable, esc, keep_figures, second_line, sort_cell, table

Link = Callable[[str], str]


COLUMNS = ("Plans", "Quality", "Commitments due", "Reviews on time", "Goal attainment")
"""The site's columns after the name: the terminal's twelve, grouped so that a row fits 1280 px. Each
column's figure stands first and sorts it; what qualifies it (overdue plans, the lowest score, how the
commitments due ended) is a second line under it. Reviews and attainment are words ("not known (no git
history)", "81% of 2,700,000 CHF; ...") and wrap between them, never inside a figure."""


def scorecard_table(rows: Sequence[ScorecardRow], by: str, pages: Mapping[str, str], link: Link) -> str:
    """A sortable table; ``pages`` maps a name to the source path of its facet page."""
    body = []
    for row in rows:
        page = pages.get(row.key)
        name = f'<a href="{esc(link(page))}">{breakable(row.key)}</a>' if page else breakable(row.key)
        text = dict(zip(HEADERS, cells(row), strict=True))
        overdue = ""
        if row.overdue_plans:
            overdue = f"{row.overdue_plans:,} overdue, {row.days_overdue_total:,} days" + (
                f" in all, most {row.days_overdue_most:,}" if row.overdue_plans > 1 else ""
            )
        lowest = "" if row.quality_lowest is None else f"lowest {text['Lowest']}"
        ended = (
            " · ".join(f"{text[h]}\u00a0{h.lower()}" for h in ("On time", "Late", "Overdue", "Open"))
            if row.commitments_due
            else ""
        )
        met, due = row.reviews_on_time, row.reviews_due
        cells_ = [
            (text["Plans"], overdue, row.plans),
            (text["Quality avg"], lowest, row.quality_average),
            (text["Commitments due"], ended, row.commitments_due),
            (text["Reviews on time"], "", None if met is None or due is None else met - due),
            (text["Goal attainment"], "", text["Goal attainment"]),
        ]
        body.append(
            [sort_cell(name, row.key.casefold())]
            + [sort_cell(second_line(keep_figures(esc(t)), esc(d)), -1 if k is None else k) for t, d, k in cells_]
        )
    if not body:
        return "<p>No plan's goal period overlaps this period.</p>"
    return table([BY_TITLES[by], *COLUMNS], body, css="kd-table kd-scorecard", sortable=True, numeric={1, 2, 3},
                 stacked=True)  # fmt: skip


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
