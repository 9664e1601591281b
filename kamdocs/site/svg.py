"""Charts and diagrams drawn at build time as inline SVG.

No script, no font and no external service: the charts work offline and read
in both Material palettes, because colours come from CSS classes and
``currentColor`` (see assets/kamdocs.css), never from fixed black or white.
All text is escaped with :func:`esc`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from kamdocs.model import Contact
from kamdocs.site.html import esc, number


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    css: str = "kd-bar"
    note: str = ""
    """Text after the bar; defaults to the value."""


def bar_chart(title: str, bars: Sequence[Bar], maximum: float | None = None, percent: bool = False) -> str:
    """A horizontal bar chart; ``percent`` draws values as fractions with a 100% line."""
    if not bars:
        return f'<figure class="kd-chart"><figcaption>{esc(title)}</figcaption><p>No data.</p></figure>'
    row, label_w, chart_w, note_w = 22, 180, 300, 90
    top = max([maximum or 0, *(b.value for b in bars), 1 if percent else 0]) or 1
    height = row * len(bars) + 8
    parts = [
        f'<svg class="kd-svg" role="img" aria-label="{esc(title)}" viewBox="0 0 {label_w + chart_w + note_w} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{esc(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = 4 + i * row
        width = max(0.0, bar.value) / top * chart_w
        note = bar.note or (f"{bar.value:.0%}" if percent else number(bar.value))
        parts.append(
            f'<text class="kd-label" x="{label_w - 6}" y="{y + 14}" text-anchor="end">{esc(_clip(bar.label, 28))}</text>'
            f'<rect class="{esc(bar.css)}" x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row - 8}" rx="2"/>'
            f'<text class="kd-label" x="{label_w + width + 4:.1f}" y="{y + 14}">{esc(note)}</text>'
        )
    if percent and top >= 1:
        x = label_w + chart_w / top
        parts.append(f'<line class="kd-target" x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height}"/>')
    parts.append("</svg>")
    return f'<figure class="kd-chart"><figcaption>{esc(title)}</figcaption>{"".join(parts)}</figure>'


@dataclass(frozen=True)
class TargetActual:
    label: str
    target: float
    actual: float | None
    note: str
    """The figures written after the bars, e.g. "780,000 of 900,000 GBP (87%)"."""


def target_actual_chart(title: str, rows: Sequence[TargetActual]) -> str:
    """Per row, the target as an outlined bar and the actual as a filled bar over it, on one scale.

    The figures go on a line under the bars, so the chart stays narrow enough
    to read on a phone. A row without an actual shows the target alone and
    says so in words.
    """
    if not rows:
        return f'<figure class="kd-chart"><figcaption>{esc(title)}</figcaption><p>No data.</p></figure>'
    row, label_w, chart_w = 40, 150, 310
    values = [v for r in rows for v in (r.target, r.actual) if v is not None and math.isfinite(v)]
    top = max([*values, 0.0]) or 1.0
    height = row * len(rows) + 4
    parts = [
        f'<svg class="kd-svg" role="img" aria-label="{esc(title)}" viewBox="0 0 {label_w + chart_w + 10} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{esc(title)}</title>",
    ]

    def width(value: float | None) -> float:
        if value is None or not math.isfinite(value):
            return chart_w if value else 0.0
        return max(0.0, value) / top * chart_w

    for i, item in enumerate(rows):
        y = 4 + i * row
        parts.append(
            f'<text class="kd-label" x="{label_w - 6}" y="{y + 13}" text-anchor="end">{esc(_clip(item.label, 24))}</text>'
            f'<rect class="kd-target-bar" x="{label_w}" y="{y + 2}" width="{width(item.target):.1f}" height="14" rx="2"/>'
        )
        if item.actual is not None:
            parts.append(
                f'<rect class="kd-bar" x="{label_w}" y="{y + 5}" width="{width(item.actual):.1f}" height="8" rx="2"/>'
            )
        # The figures run from the left edge, under the label too: the whole width is theirs.
        parts.append(f'<text class="kd-label" x="4" y="{y + 31}">{esc(item.note)}</text>')
    parts.append("</svg>")
    legend = '<span class="kd-legend"><span class="kd-key-target"></span> target <span class="kd-key-actual"></span> actual</span>'
    return f'<figure class="kd-chart"><figcaption>{esc(title)} {legend}</figcaption>{"".join(parts)}</figure>'


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def progress_bar(baseline: float | None, actual: float | None, target: float, unit: str) -> str:
    """Baseline through actual to target on one bar, with the figures written out."""
    low = min(0.0, baseline or 0.0, actual or 0.0)
    high = max(target, actual or 0.0, baseline or 0.0) or 1.0
    span = high - low or 1.0

    def x(value: float) -> float:
        return 10 + (value - low) / span * 580

    parts = [
        '<svg class="kd-svg kd-progress" role="img" viewBox="0 0 600 54" width="100%" '
        f'aria-label="{esc(_progress_label(baseline, actual, target, unit))}" xmlns="http://www.w3.org/2000/svg">',
        '<rect class="kd-track" x="10" y="14" width="580" height="14" rx="3"/>',
    ]
    if actual is not None:
        start = x(baseline if baseline is not None else low)
        parts.append(
            f'<rect class="kd-bar" x="{start:.1f}" y="14" width="{max(0.0, x(actual) - start):.1f}" height="14" rx="3"/>'
        )
    if baseline is not None:
        parts.append(f'<line class="kd-baseline" x1="{x(baseline):.1f}" x2="{x(baseline):.1f}" y1="8" y2="34"/>')
        parts.append(
            f'<text class="kd-label" x="{x(baseline):.1f}" y="48" text-anchor="start">baseline {esc(number(baseline))}</text>'
        )
    parts.append(f'<line class="kd-target" x1="{x(target):.1f}" x2="{x(target):.1f}" y1="4" y2="38"/>')
    parts.append(
        f'<text class="kd-label" x="{x(target):.1f}" y="48" text-anchor="end">target {esc(number(target))}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _progress_label(baseline: float | None, actual: float | None, target: float, unit: str) -> str:
    text = f"target {number(target)} {unit}"
    if actual is not None:
        text = f"actual {number(actual)} of " + text
    if baseline is not None:
        text += f", from a baseline of {number(baseline)}"
    return text


def org_chart(contacts: Sequence[Contact]) -> str:
    """The buying centre as a tree from ``reports_to``, boxes coloured by attitude.

    A ``reports_to`` that names nobody in the list, or that would make a loop,
    makes the contact a root, so every contact is drawn exactly once.
    """
    if not contacts:
        return ""
    names = {c.name for c in contacts}
    children: dict[str | None, list[Contact]] = {}
    for contact in contacts:
        parent = contact.reports_to if contact.reports_to in names and contact.reports_to != contact.name else None
        children.setdefault(parent, []).append(contact)
    placed: dict[str, tuple[float, int]] = {}
    next_x = [0]

    def place(contact: Contact, depth: int, trail: frozenset[str]) -> float:
        kids = [k for k in children.get(contact.name, []) if k.name not in trail and k.name not in placed]
        xs = [place(k, depth + 1, trail | {contact.name}) for k in kids]
        x = sum(xs) / len(xs) if xs else next_x[0]
        if not xs:
            next_x[0] += 1
        placed[contact.name] = (x, depth)
        return x

    for root in children.get(None, []):
        place(root, 0, frozenset())
    for contact in contacts:  # members of a reporting loop
        if contact.name not in placed:
            place(contact, 0, frozenset())
    box_w, box_h, gap_x, gap_y = 170, 48, 20, 36
    width = max(1, next_x[0]) * (box_w + gap_x)
    depth = max(d for _, d in placed.values()) + 1
    height = depth * (box_h + gap_y)
    by_name = {c.name: c for c in contacts}
    parts = [
        f'<svg class="kd-svg kd-org" role="img" aria-label="Buying centre reporting lines" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">'
    ]
    for name, (x, d) in placed.items():
        parent = by_name[name].reports_to
        if parent in placed and parent != name:
            px, pd = placed[parent]
            if pd < d:
                parts.append(
                    f'<line class="kd-edge" x1="{px * (box_w + gap_x) + box_w / 2 + gap_x / 2:.1f}" y1="{pd * (box_h + gap_y) + box_h:.1f}" '
                    f'x2="{x * (box_w + gap_x) + box_w / 2 + gap_x / 2:.1f}" y2="{d * (box_h + gap_y):.1f}"/>'
                )
    for name, (x, d) in placed.items():
        contact = by_name[name]
        left = x * (box_w + gap_x) + gap_x / 2
        top = d * (box_h + gap_y)
        attitude = contact.attitude or "unknown"
        parts.append(
            f'<g class="kd-person kd-{esc(attitude)}"><title>{esc(name)}: {esc(contact.role)}, {esc(attitude)}</title>'
            f'<rect x="{left:.1f}" y="{top}" width="{box_w}" height="{box_h}" rx="6"/>'
            f'<text class="kd-name" x="{left + 8:.1f}" y="{top + 19}">{esc(_clip(name, 22))}</text>'
            f'<text class="kd-label" x="{left + 8:.1f}" y="{top + 37}">{esc(_clip(contact.role + " · " + attitude, 26))}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
