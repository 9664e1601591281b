"""The scorecard page: one sortable table per grouping (owner, reviewer, business area) for the current
fiscal year, each name linked to its page of plans where the site has one (``group_by``), and under each
the change since the period began (:mod:`kamdocs.report.trends`): the most improved and the biggest drops
first, then every name's quality and overdue commitments then and now.

The figures are those ``scorecard_output.cells`` gives the terminal, worded in the reader's language and
written in their locale; on an English page they read exactly alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from kamdocs import i18n
from kamdocs.i18n import N_, _, ngettext
from kamdocs.report.scorecard import Attainment, Period, ScorecardRow
from kamdocs.report.scorecard_output import BY_TITLES
from kamdocs.report.trends import Change, Changes
from kamdocs.site.budget_page import money, share
from kamdocs.site.html import breakable, esc, keep_figures, second_line, sort_cell, table

Link = Callable[[str], str]


COLUMNS = (N_("Plans"), N_("Quality"), N_("Commitments due"), N_("Reviews on time"), N_("Goal attainment"))
"""The site's columns after the name: the terminal's twelve, grouped so that a row fits 1280 px. Each
column's figure stands first and sorts it; what qualifies it (overdue plans, the lowest score, how the
commitments due ended) is a second line under it. Reviews and attainment are words ("not known (no git
history)", "81% of 2,700,000 CHF; ...") and wrap between them, never inside a figure."""


def by_title(by: str) -> str:
    """The heading of the names' column (``Owner``), in the reader's language."""
    return _(BY_TITLES[by])


def attainment_text(items: Sequence[Attainment]) -> str:
    """``81% of 2,700,000 CHF; 43% of 14 units (1 without actual)``; ``–`` when nothing counts."""
    parts = []
    for a in items:
        ratio = a.ratio
        if ratio is None:
            parts.append(_("no actual in {unit}").format(unit=a.unit))
            continue
        # TRANSLATORS: an attainment and the targets it is the share of: "81% of 2,700,000 CHF".
        text = _("{share} of {amount}").format(share=share(ratio), amount=money(a.target, a.unit))
        if a.missing:
            more = ngettext("{attainment} ({count} without actual)", "{attainment} ({count} without actual)", a.missing)
            text = more.format(attainment=text, count=i18n.number(a.missing))
        parts.append(text)
    return "; ".join(parts) or i18n.MISSING


def reviews_text(row: ScorecardRow) -> str:
    """``2 of 3``; ``not known (no git history)`` when history cannot tell; since when, if history began late."""
    if row.reviews_due is None or row.reviews_on_time is None:
        return _("not known (no git history)")
    counted = (
        _("none due")
        if row.reviews_due == 0
        else _("{count} of {total}").format(count=i18n.number(row.reviews_on_time), total=i18n.number(row.reviews_due))
    )
    if row.reviews_since:
        return _("{reviews} since git history began on {day}").format(reviews=counted, day=i18n.day(row.reviews_since))
    return counted


def _overdue(row: ScorecardRow) -> str:
    """Under the plans: how many are overdue for review, and by how many days."""
    if not row.overdue_plans:
        return ""
    if row.overdue_plans == 1:
        text = ngettext("{count} overdue, {days} day", "{count} overdue, {days} days", row.days_overdue_total)
    else:
        text = _("{count} overdue, {days} days in all, most {most}")
    return text.format(
        count=i18n.number(row.overdue_plans),
        days=i18n.number(row.days_overdue_total),
        most=i18n.number(row.days_overdue_most),
    )


def _ended(row: ScorecardRow) -> str:
    """Under the commitments due: how they ended (``3 on time · 1 late · 0 overdue · 2 open``)."""
    if not row.commitments_due:
        return ""
    # A figure and its word never part: the space in each is a no-break space.
    # Each a plural message: Italian and French agree the word with the count ("1 tardivo", "3 tardivi").
    forms = (
        ngettext("{count}\u00a0on time", "{count}\u00a0on time", row.done_on_time),
        ngettext("{count}\u00a0late", "{count}\u00a0late", row.done_late),
        ngettext("{count}\u00a0overdue", "{count}\u00a0overdue", row.overdue),
        ngettext("{count}\u00a0open", "{count}\u00a0open", row.open),
    )
    figures = (row.done_on_time, row.done_late, row.overdue, row.open)
    counts = [text.format(count=i18n.number(n)) for text, n in zip(forms, figures, strict=True)]
    return " · ".join(counts)


