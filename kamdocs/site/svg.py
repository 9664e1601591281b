"""Charts and diagrams drawn at build time as inline SVG.

No script, no font and no external service: the charts work offline and read
in both Material palettes, because colours come from CSS classes and
``currentColor`` (see assets/kamdocs.css), never from fixed black or white.
All text is escaped with :func:`esc`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kamdocs import i18n
from kamdocs.i18n import _
from kamdocs.plan.model import Contact
from kamdocs.site import words
from kamdocs.site.html import esc, number

FONT = 13
"""Text size in the charts' own units. Charts are WIDTH units wide and drawn at most 1.25 times that on a
wide screen and at the content width on a phone, so text reads at 11.6 to 16 px (see kamdocs.css)."""
WIDTH = 400
LINE = 16

_NARROW = frozenset("iljtfrI.,:;'|!()[] ")
_WIDE = frozenset("mwMW@%&")


@lru_cache(maxsize=4096)
def _char_units(ch: str) -> int:
    """A character's width in hundredths of the text size: whole numbers, so widths of parts add up exactly."""
    return 36 if ch in _NARROW else 95 if ch in _WIDE else 72 if ch.isupper() or ch.isdigit() else 62


@lru_cache(maxsize=65536)
def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of the width of ``text`` in a sans-serif font: wider than any real rendering,
    so that boxes placed by it never overlap on screen. Cached: roles, states and names repeat."""
    return sum(map(_char_units, text)) * size / 100


_SPACES = re.compile(r"[ \t\n\r\f\v]+")


@lru_cache(maxsize=16384)
def _wrapped(text: str, width: float, size: float) -> tuple[str, ...]:
    return tuple(_wrap(text, width, size))


def wrap(text: str, width: float, size: float = FONT) -> list[str]:
    """``text`` in lines no wider than ``width``, broken at spaces (a word longer than a line is cut)."""
    return list(_wrapped(text, width, size))


def _wrap(text: str, width: float, size: float = FONT) -> list[str]:
    """``text`` in lines no wider than ``width``, broken at spaces (a word longer than a line is cut).

    A word wider than the line is cut into pieces as it is read, its remaining width kept as a running
    sum: measuring the rest of the word again for every piece made a name of 400,000 letters take two
    minutes (issue 19), and caching each rest held gigabytes.
    """
    lines: list[str] = []
    line = ""
    # Broken at plain spaces only: a no-break space holds a figure together (French groups 2 050 000 with
    # U+202F, which str.split() would break at).
    for word in _SPACES.split(text.strip(" \t\n\r\f\v")) or [""]:
        units = [_char_units(ch) for ch in word]
        left = sum(units)  # the width of word[start:], in hundredths of the size
        start = 0
        while left * size / 100 > width and len(word) - start > 1:  # a word wider than the line
            cut = max(1, int((len(word) - start) * width / (left * size / 100)) - 1)
            if line:
                lines.append(line)
                line = ""
            lines.append(word[start : start + cut])
            left -= sum(units[start : start + cut])
            start += cut
        word = word[start:]
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def _text(x: float, y: float, lines: Sequence[str], css: str = "kd-label", anchor: str = "start") -> str:
    """Lines of text from the baseline ``y`` down, one ``tspan`` each; escaped."""
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else LINE}">{esc(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text class="{css}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{spans}</text>'


def _svg(title: str, height: float, body: Sequence[str], width: float = WIDTH, css: str = "kd-svg") -> str:
    """An SVG hidden from screen readers: the figure's table says the same in words."""
    return (
        f'<svg class="{css}" aria-hidden="true" focusable="false" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{esc(title)}</title>{''.join(body)}</svg>"
    )


