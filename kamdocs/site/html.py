"""Small HTML helpers. Every value from front matter goes through :func:`esc`."""

from __future__ import annotations

import html
import math
import posixpath
import re
from collections.abc import Collection, Iterable, Sequence
from datetime import date

from kamdocs import i18n
from kamdocs.escaping import path_text
from kamdocs.i18n import N_, _, ngettext
from kamdocs.rules.freshness import Freshness

UNSEARCHED = " data-search-exclude"
"""An element's attribute that keeps it out of the search index (Material's search plugin skips the
element and all it holds): computed figures, badges and notes that every plan page repeats.

Material compares elements by tag name alone, so an element marked with it must not hold another
element of the same tag, or the skipping ends at the inner one's close."""


def unsearched(html: str) -> str:
    """``html`` kept out of the search index as a whole: roll-up figures and embedded tables, whose
    rows are each plan's own page's to be found by. A ``section`` holds it, since the roll-ups' markup
    nests ``div`` in ``div`` (see :data:`UNSEARCHED`) and holds no ``section`` of its own."""
    return f"<section{UNSEARCHED}>{html}</section>"


def esc(value: object) -> str:
    """Text made safe for HTML element content and quoted attribute values (and inline SVG); a file
    name's bytes that are not UTF-8 are shown as ``\\xe9`` (:func:`path_text`), never written raw."""
    return html.escape("" if value is None else path_text(str(value)), quote=True)


def number(value: float | int | None) -> str:
    """A figure in the reader's locale, no needless decimals: 1,800,000 or 98.6; 1’800’000 in de-CH."""
    return i18n.number(value)


def amount(value: float | int | None, unit: str) -> str:
    """A number with its unit in the reader's locale (``1’250’000 CHF`` in de-CH); missing stays a dash, and
    a sum past the largest float is words, without the unit."""
    text = number(value)
    return text if value is None or not math.isfinite(value) else f"{text} {unit}"


def iso(value: date | None) -> str:
    """A date as the reader's locale writes it (YYYY-MM-DD on English pages), or a dash when missing."""
    return i18n.day(value)


LONG_PART = 20
"""An e-mail address wraps after its ``@``; a part of it longer than this also before each of its dots."""


def breakable(text: object, long_part: int = LONG_PART) -> str:
    """Escaped text that wraps, if it must, only after an ``@`` or before a ``.``: an e-mail address.

    ``anna.keller@`` / ``example.com`` reads better than a break at every dot, so the dots of a part
    get break points only when the part is long (:data:`LONG_PART`).

    A table column narrows an address to what the other columns leave; without these break points it
    either widens the table past the screen or, with ``overflow-wrap: anywhere``, breaks mid-name
    ("anna.kel" / "ler@exa"). Text with a space is left to break at its spaces.
    """
    value = esc(text)
    if "@" not in value or any(ch.isspace() for ch in value):
        return value
    parts = value.split("@")
    parts = [p.replace(".", "<wbr>.") if len(p) > long_part else p for p in parts]
    return "@<wbr>".join(parts)


def nowrap(content: str) -> str:
    """Pre-escaped HTML kept on one line: a date or an amount never wraps inside itself (2026-0 / 1-31)."""
    return f'<span class="kd-nowrap">{content}</span>'


_FIGURE = re.compile(r"(?<!\d)\d++(?:[,.'\u2019\u00a0\u202f:-]\d++)+")
"""A date, time or grouped figure inside text: 2026-11-30, 1,250,000, 98.5, and as the reader's locale writes
them: 31.12.2027, 1’250’000 (de-CH), 1.250.000 (de-DE), 1 250 000 with a narrow no-break space (fr-CH). It
starts only where a run of digits starts, and takes each run whole: tried at every digit of a run, 20,000
digits took 17 s (issue 19)."""


def keep_figures(escaped: str) -> str:
    """Escaped running text in which every date and figure stays on one line (a finding's message, a reason).

    Only runs with a separator are wrapped: a plain run of digits never breaks, and an entity's digits
    (``&#x27;``) are followed by ``;``, which is not a separator.
    """
    return _FIGURE.sub(lambda m: nowrap(m.group(0)), escaped)