def _quality(row: ScorecardRow) -> tuple[str, str]:
    """The average quality and, under it, the lowest score and whose it is."""
    average = i18n.MISSING if row.quality_average is None else i18n.number(round(row.quality_average))
    if row.quality_lowest is None:
        return average, ""
    lowest = _("lowest {score} ({account})").format(score=i18n.number(row.quality_lowest), account=row.lowest_account)
    return average, lowest


def scorecard_table(rows: Sequence[ScorecardRow], by: str, pages: Mapping[str, str], link: Link) -> str:
    """A sortable table; ``pages`` maps a name to the source path of its facet page."""
    body = []
    for row in rows:
        page = pages.get(row.key)
        name = f'<a href="{esc(link(page))}">{breakable(row.key)}</a>' if page else breakable(row.key)
        average, lowest = _quality(row)
        attainment = attainment_text(row.attainment)
        met, due = row.reviews_on_time, row.reviews_due
        cells_ = [
            (i18n.number(row.plans), _overdue(row), row.plans),
            (average, lowest, row.quality_average),
            (i18n.number(row.commitments_due), _ended(row), row.commitments_due),
            (reviews_text(row), "", None if met is None or due is None else met - due),
            (attainment, "", attainment),
        ]
        body.append(
            [sort_cell(name, row.key.casefold())]
            + [sort_cell(second_line(keep_figures(esc(t)), esc(d)), -1 if k is None else k) for t, d, k in cells_]
        )
    if not body:
        return "<p>" + _("No plan's goal period overlaps this period.") + "</p>"
    headers = [by_title(by), *(_(c) for c in COLUMNS)]
    return table(headers, body, css="kd-table kd-scorecard", sortable=True, numeric={1, 2, 3}, stacked=True)


def period_text(period: Period) -> str:
    """``Fiscal year 2026/27, 2026-04-01 to 2027-03-31``: a period as the scorecard names it."""
    start, end = i18n.day(period.start), i18n.day(period.end)
    if period.fiscal_year:
        year = period.label.removeprefix("fiscal year ")  # i18n: machine (fiscal_period's label)
        return _("Fiscal year {year}, {start} to {end}").format(year=year, start=start, end=end)
    if period.label == "all fiscal years":  # i18n: machine (the site's label of every year)
        return _("All fiscal years, {start} to {end}").format(start=start, end=end)
    label = period.label[0].upper() + period.label[1:]
    return _("{period}, {start} to {end}").format(period=label, start=start, end=end)


def explanation(period: Period) -> str:
    sentences = [
        esc(period_text(period)) + ".",
        _("Plans whose goal period overlaps it, archived ones left out."),
        _(
            "Quality is the average and the lowest score of the active plans (see the plan quality page of the "
            "user guide)."
        ),
        _(
            "Commitments due in the period add up: on time + late + overdue + open (not due yet); when a "
            "commitment became done comes from git history, not from the plan."
        ),
        _("Reviews on time: the review deadlines in the period that have passed, and how many the next review met."),
        _("Goal attainment: actuals over the targets of the plans that give one, per currency or unit."),
        _(
            "Under each table, the change since the period began: the average quality and the overdue commitments "
            "then (each plan's version in git on that day) and today, the most improved and the biggest drops first."
        ),
        _("{command} gives the same for any period.").format(
            command="<code>kamdocs scorecard</code>"  # i18n: machine
        ),
    ]
    return f"<p>{' '.join(sentences)}</p>"


MOVERS = 5
"""Names in each of the "most improved" and "biggest drops" lists; the table below has every one."""


def _signed(value: float) -> str:
    """``+26``, ``-2``; ``±0`` for no change that rounds to nothing."""
    rounded = round(value)
    if not rounded:
        return "±0"
    return ("+" if rounded > 0 else "-") + i18n.number(abs(rounded))


