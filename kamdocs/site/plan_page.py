"""The page of one plan: header, badge, goal, chain, commitments, KPIs,
buying centre, the plan's own body, and its git history.

Only the plan's own body goes through Markdown. Everything computed from the
front matter is emitted as ready HTML into slots (see :mod:`kamdocs.site.pages`),
which keeps a thousand plan pages cheap to build.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from kamdocs import i18n
from kamdocs.calendar.intervals import elapsed_share
from kamdocs.escaping import shell_word
from kamdocs.history.log import FileHistory
from kamdocs.i18n import N_, _, ngettext
from kamdocs.plan.model import Commitment, Condition, Kpi, Obstacle, Plan, SuccessFactor
from kamdocs.report.rollup import StatusRow
from kamdocs.report.timeline import Point, Timeline
from kamdocs.rules.confidential import CONFIDENTIAL_OBSTACLE
from kamdocs.rules.freshness import Issue, issues
from kamdocs.site.html import UNSEARCHED, amount, badge, breakable, esc, iso, keep_figures, nowrap, number, table
from kamdocs.site.svg import org_chart, progress_bar
from kamdocs.site.words import band_word, category, public, rule, word

Link = Callable[[str], str]

INTERVALS: dict[str, str] = {
    "monthly": N_("monthly"),
    "quarterly": N_("quarterly"),
    "semiannual": N_("semiannual"),
    "annual": N_("annual"),
}
"""The named review intervals in the reader's words; a duration (``P6W``) is shown as the plan writes it."""


@dataclass(frozen=True)
class PlanFindings:
    """The plan's freshness findings, by the place on its page they belong to.

    Each message is the one ``kamdocs check`` prints, so the page and the check read alike.
    """

    header: tuple[Issue, ...] = ()
    """About the review: shown under the title."""
    goal: tuple[Issue, ...] = ()
    rows: Mapping[tuple[str, int], Issue] = field(default_factory=dict)
    """By (list, index): ``("commitments", 0)``, ``("kpis", 1)``, ``("buying_center", 2)``."""

    @classmethod
    def of(cls, plan: Plan, today: date, default_interval: str, due_soon_days: int) -> PlanFindings:
        header, goal, rows = [], [], {}
        for issue in issues(plan, today, default_interval, due_soon_days):
            where = issue.path[0]
            if where == "review":
                header.append(issue)
            elif where == "goal":
                goal.append(issue)
            elif len(issue.path) > 1 and isinstance(issue.path[1], int):
                rows[(str(where), issue.path[1])] = issue
        return cls(tuple(header), tuple(goal), rows)


def finding_note(issue: Issue) -> str:
    """A finding as the page shows it: what it is and the detail, in a reader's words.

    The rule id and the check's own message (with the item's id) stay on the element, in its ``title`` and
    ``data-rule``, for the plan's author, and out of the reader's text.
    """
    return (
        f'<span class="kd-finding" title="{esc(issue.rule)}: {esc(issue.message)}" data-rule="{esc(issue.rule)}">'
        f'<strong class="kd-finding-what">{esc(rule(issue.rule))}:</strong> {keep_figures(esc(issue.says or issue.message))}</span>'
    )


def notes(items: Sequence[Issue]) -> str:
    """The findings under the title or the goal: computed from the dates, so kept out of the search index."""
    return "".join(f'<p class="kd-finding-line" role="note"{UNSEARCHED}>{finding_note(i)}</p>' for i in items)


def breadcrumb(plan: Plan, link: Link, dashboard: str, area_page: str | None) -> str:
    """The way back from a plan page, which is in no menu: Plans › business area › account.

    Out of the search index: the area is on the status line and the account is the page's title.
    """
    area = _maybe_link(plan.business_area, area_page, link)
    name, plans = _("Breadcrumb"), _("Plans")
    return (
        f'<nav class="kd-breadcrumb" aria-label="{esc(name)}"{UNSEARCHED}><ol>'
        f'<li><a href="{esc(link(dashboard))}">{plans}</a></li><li>{area}</li>'
        f'<li aria-current="page">{esc(plan.account)}</li></ol></nav>'
    )


