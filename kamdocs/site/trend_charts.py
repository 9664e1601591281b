"""A plan's figures over time, drawn at build time as inline SVG: its goal, its quality, its commitments.

The points are the versions of the plan's public timeline (:class:`kamdocs.report.timeline.Timeline`),
each judged on its own day. A figure holds from one version to the next, so each series is drawn as
steps, not as a slope that would invent values between two commits; a version kamdocs could not read
(errors, or the file deleted) is a gap, never 0, and a version without the figure (no actual yet) is a
gap too. A plan with one version shows one point. Where git's history is cut off (a shallow clone) or
missing, a sentence says so: the charts never draw a flat line over days nobody knows about.

Like :mod:`kamdocs.site.svg`, no script, font or service is used, colours come from CSS classes, and
each chart carries a table of its values for screen readers (the same text the tests read).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from kamdocs import i18n
from kamdocs.calendar.intervals import elapsed_share
from kamdocs.config.options import QualitySettings
from kamdocs.i18n import N_, _
from kamdocs.plan.model import Plan
from kamdocs.report.figures import Figures
from kamdocs.report.timeline import Point, Timeline
from kamdocs.site.html import esc, keep_figures, number
from kamdocs.site.svg import FONT, LINE, WIDTH, _figure, _svg, _text, text_width
from kamdocs.site.words import band_word

PLOT_HEIGHT = 150
"""The plot's height in chart units: five rows of text, so ticks a sixth of it apart never touch."""

YEAR = timedelta(days=365)
"""The quality and commitments charts' window: the last twelve months up to the build's day."""

GAPS = {"invalid": N_("not readable: the plan had errors"), "deleted": N_("the file was deleted")}
"""What a version without figures was, in the chart tables' words."""


@dataclass(frozen=True)
class Step:
    """One version's value of a series: it holds until the next version; None is a gap."""

    day: date
    value: float | None


@dataclass(frozen=True)
class Series:
    """One line of a chart, with its words in the legend and its CSS class (its colour and dash)."""

    name: str
    css: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Guide:
    """A reference line from (day, value) to (day, value): a band's lower bound, or the time-elapsed line."""

    name: str
    css: str
    start: tuple[date, float]
    end: tuple[date, float]


@dataclass(frozen=True)
class Frame:
    """What a chart spans: the days from ``first`` to ``last`` across, 0 to ``top`` up, and the values
    written on the left axis (the guides' values first: they win a place over the plain ticks)."""

    first: date
    last: date
    top: float
    ticks: tuple[float, ...]
    low: float = 0.0
    """The axis's foot: 0, or below it for a goal whose figures go negative (a margin, a change)."""


