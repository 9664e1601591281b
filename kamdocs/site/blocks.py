"""The HTML blocks that pages share: the plans grid, the dashboard's cards and charts, the links to the
grouped views, the budget charts. Each is HTML for a slot, with every plan's text escaped."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from kamdocs import i18n
from kamdocs.calendar.fiscal import fiscal_year_of
from kamdocs.config import Config
from kamdocs.i18n import N_, _, ngettext
from kamdocs.report.budget import Budget, BudgetLine, budget, goal_fiscal_year, is_money, placeholder_fields
from kamdocs.report.rollup import StatusRow
from kamdocs.report.trends import Month
from kamdocs.rules.freshness import Freshness
from kamdocs.site.budget_page import money, share
from kamdocs.site.fiscal_years import YearChoice, by_year, year_choices, year_switch
from kamdocs.site.grid import Column, FacetDefault, grid
from kamdocs.site.html import badge_label, esc, iso
from kamdocs.site.sitemap import BY_FACET, FACET_TITLES, SiteMap
from kamdocs.site.slots import Link
from kamdocs.site.sparklines import Spot, sparkline
from kamdocs.site.svg import Bar, TargetActual, bar_chart, target_actual_chart
from kamdocs.site.words import BANDS, band_word, state, word


def urgency_key(fresh: Freshness) -> int:
    """One number that sorts plans most urgent first, for the table script."""
    rank, days = fresh.urgency()
    return rank * 1_000_000 + days


def attained(actual: float, of: float, unit: str) -> str:
    """``actual 450,000 CHF of 1,200,000 CHF (38%)``: an attainment with both its sides, so it can be
    checked by eye; every attainment on the site is written so."""
    ratio = actual / of if of else None
    ratio = ratio if ratio is not None and math.isfinite(ratio) else None
    # TRANSLATORS: an attainment with both sides of its ratio: "actual 450,000 CHF of 1,200,000 CHF (38%)".
    text = _("actual {actual} of {target} ({share})")
    return text.format(actual=money(actual, unit), target=money(of, unit), share=share(ratio))


def attainment_note(line: BudgetLine) -> str:
    """Actual against the targets it is compared with, so the percentage can be checked by eye.

    When some plans give no actual, the ratio is over the targets of the plans that do, and the
    note says so and how many are left out, rather than setting it beside the full target.
    """
    if line.actual is None:
        return _("no actual yet (target {target})").format(target=money(line.target, line.unit))
    text = attained(line.actual, line.target_with_actual, line.unit)
    if line.actuals_missing:
        n = line.actuals_missing
        text = ngettext(
            "{attainment}; {count} plan without actual left out",
            "{attainment}; {count} plans without actual left out",
            n,
        ).format(attainment=text, count=i18n.number(n))
    return text


TOP_BARS = 12
"""Bars in a chart over many accounts or areas: the largest, then the rest as one bar."""


@dataclass(frozen=True)
class Attained:
    """One bar of an attainment chart with the two sides of its ratio, so that bars can be summed."""

    bar: Bar
    actual: float | None
    """None when nothing under the bar gives an actual: left out of any sum, never read as 0."""
    target: float
    """The targets of the plans that give an actual."""


def other_areas(n: int) -> str:
    """The label of the bar of the business areas past the largest."""
    return ngettext("{count} other business area", "{count} other business areas", n).format(count=i18n.number(n))


def other_plans(n: int) -> str:
    """The label of the bar of the plans past the largest."""
    return ngettext("{count} other plan", "{count} other plans", n).format(count=i18n.number(n))


def top_bars(items: Sequence[Attained], n: int, others: Callable[[int], str], unit: str) -> list[Bar]:
    """The ``n - 1`` highest attainments, highest first, and the rest as one bar.

    The rest is an attainment like the others: the sum of its actuals over the sum of the targets of
    the same plans (all in ``unit``), never an average of ratios; ``others`` labels it by its count
    (:func:`other_areas`, :func:`other_plans`).
    """
    ordered = sorted(items, key=lambda i: (-i.bar.value, i.bar.label.casefold()))
    if len(ordered) <= n:
        return [i.bar for i in ordered]
    top, rest = ordered[: n - 1], ordered[n - 1 :]
    given = [i for i in rest if i.actual is not None]
    label = others(len(rest))
    if not given:
        return [*(i.bar for i in top), Bar(label, 0.0, "kd-bar kd-rest", note=_("no actual yet"))]
    actual = math.fsum(i.actual for i in given if i.actual is not None)
    target = math.fsum(i.target for i in given)
    ratio = actual / target if target and math.isfinite(actual / target) else 0.0
    return [*(i.bar for i in top), Bar(label, ratio, "kd-bar kd-rest", note=attained(actual, target, unit))]


def line_bar(line: BudgetLine) -> Attained:
    """A budget line as a bar of its area's attainment (0 wide, with words, without an actual)."""
    bar = Bar(line.area or _("All areas"), line.attainment or 0.0, note=attainment_note(line))
    return Attained(bar, line.actual, line.target_with_actual)