def summary(
    row: StatusRow, link: Link, area_page: str | None, owner_page: str | None, as_of: date | None = None
) -> str:
    """One line under the title: freshness, owner, reviewer, business area.

    The owner and area are searched (with the account, the goal and the body, what issue 21 names);
    the badge, the labels and the reviewer are not: the badge and labels are words every plan page
    repeats, and a reviewer finds their plans in the scorecard and the plans table, while the index
    is fetched by every page. The facts are apart by a space, which the line's flex layout does not
    show, so the search index has them as words of their own, not run together.
    ``as_of``, the day the badge was worked out for, is kept on the line for the printed page's top line.
    """
    plan = row.plan
    parts = [
        (_("Owner"), _maybe_link(plan.owner, owner_page, link)),
        (_("Reviewer"), f"<span{UNSEARCHED}>{esc(plan.review.reviewer)}</span>"),  # no span in it: see UNSEARCHED
        (_("Business area"), _maybe_link(plan.business_area, area_page, link)),
    ]
    spans = " ".join(f'<span class="kd-fact"><span class="kd-key"{UNSEARCHED}>{k}</span> {v}</span>' for k, v in parts)
    day = f' data-kd-as-of="{as_of.isoformat()}"' if as_of else ""
    return f'<p class="kd-status-line"{day}>{badge(row.freshness, searched=False)} {spans}</p>'


def head_stand_in(plan: Plan) -> str:
    """The page's head while the search plugin reads it: the title (Material's template writes one
    of its own above a page without an ``h1``) and the head's searched words (:func:`summary`,
    :func:`goal`), the owner and the business area, then the goal, as the plugin reads them there."""
    return (
        f"<h1{UNSEARCHED}>{esc(plan.account)}</h1>"
        f"<p> {esc(plan.owner)} {esc(plan.business_area)}</p><p>{esc(public(plan.goal.statement))}</p>"
    )


def facts(row: StatusRow) -> str:
    """The rest of the header, as a definition list."""
    plan = row.plan
    interval = row.freshness.interval
    review = _("{interval}; last {last}, next {next}").format(
        interval=esc(_(INTERVALS[interval]) if interval in INTERVALS else interval),
        last=iso(plan.review.last_reviewed),
        next=iso(row.freshness.next_review),
    )
    items = [
        (_("Account"), esc(plan.account)),
        # TRANSLATORS: the kind of plan (a key account plan, a one-page plan).
        (_("Kind"), esc(word(plan.kind))),
        (_("Status"), esc(word(plan.status))),
        (_("Review"), review),
    ]
    for label, value in ((N_("Region"), plan.region), (N_("Tier"), plan.tier), (N_("CRM id"), plan.crm_id)):
        if value:
            items.append((_(label), esc(value)))
    if plan.team:
        items.append((_("Team"), ", ".join(esc(m) for m in plan.team)))
    if plan.tags:
        items.append((_("Tags"), " ".join(f'<span class="kd-tag">{esc(t)}</span>' for t in plan.tags)))
    return '<dl class="kd-facts">' + "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in items) + "</dl>"


def _maybe_link(text: str, target: str | None, link: Link) -> str:
    return f'<a href="{esc(link(target))}">{esc(text)}</a>' if target else esc(text)


def goal(plan: Plan) -> str:
    """The goal's statement (searched) and its figures (computed shares: out of the search index)."""
    g = plan.goal
    lines = [f'<p class="kd-goal"><strong>{esc(public(g.statement))}</strong></p>']
    figures = [_("target {amount}").format(amount=f"<strong>{esc(amount(g.target, g.unit))}</strong>")]
    if g.actual is not None:
        share = f" ({i18n.percent(g.actual / g.target)})" if g.target else ""
        figures.append(_("actual {amount}").format(amount=f"<strong>{esc(amount(g.actual, g.unit))}</strong>") + share)
    if g.baseline is not None:
        figures.append(_("baseline {amount}").format(amount=esc(amount(g.baseline, g.unit))))
    values = {"figures": ", ".join(figures), "start": iso(g.period.start), "end": iso(g.period.end)}
    if g.metric:
        # TRANSLATORS: the goal's metric (what it measures), its figures, and its period from one day to another.
        text = _("{metric}: {figures}; period {start} to {end}.").format(metric=esc(g.metric), **values)
    else:
        text = _("{figures}; period {start} to {end}.").format(**values)
    lines.append(f"<p{UNSEARCHED}>{text}</p>")
    return "".join(lines)


