"""Which pages the plans section has, and what goes into each slot of each.

:class:`SiteBuilder` makes every page once, for the plugin and for
``kamdocs render`` alike: URLs come from :mod:`kamdocs.site.sitemap`, shared
HTML from :mod:`kamdocs.site.blocks`, and each page is a
:class:`kamdocs.site.slots.GeneratedPage` whose ``render`` says which slots
are early and which late.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from html import escape

from babel.dates import format_skeleton

from kamdocs import i18n
from kamdocs.config import Config
from kamdocs.history.log import GitHistory, stream_blobs
from kamdocs.i18n import N_, _, ngettext
from kamdocs.plan.model import Commitment, Plan
from kamdocs.plan.validation import PlanValidator
from kamdocs.report.budget import BudgetLine
from kamdocs.report.budget_output import incomplete_text, ordered
from kamdocs.report.plan_diff import compare, describe, figure_change, grouped, read_version
from kamdocs.report.rollup import StatusRow, public_rows, summary
from kamdocs.report.scorecard import GROUPINGS, Period, fiscal_period, scorecard
from kamdocs.report.stakeholders import stakeholders, summarise
from kamdocs.report.timeline import Judge, Point, Timeline, timelines
from kamdocs.report.trends import Changes, Month, changes, monthly, then_of
from kamdocs.rules.confidential import public_plan
from kamdocs.rules.confidential_body import HtmlOf
from kamdocs.site import budget_page, plan_page, scorecard_page, stakeholders_page, trend_charts
from kamdocs.site.blocks import COMMITMENT_COLUMNS, OWNER_ROWS, Blocks
from kamdocs.site.exports import EXPORT_FILES, EXPORT_FORMATS, ExportInput
from kamdocs.site.fiscal_years import YearChoice, by_year, year_switch
from kamdocs.site.grid import grid
from kamdocs.site.html import UNSEARCHED, esc, table, unsearched
from kamdocs.site.sitemap import (
    BY_FACET,
    DOWNLOADS,
    FACET_TITLES,
    PLANS_BY_FACET,
    PLANS_OF_FACET,
    SiteMap,
    facet_values,
    page_slugs,
)
from kamdocs.site.slots import (
    WIDE,
    Filled,
    GeneratedPage,
    Link,
    body_with_slot_after,
    heading,
    heading_in_page_entry,
    late_slot,
    late_slot_searched,
    markdown,
    markdown_heading,
    no_slots,
    slot,
)
from kamdocs.site.words import word


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


CHANGE_TITLE = N_("Change over the last twelve months")
"""The heading of the grouped views' index pages' change section."""

_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\r?\n)+")


class SiteBuilder:
    """Assembles every generated page from the roll-up rows."""

    def __init__(
        self,
        rows: Sequence[StatusRow],
        history: GitHistory,
        today: date,
        config: Config,
        confidential: int = 0,
        judge: Judge | None = None,
        checked: Mapping[str, Plan] | None = None,
    ) -> None:
        self.rows = list(rows)
        self.history = history
        self.today = today
        self.config = config
        self.judge = judge
        """How earlier versions are judged for :attr:`timelines`; None: no plan's history is read."""
        self.checked = checked
        """Each plan as today's check made it, in full (not the public view), for :attr:`timelines`."""
        self.map = SiteMap(self.rows, config.url_prefix, config.group_by)
        self.blocks = Blocks(self.rows, self.map, today, config, confidential)
        self._year_changes: dict[str, Changes] = {}

    @classmethod
    def public(
        cls,
        rows: Sequence[StatusRow],
        history: GitHistory,
        today: date,
        config: Config,
        html_of: HtmlOf | None = None,
        validator: PlanValidator | None = None,
    ) -> SiteBuilder:
        """The builder over what may be published (:func:`kamdocs.report.rollup.public_rows`): how the plugin,
        ``kamdocs render`` and ``kamdocs serve`` all start, so no path can publish a hidden value.
        ``html_of`` renders a body as the site will (the plugin's Markdown extensions); with ``validator``
        the plans' earlier versions are judged too (:attr:`timelines`), from their public view."""
        shown, hidden = public_rows(rows, config, today, html_of)
        judge = Judge(config, validator, public=True, html_of=html_of) if validator is not None else None
        checked = {r.plan.file: r.plan for r in rows} if judge is not None else None
        return cls(shown, history, today, config, confidential=hidden, judge=judge, checked=checked)

    @functools.cached_property
    def timelines(self) -> Mapping[str, Timeline]:
        """Every shown plan's public timeline by file (:func:`kamdocs.report.timeline.timelines`), read the first
        time a page asks: on two cores the forked process makes the pages that show history, so the build's
        main process never reads the plans' earlier versions."""
        if self.judge is None:
            return {}
        from kamdocs.report.history_cache import HistoryCache, renderer_digest  # only this property needs them

        current: dict[str, Plan | None] = {r.plan.file: r.plan for r in self.rows}
        judge = self.judge
        # The figures of versions judged in an earlier build, keyed by blob (history_cache: false, none):
        # the pages are the same byte for byte with or without it.
        cache = (
            HistoryCache.for_run(
                self.config.root, (self.config, renderer_digest(judge.html_of)), judge.validator.schema
            )
            if self.config.history_cache
            else None
        )
        return timelines(list(current), self.history, judge, current, self.today, cache, self.checked)

    @property
    def reads_history(self) -> bool:
        """Whether the plans' earlier versions are read: git is there and the builder judges versions. Without
        them the plan page has no "Trends" section, and "Since the last review" says why in one sentence."""
        return self.history.available and self.judge is not None

    def timeline(self, row: StatusRow) -> Timeline:
        """One plan's public timeline; empty and not known when the history was not read."""
        return self.timelines.get(row.plan.file) or Timeline(row.plan.file, known=False)

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
        downloads = tuple(self.map.src(name) for name in DOWNLOADS)
        return SiteContent(tuple(pages), downloads, self.map.nav(), dict(self.map.plan_src))

    def exports(self, paths: Collection[str] | None = None) -> Iterator[tuple[str, bytes]]:
        """The downloads, ``(site path, bytes)``, made one at a time, so that no more than one is held
        at once (at 10,000 plans they are 67 MB); computed apart from the pages (the plugin does it in the
        background). ``paths``: only these (those a failed forked process did not send), else all."""
        data = ExportInput(
            self.rows, self.today, self.config.fiscal_year_start, self.timelines if self.judge is not None else None
        )
        for name, file in EXPORT_FILES.items():
            path = self.map.src(file)
            if paths is None or path in paths:
                made = EXPORT_FORMATS.render(name, data)
                yield path, made if isinstance(made, bytes) else made.encode("utf-8")

    # Tables shared by several pages.

    def plans_grid(self, rows: Sequence[StatusRow], link: Link, name: str | None = None) -> str:
        """Every plan in ``rows`` as a filterable, sortable grid (:meth:`Blocks.plans_grid`); ``name``, in the
        reader's language, says what it holds to a screen reader ("Plans" unless given)."""
        return self.blocks.plans_grid(rows, link, _("Plans") if name is None else name)

    def cards(self, link: Link) -> str:
        """The dashboard's cards over every plan, and the downloads."""
        return self.blocks.cards(summary(self.rows), link)

    # The dashboard.

    def months(self) -> tuple[Month, ...] | None:
        """The dashboard's headline figures at the last twelve month ends (:func:`monthly`); None when the
        plans' history is not read."""
        if not self.reads_history:
            return None
        config = self.config
        return monthly(self.rows, self.timelines, self.today, config.fiscal_year_start, config.default_interval)

    def dashboard_pages(self) -> list[GeneratedPage]:
        counts = summary(self.rows)

        def render(link: Link) -> Filled:
            return Filled(
                late={
                    "trends": unsearched(self.blocks.trends(self.months())),
                    "table": self.plans_grid(self.rows, link, _("All plans")),
                    "charts": self.blocks.charts(),
                    "groups": self.blocks.group_links(link),
                }
            )

        def summary_cards(link: Link) -> Filled:
            return Filled({"summary": unsearched(self.blocks.cards(counts, link))})

        parts = [
            slot("summary"),
            late_slot("trends"),
            markdown_heading(N_("All plans")),  # the cards link to #all-plans, in every language
            late_slot("table"),
            markdown_heading(N_("Freshness and goals")),
            late_slot("charts"),
            markdown_heading(N_("Grouped views")),
            late_slot("groups"),
        ]
        title = _("Key account plans")
        return [
            GeneratedPage(
                self.map.src("index.md"), title, markdown(title, parts, hide=WIDE), summary_cards, render_late=render
            )
        ]

    # One page per plan.

    def plan_page(self, row: StatusRow) -> GeneratedPage:
        """Only the plan's own body is Markdown; everything else is ready HTML in slots.

        The page writes its own H1 (the account) after a breadcrumb back to the dashboard; the
        plugin demotes any H1 in the body. A full plan whose body has a Commitments section gets
        the commitments table there, not a second Commitments section.
        """
        plan = row.plan
        # Blank lines around the body go, not the first line's indentation: the body is rendered as
        # kamdocs.rules.confidential_body analysed it (an indented "## x" is code, not a heading).
        body = _LEADING_BLANK_LINES.sub("", plan.body).rstrip()
        # A full plan's body has its own Commitments and KPIs sections: the tables go there.
        in_body: set[str] = set()
        # The sections' names as the plan's template writes them, not words of the page.
        for title, anchor in (("Commitments", "kd-commitments"), ("KPIs", "kd-kpis")):  # i18n: machine
            placed = body_with_slot_after(body, title, slot(anchor)) if plan.kind == "full" else ""
            if placed:
                body = placed
                in_body.add(anchor)
        parts = [slot("top"), body, slot("bottom")] if body else [slot("top"), slot("bottom")]
        sections = [(_("Goal"), "kd-goal")]
        if plan.kind == "one-page" or plan.success_factors:
            sections.append((_("Constraint chain"), "kd-chain"))
        sections.append((_("Commitments"), "kd-commitments"))
        if plan.kpis:
            sections.append((_("KPI scorecard"), "kd-kpis"))
        if plan.buying_center:
            sections.append((_("Buying centre"), "kd-buying"))
        area = self.map.facet_src.get("business_area", {}).get(plan.business_area)
        owner = self.map.facet_src.get("owner", {}).get(plan.owner)

        def render(link: Link) -> Filled:
            return Filled({
                "top": late_slot_searched("top", plan_page.head_stand_in(plan)),
                "bottom": late_slot("bottom"),
                **{anchor: late_slot(anchor) for anchor in in_body},
            })  # fmt: skip

        def render_late(link: Link) -> Filled:
            found = plan_page.PlanFindings.of(plan, self.today, self.config.default_interval, self.config.due_soon_days)
            late = [
                plan_page.breadcrumb(plan, link, self.map.src("index.md"), area),
                f"<h1{UNSEARCHED}>{esc(plan.account)}</h1>",
                plan_page.summary(row, link, area, owner, self.today),
                plan_page.notes(found.header),
                plan_page.facts(row),
                heading_in_page_entry(_("Goal"), "kd-goal"),
                plan_page.goal(plan),
                plan_page.notes(found.goal),
                plan_page.progress(plan, self.today),
            ]
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
            history = plan_page.history(self.history.of(plan.file), self.history.available, self.config.commit_subjects)
            trends = (
                heading(_("Trends"), "kd-trends")
                + trend_charts.trends(self.timeline(row), plan, self.today, self.config.quality, True)
                if self.reads_history
                else ""
            )
            return Filled(late={
                "top": "".join(late),
                "bottom": heading(_("Quality"), "kd-quality") + plan_page.quality(row)
                + heading(_("Since the last review"), "kd-since-review") + self.since_review(row) + trends
                + heading(_("History"), "kd-history") + history,
                **{anchor: blocks[anchor]() for anchor in in_body},
            })  # fmt: skip

        toc = (
            *(("before", title, anchor) for title, anchor in sections if anchor not in in_body),
            ("after", _("Quality"), "kd-quality"),
            ("after", _("Since the last review"), "kd-since-review"),
            *((("after", _("Trends"), "kd-trends"),) if self.reads_history else ()),
            ("after", _("History"), "kd-history"),
        )
        return GeneratedPage(
            self.map.plan_src[plan.id],
            plan.account,
            markdown(plan.account, parts, hide=("navigation",)),
            render,
            plan.file,
            toc,
            untrusted=True,
            render_late=render_late,
        )

    @functools.cached_property
    def review_texts(self) -> Mapping[str, bytes]:
        """Each shown plan's text at the commit that recorded its current review, by file, for the plans
        changed since (:meth:`since_review`): read for every plan in one ``git cat-file``, the first time
        a page asks, as :attr:`timelines` is. A plan unchanged since its review needs no text."""
        wanted: dict[str, str] = {}
        for row in self.rows:
            reviewed = row.plan.review.last_reviewed
            line = self.timeline(row)
            point = plan_page.review_point(line, reviewed) if reviewed is not None else None
            facts = self.history.of(row.plan.file)
            if point is None or point.sha is None or point is line.points[-1] or facts is None:
                continue
            shas = [r.sha for r in facts.revisions]
            if point.sha in shas:
                wanted[row.plan.file] = facts.blobs[shas.index(point.sha)]
        texts = dict(stream_blobs(sorted(set(wanted.values())), self.config.plans_path))
        return {file: raw for file, blob in wanted.items() if (raw := texts.get(blob)) is not None}

    def since_review(self, row: StatusRow) -> str:
        """What changed in the plan since its current review, in ``kamdocs diff``'s words.

        The plan then is the version that recorded ``review.last_reviewed`` (:func:`plan_page.review_point`),
        read as ``kamdocs diff`` reads a version; both it and today's plan are public views
        (:func:`~kamdocs.rules.confidential.public_plan`, with the site's renderer), so nothing hidden,
        then or now, is named. The front matter's data is not compared (``{}`` both sides): it only tells
        a review-date bump apart, and the two versions have the same review date by construction.
        """
        plan = row.plan
        reviewed = plan.review.last_reviewed
        unknown = self._since_review_unknown(row)
        if unknown is not None or reviewed is None:
            return unknown or ""
        line = self.timeline(row)
        point = plan_page.review_point(line, reviewed)
        assert point is not None  # _since_review_unknown said so
        score = row.quality.score if row.quality is not None else None
        then = point.figures.quality_score
        quality = (then, score) if then is not None and score is not None else None
        if point is line.points[-1] or point.sha is None:
            return plan_page.since_review(reviewed, point.day, (), quality)
        old = self._reviewed_version(plan, point)
        if old is None:
            when = i18n.chart_day(reviewed)
            return plan_page.since_review_note(
                _("The plan as it was at the review on {day} could not be read.").format(day=when)
            )
        if old.goal.target is None or plan.goal.target is None:  # confidential then or now: no figure to name
            old = replace(old, goal=replace(old.goal, target=plan.goal.target, unit=plan.goal.unit))
        changes = [describe(c) for c in compare(old, plan, {}, {}, old.body == plan.body)]
        before, after = old.goal.actual, plan.goal.actual
        if before != after and after is not None and old.goal.unit == plan.goal.unit:
            changes.insert(0, _actual_change(before, after, plan.goal.unit))
        if old.body != plan.body:
            changes.append(_("the plan's own text changed"))
        return plan_page.since_review(reviewed, point.day, changes, quality)

    def _since_review_unknown(self, row: StatusRow) -> str | None:
        """The sentence that stands for "Since the last review" when there is nothing to compare (no git,
        not reviewed, no version recording the review, a shallow clone cut before it); None otherwise."""
        plan = row.plan
        reviewed = plan.review.last_reviewed
        if not self.reads_history or self.judge is None:  # one sentence for both sections: a short printout
            note = trend_charts.history_note(Timeline(plan.file, known=False), self.history.available)
            if reviewed is None:
                # TRANSLATORS: {history} is a sentence on the plan's history without its full stop.
                said = _("{history}, so there are no trends to draw; not reviewed yet.").format(history=note[:-1])
                return plan_page.since_review_note(said)
            return plan_page.since_review_note(
                # TRANSLATORS: {history} is a sentence on the plan's history.
                _(
                    "{history} What changed since the review on {day} is not known, and there are no trends to draw."
                ).format(history=note, day=i18n.chart_day(reviewed))
            )
        if reviewed is None:
            return plan_page.since_review_note(
                _("This plan has not been reviewed yet, so there is nothing to compare.")
            )
        when = i18n.chart_day(reviewed)
        line = self.timeline(row)
        if not line.known:
            # TRANSLATORS: {history} is a sentence on the plan's history.
            said = _("{history} Nothing to compare.").format(history=trend_charts.history_note(line, True))
            return plan_page.since_review_note(said)
        point = plan_page.review_point(line, reviewed)
        if point is None:
            return plan_page.since_review_note(
                _("No version of the plan in git records the review on {day}.").format(day=when)
            )
        if line.shallow and point is line.points[0]:
            return plan_page.since_review_note(
                _(
                    "History starts on {start} (a shallow clone), and the review on {day} may be older: "
                    "what changed since it is not known."
                ).format(start=i18n.chart_day(point.day), day=when)
            )
        return None

    def _reviewed_version(self, plan: Plan, point: Point) -> Plan | None:
        """The plan as it was at the review's version, in its public view with today's confidential marks
        too (so a part made confidential since is not named as removed); None when it cannot be read."""
        assert self.judge is not None
        raw = self.review_texts.get(plan.file)
        old = read_version(raw, point.file, self.judge.validator, self.config.default_interval).plan if raw else None
        if old is None or self.config.publish_confidential:
            return old
        now = self._plan_as_written(plan.file, plan)
        if now is None:
            return None
        return public_plan(_marked_as(old, now), self.config.confidential_sections, self.judge.html_of)

    def _plan_as_written(self, file: str, shown: Plan) -> Plan | None:
        """The plan's file today with everything in it, confidential parts too: only for their marks
        (:func:`_marked_as`), never shown. A file that never says "confidential" has no marks, and the
        plan shown stands in without a second parse. None when it cannot be read."""
        if self.judge is None:
            return None
        try:
            raw = (self.config.root / file).read_bytes()
        except OSError:
            return None
        if b"confidential" not in raw:
            return shown
        return read_version(raw, file, self.judge.validator, self.config.default_interval).plan

    # Commitments across all accounts.

    def commitment_pages(self) -> list[GeneratedPage]:
        by_owner: dict[str, list[tuple[Commitment, Plan]]] = defaultdict(list)
        for r in self.rows:
            if r.plan.status == "archived":
                continue
            for c in r.plan.commitments:  # done and dropped ones too: the status selector finds them
                by_owner[c.owner].append((c, r.plan))
        for items in by_owner.values():
            items.sort(
                key=lambda cp: (not cp[0].is_open, not cp[0].overdue_on(self.today), cp[0].due, cp[1].id, cp[0].id)
            )

        def overdue(owner: str) -> int:
            return sum(c.overdue_on(self.today) for c, _plan in by_owner[owner])

        opened = {owner: sum(c.is_open for c, _ in items) for owner, items in by_owner.items()}
        owners = sorted(by_owner, key=lambda o: (not opened[o], -overdue(o), o.casefold()))
        total = sum(opened.values())
        closed = sum(len(v) for v in by_owner.values()) - total
        anchors = {owner: f"owner-{slug}" for owner, slug in page_slugs(owners, reserved=()).items()}
        intro = "<p>" + self._commitments_intro(total, sum(1 for o in owners if opened[o]), closed) + "</p>"

        def section(owner: str, link: Link) -> str:
            rows = [
                [
                    [
                        i18n.day(c.due),
                        (self.today - c.due).days if c.overdue_on(self.today) else 0,
                        c.due.isoformat(),
                    ],
                    word(c.status),
                    c.action,
                    [plan.account, link(self.map.plan_src[plan.id])],
                    "overdue" if c.overdue_on(self.today) else "not overdue",  # i18n: machine (OVERDUE_WORDS)
                    plan.business_area,
                    owner,
                ]
                for c, plan in by_owner[owner]
            ]
            counts = _("{open} open, {overdue} overdue").format(
                open=i18n.number(opened[owner]), overdue=i18n.number(overdue(owner))
            )
            hidden = "" if opened[owner] else " hidden"  # only done or dropped: shown when Status asks for them
            return (
                f'<section class="kd-grid-section"{hidden}><h2 id="{anchors[owner]}" class="kd-owner">{esc(owner)}</h2>'
                f"<p>{counts}</p>"
                + grid(
                    _("Commitments of {owner}").format(owner=owner),
                    COMMITMENT_COLUMNS,
                    rows,
                    first=OWNER_ROWS,
                    noun="commitments",
                    downloads=self.blocks.all_in(_("every commitment"), link, "plans.json", "commitments.ics"),
                    labels={"overdue": OVERDUE_WORDS},
                )
                + "</section>"
            )

        def render(link: Link) -> Filled:
            controls = '<div class="kd-controls-place" data-kd-controls></div>' if owners else ""
            return Filled(late={"list": intro + controls + "".join(section(o, link) for o in owners)})

        toc = tuple(("before", owner, anchors[owner]) for owner in owners)
        return [
            GeneratedPage(
                self.map.src("commitments.md"),
                _("Commitments"),
                markdown(_("Commitments"), [late_slot("list")]),
                no_slots,
                toc=toc,
                render_late=render,
            )
        ]

    # Budget.

    def budget_page(self) -> GeneratedPage:
        """The budget roll-up (:mod:`kamdocs.report.budget`) of the reader's fiscal year (the current one
        unless the URL names another): a chart and the lines with their totals; "All years" has every line."""
        start = self.config.fiscal_year_start
        result = self.blocks.budget
        choices = self.blocks.year_choices

        def lines_of(choice: YearChoice) -> list[tuple[str, BudgetLine]]:
            if choice.year is None:
                return list(ordered(result))
            return [("line", line) for line in result.for_year(choice.year)] + [
                ("year-total", line) for line in self.blocks.year_totals(choice)
            ]

        def budget_table(choice: YearChoice) -> str:
            lines = lines_of(choice)
            return budget_page.budget_table(lines) if lines else ""

        def render(link: Link) -> Filled:
            note = f"<p>{budget_note(start, len(choices) > 1)}</p>"
            html = by_year(choices, lambda c: self.blocks.budget_charts(c) + budget_table(c))
            incomplete = incomplete_text(result, with_ids=False)
            if incomplete:
                note = f'<p class="kd-incomplete">{esc(incomplete)}</p>' + note
            return Filled(late={"budget": year_switch(choices) + html + note})

        parts = [late_slot("budget")]
        return GeneratedPage(
            self.map.src("budget.md"),
            _("Budget roll-up"),
            markdown(_("Budget roll-up"), parts, hide=WIDE),  # without the table of contents the table fits 1280 px
            no_slots,
            render_late=render,
        )

    # The scorecard.

    def scorecard_page(self) -> GeneratedPage:
        """Per owner, reviewer and business area, over the reader's fiscal year (the current one unless the
        URL names another)."""
        choices = self.blocks.year_choices
        years = [c.year for c in choices if c.year is not None]
        periods = {
            c.key: fiscal_period(c.year) if c.year else Period(years[0].start, years[-1].end, _("all fiscal years"))
            for c in choices
        }
        groupings = ("owner", "reviewer", "business_area")

        def render(link: Link) -> Filled:
            # Worked out here, with the page's late slots (in the background), not with the page list.
            tables = {
                (key, by): scorecard(
                    self.rows, by, period, self.today, self.config.default_interval, self.config.fiscal_year_start
                )
                for key, period in periods.items()
                for by in groupings
            }
            out = {
                "scorecard-note": year_switch(choices)
                + by_year(choices, lambda c: scorecard_page.explanation(periods[c.key]))
            }
            for by in groupings:
                pages = self.map.facet_src.get(by, {})

                def year_table(c: YearChoice, by: str = by, pages: Mapping[str, str] = pages) -> str:
                    scored = tables[c.key, by]
                    then = then_of(periods[c.key].start, self.today)
                    found = changes(scored, self.rows, self.timelines, by, then, self.today)
                    return scorecard_page.scorecard_table(scored, by, pages, link) + scorecard_page.changes_block(
                        found, by, pages, link, self.reads_history
                    )

                out[f"scorecard-{by}"] = by_year(choices, year_table)
            return Filled(late=out)

        parts = [late_slot("scorecard-note")]
        for by in groupings:
            parts += [markdown_heading(BY_FACET[by]), late_slot(f"scorecard-{by}")]
        return GeneratedPage(
            self.map.src("scorecard.md"),
            _("Scorecard"),
            markdown(_("Scorecard"), parts, hide=WIDE),  # without the table of contents the tables fit 1280 px
            no_slots,
            render_late=render,
        )

    # The stakeholder index.

    def stakeholders_page(self) -> GeneratedPage:
        """Every buying-centre person across the site's plans, once (:mod:`kamdocs.report.stakeholders`)."""

        def render_late(link: Link) -> Filled:
            # Worked out here, with the page's late slots (in the background), not with the page list.
            people = stakeholders([r.plan for r in self.rows], self.today, self.config.default_interval)
            table = stakeholders_page.stakeholder_table(
                people,
                self.map.plan_src,
                link,
                self.config.page_size,
                self.blocks.all_in(_("every contact"), link, "plans.json"),
            )
            return Filled(
                late={
                    "summary": unsearched(stakeholders_page.summary_cards(summarise(people), self.today)),
                    "stakeholders": stakeholders_page.EXPLANATION + table,
                }
            )

        parts = [late_slot("summary"), markdown_heading(N_("All stakeholders")), late_slot("stakeholders")]
        # Without the one-entry table of contents, the eight columns fit a 1366 px screen.
        return GeneratedPage(
            self.map.src("stakeholders.md"),
            _("Stakeholders"),
            markdown(_("Stakeholders"), parts, hide=WIDE),
            no_slots,
            render_late=render_late,
        )

    # Grouped views.

    def year_changes(self, by: str) -> Changes:
        """Each owner's, reviewer's or area's change over the last twelve months (the scorecard's roll-up over
        that span), for the grouped pages; worked out once per grouping, in the pages' late slots."""
        if by not in self._year_changes:
            then = then_of(None, self.today)
            period = Period(then, self.today, _("the last 12 months"))
            config = self.config
            scored = scorecard(self.rows, by, period, self.today, config.default_interval, config.fiscal_year_start)
            self._year_changes[by] = changes(scored, self.rows, self.timelines, by, then, self.today)
        return self._year_changes[by]

    def change_line(self, by: str, value: str) -> str:
        """One person's or area's change over the last twelve months, in words, under its page's summary."""
        if not self.reads_history:
            return ""
        found = self.year_changes(by)
        change = next((c for c in found.rows if c.key == value), None)
        if change is None:
            return ""
        said = _(
            "Since {day} (twelve months): quality {quality}, overdue commitments {overdue}; "
            "reviews on time: {reviews}; plans known then: {known}."
        ).format(
            day=esc(i18n.day(found.then)),
            quality=esc(scorecard_page.quality_change_text(change)),
            overdue=esc(scorecard_page.overdue_change_text(change)),
            reviews=esc(scorecard_page.reviews_change_text(change)),
            known=esc(scorecard_page.known_text(change)),
        )
        return f'<p class="kd-change-line">{said}</p>'

    def _commitments_intro(self, total: int, owners: int, closed: int) -> str:
        """The commitments page's first paragraph: how many are open, of how many owners, and where the rest are."""
        # TRANSLATORS: {owners} is "3 owners" (the next message), the people the commitments are of.
        owners_text = ngettext("{count} owner", "{count} owners", owners).format(count=i18n.number(owners))
        text = ngettext(
            "{count} open commitment of {owners} across all accounts, as of {day}; overdue first. "
            "Each owner has a section; the filter applies to all of them.",
            "{count} open commitments of {owners} across all accounts, as of {day}; overdue first. "
            "Each owner has a section; the filter applies to all of them.",
            total,
        ).format(count=i18n.number(total), owners=owners_text, day=esc(i18n.day(self.today)))
        if closed:
            status = esc(_("Status"))
            text += " " + ngettext(
                "{count} done or dropped is here too: choose it under {status}.",
                "{count} done or dropped are here too: choose them under {status}.",
                closed,
            ).format(count=i18n.number(closed), status=status)
        return text

    def facet_pages(self, facet: str) -> list[GeneratedPage]:
        title = _(FACET_TITLES[facet])
        members: dict[str, list[StatusRow]] = defaultdict(list)
        for r in self.rows:
            for value in facet_values(r.plan, facet):
                members[value].append(r)
        index_src = self.map.facet_index(facet)

        def render_index(link: Link) -> Filled:
            rows = []
            for value, src in self.map.facet_src[facet].items():
                counts = summary(members[value])
                rows.append(
                    [
                        f'<a href="{esc(link(src))}">{esc(value)}</a>',
                        _count(counts["plans"]),
                        _count(counts["overdue"]),
                        _count(counts["due_soon"]),
                        _count(counts["overdue_commitments"]),
                    ]
                )
            headers = [title, _("Plans"), _("Overdue"), _("Due soon"), _("Overdue commitments")]
            # Only <, > and & escaped: table() escapes each header again for its phone label, and an
            # apostrophe (French "domaine d'activité") would show there as &#x27;.
            groups = table([escape(h, quote=False) for h in headers], rows, sortable=True, stacked=True)
            if facet in GROUPINGS:
                found = self.year_changes(facet)
                groups += f'<h2 id="kd-change">{esc(_(CHANGE_TITLE))}</h2>' + scorecard_page.changes_block(
                    found, facet, self.map.facet_src[facet], link, self.reads_history
                )
            return Filled(late={"groups": groups})

        pages = [
            GeneratedPage(
                index_src,
                _(PLANS_BY_FACET[facet]),
                markdown(_(PLANS_BY_FACET[facet]), [late_slot("groups")]),
                no_slots,
                render_late=render_index,
            )
        ]
        for value, src in self.map.facet_src[facet].items():

            def render(link: Link, rows: list[StatusRow] = members[value], value: str = value) -> Filled:
                counts = summary(rows)
                html = f'<p class="kd-facet-summary">{facet_summary(counts)}</p>' + self.plans_grid(
                    rows, link, _(PLANS_OF_FACET[facet]).format(value=value)
                )
                if facet in GROUPINGS:
                    html += self.change_line(facet, value)
                if facet == "business_area":
                    html += self.blocks.area_attainment(value, rows)
                return Filled(late={"plans": html})

            # TRANSLATORS: a grouped page's title: "Business area: Industrial" ({facet} is the grouping).
            page_title = _("{facet}: {value}").format(facet=title, value=value)
            markdown_text = markdown(page_title, [late_slot("plans")], hide=WIDE)
            pages.append(GeneratedPage(src, page_title, markdown_text, no_slots, render_late=render))
        return pages


