"""The HTML blocks that pages share: the plans grid, the dashboard's cards and charts, the links to the
grouped views, the budget charts. Each is HTML for a slot, with every plan's text escaped."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from kamdocs.calendar.fiscal import fiscal_year_of
from kamdocs.config import Config
from kamdocs.report.budget import Budget, BudgetLine, budget, goal_fiscal_year, is_money, placeholder_fields
from kamdocs.report.budget_output import money, share
from kamdocs.report.rollup import StatusRow
from kamdocs.report.trends import Month
from kamdocs.rules.freshness import Freshness
from kamdocs.site.fiscal_years import YearChoice, by_year, year_choices, year_switch
from kamdocs.site.grid import Column, FacetDefault, grid
from kamdocs.site.html import badge_label, esc, iso
from kamdocs.site.sitemap import FACET_TITLES, SiteMap
from kamdocs.site.slots import Link
from kamdocs.site.sparklines import Spot, sparkline
from kamdocs.site.svg import Bar, TargetActual, bar_chart, target_actual_chart
from kamdocs.site.words import state, word


def urgency_key(fresh: Freshness) -> int:
    """One number that sorts plans most urgent first, for the table script."""
    rank, days = fresh.urgency()
    return rank * 1_000_000 + days


def attained(actual: float, of: float, unit: str) -> str:
    """``actual 450,000 CHF of 1,200,000 CHF (38%)``: an attainment with both its sides, so it can be
    checked by eye; every attainment on the site is written so."""
    ratio = actual / of if of else None
    ratio = ratio if ratio is not None and math.isfinite(ratio) else None
    return f"actual {money(actual, unit)} of {money(of, unit)} ({share(ratio)})"


def attainment_note(line: BudgetLine) -> str:
    """Actual against the targets it is compared with, so the percentage can be checked by eye.

    When some plans give no actual, the ratio is over the targets of the plans that do, and the
    note says so and how many are left out, rather than setting it beside the full target.
    """
    if line.actual is None:
        return f"no actual yet (target {money(line.target, line.unit)})"
    text = attained(line.actual, line.target_with_actual, line.unit)
    if line.actuals_missing:
        plans = f"{line.actuals_missing} plan{'s' if line.actuals_missing != 1 else ''}"
        text += f"; {plans} without actual left out"
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


def top_bars(items: Sequence[Attained], n: int, noun: str, unit: str) -> list[Bar]:
    """The ``n - 1`` highest attainments, highest first, and the rest as one bar.

    The rest is an attainment like the others: the sum of its actuals over the sum of the targets of
    the same plans (all in ``unit``), never an average of ratios.
    """
    ordered = sorted(items, key=lambda i: (-i.bar.value, i.bar.label.casefold()))
    if len(ordered) <= n:
        return [i.bar for i in ordered]
    top, rest = ordered[: n - 1], ordered[n - 1 :]
    given = [i for i in rest if i.actual is not None]
    label = f"{len(rest)} other {noun}"
    if not given:
        return [*(i.bar for i in top), Bar(label, 0.0, "kd-bar kd-rest", note="no actual yet")]
    actual = math.fsum(i.actual for i in given if i.actual is not None)
    target = math.fsum(i.target for i in given)
    ratio = actual / target if target and math.isfinite(actual / target) else 0.0
    return [*(i.bar for i in top), Bar(label, ratio, "kd-bar kd-rest", note=attained(actual, target, unit))]


def line_bar(line: BudgetLine) -> Attained:
    """A budget line as a bar of its area's attainment (0 wide, with words, without an actual)."""
    bar = Bar(line.area or "All areas", line.attainment or 0.0, note=attainment_note(line))
    return Attained(bar, line.actual, line.target_with_actual)