def _figure(title: str, svg: str, headers: Sequence[str], rows: Sequence[Sequence[str]], legend: str = "") -> str:
    """A chart with its values as a table that screen readers read and eyes do not see."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    # Hidden by a wrapper: a table is never narrower than its content, so a 1 px table would still widen the page.
    # The table has a class so that Material's script leaves it alone: it wraps a bare table in a scrolling
    # div, which in a 1 px wrapper is a scrollable region the keyboard cannot reach (axe).
    table = (
        f'<div class="kd-sr-only"><table class="kd-sr-table"><caption>{esc(title)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )
    return f'<figure class="kd-chart"><figcaption>{esc(title)}{legend}</figcaption>{svg}{table}</figure>'


def _no_data(title: str) -> str:
    """A chart with nothing to draw: its title and a sentence."""
    return f'<figure class="kd-chart"><figcaption>{esc(title)}</figcaption><p>' + _("No data.") + "</p></figure>"


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart: label, value, CSS class and an optional note."""

    label: str
    value: float
    css: str = "kd-bar"
    note: str = ""
    """Text after the bar; defaults to the value."""


def bar_chart(title: str, bars: Sequence[Bar], maximum: float | None = None, percent: bool = False) -> str:
    """A horizontal bar chart: each label on its own line(s) above its bar, the figures in a column to the right.

    ``percent`` draws values as fractions with a dashed 100 % line, which runs only
    through the bars' band, never through a label or a figure.
    """
    if not bars:
        return _no_data(title)
    top = max([maximum or 0, *(b.value for b in bars if math.isfinite(b.value)), 1 if percent else 0]) or 1
    notes = [b.note or (i18n.percent(b.value) if percent else number(b.value)) for b in bars]
    # The column of figures is as wide as the widest (up to 45 % of the chart), and each figure is wrapped
    # to that same width, not to a sum worked out from it: (w + 8) - 8 can come out a hair under w, which
    # broke 560 into "5" over "60".
    note_space = min(max(text_width(n) for n in notes), WIDTH * 0.45 - 8)
    note_w = note_space + 8
    chart_w = WIDTH - note_w - 4
    parts, y = [], 0.0
    bands = []
    for bar, note in zip(bars, notes, strict=True):
        label = wrap(bar.label, WIDTH - 4)
        note_lines = wrap(note, note_space)
        parts.append(_text(2, y + FONT, label))
        y += LINE * len(label) + 2
        value = bar.value if math.isfinite(bar.value) else top
        width = max(0.0, value) / top * chart_w
        parts.append(f'<rect class="{esc(bar.css)}" x="2" y="{y:.1f}" width="{width:.1f}" height="12" rx="2"/>')
        parts.append(_text(chart_w + 10, y + 11, note_lines))
        bands.append((y - 3, y + 15))
        y += max(16.0, LINE * len(note_lines)) + 8
    if percent and top >= 1:
        x = 2 + chart_w / top
        parts += [f'<line class="kd-target" x1="{x:.1f}" x2="{x:.1f}" y1="{a:.1f}" y2="{b:.1f}"/>' for a, b in bands]
    svg = _svg(title, y, parts)
    rows = [[b.label, n] for b, n in zip(bars, notes, strict=True)]
    # TRANSLATORS: the columns of a bar chart's table: what a bar is about, and its figure.
    return _figure(title, svg, [_("Item"), _("Value")], rows)


@dataclass(frozen=True)
class TargetActual:
    """One pair of bars in a target-against-actual chart."""

    label: str
    target: float
    actual: float | None
    note: str
    """The figures written under the bars, e.g. "780,000 of 900,000 GBP (87%)"."""


