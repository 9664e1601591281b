"""The HTML blocks that pages share: the plans grid, the dashboard's cards and charts, the links to the
grouped views, the budget charts. Each is HTML for a slot, with every plan's text escaped."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cached_property

from kamdocs.calendar.fiscal import FiscalYear, fiscal_year_of
from kamdocs.config import Config
from kamdocs.report.budget import Budget, BudgetLine, budget, is_money
from kamdocs.report.budget_output import money, share
from kamdocs.report.rollup import StatusRow
from kamdocs.rules.freshness import Freshness
from kamdocs.site.grid import Column, grid
from kamdocs.site.html import badge_label, esc, iso
from kamdocs.site.sitemap import FACET_TITLES, SiteMap
from kamdocs.site.slots import Link
from kamdocs.site.svg import Bar, TargetActual, bar_chart, target_actual_chart
from kamdocs.site.words import state, word


def urgency_key(fresh: Freshness) -> int:
    """One number that sorts plans most urgent first, for the table script."""
    rank, days = fresh.urgency()
    return rank * 1_000_000 + days


def attainment_note(line: BudgetLine) -> str:
    """Actual against the targets it is compared with, so the percentage can be checked by eye.

    When some plans give no actual, the ratio is over the targets of the plans that do, and the
    note says so and how many are left out, rather than setting it beside the full target.
    """
    if line.actual is None:
        return f"no actual yet (target {money(line.target, line.unit)})"
    text = f"actual {money(line.actual, line.unit)} of {money(line.target_with_actual, line.unit)}"
    text += f" ({share(line.attainment)})" if line.attainment is not None else ""
    if line.actuals_missing:
        plans = f"{line.actuals_missing} plan{'s' if line.actuals_missing != 1 else ''}"
        text += f"; {plans} without actual left out"
    return text


TOP_BARS = 12
"""Bars in a chart over many accounts or areas: the largest, then the rest as one bar."""


def top_bars(bars: Sequence[Bar], n: int, noun: str) -> list[Bar]:
    """The ``n - 1`` largest bars, largest first, and the rest as one bar showing their average.

    Attainments are fractions, so the rest is averaged, not added; its note says so.
    """
    ordered = sorted(bars, key=lambda b: (-b.value, b.label.casefold()))
    if len(ordered) <= n:
        return ordered
    top, rest = ordered[: n - 1], ordered[n - 1 :]
    mean = sum(b.value for b in rest) / len(rest)
    return [*top, Bar(f"{len(rest)} other {noun}", mean, "kd-bar kd-rest", note=f"{mean:.0%} on average")]


PLAN_COLUMNS = (
    Column("account", "Account", "link", phone=True),
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

COMMITMENT_COLUMNS = (
    Column("due", "Due", "due", phone=True),
    Column("status", "Status", facet="status"),
    Column("action", "Action", phone=True),
    Column("account", "Account", "link", phone=True),
    Column("overdue", "Overdue", hidden=True, facet="overdue"),
    Column("area", "Business area", hidden=True, facet="area"),
    Column("owner", "Owner", hidden=True, facet="owner"),
)
OWNER_ROWS = 20
"""Rows of each owner's commitments written as HTML on the commitments page; the script adds the rest."""


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
        downloads = f'; every plan is also in <a href="{esc(link(self.map.src("plans.csv")))}">plans.csv</a>'
        return grid(
            name, [*PLAN_COLUMNS, *optional], data, first=self.config.page_size, css="kd-plans", downloads=downloads
        )

    def cards(self, counts: Mapping[str, int], link: Link) -> str:
        cards = [
            ("plans", counts["plans"], "plans"),
            ("overdue", counts["overdue"], "overdue for review"),
            ("due-soon", counts["due_soon"], "due for review soon"),
            ("overdue-commitments", counts["overdue_commitments"], "overdue commitments"),
        ]
        if self.confidential:
            cards.append(("confidential", self.confidential, "confidential plans, counted here, not listed"))
        html = (
            "".join(
                f'<div class="kd-card kd-card-{key}"><span class="kd-count">{value}</span> {label}</div>'
                for key, value, label in cards
            )
            + self.money_cards()
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
        return f'<div class="kd-cards">{html}</div><p class="kd-downloads">As of {self.today.isoformat()}. Download: {downloads}</p>'

    def money_cards(self) -> str:
        """Target, actual and attainment of the current fiscal year, one card per currency."""
        year = fiscal_year_of(self.today, self.config.fiscal_year_start)
        totals = self.budget.year_totals
        cards = []
        for line in (t for t in totals if t.fiscal_year == year and t.is_money):
            detail = esc(attainment_note(line))
            cards.append(
                f'<div class="kd-card kd-card-money"><span class="kd-count">{esc(money(line.target, line.unit))}</span>'
                f" target {esc(year.label)}<br>{detail}</div>"
            )
        return "".join(cards)

    def charts(self) -> str:
        states = Counter(r.freshness.state for r in self.rows)
        order = ["overdue", "due-soon", "never-reviewed", "fresh", "archived"]
        freshness = bar_chart("Plans by freshness", [Bar(state(s), states.get(s, 0), f"kd-bar kd-{s}") for s in order])
        by_area: dict[str, list[float]] = defaultdict(list)
        for r in self.rows:
            if r.progress is not None and r.plan.status != "archived":
                by_area[r.plan.business_area].append(r.progress)
        areas = [
            Bar(area, sum(v) / len(v), note=f"{sum(v) / len(v):.0%} of {len(v)} plan" + ("s" if len(v) != 1 else ""))
            for area, v in by_area.items()
        ]
        attainment = bar_chart(
            "Average goal attainment by business area", top_bars(areas, TOP_BARS, "business areas"), percent=True
        )
        statuses = Counter(c.status for r in self.rows for c in r.plan.commitments)
        overdue = sum(r.freshness.overdue_commitments for r in self.rows)
        commitment_bars = [
            Bar(word(s), statuses.get(s, 0), f"kd-bar kd-c-{s}") for s in ("open", "in-progress", "done", "dropped")
        ]
        commitment_bars.insert(0, Bar("overdue (open or in progress)", overdue, "kd-bar kd-overdue"))
        return (
            f'<div class="kd-charts">{freshness}{attainment}{bar_chart("Commitments by status", commitment_bars)}</div>'
        )

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

    @staticmethod
    def budget_charts(lines: Sequence[BudgetLine], year: FiscalYear) -> str:
        """Target against actual per business area, one chart per currency or unit, for one fiscal year."""
        by_unit: dict[str, list[BudgetLine]] = defaultdict(list)
        for line in lines:
            by_unit[line.unit].append(line)
        charts = []
        for unit in sorted(by_unit, key=lambda u: (not is_money(u), u)):
            items = [
                TargetActual(line.area or "", line.target, line.actual, attainment_note(line)) for line in by_unit[unit]
            ]
            charts.append(target_actual_chart(f"Fiscal year {year.label}: target and actual, {unit}", items))
        if not charts:
            return f"<p>No goal counts in the current fiscal year {esc(year.label)}.</p>"
        return f'<div class="kd-charts">{"".join(charts)}</div>'