PLAN_COLUMNS = (
    Column("account", "Account", "link", facet="account", typed=True, phone=True),
    Column("owner", "Owner", facet="owner", phone=True),
    Column("area", "Business area", facet="area"),
    Column("state", "Freshness", "badge", facet="state", phone=True),
    Column("next", "Next review", "sorted"),
    Column("goal", "Goal", "sorted", numeric=True),
    Column("commitments", "Open / overdue commitments", "sorted"),
    Column("quality", "Quality", "band", facet="quality"),
    Column("reviewer", "Reviewer", hidden=True, facet="reviewer"),
)
"""The plans grid's columns; the URL names of the facets are the query keys of a filtered view."""
OPTIONAL_PLAN_COLUMNS = (
    Column("tier", "Tier", hidden=True, facet="tier"),
    Column("region", "Region", hidden=True, facet="region"),
)
"""Facets only for filtering, in the data only when some plan has a value (the key is the plan field)."""

OPEN = FacetDefault("open or in progress", (word("open"), word("in-progress")))
"""The commitments page's view until the reader picks a status: done and dropped ones are a selector away."""
COMMITMENT_COLUMNS = (
    Column("due", "Due", "due", phone=True),
    Column("status", "Status", facet="status", default=OPEN),
    Column("action", "Action", phone=True),
    Column("account", "Account", "link", facet="account", typed=True, phone=True),
    Column("overdue", "Overdue", hidden=True, facet="overdue", search=False),  # "overdue" is in "not overdue"
    Column("area", "Business area", hidden=True, facet="area"),
    Column("owner", "Owner", hidden=True, facet="owner"),
)
OWNER_ROWS = 10
"""Rows of each owner's commitments written as HTML on the commitments page; the script adds the rest.

Few, like ``page_size``: every row in the HTML is laid out by the browser (and by Material's script) before
the page is interactive, and six owners' grids were 120 rows (issue 21)."""


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

    def plans_grid(self, rows: Sequence[StatusRow], link: Link, name: str = "Plans") -> str:
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
                    [iso(f.next_review), iso(f.next_review) if f.next_review else ""],
                    ["–" if r.progress is None else f"{r.progress:.0%}",
                     -1 if r.progress is None else round(r.progress, 4)],
                    [f"{f.open_commitments} / {f.overdue_commitments}",
                     f.overdue_commitments * 10000 + f.open_commitments],
                    [None if q is None else q.score, (q.band or "") if q else ""],
                    p.review.reviewer,
                    *(getattr(p, c.key) or "" for c in optional),
                ]
            )  # fmt: skip
        downloads = self.all_in("every plan", link, "plans.csv")
        return grid(
            name, [*PLAN_COLUMNS, *optional], data, first=self.config.page_size, css="kd-plans", downloads=downloads
        )

    def all_in(self, what: str, link: Link, *names: str) -> str:
        """Where a grid's rows all are without script, for its status line: "; every plan is also in plans.csv"."""
        files = " and ".join(f'<a href="{esc(link(self.map.src(name)))}">{esc(name)}</a>' for name in names)
        return f"; {what} is also in {files}"

    def cards(self, counts: Mapping[str, int], link: Link) -> str:
        # Each figure is a link to the rows it counts: the filter is in the URL, which the grid reads on load.
        dashboard, commitments = link(self.map.src("index.md")), link(self.map.src("commitments.md"))
        cards = [
            ("plans", counts["plans"], "plans", f"{dashboard}#all-plans"),
            ("overdue", counts["overdue"], "overdue for review", f"{dashboard}?state=overdue#all-plans"),
            ("due-soon", counts["due_soon"], "due for review soon", f"{dashboard}?state=due-soon#all-plans"),
            (
                "overdue-commitments",
                counts["overdue_commitments"],
                "overdue commitments",
                f"{commitments}?overdue=overdue",
            ),
        ]
        if self.confidential:
            cards.append(("confidential", self.confidential, "confidential plans, counted here, not listed", ""))
        html = "".join(
            f'<div class="kd-card kd-card-{key}">'
            + (f'<a class="kd-card-link" href="{esc(href)}">' if href else "")
            + f'<span class="kd-count">{value:,}</span> {label}'
            + ("</a>" if href else "")
            + "</div>"
            for key, value, label, href in cards
        )
        downloads = " · ".join(
            f'<a href="{esc(link(self.map.src(name)))}">{label}</a>'
            for name, label in (
                ("plans.json", "plans.json"),
                ("plans.csv", "plans.csv (Excel)"),
                ("commitments.ics", "commitments.ics (calendar)"),
                ("plans.xlsx", "plans.xlsx (workbook with the budget)"),
            )
        )
        return f'<div class="kd-cards">{html}</div>{self.money_cards()}<p class="kd-downloads">As of {self.today.isoformat()}. Download: {downloads}</p>'

    def money_cards(self) -> str:
        """Target, actual and attainment per currency, for the reader's fiscal year (the current one unless
        the URL names another), with the switch to the others."""

        def cards(choice: YearChoice) -> str:
            words = f"target {esc(choice.year.label)}" if choice.year else "target, all years"
            money_lines = [line for line in self.year_totals(choice) if line.is_money]
            if not money_lines:
                when = esc(choice.year.label) if choice.year else "any fiscal year"
                return f'<p class="kd-money-none">No goal in a currency counts in {when}.</p>'
            return (
                '<div class="kd-cards">'
                + "".join(
                    f'<div class="kd-card kd-card-money"><span class="kd-count">{esc(money(line.target, line.unit))}</span>'
                    f" {words}<br>{esc(attainment_note(line))}</div>"
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
            return (
                '<p class="kd-trends-none">No trends over the last twelve months: the plans\' history in git is '
                "not read (no git repository, or <code>git: false</code>).</p>"
            )

        def known(m: Month) -> str:
            return f"{m.plans:,} plan{'s' if m.plans != 1 else ''} known"

        figures = [
            sparkline(
                "Plans overdue for review",
                [Spot(m.day, m.overdue_plans if m.plans else None, known(m)) for m in months],
                lambda v: f"{v:,.0f}",
            ),
            sparkline(
                "Overdue commitments",
                [Spot(m.day, m.overdue_commitments if m.plans else None, known(m)) for m in months],
                lambda v: f"{v:,.0f}",
            ),
            sparkline(
                "Average quality",
                [Spot(m.day, m.quality_average, f"{m.quality_plans:,} plans with a score") for m in months],
                lambda v: f"{v:.0f}",
            ),
        ]
        units = sorted({u.unit for m in months for u in m.attainment}, key=lambda u: (not is_money(u), u))
        for unit in units:
            spots = []
            for m in months:
                line = next((u for u in m.attainment if u.unit == unit), None)
                if line is None or line.ratio is None:
                    spots.append(Spot(m.day, None, f"no goal in {unit} with an actual in that fiscal year"))
                else:
                    spots.append(
                        Spot(m.day, line.ratio, f"{attained(line.actual, line.target, unit)}, {line.plans:,} plans")
                    )
            figures.append(sparkline(f"Goal attainment, {unit}", spots, lambda v: f"{v:.0%}"))
        note = (
            '<p class="kd-trends-note">Each month\'s end, then today: every plan as its version in git stood that day '
            "(judged on the day of its commit; a review missed since is counted). Plans git did not know yet are "
            "left out, not counted as 0. Attainment: the actuals over the targets of the goals counting in that "
            "day's fiscal year that give an actual.</p>"
        )
        return (
            '<div class="kd-trends"><p class="kd-trends-title">The last twelve months</p>'
            f'<div class="kd-sparks">{"".join(figures)}</div>{note}</div>'
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
        freshness = bar_chart("Plans by freshness", [Bar(state(s), states.get(s, 0), f"kd-bar kd-{s}") for s in order])
        statuses = Counter(c.status for r in self.rows for c in r.plan.commitments)
        overdue = sum(r.freshness.overdue_commitments for r in self.rows)
        commitment_bars = [
            Bar(word(s), statuses.get(s, 0), f"kd-bar kd-c-{s}") for s in ("open", "in-progress", "done", "dropped")
        ]
        commitment_bars.insert(0, Bar("overdue (open or in progress)", overdue, "kd-bar kd-overdue"))
        charts = f'<div class="kd-charts">{freshness}{bar_chart("Commitments by status", commitment_bars)}</div>'
        return charts + by_year(self.year_choices, self.attainment_charts)

    def attainment_charts(self, choice: YearChoice) -> str:
        """Goal attainment by business area in the chosen fiscal year, one chart per currency or unit: the
        budget's sum of actuals over the targets of the same plans, never an average of plans' ratios."""
        by_unit: dict[str, list[BudgetLine]] = defaultdict(list)
        for line in self.year_lines(choice):
            by_unit[line.unit].append(line)
        when = f"fiscal year {choice.year.label}" if choice.year else "all fiscal years"
        charts = [
            bar_chart(
                f"Goal attainment by business area, {when}, {unit}",
                top_bars([line_bar(line) for line in by_unit[unit]], TOP_BARS, "business areas", unit),
                percent=True,
            )
            for unit in sorted(by_unit, key=lambda u: (not is_money(u), u))
        ]
        if not charts:
            return f"<p>No goal counts in {esc(when)}.</p>"
        return f'<div class="kd-charts">{"".join(charts)}</div>'

    def group_links(self, link: Link) -> str:
        items = [
            f'<li><a href="{esc(link(self.map.facet_index(f)))}">By {FACET_TITLES[f].lower()}</a> ({len(self.map.facet_src[f])})</li>'
            for f in self.config.group_by
        ]
        items.append(f'<li><a href="{esc(link(self.map.src("commitments.md")))}">Commitments of all accounts</a></li>')
        items.append(f'<li><a href="{esc(link(self.map.src("budget.md")))}">Budget roll-up</a></li>')
        items.append(f'<li><a href="{esc(link(self.map.src("scorecard.md")))}">Scorecard</a></li>')
        items.append(f'<li><a href="{esc(link(self.map.src("stakeholders.md")))}">Stakeholders</a></li>')
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
        when = f"Fiscal year {choice.year.label}" if choice.year else "All fiscal years"
        charts = []
        for unit in sorted(by_unit, key=lambda u: (not is_money(u), u)):
            items = [
                TargetActual(line.area or "", line.target, line.actual, attainment_note(line)) for line in by_unit[unit]
            ]
            charts.append(target_actual_chart(f"{when}: target and actual, {unit}", items))
        if not charts:
            return f"<p>No goal counts in {esc(when[0].lower() + when[1:])}.</p>"
        return f'<div class="kd-charts">{"".join(charts)}</div>'

    def area_attainment(self, area: str, rows: Sequence[StatusRow]) -> str:
        """A business area's attainment in the reader's fiscal year, per unit (the budget's line), then its
        accounts' own attainments in that year (:func:`account_attainment`)."""
        start = self.config.fiscal_year_start

        def section(choice: YearChoice) -> str:
            when = f"fiscal year {choice.year.label}" if choice.year else "all fiscal years"
            lines = [line for line in self.year_lines(choice) if line.area == area]
            if not lines:
                return f"<p>No goal of this business area counts in {esc(when)}.</p>"
            summary = "".join(
                f'<p class="kd-area-attainment">Goal attainment in {esc(when)}, {esc(line.unit)}: '
                f"{esc(attainment_note(line))}</p>"
                for line in sorted(lines, key=lambda line: (not line.is_money, line.unit))
            )
            year = choice.year
            members = [r for r in rows if year is None or goal_fiscal_year(r.plan, start) == year]
            return summary + account_attainment(members, when)

        heading = '<h2 id="kd-area-attainment">Goal attainment</h2>'
        return heading + year_switch(self.year_choices) + by_year(self.year_choices, section)


def account_attainment(rows: Sequence[StatusRow], when: str) -> str:
    """Each account's own attainment (actual over target), one chart per currency or unit; plans without
    an actual or a target, or whose unit is still a placeholder (the budget lists those as incomplete),
    are left out, and the accounts past the largest are one bar of their sums."""
    by_unit: dict[str, list[Attained]] = defaultdict(list)
    for r in rows:
        goal = r.plan.goal
        if r.progress is None or r.plan.status == "archived" or goal.actual is None or goal.target is None:
            continue
        if placeholder_fields(r.plan):
            continue
        bar = Bar(r.plan.account, r.progress, note=attained(goal.actual, goal.target, goal.unit))
        by_unit[goal.unit].append(Attained(bar, goal.actual, goal.target))
    return "".join(
        bar_chart(
            f"Goal attainment by account, {when}, {unit}",
            top_bars(by_unit[unit], TOP_BARS, "plans", unit),
            percent=True,
        )
        for unit in sorted(by_unit)
    )