def progress(plan: Plan, today: date) -> str:
    """The goal bar, with the share of the goal period that has passed by ``today``."""
    g = plan.goal
    if g.target is None:  # left out as confidential: no bar to draw against
        return ""
    return progress_bar(g.baseline, g.actual, g.target, g.unit, elapsed_share(g.period.start, g.period.end, today))


def chain(plan: Plan, today: date) -> str:
    """Goal → success factors → conditions → obstacles → commitments, as a table of boxes.

    Row spans make the table read as a tree from left to right. An obstacle
    without a live commitment is marked "unresolved" in words and colour.
    """
    note = _unlinked_note(plan, today)
    if not plan.success_factors:  # left out as confidential: a sentence, not a table of headers alone
        return "<p>" + _("No success factors to show.") + "</p>" + note
    resolvers: dict[str, list[Commitment]] = {}
    for c in plan.commitments:
        for obstacle_id in c.resolves:
            resolvers.setdefault(obstacle_id, []).append(c)
    factor_rows = [max(1, sum(max(1, len(c.obstacles)) for c in f.conditions)) for f in plan.success_factors]
    total = max(1, sum(factor_rows))
    label = esc(_("Goal"))
    goal_cell = f'<td class="kd-node kd-goal-node" data-label="{label}" rowspan="{total}">{esc(public(plan.goal.statement))}</td>'
    rows = [
        cells
        for factor, span in zip(plan.success_factors, factor_rows, strict=True)
        for cells in _factor_rows(factor, span, resolvers, today)
    ]
    body = "".join(f"<tr>{goal_cell if i == 0 else ''}{cells}</tr>" for i, cells in enumerate(rows))
    titles = (_("Goal"), _("Success factors"), _("Conditions"), _("Obstacles"), _("Commitments"))
    head = "<tr>" + "".join(f"<th>{t}</th>" for t in titles) + "</tr>"
    return f'<div class="kd-chain-wrap"><table class="kd-chain"><thead>{head}</thead><tbody>{body}</tbody></table></div>{note}'


def _factor_rows(factor: SuccessFactor, span: int, resolvers: Mapping[str, list[Commitment]], today: date) -> list[str]:
    """A success factor's rows (their cells right of the goal), ``span`` of them. Each level's cell
    spans its rows and goes into the first of them, so the table reads as a tree."""
    label = esc(_("Success factor"))
    factor_cell = f'<td class="kd-node kd-factor" data-label="{label}" rowspan="{span}">{esc(factor.statement)}</td>'
    if not factor.conditions:
        return [factor_cell + '<td class="kd-empty" colspan="3">' + _("no conditions") + "</td>"]
    rows = [cells for condition in factor.conditions for cells in _condition_rows(condition, resolvers, today)]
    rows[0] = factor_cell + rows[0]
    return rows


def _condition_rows(condition: Condition, resolvers: Mapping[str, list[Commitment]], today: date) -> list[str]:
    """A condition's rows (their cells right of the success factor): one per obstacle."""
    cond_span = max(1, len(condition.obstacles))
    label = esc(_("Condition"))
    cond_cell = (
        f'<td class="kd-node kd-condition" data-label="{label}" rowspan="{cond_span}">{esc(condition.statement)}</td>'
    )
    if not condition.obstacles:
        return [cond_cell + '<td class="kd-empty" colspan="2">' + _("no obstacles") + "</td>"]
    rows = [_obstacle_cells(obstacle, resolvers.get(obstacle.id, []), today) for obstacle in condition.obstacles]
    rows[0] = cond_cell + rows[0]
    return rows


def _obstacle_cells(obstacle: Obstacle, resolvers: list[Commitment], today: date) -> str:
    """An obstacle and the commitments that resolve it; "unresolved" when none of them is live."""
    live = [c for c in resolvers if c.status != "dropped"]
    css = "kd-node kd-obstacle" + ("" if live else " kd-unresolved")
    flag = "" if live else '<span class="kd-flag">' + _("unresolved") + "</span> "
    commitments = "".join(_chip(c, today) for c in resolvers) or "–"
    obstacle_label, commitments_label = esc(_("Obstacle")), esc(_("Commitments"))
    return (
        f'<td class="{css}" data-label="{obstacle_label}">{flag}{esc(obstacle.statement)}</td>'
        f'<td class="kd-commitments" data-label="{commitments_label}">{commitments}</td>'
    )