def _marked_as(old: Plan, now: Plan) -> Plan:
    """``old`` with today's confidential marks added to its own: a plan, field, commitment, KPI or contact
    made confidential since the review is hidden in the version compared with too, so the page never
    names as "removed" what is only hidden now."""
    commitments = {c.id for c in now.commitments if c.confidential}
    kpis = {k.id for k in now.kpis if k.confidential}
    people = {c.name for c in now.buying_center if c.confidential}
    return replace(
        old,
        confidential=old.confidential or now.confidential,
        confidential_fields=tuple(dict.fromkeys((*old.confidential_fields, *now.confidential_fields))),
        commitments=tuple(replace(c, confidential=True) if c.id in commitments else c for c in old.commitments),
        kpis=tuple(replace(k, confidential=True) if k.id in kpis else k for k in old.kpis),
        buying_center=tuple(replace(c, confidential=True) if c.name in people else c for c in old.buying_center),
    )


OVERDUE_WORDS = {"overdue": N_("overdue"), "not overdue": N_("not overdue")}  # i18n: machine (the keys)
"""The commitments page's overdue selector in words; its values, in the URL (``?overdue=overdue``, the
dashboard's card links to it), stay English in every language."""


def _count(value: int) -> str:
    """A count in a sortable table's cell: in the reader's figures, sorted by the number itself."""
    text = i18n.number(value)
    return text if text == str(value) else f'<span data-sort="{value}">{esc(text)}</span>'


