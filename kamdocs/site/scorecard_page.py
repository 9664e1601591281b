"""The scorecard page: one sortable table per grouping (owner, reviewer, business area) for the current
fiscal year, each name linked to its page of plans where the site has one (``group_by``), and under each
the change since the period began (:mod:`kamdocs.report.trends`): the most improved and the biggest drops
first, then every name's quality and overdue commitments then and now."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from kamdocs.report.scorecard import Period, ScorecardRow
from kamdocs.report.scorecard_output import BY_TITLES, HEADERS, cells
from kamdocs.report.trends import Change, Changes
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
        "Under each table, the change since the period began: the average quality and the overdue commitments "
        "then (each plan's version in git on that day) and today, the most improved and the biggest drops first. "
        "<code>kamdocs scorecard</code> gives the same for any period.</p>"
    )


MOVERS = 5
"""Names in each of the "most improved" and "biggest drops" lists; the table below has every one."""


def _signed(value: float) -> str:
    return f"{value:+.0f}" if round(value) else "±0"


def quality_change_text(change: Change) -> str:
    """``60 → 86 (+26)``; what is missing is said, never shown as 0."""
    then, now = change.quality_then, change.quality_now
    if then is None and now is None:
        return "no score then or now"
    if then is None:
        return f"{now:.0f} now, no score then"
    if now is None:
        return f"{then:.0f} then, no score now"
    return f"{then:.0f} → {now:.0f} ({_signed(now - then)})"


def overdue_change_text(change: Change) -> str:
    """``3 → 1 (-2)``; ``1 now, none known then`` for plans git did not know then."""
    if change.overdue_then is None:
        return f"{change.overdue_now:,} now, not known then"
    return f"{change.overdue_then:,} → {change.overdue_now:,} ({_signed(change.overdue_now - change.overdue_then)})"


def reviews_change_text(change: Change) -> str:
    """The period's reviews on time, ``2 of 3``, as the scorecard counts them; not known without git."""
    if change.reviews_due is None or change.reviews_on_time is None:
        return "not known"
    return "none due" if change.reviews_due == 0 else f"{change.reviews_on_time:,} of {change.reviews_due:,}"


def known_text(change: Change) -> str:
    return f"{change.known_then:,} of {change.plans:,}"


def mover(change: Change) -> str:
    """One line of a movers list: the name, then quality and overdue commitments then and now."""
    return (
        f"<li>{breakable(change.key)}: quality {keep_figures(esc(quality_change_text(change)))}, overdue "
        f"commitments {keep_figures(esc(overdue_change_text(change)))}</li>"
    )


def movers(found: Changes, by: str) -> str:
    """The most improved and the biggest drops, each at most :data:`MOVERS`, or that none moved."""
    noun = BY_TITLES[by].lower()
    parts = []
    for title, items in (("Most improved", found.improved), ("Biggest drops", found.dropped)):
        if items:
            listed = "".join(mover(c) for c in items[:MOVERS])
            more = f" (the first {MOVERS} of {len(items)})" if len(items) > MOVERS else ""
            parts.append(
                f'<div class="kd-movers-list"><p class="kd-movers-title">{title}{more}</p><ol>{listed}</ol></div>'
            )
        else:
            parts.append(
                f'<div class="kd-movers-list"><p class="kd-movers-title">{title}</p><p>No {esc(noun)}.</p></div>'
            )
    return f'<div class="kd-movers">{"".join(parts)}</div>'


CHANGE_COLUMNS = ("Quality then → now", "Overdue commitments then → now", "Reviews on time", "Plans known then")


def change_table(found: Changes, by: str, pages: Mapping[str, str], link: Link) -> str:
    """Every name's change, most improved first and the biggest drop last; sortable by each change."""
    body = []
    for change in found.ranked():
        page = pages.get(change.key)
        name = f'<a href="{esc(link(page))}">{breakable(change.key)}</a>' if page else breakable(change.key)
        q, o = change.quality_change, change.overdue_change
        body.append([
            sort_cell(name, change.key.casefold()),
            sort_cell(keep_figures(esc(quality_change_text(change))), -1000 if q is None else round(q, 1)),
            sort_cell(keep_figures(esc(overdue_change_text(change))), -1_000_000 if o is None else o),
            sort_cell(keep_figures(esc(reviews_change_text(change))), _share(change)),
            sort_cell(keep_figures(esc(known_text(change))), change.known_then),
        ])  # fmt: skip
    return table([BY_TITLES[by], *CHANGE_COLUMNS], body, css="kd-table kd-changes", sortable=True, numeric={1, 2, 4},
                 stacked=True)  # fmt: skip


def _share(change: Change) -> float:
    """Reviews on time as a share, for sorting: -1 when not known or none due."""
    due, met = change.reviews_due, change.reviews_on_time
    return -1.0 if not due or met is None else round(met / due, 4)


def changes_block(found: Changes, by: str, pages: Mapping[str, str], link: Link, known: bool) -> str:
    """The change since the period's start: the movers first, then every name's change. Without history
    (no git, ``git: false``) it says so rather than showing no change."""
    if not found.rows:
        return ""
    if not known:
        return "<p>No change over the period: the plans' history in git is not read (no git repository, or <code>git: false</code>).</p>"
    if found.then >= found.today:
        return ""
    intro = (
        f'<p class="kd-change-note">Change since {found.then.isoformat()}: the average quality and the overdue '
        "commitments of the plans above then (their versions in git on that day) and today. A plan git did not "
        "know then is left out of then, not counted as 0.</p>"
    )
    return intro + movers(found, by) + change_table(found, by, pages, link)