def _unlinked_note(plan: Plan, today: date) -> str:
    unlinked = [c for c in plan.commitments if not c.resolves]
    if not unlinked:
        return ""
    chips = " ".join(_chip(c, today) for c in unlinked)
    said = _("Not tied to an obstacle: {commitments}").format(commitments=chips)
    return f'<p class="kd-note">{said}</p>'


def _chip(c: Commitment, today: date) -> str:
    overdue = c.overdue_on(today)
    css = f"kd-chip kd-{c.status}" + (" kd-overdue-item" if overdue else "")
    # TRANSLATORS: a commitment's tooltip: who owns it, when it is due, its status.
    title = _("{owner}, due {day}, {status}").format(owner=c.owner, day=iso(c.due), status=word(c.status))
    return f'<span class="{css}" title="{esc(title)}">{esc(c.action)}</span>'


def due_cell(c: Commitment, today: date) -> str:
    """A due date, flagged with the days it is overdue."""
    if not c.overdue_on(today):
        return nowrap(esc(iso(c.due)))
    days = (today - c.due).days
    # TRANSLATORS: a short flag beside a due date: overdue by this many days ("d" for days).
    words = ngettext("overdue {count} d", "overdue {count} d", days).format(count=number(days))
    return nowrap(esc(iso(c.due))) + f' <span class="kd-flag">{words}</span>'


def commitments(plan: Plan, today: date, found: PlanFindings | None = None) -> str:
    if not plan.commitments:
        return "<p>" + _("No commitments.") + "</p>"
    found = found or PlanFindings()
    ordered = sorted(enumerate(plan.commitments), key=lambda ic: (not ic[1].overdue_on(today), ic[1].due, ic[1].id))
    obstacles = {o.id: o.statement for f in plan.success_factors for n in f.conditions for o in n.obstacles}
    rows, classes, checks = [], [], []
    for i, c in ordered:
        overdue = c.overdue_on(today)
        due = due_cell(c, today)
        # TRANSLATORS: a commitment's share done, a figure from 0 to 100 and the percent sign as your locale writes it.
        progress = "" if c.percent_complete is None else _("{number} %").format(number=number(c.percent_complete))
        rows.append([esc(c.action), breakable(c.owner), due, esc(word(c.status)), progress, resolved(c, obstacles)])
        classes.append("kd-overdue-row" if overdue else "")
        checks.append(found.rows.get(("commitments", i)))
    # TRANSLATORS: the commitments table's columns; "Done" is the share done, "Resolves" the obstacles it resolves.
    headers = [_("Action"), _("Owner"), _("Due"), _("Status"), _("Done"), _("Resolves")]
    return _with_checks(headers, rows, classes, checks, numeric=(4,))


def resolved(c: Commitment, obstacles: Mapping[str, str]) -> str:
    """The obstacles a commitment resolves, by what they say; the id only in the tooltip.

    An id the page's plan does not hold is not shown at all; the public view's words for obstacles left out
    as confidential (:data:`~kamdocs.rules.confidential.CONFIDENTIAL_OBSTACLE`) are shown as they are.
    """
    return "; ".join(
        f'<span title="{esc(o)}">{esc(obstacles[o])}</span>' if o in obstacles else esc(public(o))
        for o in c.resolves
        if o in obstacles or o == CONFIDENTIAL_OBSTACLE
    )


def _with_checks(
    headers: list[str],
    rows: list[list[str]],
    classes: list[str],
    checks: Sequence[Issue | None],
    numeric: Collection[int] = (),
) -> str:
    """A table with a "Check" column holding each row's finding, when any row has one.

    Stacked on a phone (each row a block of labelled cells), as the quality reasons are: six to nine
    columns of text do not fit 390 px side by side.
    """
    if any(checks):
        # TRANSLATORS: a column holding a freshness finding about the row (overdue, not measured recently).
        headers = [*headers, _("Check")]
        rows = [[*row, finding_note(c) if c else ""] for row, c in zip(rows, checks, strict=True)]
        classes = [cls or ("kd-stale-row" if c else "") for cls, c in zip(classes, checks, strict=True)]
    return table(headers, rows, row_classes=classes, numeric=numeric, stacked=True)