def facet_summary(counts: Mapping[str, int]) -> str:
    """A grouped page's first line: its plans, those overdue and due soon for review (each a link to the
    table below, filtered to them: the grid reads the URL), and the overdue commitments."""
    number = i18n.number
    overdue = ngettext("{count} overdue for review", "{count} overdue for review", counts["overdue"])
    due_soon = ngettext("{count} due soon", "{count} due soon", counts["due_soon"])
    commitments = ngettext(
        "{count} overdue commitment", "{count} overdue commitments", counts["overdue_commitments"]
    ).format(count=number(counts["overdue_commitments"]))
    # TRANSLATORS: {overdue}, {due_soon} and {commitments} are the three messages before, the first two links.
    return ngettext(
        "{count} plan: {overdue}, {due_soon}, {commitments}.",
        "{count} plans: {overdue}, {due_soon}, {commitments}.",
        counts["plans"],
    ).format(
        count=number(counts["plans"]),
        overdue=f'<a href="?state=overdue">{overdue.format(count=number(counts["overdue"]))}</a>',
        due_soon=f'<a href="?state=due-soon">{due_soon.format(count=number(counts["due_soon"]))}</a>',
        commitments=commitments,
    )


def _start_day(start: str) -> str:
    """The fiscal year's first day (``04-01``, as ``fiscal_year_start`` writes it) as the reader says a day
    of the year: ``1. April`` in de-CH, ``1 avril`` in fr-CH; as written on English pages."""
    speech = i18n.speech()
    if speech.iso_dates:
        return start
    month, day = (int(part) for part in start.split("-"))
    return format_skeleton("MMMMd", date(2000, month, day), locale=speech.locale)