def trend_chart(
    title: str,
    frame: Frame,
    series: Sequence[Series],
    guides: Sequence[Guide],
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
) -> str:
    """A step chart of ``series`` over ``frame`` with ``guides``, its legend in the caption (HTML that
    wraps, so no label of the legend can overlap another or a line), and ``rows`` as its table.

    The left axis's labels are placed in the order given and one that would come nearer than a line of
    text to one placed already is left out, so no two touch whatever the band settings.
    """
    placed: list[tuple[float, str]] = []
    for value in frame.ticks:
        if all(abs(value - other) * PLOT_HEIGHT / (frame.top - frame.low) >= LINE for other, _ in placed):
            placed.append((value, number(value)))
    left = max(text_width(label) for _, label in placed) + 8
    bottom_y = 8.0 + PLOT_HEIGHT  # 8 units above the plot: the top tick label reaches 12 above its line
    right = WIDTH - 6.0
    days = max(1, (frame.last - frame.first).days)

    def x(day: date) -> float:
        share = min(max((day - frame.first).days / days, 0.0), 1.0)
        return left + share * (right - left)

    def y(value: float) -> float:
        share = (value - frame.low) / (frame.top - frame.low) if math.isfinite(value) else 1.0
        share = min(max(share, 0.0), 1.0)
        return bottom_y - share * PLOT_HEIGHT

    parts = []
    for value, label in placed:
        css = "kd-axis" if value == 0 else "kd-grid-line"
        parts.append(f'<line class="{css}" x1="{left:.1f}" x2="{right:.1f}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>')
        parts.append(_text(left - 5, y(value) + 4, [label], "kd-label kd-tick", "end"))
    for guide in guides:
        (d0, v0), (d1, v1) = guide.start, guide.end
        parts.append(
            f'<line class="{esc(guide.css)}" x1="{x(d0):.1f}" x2="{x(d1):.1f}" y1="{y(v0):.1f}" y2="{y(v1):.1f}"/>'
        )
    for line in series:
        path = _steps_path(line.steps, x, y)
        if path:
            parts.append(f'<path class="kd-trend {esc(line.css)}" d="{path}"/>')
        parts += [
            f'<circle class="kd-dot {esc(line.css)}" cx="{x(s.day):.1f}" cy="{y(s.value):.1f}" r="3.5"/>'
            for s in line.steps
            if s.value is not None  # one in force before the frame starts sits on its left edge
        ]
    base = bottom_y + 6 + FONT
    parts.append(_text(left, base, [i18n.chart_day(frame.first)], "kd-label kd-tick"))
    parts.append(_text(right, base, [i18n.chart_day(frame.last)], "kd-label kd-tick", "end"))
    svg = _svg(title, base + 5, parts, css="kd-svg kd-trend-chart")
    keys = [(s.name, s.css) for s in series] + [(g.name, g.css) for g in guides]
    legend = " ".join(
        f'<span class="kd-legend-item"><span class="kd-key-line {esc(css)}"></span> {esc(name)}</span>'
        for name, css in dict.fromkeys(keys)
        if name
    )
    return _figure(title, svg, headers, rows, f' <span class="kd-legend">{legend}</span>')


def _steps_path(steps: Sequence[Step], x: Callable[[date], float], y: Callable[[float], float]) -> str:
    """The SVG path of a step line: across at each value to the next version's day, then up or down to
    its value; a gap ends the line at the gap's day and the next value starts it again."""
    out: list[str] = []
    held: Step | None = None
    for step in steps:
        if held is not None:
            out.append(f"H{x(step.day):.1f}")
            if step.value is not None:
                out.append(f"V{y(step.value):.1f}")
        elif step.value is not None:
            out.append(f"M{x(step.day):.1f} {y(step.value):.1f}")
        held = step if step.value is not None else None
    # A lone "M" draws nothing: a single value is its dot alone.
    return "" if all(part.startswith("M") for part in out) else " ".join(out)


def _shown(points: Sequence[Point], first: date, last: date) -> list[Point]:
    """The versions from ``first`` to ``last``, with the one in force on ``first`` (drawn from the left
    edge, its own day in the table), so a plan unchanged for a while still shows its value."""
    before = [p for p in points if p.day < first]
    inside = [p for p in points if first <= p.day <= last]
    return before[-1:] + inside


def _gap(figures: Figures) -> str | None:
    """Why a version has no figures (None when it has them)."""
    if figures.kind == "valid":
        return None
    return _(GAPS[figures.kind]) if figures.kind in GAPS else _("not shown")