PLAN_COLUMNS = (
    Column("account", N_("Account"), "link", facet="account", typed=True, phone=True),
    Column("owner", N_("Owner"), facet="owner", phone=True),
    Column("area", N_("Business area"), facet="area"),
    Column("state", N_("Freshness"), "badge", facet="state", phone=True),
    Column("next", N_("Next review"), "sorted"),
    Column("goal", N_("Goal"), "sorted", numeric=True),
    Column("commitments", N_("Open / overdue commitments"), "sorted"),
    Column("quality", N_("Quality"), "band", facet="quality"),
    Column("reviewer", N_("Reviewer"), hidden=True, facet="reviewer"),
)
"""The plans grid's columns; the URL names of the facets are the query keys of a filtered view."""
OPTIONAL_PLAN_COLUMNS = (
    Column("tier", N_("Tier"), hidden=True, facet="tier"),
    Column("region", N_("Region"), hidden=True, facet="region"),
)
"""Facets only for filtering, in the data only when some plan has a value (the key is the plan field)."""

OPEN = FacetDefault(N_("open or in progress"), (N_("open"), N_("in progress")))
"""The commitments page's view until the reader picks a status: done and dropped ones are a selector away.
Its label and values are words of the catalogue (the values :func:`word` gives ``open`` and ``in-progress``),
translated where the grid shows them, as the statuses in its rows are."""
COMMITMENT_COLUMNS = (
    Column("due", N_("Due"), "due", phone=True),
    Column("status", N_("Status"), facet="status", default=OPEN),
    Column("action", N_("Action"), phone=True),
    Column("account", N_("Account"), "link", facet="account", typed=True, phone=True),
    Column("overdue", N_("Overdue"), hidden=True, facet="overdue", search=False),  # "overdue" is in "not overdue"
    Column("area", N_("Business area"), hidden=True, facet="area"),
    Column("owner", N_("Owner"), hidden=True, facet="owner"),
)
OWNER_ROWS = 10
"""Rows of each owner's commitments written as HTML on the commitments page; the script adds the rest.

Few, like ``page_size``: every row in the HTML is laid out by the browser (and by Material's script) before
the page is interactive, and six owners' grids were 120 rows (issue 21)."""


def _whole(value: float) -> str:
    """A trend's figure, rounded to a whole number, in the reader's locale."""
    return i18n.number(round(value))


def _attainment_trend(months: Sequence[Month], unit: str) -> str:
    """The trend of the attainment in one currency or unit: the actuals over the targets of the same goals."""
    spots = []
    for m in months:
        line = next((u for u in m.attainment if u.unit == unit), None)
        if line is None or line.ratio is None:
            text = _("no goal in {unit} with an actual in that fiscal year").format(unit=unit)
            spots.append(Spot(m.day, None, text))
        else:
            text = ngettext("{attainment}, {count} plan", "{attainment}, {count} plans", line.plans).format(
                attainment=attained(line.actual, line.target, unit), count=i18n.number(line.plans)
            )
            spots.append(Spot(m.day, line.ratio, text))
    return sparkline(_("Goal attainment, {unit}").format(unit=unit), spots, share)


