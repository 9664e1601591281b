"""Which pages the site has, and what goes into each.

A page is Markdown (only headings, slots and the plan's own body) plus a
``render`` function that fills its slots with ready HTML once the page's
URL is known, because every link is relative to the page it sits on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import get_close_matches
from functools import cached_property

from kamdocs.calendar.fiscal import FiscalYear, fiscal_year_of
from kamdocs.config import Config
from kamdocs.errors import KamdocsError
from kamdocs.history.log import GitHistory
from kamdocs.plan.model import Commitment, Plan
from kamdocs.report.budget import Budget, BudgetLine, budget, is_money
from kamdocs.report.budget_output import HEADERS, NUMERIC, cells, money, ordered, share
from kamdocs.report.rollup import StatusRow, public_rows, summary
from kamdocs.report.scorecard import fiscal_period, scorecard
from kamdocs.report.scorecard_output import BY_TITLES
from kamdocs.report.stakeholders import stakeholders, summarise
from kamdocs.rules.checks import ATX_HEADING, normalise_title
from kamdocs.rules.confidential import markdown_lines
from kamdocs.rules.freshness import STATES, Freshness
from kamdocs.site import plan_page, scorecard_page, stakeholders_page
from kamdocs.site.exports import EXPORT_FILES, EXPORT_FORMATS, ExportInput
from kamdocs.site.grid import Column, grid
from kamdocs.site.html import badge_label, esc, iso, sort_cell, table
from kamdocs.site.sanitize import sanitize
from kamdocs.site.svg import Bar, TargetActual, bar_chart, target_actual_chart

Link = Callable[[str], str]
Slots = Callable[[Link], dict[str, str]]

FACET_TITLES = {
    "business_area": "Business area",
    "owner": "Owner",
    "reviewer": "Reviewer",
    "region": "Region",
    "tier": "Tier",
    "tags": "Tag",
    "kind": "Kind",
}


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


def slot(name: str) -> str:
    """A slot in page Markdown, filled with HTML before the search plugin reads the page.

    A bare paragraph token: Python-Markdown handles it far faster than an HTML
    comment, which matters on a thousand plan pages.
    """
    return f"KAMDOCS-SLOT-{name}"


def late_slot(name: str) -> str:
    """A slot filled after the search plugin has read the page (``name`` starts with ``late-``).

    Late slots hold most of the markup (diagrams, tables, SVG, roll-up tables of
    every plan) and little that a search should land on: each plan's page keeps
    its account, owner, area, goal and body early. Keeping them out of the
    search plugin's HTML parsing keeps the site build close to plain Markdown.
    """
    return f"<!-- kamdocs:{name} -->"


def fill_slots(html: str, values: Mapping[str, str]) -> str:
    """Put each slot's HTML where its marker is in a page's HTML."""
    for name, content in values.items():
        marker = late_slot(name) if name.startswith("late-") else f"<p>{slot(name)}</p>"
        html = html.replace(marker, content, 1)
    return html


_SLOT_MARKER = re.compile(r"(?:<p>)?(KAMDOCS-SLOT-[a-z-]+)(?:</p>)?")


def sanitize_body(html: str) -> str:
    """A plan page's HTML with each stretch between slot markers sanitised on its own.

    The stretches are the body (and what extensions append after it, such as
    footnotes). An unclosed ``<details>``, ``<a>`` or ``<table>`` in a body is
    closed before the next slot, and a marker that Markdown took into a body's
    unclosed HTML block is set back as its own paragraph, so no body can
    swallow or hide the plugin's markup.
    """
    parts = _SLOT_MARKER.split(html)
    return "".join(f"<p>{part}</p>" if i % 2 else sanitize(part) for i, part in enumerate(parts))


def body_with_slot_after(body: str, title: str, marker: str) -> str:
    """The body with ``marker`` as a paragraph right after its first H2 called ``title``; "" if it has none.

    Fenced code is skipped; case and spacing of the title are ignored.
    """
    lines = body.split("\n")
    for i, (line, code) in enumerate(markdown_lines(body)):
        heading = None if code else ATX_HEADING.fullmatch(line)
        if heading and len(heading.group(1)) == 2 and normalise_title(heading.group(2) or "") == normalise_title(title):
            return "\n".join([*lines[: i + 1], "", marker, "", *lines[i + 1 :]])
    return ""


def demote_headings(html: str) -> str:
    """A plan body's H1s as H2s: the page has one H1, its title, which the plugin writes."""
    return re.sub(r"<(/?)h1\b", r"<\1h2", html)