def _nice_top(value: float) -> float:
    """A round top for an axis at or above ``value``: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)


def goal_trend(timeline: Timeline, plan: Plan) -> str:
    """The goal's actual against its target over the goal period, with the time-elapsed line.

    Only versions with today's goal (the same period and unit) are this goal's; the actual's line has a
    gap where a version had no actual. The time-elapsed line runs from 0 at the period's start to
    today's target at its end: where the actual would be at an even pace. The table gives, for each
    version, the target it had times the share of the period passed by the end of its day.
    """
    goal = plan.goal
    if goal.target is None:  # left out as confidential: there is nothing to set an actual against
        return ""
    start, end = goal.period.start, goal.period.end
    mine = [
        p
        for p in timeline.points
        if _gap(p.figures)
        or (p.figures.period_start, p.figures.period_end, p.figures.goal_unit) == (start, end, goal.unit)
    ]
    if not any(p.figures.kind == "valid" for p in mine):
        return ""
    last = max([end, *(p.day for p in mine)])
    points = _shown(mine, start, last)
    if goal.actual is None:  # none today, or left out as confidential today: no earlier one is shown either
        points = [replace(p, figures=replace(p.figures, goal_actual=None)) for p in points]
    actual = Series(
        _("actual ({unit})").format(unit=goal.unit),
        "kd-trend-actual",
        tuple(Step(p.day, p.figures.goal_actual) for p in points),
    )
    target = Series(_("target"), "kd-trend-target", tuple(Step(p.day, p.figures.goal_target) for p in points))
    pace = Guide(_("on pace for the time elapsed"), "kd-pace", (start, 0.0), (end, goal.target))
    guides = [pace] + ([Guide("", "kd-pace", (end, goal.target), (last, goal.target))] if last > end else [])
    values = [goal.target, *(v for s in (actual, target) for st in s.steps if (v := st.value) is not None)]
    top = _nice_top(max(values))
    low = -_nice_top(-min(values)) if min(values) < 0 else 0.0
    frame = Frame(start, last, top, (0.0, top, low) if low else (0.0, top, top / 2), low)
    rows = [_goal_row(p, start, end) for p in points]
    headers = [
        _("Version"),
        _("Actual ({unit})").format(unit=goal.unit),
        _("Target"),
        _("On pace for the time elapsed"),
    ]
    title = _("Goal: actual against target, {start} to {end}").format(
        start=i18n.chart_day(start), end=i18n.chart_day(end)
    )
    return trend_chart(title, frame, [target, actual], guides, headers, rows)


def _goal_row(point: Point, start: date, end: date) -> list[str]:
    """One version's row of the goal chart's table: its actual, its target and the target on pace then."""
    f = point.figures
    gap = _gap(f)
    if gap:
        return [i18n.day(point.day), gap, "", ""]
    on_pace = None if f.goal_target is None else f.goal_target * elapsed_share(start, end, point.day)
    return [i18n.day(point.day), _figure_text(f.goal_actual, _("none yet")), number(f.goal_target), number(on_pace)]


def pace_sentence(timeline: Timeline, plan: Plan) -> str:
    """Whether the goal is on track for the time elapsed, in words: the newest version's actual against
    its target times the share of the period passed by the end of its day ("" when either is unknown)."""
    goal = plan.goal
    if goal.actual is None or goal.target is None:
        return ""
    start, end = goal.period.start, goal.period.end
    for point in reversed(timeline.points):
        f = point.figures
        if f.kind == "valid" and (f.period_start, f.period_end, f.goal_unit) == (start, end, goal.unit):
            break
    else:
        return ""
    if f.goal_actual is None or f.goal_target is None or point.day < start:
        return ""
    pace = f.goal_target * elapsed_share(start, end, point.day)
    values = {
        "day": i18n.chart_day(point.day),
        "actual": number(f.goal_actual),
        "pace": number(pace),
        "unit": goal.unit,
    }
    if pace > 0:
        # TRANSLATORS: {share} is the actual as a share of the amount an even pace would have reached.
        return _(
            "On {day} the actual was {actual} {unit}; an even pace to the target would have reached {pace} {unit} "
            "by then ({share} of it)."
        ).format(share=i18n.percent(f.goal_actual / pace), **values)
    return _(
        "On {day} the actual was {actual} {unit}; an even pace to the target would have reached {pace} {unit} by then."
    ).format(**values)


def _figure_text(value: float | None, missing: str) -> str:
    return missing if value is None else number(value)


def quality_trend(timeline: Timeline, today: date, settings: QualitySettings) -> str:
    """The quality score over the last twelve months, with lines where the good and fair bands start."""
    first = today - YEAR
    points = _shown(timeline.points, first, today)
    if not any(p.figures.kind == "valid" for p in points):
        return ""
    score = Series(
        _("quality score"),
        "kd-trend-quality",
        tuple(Step(p.day, None if _gap(p.figures) else p.figures.quality_score) for p in points),
    )
    guides = [
        Guide(
            # TRANSLATORS: the line where the good band starts: "good from 80".
            _("good from {score}").format(score=number(settings.good)),
            "kd-band-line kd-band-line-good",
            (first, settings.good),
            (today, settings.good),
        ),
        Guide(
            _("fair from {score}").format(score=number(settings.fair)),
            "kd-band-line kd-band-line-fair",
            (first, settings.fair),
            (today, settings.fair),
        ),
    ]
    frame = Frame(first, today, 100.0, (0.0, 100.0, float(settings.good), float(settings.fair)))
    rows = [
        [i18n.day(p.day), gap, ""]
        if (gap := _gap(p.figures))
        else [
            i18n.day(p.day),
            _figure_text(p.figures.quality_score, "–"),
            band_word(p.figures.quality_band) if p.figures.quality_band else _("not judged"),
        ]
        for p in points
    ]
    headers = [_("Version"), _("Score"), _("Band")]
    return trend_chart(_("Quality score, last 12 months"), frame, [score], guides, headers, rows)


def commitments_trend(timeline: Timeline, today: date) -> str:
    """Open and overdue commitments over the last twelve months, each version judged on its own day."""
    first = today - YEAR
    points = _shown(timeline.points, first, today)
    if not any(p.figures.kind == "valid" for p in points):
        return ""

    def steps(field: str) -> tuple[Step, ...]:
        return tuple(Step(p.day, None if _gap(p.figures) else getattr(p.figures, field)) for p in points)

    # TRANSLATORS: the commitments chart's lines: open commitments, overdue commitments.
    opened = Series(_("open"), "kd-trend-open", steps("open_commitments"))
    overdue = Series(_("overdue"), "kd-trend-overdue", steps("overdue_commitments"))
    most = max([0, *(s.value for line in (opened, overdue) for s in line.steps if s.value is not None)])
    top = float(max(1, math.ceil(most)))
    ticks = (0.0, top) + ((float(math.ceil(top / 2)),) if top >= 4 else ())
    rows = [
        [i18n.day(p.day), gap, ""]
        if (gap := _gap(p.figures))
        else [
            i18n.day(p.day),
            _figure_text(p.figures.open_commitments, "–"),
            _figure_text(p.figures.overdue_commitments, "–"),
        ]
        for p in points
    ]
    frame = Frame(first, today, top, ticks)
    return trend_chart(
        _("Open and overdue commitments, last 12 months"),
        frame,
        [opened, overdue],
        [],
        [_("Version"), _("Open"), _("Overdue")],
        rows,
    )


def history_note(timeline: Timeline, git: bool) -> str:
    """What the charts can and cannot show, in one sentence: no git, a cut-off history, or nothing."""
    if not timeline.known:
        if git:
            return _("No history: this site was built without reading the plans' earlier versions.")
        return _("No history: this site was built without git.")
    if not timeline.points:
        return _("No version of this plan is in git yet.")
    since = timeline.since
    assert since is not None
    if timeline.shallow:
        return _(
            "History starts on {day}: the site was built from a shallow clone, so earlier versions are not known."
        ).format(day=i18n.chart_day(since))
    if len(timeline.points) == 1:
        return _("One version so far, committed on {day}.").format(day=i18n.chart_day(since))
    return ""


def trends(timeline: Timeline, plan: Plan, today: date, settings: QualitySettings, git: bool) -> str:
    """The plan page's "Trends" section: the sentence about the history, then the three charts."""
    note = history_note(timeline, git)
    head = f'<p class="kd-history-note">{esc(note)}</p>' if note else ""
    if not timeline.known or not timeline.points:
        return head
    charts = [goal_trend(timeline, plan)]
    newest = timeline.points[-1].day
    if newest >= today - YEAR:
        charts += [quality_trend(timeline, today, settings), commitments_trend(timeline, today)]
    else:  # a score judged long ago, drawn across the year, would pass for today's
        said = _(
            "No version in the last 12 months (the newest is of {day}): no quality or commitments trend to draw."
        ).format(day=i18n.chart_day(newest))
        head += f"<p>{said}</p>"
    pace = pace_sentence(timeline, plan)
    head += f"<p>{keep_figures(esc(pace))}</p>" if pace else ""
    shown = [c for c in charts if c]
    if not shown:
        return head + "<p>" + _("No version of the plan could be read, so there is nothing to chart.") + "</p>"
    return head + '<div class="kd-charts kd-trends">' + "".join(shown) + "</div>"