def second_line(main: str, detail: str) -> str:
    """A cell's figure with a smaller line of detail under it (pre-escaped HTML), or the figure alone.

    How the wide roll-ups fit a 1366 px screen: a count that qualifies a figure (plans without an
    actual) sits under that figure instead of in a column of its own. A space parts the two for
    whoever reads the text rather than the layout (a screen reader, a copy).
    """
    return main + (f' <span class="kd-line2">{detail}</span>' if detail else "")


def relative_url(target: str, base: str) -> str:
    """The link from the page at URL ``base`` to URL ``target``, both site-relative.

    Made by comparing path segments rather than with ``posixpath.relpath``, which asks the
    operating system for the working directory on every call: a site links tens of thousands
    of times (every row of every roll-up), and this is where that time went.
    """
    base_dir = base if base.endswith("/") or not base else posixpath.dirname(base) + "/"
    from_parts = [p for p in base_dir.split("/") if p and p != "."]
    to_parts = [p for p in (target or ".").split("/") if p and p != "."]
    common = 0
    while common < len(from_parts) and common < len(to_parts) and from_parts[common] == to_parts[common]:
        common += 1
    rel = "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return "./" if rel in (".", "./") else rel


BADGES: dict[str, str] = {
    "fresh": N_("Fresh"),
    "never-reviewed": N_("Never reviewed"),
    "archived": N_("Archived"),
}
"""The badge's words for the states that carry no count; ``due-soon`` and ``overdue`` say how many days."""


def badge_label(fresh: Freshness) -> str:
    """The freshness badge's words."""
    if fresh.state == "due-soon":
        days = fresh.days_left or 0
        return ngettext("Review due in {count} day", "Review due in {count} days", days).format(count=number(days))
    if fresh.state == "overdue":
        days = fresh.days_overdue or 0
        return ngettext("Overdue by {count} day", "Overdue by {count} days", days).format(count=number(days))
    return _(BADGES[fresh.state])


def badge(fresh: Freshness, searched: bool = True) -> str:
    """The freshness badge: colour for the eye, words for everyone; ``searched=False`` keeps its
    computed words out of the search index (:data:`UNSEARCHED`)."""
    hidden = "" if searched else UNSEARCHED
    return (
        f'<span class="kd-badge kd-{fresh.state}" data-state="{fresh.state}"{hidden}>{esc(badge_label(fresh))}</span>'
    )


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    css: str = "kd-table",
    row_classes: Sequence[str] | None = None,
    sortable: bool = False,
    numeric: Collection[int] = (),
    stacked: bool = False,
) -> str:
    """A table from pre-escaped cell HTML. Sortable tables carry data for kamdocs.js.

    Columns in ``numeric`` are right-aligned with figures of equal width, so amounts line up.
    A ``stacked`` table shows each row as a block of labelled cells on a phone, for long text
    (a reason, a message) that a narrow column would stretch into a tower of short lines.
    """
    attrs = f' class="{css}{" kd-stack" if stacked else ""}"' + (" data-kd-sortable" if sortable else "")
    labels = [esc(re.sub(r"<[^>]+>", "", h)) for h in headers]

    def label(column: int) -> str:
        return f' data-label="{labels[column]}"' if stacked else ""

    num = ' class="kd-num"'
    head = "".join(f'<th scope="col"{num if i in numeric else ""}>{h}</th>' for i, h in enumerate(headers))
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        body.append(
            f"<tr{cls}>"
            + "".join(f"<td{num if j in numeric else ''}{label(j)}>{cell}</td>" for j, cell in enumerate(row))
            + "</tr>"
        )
    # A region a keyboard can reach and scroll when the table is wider than the screen, named by its columns.
    columns = ", ".join(re.sub(r"<[^>]+>", "", h) for h in headers[:3])
    name = esc(_("Table: {columns}").format(columns=columns))
    return (
        f'<div class="kd-scroll" tabindex="0" role="region" aria-label="{name}"><table{attrs}><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def sort_cell(text: str, key: object) -> str:
    """A cell whose sort key differs from its text (dates, numbers, states)."""
    return f'<span data-sort="{esc(key)}">{text}</span>'