def target_actual_chart(title: str, rows: Sequence[TargetActual]) -> str:
    """Per row, the label, then the target as an outlined bar with the actual as a filled bar over it, on one
    scale, then the figures, each on the whole width and wrapped, so the chart reads on a phone."""
    if not rows:
        return _no_data(title)
    chart_w = WIDTH - 8
    values = [v for r in rows for v in (r.target, r.actual) if v is not None and math.isfinite(v)]
    top = max([*values, 0.0]) or 1.0

    def width(value: float | None) -> float:
        if value is None or not math.isfinite(value):
            return chart_w if value else 0.0
        return max(0.0, value) / top * chart_w

    parts, y = [], 0.0
    for item in rows:
        label = wrap(item.label, WIDTH - 4)
        parts.append(_text(2, y + FONT, label, "kd-label kd-name"))
        y += LINE * len(label) + 2
        parts.append(
            f'<rect class="kd-target-bar" x="3" y="{y:.1f}" width="{width(item.target):.1f}" height="14" rx="2"/>'
        )
        if item.actual is not None:
            parts.append(
                f'<rect class="kd-bar" x="3" y="{y + 3:.1f}" width="{width(item.actual):.1f}" height="8" rx="2"/>'
            )
        y += 18
        note = wrap(item.note, WIDTH - 4)
        parts.append(_text(2, y + FONT, note))
        y += LINE * len(note) + 10
    target, actual = _("target"), _("actual")
    legend = (
        f'<span class="kd-legend"><span class="kd-key-target"></span> {target} '
        f'<span class="kd-key-actual"></span> {actual}</span>'
    )
    svg = _svg(title, y, parts)
    table_rows = [[r.label, number(r.target), number(r.actual), r.note] for r in rows]
    headers = [_("Item"), _("Target"), _("Actual"), _("Figures")]
    return _figure(title, svg, headers, table_rows, " " + legend)


GOAL_BAR = 14
"""Height of the goal bar's track; its marks reach 2 units beyond it, and no label comes nearer."""


def progress_bar(
    baseline: float | None, actual: float | None, target: float, unit: str, elapsed: float | None = None
) -> str:
    """The goal on one track from 0: filled to the actual, with marks for the baseline, the target and the
    share of the goal period that has passed (``elapsed``, set against the target: where the actual would
    be at an even pace), each labelled where it sits.

    The fill starts at 0, never at the baseline, so an actual below the baseline (usual early in a year)
    still shows, and 85 % reads as most of the way. The actual's label (or "no actual yet") goes above
    the track, the marks' labels below it; labels are placed by their estimated width and one that would
    touch another moves to the next row, and the marks stop short of every row, so no label overlaps
    another or a mark, whatever the figures.
    """
    pace = None if elapsed is None else min(1.0, max(0.0, elapsed)) * target
    values = [v for v in (baseline, actual, pace) if v is not None]
    low = min([0.0, *values])
    high = max([target, *values])
    if high <= low:
        high = low + 1.0
    if not all(math.isfinite(v) for v in (low, high, high - low)):
        low, high = 0.0, 1.0
    span = high - low

    def x(value: float) -> float:
        value = min(max(value, low), high) if math.isfinite(value) else high
        return 6 + (value - low) / span * (WIDTH - 12)

    wanted: list[tuple[str, float, str, int]] = [
        ("actual", actual, _("actual {amount}").format(amount=number(actual)), -1)
        if actual is not None
        else ("actual", low, _("no actual yet"), -1),
        ("target", target, _("target {amount}").format(amount=number(target)), 1),
    ]
    if baseline is not None:
        wanted.append(("baseline", baseline, _("baseline {amount}").format(amount=number(baseline)), 1))
    if pace is not None and elapsed is not None:
        share = i18n.percent(min(1.0, max(0.0, elapsed)))
        wanted.append(("elapsed", pace, _("{share} of the period passed").format(share=share), 1))
    rows: dict[int, list[tuple[float, float]]] = {}
    placed = []
    for name, value, text, side in wanted:
        w = text_width(text)
        left = min(max(0.0, x(value) - w / 2), WIDTH - w)
        row = side
        while any(left < b + 6 and a < left + w + 6 for a, b in rows.get(row, [])):
            row += side
        rows.setdefault(row, []).append((left, left + w))
        placed.append((name, left, row, text))
    above = -min([0, *rows])
    below = max([0, *rows])
    bar_y = above * LINE + 7
    height = bar_y + GOAL_BAR + 5 + below * LINE + 8
    parts = [
        f'<rect class="kd-track" x="{x(low):.1f}" y="{bar_y}" width="{x(high) - x(low):.1f}" height="{GOAL_BAR}" rx="3"/>'
    ]
    if actual is not None:
        a, b = sorted((x(0.0), x(actual)))
        parts.append(f'<rect class="kd-bar" x="{a:.1f}" y="{bar_y}" width="{b - a:.1f}" height="{GOAL_BAR}" rx="3"/>')

    def mark(css: str, value: float) -> str:
        return f'<line class="{css}" x1="{x(value):.1f}" x2="{x(value):.1f}" y1="{bar_y - 2}" y2="{bar_y + GOAL_BAR + 2}"/>'

    if pace is not None:
        parts.append(mark("kd-pace", pace))
    if baseline is not None:
        parts.append(mark("kd-baseline", baseline))
    parts.append(mark("kd-target", target))
    for name, left, row, text in placed:
        # A line of 13-unit text reaches 12 above its baseline and 3 below (a browser's box a little
        # more): rows keep 3 units clear of the marks.
        base = bar_y + GOAL_BAR + 5 + 12 + (row - 1) * LINE if row > 0 else bar_y - 9 + (row + 1) * LINE
        parts.append(_text(left, base, [text], f"kd-label kd-label-{name}"))
    label = _progress_label(baseline, actual, target, unit, elapsed)
    return (
        f'<figure class="kd-chart kd-goal-chart"><figcaption class="kd-sr-only">{esc(label)}</figcaption>'
        f"{_svg(label, height, parts, css='kd-svg kd-progress')}</figure>"
    )