def budget_note(start: str, years: bool) -> str:
    """What the budget page sums and how, under its table; ``years``: there is an "All years" choice."""
    all_years = "<em>" + esc(_("All years")) + "</em>"
    first = (
        _(
            "Goal targets of active and draft plans, summed per business area, fiscal year and currency or unit, "
            "with totals per fiscal year (and per area under {all_years})."
        ).format(all_years=all_years)
        if years
        else _(
            "Goal targets of active and draft plans, summed per business area, fiscal year and currency or unit, "
            "with totals per fiscal year."
        )
    )
    sentences = [
        first,
        _("A goal counts in the fiscal year in which its period ends; fiscal years start on {start}.").format(
            start=esc(_start_day(start))
        ),
        _(
            "A plan without an actual is counted under {no_actual} and left out of the attainment; growth "
            "compares targets with the baselines of the plans that give one."
        ).format(no_actual="<em>" + esc(_("No actual")) + "</em>"),
        _("Amounts in different currencies or units are never added together."),
        _("{command} prints the same; {workbook} has it with formulas.").format(
            command="<code>kamdocs budget</code>",  # i18n: machine (a command)
            workbook="<code>plans.xlsx</code>",
        ),
    ]
    return " ".join(sentences)


def _actual_change(before: float | None, after: float, unit: str) -> str:
    """The goal's actual then and now, as ``kamdocs diff`` writes a figure (its change and share when both
    are known); ``kamdocs diff`` itself leaves the actual out, a figure updated every month. An actual
    gone since (or hidden now) is not named: its old value may be what is hidden."""
    if before is None:
        return _("goal actual: none → {actual}").format(actual=f"{grouped(after)} {unit}")
    return _("goal actual: {change}").format(change=figure_change(before, after, unit))