def no_goal(choice: YearChoice) -> str:
    """That no goal counts in the chosen fiscal year (escaped HTML)."""
    if choice.year:
        return _("No goal counts in fiscal year {year}.").format(year=esc(choice.year.label))
    return _("No goal counts in all fiscal years.")


def by_facet(facet: str) -> str:
    """A grouped page's link text: ``By business area``."""
    if facet in BY_FACET:
        return _(BY_FACET[facet])
    return _("By {facet}").format(facet=_(FACET_TITLES[facet]).lower())


def card_words(key: str, n: int) -> str:
    """A dashboard card's words around its count (``{count}``, filled in by the caller)."""
    if key == "plans":
        return ngettext("{count} plan", "{count} plans", n)
    if key == "overdue":
        return ngettext("{count} overdue for review", "{count} overdue for review", n)
    if key == "due-soon":
        return ngettext("{count} due for review soon", "{count} due for review soon", n)
    if key == "overdue-commitments":
        return ngettext("{count} overdue commitment", "{count} overdue commitments", n)
    return ngettext(
        "{count} confidential plan, counted here, not listed", "{count} confidential plans, counted here, not listed", n
    )


class Blocks:
    """The shared blocks over the site's rows, linked through its site map."""

    def __init__(
        self, rows: Sequence[StatusRow], sitemap: SiteMap, today: date, config: Config, confidential: int = 0
    ) -> None:
        self.rows = rows
        self.map = sitemap
        self.today = today
        self.config = config
        self.confidential = confidential
        """Plans marked confidential as a whole: left out of every page, counted on the dashboard."""

    def plans_grid(self, rows: Sequence[StatusRow], link: Link, name: str = N_("Plans")) -> str:
        """Every plan in ``rows``, filterable and sortable in the browser (:mod:`kamdocs.site.grid`)."""
        optional = [c for c in OPTIONAL_PLAN_COLUMNS if any(getattr(r.plan, c.key) for r in rows)]
        data = []
        for r in rows:
            p, f, q = r.plan, r.freshness, r.quality
            data.append(
                [
                    [p.account, link(self.map.plan_src[p.id])],
                    p.owner,
                    p.business_area,
                    [badge_label(f), urgency_key(f), f.state],
                    [iso(f.next_review), f.next_review.isoformat() if f.next_review else ""],  # shown; sort key
                    [share(r.progress), -1 if r.progress is None else round(r.progress, 4)],
                    [f"{i18n.number(f.open_commitments)} / {i18n.number(f.overdue_commitments)}",
                     f.overdue_commitments * 10000 + f.open_commitments],
                    [None if q is None else q.score, (q.band or "") if q else "", band_word(q.band) if q and q.band else ""],
                    p.review.reviewer,
                    *(getattr(p, c.key) or "" for c in optional),
                ]
            )  # fmt: skip
        downloads = self.all_in(N_("every plan"), link, "plans.csv")
        return grid(
            _(name),
            [*PLAN_COLUMNS, *optional],
            data,
            first=self.config.page_size,
            css="kd-plans",
            downloads=downloads,
            labels={"quality": BANDS},
        )

    def all_in(self, what: str, link: Link, *names: str) -> str:
        """Where a grid's rows all are without script, for its status line: "; every plan is also in plans.csv".
        ``what`` is a message of the catalogue ("every plan"), translated here."""
        anchors = [f'<a href="{esc(link(self.map.src(name)))}">{esc(name)}</a>' for name in names]
        files = (
            anchors[0]
            if len(anchors) == 1
            else _("{files} and {last}").format(files=", ".join(anchors[:-1]), last=anchors[-1])
        )
        # TRANSLATORS: ends a grid's status line: "; every plan is also in plans.csv" ({files} are links).
        return _("; {what} is also in {files}").format(what=_(what), files=files)

    def cards(self, counts: Mapping[str, int], link: Link) -> str:
        # Each figure is a link to the rows it counts: the filter is in the URL, which the grid reads on load.
        dashboard, commitments = link(self.map.src("index.md")), link(self.map.src("commitments.md"))
        cards = [
            ("plans", counts["plans"], f"{dashboard}#all-plans"),
            ("overdue", counts["overdue"], f"{dashboard}?state=overdue#all-plans"),
            ("due-soon", counts["due_soon"], f"{dashboard}?state=due-soon#all-plans"),
            ("overdue-commitments", counts["overdue_commitments"], f"{commitments}?overdue=overdue"),
        ]
        if self.confidential:
            cards.append(("confidential", self.confidential, ""))
        html = "".join(
            f'<div class="kd-card kd-card-{key}">'
            + (f'<a class="kd-card-link" href="{esc(href)}">' if href else "")
            + card_words(key, value).format(count=f'<span class="kd-count">{i18n.number(value)}</span>')
            + ("</a>" if href else "")
            + "</div>"
            for key, value, href in cards
        )
        downloads = " · ".join(
            f'<a href="{esc(link(self.map.src(name)))}">{label}</a>'
            for name, label in (
                ("plans.json", "plans.json"),
                ("plans.csv", "plans.csv (Excel)"),
                ("commitments.ics", _("{file} (calendar)").format(file="commitments.ics")),
                ("plans.xlsx", _("{file} (workbook with the budget)").format(file="plans.xlsx")),
            )
        )
        # TRANSLATORS: under the dashboard's cards; {links} are the download links, parted by " · ".
        line = _("As of {day}. Download: {links}").format(day=esc(i18n.day(self.today)), links=downloads)
        return f'<div class="kd-cards">{html}</div>{self.money_cards()}<p class="kd-downloads">{line}</p>'

    def money_cards(self) -> str:
        """Target, actual and attainment per currency, for the reader's fiscal year (the current one unless
        the URL names another), with the switch to the others."""

        def cards(choice: YearChoice) -> str:
            # TRANSLATORS: a money card: "1,250,000 CHF target 2026/27"; {amount} is the figure's markup.
            words = _("{amount} target {year}") if choice.year else _("{amount} target, all years")
            label = esc(choice.year.label) if choice.year else ""
            money_lines = [line for line in self.year_totals(choice) if line.is_money]
            if not money_lines:
                none = (
                    _("No goal in a currency counts in {year}.").format(year=label)
                    if choice.year
                    else _("No goal in a currency counts in any fiscal year.")
                )
                return f'<p class="kd-money-none">{none}</p>'
            return (
                '<div class="kd-cards">'
                + "".join(
                    '<div class="kd-card kd-card-money">'
                    + words.format(
                        amount=f'<span class="kd-count">{esc(money(line.target, line.unit))}</span>', year=label
                    )
                    + f"<br>{esc(attainment_note(line))}</div>"
                    for line in money_lines
                )
                + "</div>"
            )

        if not any(line.is_money for line in self.budget.unit_totals) and len(self.year_choices) < 2:
            return ""
        return f'<div class="kd-money">{year_switch(self.year_choices)}{by_year(self.year_choices, cards)}</div>'

    def trends(self, months: Sequence[Month] | None) -> str:
        """One small trend per headline figure over the last twelve months (:func:`kamdocs.report.trends.monthly`):
        plans overdue for review, overdue commitments, average quality and attainment per currency or unit.
        ``None``: the plans' history was not read, which is said, not drawn as a flat line."""
        if months is None:
            text = _(
                "No trends over the last twelve months: the plans' history in git is not read (no git repository, "
                "or {setting})."
            ).format(setting="<code>git: false</code>")
            return f'<p class="kd-trends-none">{text}</p>'

        def known(m: Month) -> str:
            return ngettext("{count} plan known", "{count} plans known", m.plans).format(count=i18n.number(m.plans))

        def scored(m: Month) -> str:
            n = m.quality_plans
            return ngettext("{count} plan with a score", "{count} plans with a score", n).format(count=i18n.number(n))

        figures = [
            sparkline(
                _("Plans overdue for review"),
                [Spot(m.day, m.overdue_plans if m.plans else None, known(m)) for m in months],
                _whole,
            ),
            sparkline(
                _("Overdue commitments"),
                [Spot(m.day, m.overdue_commitments if m.plans else None, known(m)) for m in months],
                _whole,
            ),
            sparkline(_("Average quality"), [Spot(m.day, m.quality_average, scored(m)) for m in months], _whole),
        ]
        units = sorted({u.unit for m in months for u in m.attainment}, key=lambda u: (not is_money(u), u))
        figures += [_attainment_trend(months, unit) for unit in units]
        note = _(
            "Each month's end, then today: every plan as its version in git stood that day (judged on the day of "
            "its commit; a review missed since is counted). Plans git did not know yet are left out, not counted "
            "as 0. Attainment: the actuals over the targets of the goals counting in that day's fiscal year that "
            "give an actual."
        )
        return (
            '<div class="kd-trends"><p class="kd-trends-title">' + _("The last twelve months") + "</p>"
            f'<div class="kd-sparks">{"".join(figures)}</div><p class="kd-trends-note">{note}</p></div>'
        )

    @cached_property
    def year_choices(self) -> list[YearChoice]:
        """The fiscal years a reader can choose: the current one, every one with goals, and all of them."""
        return year_choices(self.budget.years(), fiscal_year_of(self.today, self.config.fiscal_year_start))

    def year_lines(self, choice: YearChoice) -> list[BudgetLine]:
        """The budget's lines per area and unit in the chosen fiscal year (over every year for "all")."""
        return self.budget.for_year(choice.year) if choice.year else list(self.budget.area_totals)

    def year_totals(self, choice: YearChoice) -> list[BudgetLine]:
        """The budget's totals per unit over every area in the chosen fiscal year (or in all of them)."""
        if choice.year is None:
            return list(self.budget.unit_totals)
        return [t for t in self.budget.year_totals if t.fiscal_year == choice.year]

    def charts(self) -> str:
        states = Counter(r.freshness.state for r in self.rows)
        order = ["overdue", "due-soon", "never-reviewed", "fresh", "archived"]
        bars = [Bar(state(s), states.get(s, 0), f"kd-bar kd-{s}") for s in order]
        freshness = bar_chart(_("Plans by freshness"), bars)
        statuses = Counter(c.status for r in self.rows for c in r.plan.commitments)
        overdue = sum(r.freshness.overdue_commitments for r in self.rows)
        commitment_bars = [
            Bar(word(s), statuses.get(s, 0), f"kd-bar kd-c-{s}") for s in ("open", "in-progress", "done", "dropped")
        ]
        commitment_bars.insert(0, Bar(_("overdue (open or in progress)"), overdue, "kd-bar kd-overdue"))
        commitments = bar_chart(_("Commitments by status"), commitment_bars)
        charts = f'<div class="kd-charts">{freshness}{commitments}</div>'
        return charts + by_year(self.year_choices, self.attainment_charts)

    def attainment_charts(self, choice: YearChoice) -> str:
        """Goal attainment by business area in the chosen fiscal year, one chart per currency or unit: the
        budget's sum of actuals over the targets of the same plans, never an average of plans' ratios."""
        by_unit: dict[str, list[BudgetLine]] = defaultdict(list)
        for line in self.year_lines(choice):
            by_unit[line.unit].append(line)
        title = (
            _("Goal attainment by business area, fiscal year {year}, {unit}")
            if choice.year
            else _("Goal attainment by business area, all fiscal years, {unit}")
        )
        label = choice.year.label if choice.year else ""
        charts = [
            bar_chart(
                title.format(year=label, unit=unit),
                top_bars([line_bar(line) for line in by_unit[unit]], TOP_BARS, other_areas, unit),
                percent=True,
            )
            for unit in sorted(by_unit, key=lambda u: (not is_money(u), u))
        ]
        if not charts:
            return f"<p>{no_goal(choice)}</p>"
        return f'<div class="kd-charts">{"".join(charts)}</div>'

    def group_links(self, link: Link) -> str:
        items = [
            f'<li><a href="{esc(link(self.map.facet_index(f)))}">{by_facet(f)}</a> ({len(self.map.facet_src[f])})</li>'
            for f in self.config.group_by
        ]
        pages = (
            ("commitments.md", _("Commitments of all accounts")),
            ("budget.md", _("Budget roll-up")),
            ("scorecard.md", _("Scorecard")),
            ("stakeholders.md", _("Stakeholders")),
        )
        items += [f'<li><a href="{esc(link(self.map.src(src)))}">{title}</a></li>' for src, title in pages]
        return f"<ul>{''.join(items)}</ul>"

    @cached_property
    def budget(self) -> Budget:
        """The budget roll-up, made once for the budget page and the dashboard's money cards."""
        return budget([r.plan for r in self.rows], self.config.fiscal_year_start)

    def budget_charts(self, choice: YearChoice) -> str:
        """Target against actual per business area, one chart per currency or unit, for one fiscal year."""
        by_unit: dict[str, list[BudgetLine]] = defaultdict(list)
        for line in self.year_lines(choice):
            by_unit[line.unit].append(line)
        title = (
            _("Fiscal year {year}: target and actual, {unit}")
            if choice.year
            else _("All fiscal years: target and actual, {unit}")
        )
        label = choice.year.label if choice.year else ""
        charts = []
        for unit in sorted(by_unit, key=lambda u: (not is_money(u), u)):
            items = [
                TargetActual(line.area or "", line.target, line.actual, attainment_note(line)) for line in by_unit[unit]
            ]
            charts.append(target_actual_chart(title.format(year=label, unit=unit), items))
        if not charts:
            return f"<p>{no_goal(choice)}</p>"
        return f'<div class="kd-charts">{"".join(charts)}</div>'

    def area_attainment(self, area: str, rows: Sequence[StatusRow]) -> str:
        """A business area's attainment in the reader's fiscal year, per unit (the budget's line), then its
        accounts' own attainments in that year (:func:`account_attainment`)."""
        start = self.config.fiscal_year_start

        def section(choice: YearChoice) -> str:
            year = choice.year
            label = esc(year.label) if year else ""
            lines = [line for line in self.year_lines(choice) if line.area == area]
            if not lines:
                if year:
                    return (
                        "<p>"
                        + _("No goal of this business area counts in fiscal year {year}.").format(year=label)
                        + "</p>"
                    )
                return "<p>" + _("No goal of this business area counts in all fiscal years.") + "</p>"
            text = (
                _("Goal attainment in fiscal year {year}, {unit}: {attainment}")
                if year
                else _("Goal attainment in all fiscal years, {unit}: {attainment}")
            )
            summary = "".join(
                '<p class="kd-area-attainment">'
                + text.format(year=label, unit=esc(line.unit), attainment=esc(attainment_note(line)))
                + "</p>"
                for line in sorted(lines, key=lambda line: (not line.is_money, line.unit))
            )
            members = [r for r in rows if year is None or goal_fiscal_year(r.plan, start) == year]
            return summary + account_attainment(members, year.label if year else None)

        heading = '<h2 id="kd-area-attainment">' + _("Goal attainment") + "</h2>"
        return heading + year_switch(self.year_choices) + by_year(self.year_choices, section)


def account_attainment(rows: Sequence[StatusRow], year: str | None) -> str:
    """Each account's own attainment (actual over target) in fiscal year ``year`` (a label; None: all of
    them), one chart per currency or unit; plans without an actual or a target, or whose unit is still a
    placeholder (the budget lists those as incomplete), are left out, and the accounts past the largest are
    one bar of their sums."""
    by_unit: dict[str, list[Attained]] = defaultdict(list)
    for r in rows:
        goal = r.plan.goal
        if r.progress is None or r.plan.status == "archived" or goal.actual is None or goal.target is None:
            continue
        if placeholder_fields(r.plan):
            continue
        bar = Bar(r.plan.account, r.progress, note=attained(goal.actual, goal.target, goal.unit))
        by_unit[goal.unit].append(Attained(bar, goal.actual, goal.target))
    title = (
        _("Goal attainment by account, fiscal year {year}, {unit}")
        if year
        else _("Goal attainment by account, all fiscal years, {unit}")
    )
    return "".join(
        bar_chart(
            title.format(year=year or "", unit=unit),
            top_bars(by_unit[unit], TOP_BARS, other_plans, unit),
            percent=True,
        )
        for unit in sorted(by_unit)
    )