def kpi_light(kpi: Kpi) -> tuple[str, str]:
    """Traffic light for a KPI, honouring its direction: on target, within 10 %, or off."""
    target, actual = kpi.target, kpi.actual
    better = actual >= target if kpi.direction == "higher-is-better" else actual <= target
    if better:
        return "green", _("on target")
    gap = abs(actual - target) / abs(target) if target else 1.0
    # TRANSLATORS: a KPI's actual within 10 percent of its target; write the figure as your locale does.
    return ("amber", _("within 10 %")) if gap <= 0.10 else ("red", _("off target"))


def scorecard(plan: Plan, found: PlanFindings | None = None) -> str:
    found = found or PlanFindings()
    rows = []
    for kpi in plan.kpis:
        colour, words = kpi_light(kpi)
        light = f'<span class="kd-light kd-{colour}" aria-hidden="true"></span> {words}'
        arrow = _("higher is better") if kpi.direction == "higher-is-better" else _("lower is better")
        rows.append(
            [
                esc(kpi.name),
                esc(amount(kpi.target, kpi.unit)),
                esc(amount(kpi.actual, kpi.unit)),
                esc(arrow),
                nowrap(iso(kpi.as_of)),
                light,
            ]
        )
    checks = [found.rows.get(("kpis", i)) for i in range(len(plan.kpis))]
    headers = [_("KPI"), _("Target"), _("Actual"), _("Direction"), _("As of"), _("Status")]
    return _with_checks(headers, rows, [""] * len(rows), checks, numeric=(1, 2))


def buying_centre(plan: Plan, found: PlanFindings | None = None) -> str:
    found = found or PlanFindings()
    rows = [
        [
            esc(c.name),
            esc(c.title or ""),
            esc(word(c.role)),
            f'<span class="kd-attitude kd-{esc(c.attitude or "unknown")}">{esc(word(c.attitude or "–"))}</span>',
            esc(word(c.influence or "")),
            esc(public(c.reports_to or "")),
            breakable(c.relationship_owner or ""),
            nowrap(iso(c.last_contact)),
        ]
        for c in plan.buying_center
    ]
    headers = [
        _("Name"),
        # TRANSLATORS: a person's job title, a column of the buying centre.
        _("Title"),
        _("Role"),
        _("Attitude"),
        _("Influence"),
        _("Reports to"),
        # TRANSLATORS: who at our company keeps in touch with the person, a column of the buying centre.
        _("Our contact"),
        _("Last contact"),
    ]
    checks = [found.rows.get(("buying_center", i)) for i in range(len(plan.buying_center))]
    return _with_checks(headers, rows, [""] * len(rows), checks) + org_chart(plan.buying_center)


def quality(row: StatusRow) -> str:
    """The score and every reason behind it, each with the line of the file it is about."""
    q = row.quality
    if q is None:
        return ""
    band = (
        f'<span class="kd-badge kd-band-{q.band}">{band_word(q.band)}</span>'
        if q.band
        else _("not judged (not active)")
    )
    # TRANSLATORS: the plan's quality score out of 100 and its band (good, fair, poor).
    head = (
        '<p class="kd-quality">'
        + _("{score}/100, {band}.").format(score=f"<strong>{q.score}</strong>", band=band)
        + " "
    )
    if not q.reasons:
        return head + _("No points lost.") + "</p>"
    held = list(dict.fromkeys(rule(r.rule) for r in q.reasons if r.essential))
    if held and q.band in ("fair", "poor"):
        # TRANSLATORS: the rules that keep a plan out of the good band, however many points it has.
        head += _("Kept from good by: {rules}.").format(rules=esc(", ".join(held))) + " "
    head += _("Every point lost, with the reason.") + "</p>"
    rows = [
        [
            f"−{r.points}",
            esc(category(r.category)),
            f'<span title="{esc(r.rule)}, {esc(row.plan.file)}:{r.line}">{esc(rule(r.rule))}</span>',
            keep_figures(esc(r.message)),
        ]
        for r in q.reasons
    ]
    reasons = table(
        [_("Points"), _("Category"), _("What"), _("Reason")],
        rows,
        css="kd-table kd-reasons",
        numeric=(0,),
        stacked=True,
    )
    return head + reasons + author_details(row.plan.file, [(r.line, r.rule) for r in q.reasons])