def no_slots(link: Link) -> dict[str, str]:
    """``render`` of a page whose slots are all late: they are made apart, in the background."""
    return {}


def heading(title: str, anchor: str) -> str:
    return f'<h2 id="{anchor}">{esc(title)}</h2>'


@dataclass(frozen=True)
class GeneratedPage:
    """One page kamdocs makes: its Markdown with slots, and how to fill them once its URL is known."""

    src_uri: str
    title: str
    markdown: str
    render: Slots
    edit_path: str | None = None
    """For plan pages: the plan file, relative to the repository root."""
    toc: tuple[tuple[str, str, str], ...] = ()
    """Headings made as HTML, for the table of contents: (where, title, anchor), where is before or after."""
    render_late: Slots | None = None
    """The page's late slots, when they are made apart from ``render``: the plugin makes them in the
    background while MkDocs renders Markdown, since nothing reads them before the page is written."""
    untrusted: bool = False
    """The Markdown holds a plan's body, which anyone who can open a pull request writes: its HTML is
    sanitised (:mod:`kamdocs.site.sanitize`) before the slots are filled, unless ``raw_html`` is on."""


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
WIDE = ("toc",)
"""Roll-up pages whose headings are few give the table of contents' width to their tables."""
OWNER_ROWS = 20
"""Rows of each owner's commitments written as HTML on the commitments page; the script adds the rest."""

EXPORTS = tuple(EXPORT_FILES.values())
"""The site's downloads, under ``url_prefix``."""


@dataclass(frozen=True)
class SiteContent:
    """Every page, download and navigation entry of the plans section."""

    pages: tuple[GeneratedPage, ...]
    exports: tuple[str, ...]
    """The downloads' site paths; :meth:`SiteBuilder.exports` gives their bytes."""
    nav: tuple[tuple[str, str], ...]
    """The "Plans" navigation section: (title, src_uri)."""
    plan_pages: Mapping[str, str] = field(default_factory=dict)
    """Plan id -> src_uri of its page."""


def markdown(title: str, parts: Iterable[str], hide: Sequence[str] = ()) -> str:
    """Page Markdown with an escaped title in the meta, so no theme can inject it.

    ``hide`` lists the parts of Material's page to leave out (``toc``, ``navigation``):
    a roll-up table needs the width more than a table of contents of three headings.
    """
    hidden = f"hide: {json.dumps(list(hide))}\n" if hide else ""
    head = f"---\ntitle: {json.dumps(esc(title))}\n{hidden}---\n\n"
    return head + "\n\n".join(parts) + "\n"


SLUG_LENGTH = 60
"""Longest readable part of a page name made from a value; file systems allow 255 bytes."""