def _progress_label(
    baseline: float | None, actual: float | None, target: float, unit: str, elapsed: float | None
) -> str:
    if actual is not None:
        text = _("actual {actual} of target {target} {unit}").format(
            actual=number(actual), target=number(target), unit=unit
        )
    else:
        text = _("no actual yet, target {target} {unit}").format(target=number(target), unit=unit)
    if baseline is not None:
        # TRANSLATORS: {label} is the goal's actual and target ("actual 780 of target 900 kCHF").
        text = _("{label}, from a baseline of {baseline}").format(label=text, baseline=number(baseline))
    if elapsed is not None:
        # TRANSLATORS: {label} is the goal's figures, {share} a percentage.
        text = _("{label}; {share} of the goal period has passed").format(
            label=text, share=i18n.percent(min(1.0, max(0.0, elapsed)))
        )
    return text


def org_chart(contacts: Sequence[Contact]) -> str:
    """The buying centre as a tree from ``reports_to``, boxes coloured by attitude.

    A ``reports_to`` that names nobody in the list, or that would make a loop,
    makes the contact a root, so every contact is drawn exactly once.
    """
    if not contacts:
        return ""
    placed, columns = _org_layout(contacts)
    by_name = {c.name: c for c in contacts}
    # Each box's text wrapped to the box; every box as tall as the tallest, so rows line up.
    texts = {
        name: (
            wrap(name, _ORG_BOX_W - 16, FONT * 1.08),
            wrap(f"{words.word(c.role)} · {_attitude(c)}", _ORG_BOX_W - 16),
        )
        for name, c in by_name.items()
        if name in placed
    }
    box_h = max(len(a) + len(b) for a, b in texts.values()) * LINE + 14
    width = max(1, columns) * (_ORG_BOX_W + _ORG_GAP_X)
    depth = max(d for _, d in placed.values()) + 1
    height = depth * (box_h + _ORG_GAP_Y)
    parts = _org_edges(placed, by_name, box_h)
    parts += [_org_box(by_name[name], x, d, box_h, *texts[name]) for name, (x, d) in placed.items()]
    name = _("Buying centre reporting lines")
    svg = _svg(name, height, parts, width, "kd-svg kd-org")
    # Drawn at its own size, never shrunk: on a narrow screen the diagram scrolls in its own region.
    return f'<div class="kd-org-wrap" tabindex="0" role="region" aria-label="{esc(name)}">{svg}</div>'


def _attitude(contact: Contact) -> str:
    """A contact's attitude in the reader's words, or that it is not known."""
    # TRANSLATORS: a contact whose attitude towards us is not known.
    return words.word(contact.attitude) if contact.attitude else _("unknown")


_ORG_BOX_W, _ORG_GAP_X, _ORG_GAP_Y = 170, 20, 36
"""An org chart box's width, the gap between columns and the gap between rows."""