def author_details(file: str, places: Sequence[tuple[int, str]]) -> str:
    """Each reason's rule id and line in the plan file, folded away: the author needs them, the reader does not."""
    items = "".join(f"<li><code>{esc(file)}:{line}</code> <code>{esc(rule_id)}</code></li>" for line, rule_id in places)
    command = f"<code>kamdocs quality {esc(shell_word(file))}</code>"  # i18n: machine
    head = _("For the plan's author: rules and lines")
    see = _("See the rules in the user guide; {command} gives the same.").format(command=command)
    return f'<details class="kd-author"><summary>{head}</summary><p>{see}</p><ul>{items}</ul></details>'


def history(facts: FileHistory | None, available: bool, subjects: bool = True) -> str:
    """The plan's commits, newest first: date, author, subject (unless ``subjects`` is off) and id.

    Author and subject arrive with control and bidi characters already escaped
    (:mod:`kamdocs.history.log`); the markup is escaped here.
    """
    if not available:
        return "<p>" + _("No git history: the site was built outside a git repository, or with git off.") + "</p>"
    if facts is None or not facts.revisions:
        return "<p>" + _("Not committed yet.") + "</p>"
    last = facts.last
    assert last is not None
    count = len(facts.revisions)
    if facts.uncommitted:
        said = ngettext(
            "Last changed on {day} by {author}; {count} revision; the file has uncommitted changes.",
            "Last changed on {day} by {author}; {count} revisions; the file has uncommitted changes.",
            count,
        )
    else:
        said = ngettext(
            "Last changed on {day} by {author}; {count} revision.",
            "Last changed on {day} by {author}; {count} revisions.",
            count,
        )
    lines = [f"<p>{said.format(day=iso(last.date.date()), author=esc(last.author), count=number(count))}</p>"]
    rows = [
        [
            iso(r.date.date()),
            esc(r.author),
            *([esc(r.subject)] if subjects else []),
            f"<code>{esc(r.sha[:10])}</code>",
        ]
        for r in facts.revisions
    ]
    # TRANSLATORS: the plan's git history: a commit's date, author, subject ("Change") and id ("Commit").
    lines.append(table([_("Date"), _("Author"), *([_("Change")] if subjects else []), _("Commit")], rows))
    return "".join(lines)


def review_point(timeline: Timeline, reviewed: date) -> Point | None:
    """The version that recorded the plan's current review: the oldest of the newest run of versions whose
    ``last_reviewed`` is ``reviewed`` (a version with errors says nothing and is passed over; one with
    another review date, or the file deleted, ends the run). None when no version shown has it."""
    found = None
    for point in reversed(timeline.points):
        kind = point.figures.kind
        if kind == "invalid":
            continue
        if kind != "valid" or point.figures.last_reviewed != reviewed:
            break
        found = point
    return found


def since_review_note(text: str) -> str:
    """A sentence in place of the changes since the review: why there are none to show."""
    return f'<p class="kd-since-review">{esc(text)}</p>'


def since_review(reviewed: date, recorded: date, changes: Sequence[str], quality: tuple[int, int] | None) -> str:
    """What changed in the plan since its review, in ``kamdocs diff``'s words (``changes``, plain text:
    escaped here), or the sentence that nothing did; then the quality score then and now, if it moved
    (it can without a change: a review grows old, a commitment falls due)."""
    when = i18n.chart_day(reviewed)
    if changes:
        if recorded == reviewed:
            said = _("Changes since the review on {day} (the plan as it was then, against today's):").format(day=when)
        else:
            said = _(
                "Changes since the review on {day} (the plan as it was then, committed on {committed}, against today's):"
            ).format(day=when, committed=i18n.chart_day(recorded))
        items = "".join(f"<li>{keep_figures(esc(c))}</li>" for c in changes)
        html = f'<p class="kd-since-review">{said}</p><ul class="kd-changes">{items}</ul>'
    else:
        html = since_review_note(_("No change since the review on {day}.").format(day=when))
    if quality is not None and quality[0] != quality[1]:
        said = _("Quality score: {then} at the review, {now} now.").format(
            then=number(quality[0]), now=number(quality[1])
        )
        html += f"<p>{said}</p>"
    return html