def page_slugs(values: Iterable[str], reserved: Collection[str] = ("index",)) -> dict[str, str]:
    """A short, unique file name (without ``.md``) for each value that gets a page of its own.

    A value whose slug is plain, short and taken by no other value keeps it,
    so ordinary URLs stay readable and stable. Any other value (a slug cut to
    :data:`SLUG_LENGTH`, text with no Latin letters, or two values such as
    ``R&D`` and ``R D`` that slug alike) gets the slug plus eight hex digits of
    a hash of the full value: unique, and the same on every build.
    """
    values = sorted(set(values))
    plain = {value: re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-") for value in values}
    counts: dict[str, int] = {}
    for slug in plain.values():
        counts[slug] = counts.get(slug, 0) + 1
    out: dict[str, str] = {}
    hashed = []
    for value in values:
        slug = plain[value]
        if slug and len(slug) <= SLUG_LENGTH and counts[slug] == 1 and slug not in reserved:
            out[value] = slug
        else:
            hashed.append(value)
    # A plan author can write a value whose plain slug is another value's hashed
    # name, or search for a short-hash collision; a name already used takes more
    # hex digits, so two values never share a page.
    used = {*out.values(), *reserved}
    for value in hashed:
        digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
        stem = plain[value][:SLUG_LENGTH].rstrip("-") or "value"
        size = 8
        while f"{stem}-{digest[:size]}" in used and size < len(digest):
            size += 1
        name = f"{stem}-{digest[:size]}"
        used.add(name)
        out[value] = name
    return out


def facet_values(plan: Plan, facet: str) -> list[str]:
    value = getattr(plan, facet) if facet != "reviewer" else plan.review.reviewer
    if isinstance(value, tuple):
        return list(value)
    return [value] if value else []


class SiteBuilder:
    """Assembles every generated page from the roll-up rows."""

    def __init__(
        self, rows: Sequence[StatusRow], history: GitHistory, today: date, config: Config, confidential: int = 0
    ) -> None:
        self.rows = list(rows)
        self.confidential = confidential
        """Plans marked confidential as a whole: left out of every page, counted on the dashboard."""
        self.history = history
        self.today = today
        self.config = config
        self.prefix = config.url_prefix
        self.plan_src = {r.plan.id: f"{self.prefix}/accounts/{r.plan.id}.md" for r in self.rows}
        self.facet_src: dict[str, dict[str, str]] = {}
        for facet in config.group_by:
            slugs = page_slugs(v for r in self.rows for v in facet_values(r.plan, facet))
            self.facet_src[facet] = {
                value: self.src(f"{self.facet_dir(facet)}/{slug}.md") for value, slug in slugs.items()
            }

    @classmethod
    def public(cls, rows: Sequence[StatusRow], history: GitHistory, today: date, config: Config) -> SiteBuilder:
        """The builder over what may be published (:func:`kamdocs.report.rollup.public_rows`): how the plugin,
        ``kamdocs render`` and ``kamdocs serve`` all start, so no path can publish a hidden value."""
        shown, hidden = public_rows(rows, config, today)
        return cls(shown, history, today, config, confidential=hidden)

    def src(self, name: str) -> str:
        return f"{self.prefix}/{name}"

    @staticmethod
    def facet_dir(facet: str) -> str:
        return f"by-{facet.replace('_', '-')}"

    def facet_index(self, facet: str) -> str:
        return self.src(f"{self.facet_dir(facet)}/index.md")

    def build(self, plans: Collection[str] | None = None) -> SiteContent:
        """Every page; with ``plans`` (plan ids), the roll-ups and only those plans' own pages
        (``kamdocs serve`` after a change), while ``plan_pages`` still names every plan's page."""
        pages: list[GeneratedPage] = []
        pages += self.dashboard_pages()
        pages += [self.plan_page(r) for r in self.rows if plans is None or r.plan.id in plans]
        pages += self.commitment_pages()
        pages.append(self.budget_page())
        pages.append(self.scorecard_page())
        pages.append(self.stakeholders_page())
        for facet in self.config.group_by:
            pages += self.facet_pages(facet)
        nav = [
            ("Dashboard", self.src("index.md")),
            ("Commitments", self.src("commitments.md")),
            ("Budget", self.src("budget.md")),
            ("Scorecard", self.src("scorecard.md")),
            ("Stakeholders", self.src("stakeholders.md")),
        ]
        nav += [(f"By {FACET_TITLES[f].lower()}", self.facet_index(f)) for f in self.config.group_by]
        return SiteContent(tuple(pages), tuple(self.src(name) for name in EXPORTS), tuple(nav), dict(self.plan_src))

    def exports(self) -> dict[str, bytes]:
        """The downloads, by site path; computed apart from the pages (the plugin does it in the background)."""
        data = ExportInput(self.rows, self.today, self.config.fiscal_year_start)
        out = {}
        for name, file in EXPORT_FILES.items():
            made = EXPORT_FORMATS.render(name, data)
            out[self.src(file)] = made if isinstance(made, bytes) else made.encode("utf-8")
        return out

    # Tables shared by several pages.

    def plans_grid(self, rows: Sequence[StatusRow], link: Link, name: str = "Plans") -> str:
        """Every plan in ``rows``, filterable and sortable in the browser (:mod:`kamdocs.site.grid`)."""
        optional = [c for c in OPTIONAL_PLAN_COLUMNS if any(getattr(r.plan, c.key) for r in rows)]
        data = []
        for r in rows:
            p, f, q = r.plan, r.freshness, r.quality
            data.append(
                [
                    [p.account, link(self.plan_src[p.id])],
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
        downloads = f'; every plan is also in <a href="{esc(link(self.src("plans.csv")))}">plans.csv</a>'
        return grid(
            name, [*PLAN_COLUMNS, *optional], data, first=self.config.page_size, css="kd-plans", downloads=downloads
        )

    # The dashboard.

    def dashboard_pages(self) -> list[GeneratedPage]:
        counts = summary(self.rows)

        def render(link: Link) -> dict[str, str]:
            return {
                "late-table": self.plans_grid(self.rows, link, "All plans"),
                "late-charts": self.charts(),
                "late-groups": self.group_links(link),
            }

        def summary_cards(link: Link) -> dict[str, str]:
            return {"summary": self.cards(counts, link)}

        parts = [
            slot("summary"),
            "## All plans",
            late_slot("late-table"),
            "## Freshness and goals",
            late_slot("late-charts"),
            "## Grouped views",
            late_slot("late-groups"),
        ]
        title = "Key account plans"
        return [
            GeneratedPage(
                self.src("index.md"), title, markdown(title, parts, hide=WIDE), summary_cards, render_late=render
            )
        ]

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
            f'<a href="{esc(link(self.src(name)))}">{label}</a>'
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
        freshness = bar_chart("Plans by freshness", [Bar(s, states.get(s, 0), f"kd-bar kd-{s}") for s in order])
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
            Bar(s, statuses.get(s, 0), f"kd-bar kd-c-{s}") for s in ("open", "in-progress", "done", "dropped")
        ]
        commitment_bars.insert(0, Bar("overdue (open or in progress)", overdue, "kd-bar kd-overdue"))
        return (
            f'<div class="kd-charts">{freshness}{attainment}{bar_chart("Commitments by status", commitment_bars)}</div>'
        )

    def group_links(self, link: Link) -> str:
        items = [
            f'<li><a href="{esc(link(self.facet_index(f)))}">By {FACET_TITLES[f].lower()}</a> ({len(self.facet_src[f])})</li>'
            for f in self.config.group_by
        ]
        items.append(f'<li><a href="{esc(link(self.src("commitments.md")))}">Commitments of all accounts</a></li>')
        items.append(f'<li><a href="{esc(link(self.src("budget.md")))}">Budget roll-up</a></li>')
        items.append(f'<li><a href="{esc(link(self.src("scorecard.md")))}">Scorecard</a></li>')
        items.append(f'<li><a href="{esc(link(self.src("stakeholders.md")))}">Stakeholders</a></li>')
        return f"<ul>{''.join(items)}</ul>"

    # One page per plan.

    def plan_page(self, row: StatusRow) -> GeneratedPage:
        """Only the plan's own body is Markdown; everything else is ready HTML in slots.

        The page writes its own H1 (the account) after a breadcrumb back to the dashboard; the
        plugin demotes any H1 in the body. A full plan whose body has a Commitments section gets
        the commitments table there, not a second Commitments section.
        """
        plan = row.plan
        body = plan.body.strip()
        # A full plan's body has its own Commitments and KPIs sections: the tables go there.
        in_body: set[str] = set()
        for title, anchor in (("Commitments", "kd-commitments"), ("KPIs", "kd-kpis")):
            placed = body_with_slot_after(body, title, slot(anchor)) if plan.kind == "full" else ""
            if placed:
                body = placed
                in_body.add(anchor)
        parts = [slot("top"), body, slot("bottom")] if body else [slot("top"), slot("bottom")]
        sections = [("Goal", "kd-goal")]
        if plan.kind == "one-page" or plan.success_factors:
            sections.append(("Constraint chain", "kd-chain"))
        sections.append(("Commitments", "kd-commitments"))
        if plan.kpis:
            sections.append(("KPI scorecard", "kd-kpis"))
        if plan.buying_center:
            sections.append(("Buying centre", "kd-buying"))
        area = self.facet_src.get("business_area", {}).get(plan.business_area)
        owner = self.facet_src.get("owner", {}).get(plan.owner)
        found = plan_page.PlanFindings.of(plan, self.today, self.config.default_interval, self.config.due_soon_days)

        def render(link: Link) -> dict[str, str]:
            return {
                "top": plan_page.breadcrumb(plan, link, self.src("index.md"), area)
                + f'<h1 id="kd-title">{esc(plan.account)}</h1>'
                + plan_page.summary(row, link, area, owner) + plan_page.notes(found.header) + late_slot("late-facts")
                + heading("Goal", "kd-goal") + plan_page.goal(plan) + plan_page.notes(found.goal)
                + late_slot("late-top"),
                "bottom": late_slot("late-bottom"),
                **{anchor: late_slot(f"late-{anchor}") for anchor in in_body},
            }  # fmt: skip

        def render_late(link: Link) -> dict[str, str]:
            late = [plan_page.progress(plan)]
            blocks = {
                "kd-chain": lambda: plan_page.chain(plan, self.today),
                "kd-commitments": lambda: plan_page.commitments(plan, self.today, found),
                "kd-kpis": lambda: plan_page.scorecard(plan, found),
                "kd-buying": lambda: plan_page.buying_centre(plan, found),
            }
            for title, anchor in sections[1:]:
                if anchor not in in_body:
                    late.append(heading(title, anchor) + blocks[anchor]())
            if body:
                late.append('<hr class="kd-body-start">')
            history = plan_page.history(self.history.of(plan.file), self.history.available)
            return {
                "late-facts": plan_page.facts(row),
                "late-top": "".join(late),
                "late-bottom": heading("Quality", "kd-quality") + plan_page.quality(row)
                + heading("History", "kd-history") + history,
                **{f"late-{anchor}": blocks[anchor]() for anchor in in_body},
            }  # fmt: skip

        toc = (
            *(("before", title, anchor) for title, anchor in sections if anchor not in in_body),
            ("after", "Quality", "kd-quality"),
            ("after", "History", "kd-history"),
        )
        return GeneratedPage(
            self.plan_src[plan.id],
            plan.account,
            markdown(plan.account, parts, hide=("navigation",)),
            render,
            plan.file,
            toc,
            untrusted=True,
            render_late=render_late,
        )

    # Commitments across all accounts.

    def commitment_pages(self) -> list[GeneratedPage]:
        by_owner: dict[str, list[tuple[Commitment, Plan]]] = defaultdict(list)
        for r in self.rows:
            if r.plan.status == "archived":
                continue
            for c in r.plan.commitments:
                if c.is_open:
                    by_owner[c.owner].append((c, r.plan))
        for items in by_owner.values():
            items.sort(key=lambda cp: (not cp[0].overdue_on(self.today), cp[0].due, cp[1].id, cp[0].id))

        def overdue(owner: str) -> int:
            return sum(c.overdue_on(self.today) for c, _ in by_owner[owner])

        owners = sorted(by_owner, key=lambda o: (-overdue(o), o.casefold()))
        total = sum(len(v) for v in by_owner.values())
        anchors = {owner: f"owner-{slug}" for owner, slug in page_slugs(owners, reserved=()).items()}
        intro = (
            f"<p>{total} open commitments of {len(owners)} owners across all accounts, "
            f"as of {self.today.isoformat()}; overdue first. Each owner has a section; the filter "
            f"applies to all of them.</p>"
        )

        def section(owner: str, link: Link) -> str:
            rows = [
                [
                    [c.due.isoformat(), (self.today - c.due).days if c.overdue_on(self.today) else 0],
                    c.status,
                    c.action,
                    [plan.account, link(self.plan_src[plan.id])],
                    "overdue" if c.overdue_on(self.today) else "not overdue",
                    plan.business_area,
                    owner,
                ]
                for c, plan in by_owner[owner]
            ]
            counts = f"{len(rows)} open, {overdue(owner)} overdue"
            return (
                f'<section class="kd-grid-section"><h2 id="{anchors[owner]}" class="kd-owner">{esc(owner)}</h2>'
                f"<p>{counts}</p>"
                + grid(f"Commitments of {owner}", COMMITMENT_COLUMNS, rows, first=OWNER_ROWS, noun="commitments")
                + "</section>"
            )

        def render(link: Link) -> dict[str, str]:
            controls = '<div class="kd-controls-place" data-kd-controls></div>' if owners else ""
            return {"late-list": intro + controls + "".join(section(o, link) for o in owners)}

        toc = tuple(("before", owner, anchors[owner]) for owner in owners)
        return [
            GeneratedPage(
                self.src("commitments.md"),
                "Commitments",
                markdown("Commitments", [late_slot("late-list")]),
                render,  # in the main process: the background has the downloads and the plan pages
                toc=toc,
            )
        ]

    # Budget.

    @cached_property
    def budget(self) -> Budget:
        """The budget roll-up, made once for the budget page and the dashboard's money cards."""
        return budget([r.plan for r in self.rows], self.config.fiscal_year_start)

    def budget_page(self) -> GeneratedPage:
        """The budget roll-up (:mod:`kamdocs.report.budget`) with totals, and a chart of the current fiscal year."""
        start = self.config.fiscal_year_start
        result = self.budget
        current = fiscal_year_of(self.today, start)

        def render(link: Link) -> dict[str, str]:
            rows, classes = [], []
            for level, line in ordered(result):
                texts = cells(level, line)
                keys = [texts[0], line.fiscal_year.start.isoformat() if line.fiscal_year else "9999", line.plans,
                        line.baseline, line.baselines_missing, line.target, line.actual, line.actuals_missing,
                        line.attainment, line.growth]  # fmt: skip
                rows.append([sort_cell(esc(t), "" if k is None else k) for t, k in zip(texts, keys, strict=True)])
                classes.append("" if level == "line" else "kd-total")
            note = (
                f"<p>Goal targets of active and draft plans, summed per business area, fiscal year and currency or "
                f"unit, with totals per area and per fiscal year. A goal counts in the fiscal year in which its "
                f"period ends; fiscal years start on {esc(start)}. A plan without an actual is counted under "
                f"<em>No actual</em> and left out of the attainment; growth compares targets with the baselines of "
                f"the plans that give one. Amounts in different currencies or units are never added together. "
                f"<code>kamdocs budget</code> prints the same; <code>plans.xlsx</code> has it with formulas.</p>"
            )
            html = note + table(
                HEADERS, rows, css="kd-table kd-wide", sortable=True, row_classes=classes, numeric=NUMERIC
            )
            return {"late-budget": html, "late-budget-chart": self.budget_charts(result.for_year(current), current)}

        parts = [late_slot("late-budget-chart"), "## All fiscal years", late_slot("late-budget")]
        return GeneratedPage(
            self.src("budget.md"), "Budget roll-up", markdown("Budget roll-up", parts), no_slots, render_late=render
        )

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

    # The scorecard.

    def scorecard_page(self) -> GeneratedPage:
        """Per owner, reviewer and business area, over the current fiscal year."""
        period = fiscal_period(fiscal_year_of(self.today, self.config.fiscal_year_start))
        tables = {
            by: scorecard(
                self.rows, by, period, self.today, self.config.default_interval, self.config.fiscal_year_start
            )
            for by in ("owner", "reviewer", "business_area")
        }

        def render(link: Link) -> dict[str, str]:
            out = {"late-scorecard-note": scorecard_page.explanation(period)}
            for by, rows in tables.items():
                out[f"late-scorecard-{by}"] = scorecard_page.scorecard_table(rows, by, self.facet_src.get(by, {}), link)
            return out

        parts = [late_slot("late-scorecard-note")]
        for by in tables:
            parts += [f"## By {BY_TITLES[by].lower()}", late_slot(f"late-scorecard-{by}")]
        return GeneratedPage(
            self.src("scorecard.md"), "Scorecard", markdown("Scorecard", parts), no_slots, render_late=render
        )

    # The stakeholder index.

    def stakeholders_page(self) -> GeneratedPage:
        """Every buying-centre person across the site's plans, once (:mod:`kamdocs.report.stakeholders`)."""
        people = stakeholders([r.plan for r in self.rows], self.today, self.config.default_interval)

        def render(link: Link) -> dict[str, str]:
            return {
                "summary": stakeholders_page.summary_cards(summarise(people), self.today),
                "late-stakeholders": stakeholders_page.EXPLANATION
                + stakeholders_page.stakeholder_table(people, self.plan_src, link, self.config.page_size),
            }

        parts = [slot("summary"), "## All stakeholders", late_slot("late-stakeholders")]
        # Without the one-entry table of contents, the eight columns fit a 1366 px screen.
        return GeneratedPage(
            self.src("stakeholders.md"), "Stakeholders", markdown("Stakeholders", parts, hide=WIDE), render
        )

    # Grouped views.

    def facet_pages(self, facet: str) -> list[GeneratedPage]:
        title = FACET_TITLES[facet]
        members: dict[str, list[StatusRow]] = defaultdict(list)
        for r in self.rows:
            for value in facet_values(r.plan, facet):
                members[value].append(r)
        index_src = self.facet_index(facet)

        def render_index(link: Link) -> dict[str, str]:
            rows = []
            for value, src in self.facet_src[facet].items():
                counts = summary(members[value])
                rows.append(
                    [
                        f'<a href="{esc(link(src))}">{esc(value)}</a>',
                        str(counts["plans"]),
                        str(counts["overdue"]),
                        str(counts["due_soon"]),
                        str(counts["overdue_commitments"]),
                    ]
                )
            return {
                "late-groups": table(
                    [title, "Plans", "Overdue", "Due soon", "Overdue commitments"], rows, sortable=True
                )
            }

        pages = [
            GeneratedPage(
                index_src,
                f"Plans by {title.lower()}",
                markdown(f"Plans by {title.lower()}", [late_slot("late-groups")]),
                no_slots,
                render_late=render_index,
            )
        ]
        for value, src in self.facet_src[facet].items():

            def render(link: Link, rows: list[StatusRow] = members[value], value: str = value) -> dict[str, str]:
                counts = summary(rows)
                html = (
                    f'<p class="kd-facet-summary">{counts["plans"]} plans: {counts["overdue"]} overdue for review, '
                    f"{counts['due_soon']} due soon, {counts['overdue_commitments']} overdue commitments.</p>"
                    + self.plans_grid(rows, link, f"Plans of {title.lower()} {value}")
                )
                if facet == "business_area":
                    bars = [
                        Bar(r.plan.account, r.progress)
                        for r in rows
                        if r.progress is not None and r.plan.status != "archived"
                    ]
                    html += bar_chart("Goal attainment by account", top_bars(bars, TOP_BARS, "plans"), percent=True)
                return {"late-plans": html}

            page_title = f"{title}: {value}"
            # Made in the main process: the background has the downloads and the plan pages, and this
            # balances the two (site_speed.py at 1,000 plans).
            pages.append(
                GeneratedPage(src, page_title, markdown(page_title, [late_slot("late-plans")], hide=WIDE), render)
            )
        return pages


EMBED = re.compile(r"<!--\s*kamdocs:table\b(.*?)-->", re.S)
"""Any marker, well formed or not: a malformed one must fail loudly, not stay a silent comment."""
SUMMARY = re.compile(r"<!--\s*kamdocs:summary\b(.*?)-->", re.S)
"""The dashboard's cards on any page: a plans repository's home opens on the roll-up."""
_ATTRIBUTES = re.compile(r'(?:\s+[a-z_]+="[^"<>]*")*\s*')
_ATTRIBUTE = re.compile(r'([a-z_]+)="([^"]*)"')
_FILTERS = ("state", *FACET_TITLES)


class EmbedError(KamdocsError, ValueError):
    """An embed marker that cannot be rendered; ``marker`` is its text, so the adapter can find its line."""

    def __init__(self, marker: str, message: str) -> None:
        super().__init__(message)
        self.marker = marker
        self.message = message


def embed_filters(marker: str, builder: SiteBuilder) -> dict[str, str]:
    """The filters of one marker, each key and value checked against the plans in the site.

    A typo in a key or a value would otherwise show every plan or none,
    and nobody would notice on a published page.
    """
    match = EMBED.fullmatch(marker)
    attributes = match.group(1) if match else ""
    shown = " ".join(marker.split())[:80]
    if match is None or not _ATTRIBUTES.fullmatch(attributes):
        raise EmbedError(
            marker,
            f'expected a marker like <!-- kamdocs:table business_area="Industrial" --> with key="value" '
            f"filters in double quotes, found {shown!r}",
        )
    pairs = _ATTRIBUTE.findall(attributes)
    filters: dict[str, str] = {}
    for key, value in pairs:
        if key not in _FILTERS:
            close = get_close_matches(key, _FILTERS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise EmbedError(
                marker, f"expected a filter key from {', '.join(_FILTERS)}, found {key!r} in {shown!r}{hint}"
            )
        if key in filters:
            raise EmbedError(marker, f"expected each filter key once, found {key!r} twice in {shown!r}")
        known = STATES if key == "state" else sorted({v for r in builder.rows for v in facet_values(r.plan, key)})
        if value not in known:
            close = get_close_matches(value, list(known), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise EmbedError(
                marker, f"expected a value of {key} that some plan has, found {value!r} in {shown!r}{hint}"
            )
        filters[key] = value
    return filters


def render_embeds(html: str, builder: SiteBuilder, link: Link) -> str:
    """Replace ``<!-- kamdocs:table business_area="X" -->`` markers with a filtered plans table,
    and ``<!-- kamdocs:summary -->`` with the dashboard's summary cards and downloads.

    Filters: ``state`` and any facet name; several are combined with AND.
    A malformed marker, an unknown key or a value no plan has raises
    :class:`EmbedError`.
    """

    def replace(match: re.Match[str]) -> str:
        filters = embed_filters(match.group(0), builder)
        rows = [
            r
            for r in builder.rows
            if all(
                (r.freshness.state == value) if key == "state" else (value in facet_values(r.plan, key))
                for key, value in filters.items()
            )
        ]
        return builder.plans_grid(rows, link, "Plans")

    def summary_cards(match: re.Match[str]) -> str:
        if match.group(1).strip():
            shown = " ".join(match.group(0).split())[:80]
            raise EmbedError(match.group(0), f"expected <!-- kamdocs:summary --> with nothing else, found {shown!r}")
        return builder.cards(summary(builder.rows), link)

    return SUMMARY.sub(summary_cards, EMBED.sub(replace, html))