def quality_change_text(change: Change) -> str:
    """``60 → 86 (+26)``; what is missing is said, never shown as 0."""
    then, now = change.quality_then, change.quality_now
    if then is None and now is None:
        return _("no score then or now")
    if then is None:
        return _("{now} now, no score then").format(now=i18n.number(round(now or 0)))
    if now is None:
        return _("{then} then, no score now").format(then=i18n.number(round(then)))
    return f"{i18n.number(round(then))} → {i18n.number(round(now))} ({_signed(now - then)})"


def overdue_change_text(change: Change) -> str:
    """``3 → 1 (-2)``; ``1 now, none known then`` for plans git did not know then."""
    if change.overdue_then is None:
        return _("{now} now, not known then").format(now=i18n.number(change.overdue_now))
    then, now = change.overdue_then, change.overdue_now
    return f"{i18n.number(then)} → {i18n.number(now)} ({_signed(now - then)})"


def reviews_change_text(change: Change) -> str:
    """The period's reviews on time, ``2 of 3``, as the scorecard counts them; not known without git."""
    if change.reviews_due is None or change.reviews_on_time is None:
        return _("not known")
    if change.reviews_due == 0:
        return _("none due")
    return _("{count} of {total}").format(
        count=i18n.number(change.reviews_on_time), total=i18n.number(change.reviews_due)
    )


def known_text(change: Change) -> str:
    return _("{count} of {total}").format(count=i18n.number(change.known_then), total=i18n.number(change.plans))


def mover(change: Change) -> str:
    """One line of a movers list: the name, then quality and overdue commitments then and now."""
    text = _("{name}: quality {quality}, overdue commitments {overdue}").format(
        name=breakable(change.key),
        quality=keep_figures(esc(quality_change_text(change))),
        overdue=keep_figures(esc(overdue_change_text(change))),
    )
    return f"<li>{text}</li>"


def movers(found: Changes, by: str) -> str:
    """The most improved and the biggest drops, each at most :data:`MOVERS`, or that none moved."""
    parts = []
    for improved, items in ((True, found.improved), (False, found.dropped)):
        title = _("Most improved") if improved else _("Biggest drops")
        if items:
            listed = "".join(mover(c) for c in items[:MOVERS])
            if len(items) > MOVERS:
                title = _("{list} (the first {count} of {total})").format(
                    list=title, count=i18n.number(MOVERS), total=i18n.number(len(items))
                )
            parts.append(f'<div class="kd-movers-list"><p class="kd-movers-title">{title}</p><ol>{listed}</ol></div>')
        else:
            parts.append(
                f'<div class="kd-movers-list"><p class="kd-movers-title">{title}</p><p>{esc(nobody(by))}</p></div>'
            )
    return f'<div class="kd-movers">{"".join(parts)}</div>'


def nobody(by: str) -> str:
    """That no owner, reviewer or business area is in a movers list."""
    if by == "owner":
        return _("No owner.")
    if by == "reviewer":
        return _("No reviewer.")
    if by == "business_area":
        return _("No business area.")
    return _("No {names}.").format(names=by_title(by).lower())


CHANGE_COLUMNS = (
    N_("Quality then → now"),
    N_("Overdue commitments then → now"),
    N_("Reviews on time"),
    N_("Plans known then"),
)


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
    headers = [by_title(by), *(_(c) for c in CHANGE_COLUMNS)]
    return table(headers, body, css="kd-table kd-changes", sortable=True, numeric={1, 2, 4}, stacked=True)


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
        text = _(
            "No change over the period: the plans' history in git is not read (no git repository, or {setting})."
        ).format(setting="<code>git: false</code>")
        return f"<p>{text}</p>"
    if found.then >= found.today:
        return ""
    intro = _(
        "Change since {day}: the average quality and the overdue commitments of the plans above then (their "
        "versions in git on that day) and today. A plan git did not know then is left out of then, not counted as 0."
    ).format(day=esc(i18n.day(found.then)))
    return f'<p class="kd-change-note">{intro}</p>' + movers(found, by) + change_table(found, by, pages, link)
