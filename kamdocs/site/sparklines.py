"""Small trends for the dashboard: one figure's value at each of the last twelve month ends, as a line drawn
at build time (inline SVG, offline, colours from CSS as :mod:`kamdocs.site.svg`'s), with its values in a
table for screen readers and, in words beside it, the first and the last.

A month whose figure is not known (no plan known then, no score, no goal in that unit) is a gap in the
line and "not known" in the table, never a point at 0; a single known month is a dot, not an empty chart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from kamdocs import i18n
from kamdocs.i18n import _
from kamdocs.site.html import esc

WIDTH = 120
HEIGHT = 32
PAD = 3
"""The line's room inside the box, so that a dot at the top or bottom is drawn whole."""


@dataclass(frozen=True)
class Spot:
    """One month of a trend: the day (a month's end, or today), the value (None: not known) and what it
    counts over (``4 plans known``), for the screen-reader table."""

    day: date
    value: float | None
    over: str


def _points(spots: Sequence[Spot]) -> list[tuple[float, float] | None]:
    """Each spot's place in the box, None where the value is not known."""
    values = [s.value for s in spots if s.value is not None]
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    if low == high:  # a flat line sits in the middle, not on the floor
        low, high = low - 1, high + 1
    step = (WIDTH - 2 * PAD) / max(1, len(spots) - 1)
    out: list[tuple[float, float] | None] = []
    for i, spot in enumerate(spots):
        if spot.value is None:
            out.append(None)
            continue
        y = HEIGHT - PAD - (spot.value - low) / (high - low) * (HEIGHT - 2 * PAD)
        out.append((PAD + i * step, y))
    return out


def _svg(title: str, spots: Sequence[Spot]) -> str:
    """The line through the known months (broken where one is not known) and a dot on the last known one."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in _points(spots):
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    body = []
    for run in runs:
        if len(run) > 1:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            body.append(f'<polyline class="kd-spark-line" points="{coords}"/>')
        elif run:  # a month alone between gaps: a dot, not nothing
            body.append(f'<circle class="kd-spark-dot" cx="{run[0][0]:.1f}" cy="{run[0][1]:.1f}" r="2"/>')
    last = next((p for p in reversed(_points(spots)) if p is not None), None)
    if last is not None:
        body.append(f'<circle class="kd-spark-end" cx="{last[0]:.1f}" cy="{last[1]:.1f}" r="2.5"/>')
    return (
        f'<svg class="kd-spark-svg" aria-hidden="true" focusable="false" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg"><title>{esc(title)}</title>'
        f"{''.join(body)}</svg>"
    )


def sparkline(title: str, spots: Sequence[Spot], text: Callable[[float], str]) -> str:
    """A figure: the title, the line, the first and last known values in words, and every month's value in
    a table that screen readers read and eyes do not see."""
    known = [s for s in spots if s.value is not None]
    if not known:
        words = _("not known in these months")
    elif len(known) == 1:
        # TRANSLATORS: a dashboard trend's only known value and its day.
        words = _("{value} on {day}, no month before known").format(
            value=text(known[0].value or 0), day=i18n.day(known[0].day)
        )
    else:
        first, last = known[0], known[-1]
        # TRANSLATORS: a dashboard trend's first and last known values, each with its day.
        words = _("{first} on {first_day}, {last} on {last_day}").format(
            first=text(first.value or 0),
            first_day=i18n.day(first.day),
            last=text(last.value or 0),
            last_day=i18n.day(last.day),
        )
    unknown = _("not known")
    rows = "".join(
        f"<tr><td>{i18n.day(s.day)}</td><td>{esc(unknown if s.value is None else text(s.value))}</td>"
        f"<td>{esc(s.over)}</td></tr>"
        for s in spots
    )
    # TRANSLATORS: the columns of a dashboard trend's table: the day a month ends, the figure, what it counts over (4 plans known).
    headers = "".join(f'<th scope="col">{esc(h)}</th>' for h in (_("Month end"), _("Value"), _("Counted over")))
    caption = esc(_("{title}, month by month").format(title=title))
    table = (
        f'<div class="kd-sr-only"><table class="kd-sr-table"><caption>{caption}</caption>'
        f"<thead><tr>{headers}</tr></thead><tbody>{rows}</tbody></table></div>"
    )
    return (
        f'<figure class="kd-spark"><figcaption>{esc(title)}</figcaption>{_svg(title, spots)}'
        f'<span class="kd-spark-words">{esc(words)}</span>{table}</figure>'
    )