def _org_layout(contacts: Sequence[Contact]) -> tuple[dict[str, tuple[float, int]], int]:
    """Each contact's (column, row) and the number of columns: a leaf takes the next free column, a
    manager sits over the middle of its reports; roots first, then the members of reporting loops."""
    names = {c.name for c in contacts}
    children: dict[str | None, list[Contact]] = {}
    for contact in contacts:
        parent = contact.reports_to if contact.reports_to in names and contact.reports_to != contact.name else None
        children.setdefault(parent, []).append(contact)
    placed: dict[str, tuple[float, int]] = {}
    next_x = 0
    trail: dict[str, int] = {}  # the names above the contact being placed (a name may repeat)

    def place(start: Contact) -> None:
        # Depth first without recursion: a chain of thousands of reports is as deep as it is long, and
        # Python's stack is not. A frame is [contact, depth, its reports to place, how many are placed,
        # their columns].
        nonlocal next_x

        def enter(contact: Contact, depth: int) -> list[Any]:
            kids = [k for k in children.get(contact.name, []) if k.name not in trail and k.name not in placed]
            trail[contact.name] = trail.get(contact.name, 0) + 1
            return [contact, depth, kids, 0, []]

        stack = [enter(start, 0)]
        while stack:
            frame = stack[-1]
            contact, depth, kids, done, xs = frame
            if done < len(kids):
                frame[3] += 1
                stack.append(enter(kids[done], depth + 1))
                continue
            stack.pop()
            trail[contact.name] -= 1
            if not trail[contact.name]:
                del trail[contact.name]
            x = sum(xs) / len(xs) if xs else next_x
            if not xs:
                next_x += 1
            placed[contact.name] = (x, depth)
            if stack:
                stack[-1][4].append(x)

    for root in children.get(None, []):
        place(root)
    for contact in contacts:  # members of a reporting loop
        if contact.name not in placed:
            place(contact)
    return placed, next_x


def _org_edges(placed: Mapping[str, tuple[float, int]], by_name: Mapping[str, Contact], box_h: float) -> list[str]:
    """A line from each manager's box down to each report's (none up a loop)."""
    step_x, step_y = _ORG_BOX_W + _ORG_GAP_X, box_h + _ORG_GAP_Y
    lines = []
    for name, (x, d) in placed.items():
        parent = by_name[name].reports_to
        if parent is not None and parent in placed and parent != name:  # None: reports to nobody
            px, pd = placed[parent]
            if pd < d:
                lines.append(
                    f'<line class="kd-edge" x1="{px * step_x + _ORG_BOX_W / 2 + _ORG_GAP_X / 2:.1f}" y1="{pd * step_y + box_h:.1f}" '
                    f'x2="{x * step_x + _ORG_BOX_W / 2 + _ORG_GAP_X / 2:.1f}" y2="{d * step_y:.1f}"/>'
                )
    return lines


def _org_box(contact: Contact, x: float, d: int, box_h: float, name_lines: list[str], detail: list[str]) -> str:
    """One person's box at column ``x``, row ``d``: name, role and attitude, coloured by attitude."""
    left = x * (_ORG_BOX_W + _ORG_GAP_X) + _ORG_GAP_X / 2
    top = d * (box_h + _ORG_GAP_Y)
    attitude = contact.attitude or "unknown"  # i18n: machine
    # TRANSLATORS: a person's box in the buying centre: name, role and attitude towards us.
    title = _("{name}: {role}, {attitude}").format(
        name=contact.name, role=words.word(contact.role), attitude=_attitude(contact)
    )
    return (
        f'<g class="kd-person kd-{esc(attitude)}"><title>{esc(title)}</title>'
        f'<rect x="{left:.1f}" y="{top}" width="{_ORG_BOX_W}" height="{box_h}" rx="6"/>'
        + _text(left + 8, top + 18, name_lines, "kd-name")
        + _text(left + 8, top + 18 + LINE * len(name_lines), detail)
        + "</g>"
    )
