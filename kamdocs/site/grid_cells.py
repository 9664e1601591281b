"""How each column kind of a roll-up grid shows, sorts and filters its cells: the rules, written once as data.

A grid cell's value is JSON (a string, or a list whose positions mean something per kind), and two
renderers read it: :mod:`kamdocs.site.grid` writes the first rows as HTML, and ``kamdocs.js`` renders
the others, sorts and filters them. Each kind's rules are one :class:`CellKind` record in
:data:`KINDS`; the grid writes the records its columns use into the page (:func:`kinds_json`), and the
script reads them there. Neither renderer names a kind, so a rule changed here changes both.

Text is put together from *parts*: a string is itself, an int is that position of the value (empty
when the value there is null). ``("overdue ", 1, " d")`` of ``["2026-11-01", 21, "2026-11-01"]`` is ``overdue 21 d``.
A note in words is a message (``"overdue {value} d"``), made into parts in the reader's language when a
page is written (:func:`note_text`), so both renderers say it alike.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields
from typing import Any

from kamdocs.i18n import N_, _
from kamdocs.site.html import LONG_PART, breakable, esc

Parts = tuple[str | int, ...]
"""Text put together from literal strings and positions of a cell's value."""


@dataclass(frozen=True)
class Note:
    """A short word after a cell's text (a quality band, an overdue or stale flag), shown while ``when`` holds a value."""

    when: int
    """Position of the value that shows the note (a band, days overdue, a flag)."""
    css: Parts
    text: Parts = ()
    title: int | None = None
    """Position of the note's tooltip, set when that value is there."""
    message: str | None = None
    """The note in words, in English (marked with ``N_``), with ``{value}`` for the value at ``when``: it
    stands for ``text`` and is said in the reader's language (:func:`note_text`)."""


def note_text(note: Note) -> Parts:
    """The parts of a note's text: its message in the reader's language around the value, or its ``text``."""
    if note.message is None:
        return note.text
    before, _value, after = _(note.message).partition("{value}")
    return (before, note.when, after)


@dataclass(frozen=True)
class CellKind:
    """One column kind: where its value holds the text, the sort key and the facet value, and its markup."""

    text: int | None = None
    """Position of the shown (and searched) text; ``None``: the value is the text."""
    blank: str = ""
    """What shows when there is no text: a dash for a plan without a quality score."""
    sort: int | None = None
    """Position of the sort key; ``None``: the value itself. Numbers sort as numbers, text naturally."""
    blank_sort: str | int = ""
    """The sort key when there is none: empty sorts first."""
    facet: int | None = None
    """Position of what a facet selector matches and the filter searches too (a state, a band); ``None``: the text."""
    href: int | None = None
    """Position of a link target: the text is a link while it holds one."""
    breakable: int = 0
    """Not 0: the text wraps only after an e-mail address's ``@``, and before the dots of a part longer
    than this (:func:`kamdocs.site.html.breakable`); the script reads the number here."""
    css: Parts = ()
    """Classes of a span around the text; no span when they come out empty."""
    state: int | None = None
    """Position of that span's ``data-state`` (the freshness badge: the state, not its words)."""
    note: Note | None = None
    row: str | None = None
    """The class a row takes while this cell's note shows (any item's, for a list). The kind listed
    first in :data:`KINDS` wins: a row overdue and stale is marked overdue."""
    items: int | None = None
    """Position of a list of items (one per plan a person is in), each shaped by ``item``, each in its
    own ``kd-per-plan`` span. The text is the items' texts; each is a facet value."""
    item: CellKind | None = None


KINDS: dict[str, CellKind] = {
    # a string
    "text": CellKind(breakable=LONG_PART),
    # [text, href]
    "link": CellKind(text=0, sort=0, href=1),
    # [text, sort key]
    "sorted": CellKind(text=0, sort=1),
    # [text, sort key, state]: a freshness badge; the facet value is the state
    "badge": CellKind(text=0, sort=1, facet=2, css=("kd-badge kd-", 2), state=2),
    # [score or null, band, band in the reader's words]: a quality score with its band badge; the facet
    # value is the band
    "band": CellKind(
        text=0, blank="–", sort=0, blank_sort=-1, facet=1, note=Note(when=1, css=("kd-badge kd-band-", 1), text=(2,))
    ),
    # [date as the reader writes it, days overdue, iso date]: a due date flagged when overdue, sorted by the
    # iso date; the row is marked overdue
    "due": CellKind(
        text=0,
        sort=2,
        css=("kd-nowrap",),
        # TRANSLATORS: a commitment's due date flagged in a table, "overdue 21 d"; {value} is the number of days.
        note=Note(when=1, css=("kd-flag",), message=N_("overdue {value} d")),
        row="kd-overdue-row",
    ),
    # [sort key, [[text, href or null, class or null, flag or null, flag title or null], ...]]: one value per
    # plan, each on its own line; a flagged item (stale) marks the row
    "many": CellKind(
        sort=0,
        items=1,
        row="kd-stale-row",
        item=CellKind(
            text=0, href=1, breakable=LONG_PART, css=(2,), note=Note(when=3, css=("kd-flag",), text=(3,), title=4)
        ),
    ),
}
"""Every column kind, by name (``Column.kind``), in the order their row marks win."""


def _part(value: Any, part: str | int) -> str:
    if isinstance(part, str):
        return part
    return "" if value[part] is None else str(value[part])


def fill(parts: Parts, value: Any) -> str:
    """The text ``parts`` make of a cell's value."""
    return "".join(_part(value, part) for part in parts)


def cell_text(rule: CellKind, value: Any) -> str:
    """What a cell shows as text, and the filter searches."""
    if rule.items is not None:
        assert rule.item is not None
        return " ".join(cell_text(rule.item, item) for item in value[rule.items])
    text = value if rule.text is None else value[rule.text]
    return rule.blank if text is None else str(text)


def facet_values(kind: str, value: Any) -> list[str]:
    """What a facet selector matches in a cell: the state or band for badges, each item of a list, else the text."""
    rule = KINDS[kind]
    if rule.facet is not None:
        return [_part(value, rule.facet)]
    if rule.items is not None:
        assert rule.item is not None
        return [cell_text(rule.item, item) for item in value[rule.items]]
    return [cell_text(rule, value)]


def _note_shows(rule: CellKind, value: Any) -> bool:
    return rule.note is not None and bool(value[rule.note.when])


def _flagged(rule: CellKind, value: Any) -> bool:
    if rule.items is not None:
        assert rule.item is not None
        return any(_note_shows(rule.item, item) for item in value[rule.items])
    return _note_shows(rule, value)


def row_class(cells: Iterable[tuple[str, Any]]) -> str | None:
    """The class of a row of ``(kind, value)`` cells: the first of :data:`KINDS`' row marks a cell has."""
    marks = {KINDS[kind].row for kind, value in cells if KINDS[kind].row and _flagged(KINDS[kind], value)}
    return next((rule.row for rule in KINDS.values() if rule.row in marks), None)


def cell_html(kind: str, value: Any) -> str:
    """The cell's inner HTML: the markup ``kamdocs.js`` builds from the same rule and value."""
    return _html(KINDS[kind], value)


def _html(rule: CellKind, value: Any) -> str:
    if rule.items is not None:
        assert rule.item is not None
        item = rule.item
        return "".join(f'<span class="kd-per-plan">{_html(item, one)}</span>' for one in value[rule.items])
    inner = _text_html(rule, value)
    css = fill(rule.css, value)
    if css:
        state = "" if rule.state is None else f' data-state="{esc(value[rule.state])}"'
        inner = f'<span class="{esc(css)}"{state}>{inner}</span>'
    if rule.note is not None and _note_shows(rule, value):
        inner += " " + _note_html(rule.note, value)
    return inner


def _text_html(rule: CellKind, value: Any) -> str:
    """The cell's text: a link while it has a target, else text (that wraps only where an address may)."""
    text = cell_text(rule, value)
    href = None if rule.href is None else value[rule.href]
    if href:
        return f'<a href="{esc(href)}">{esc(text)}</a>'
    return breakable(text, rule.breakable) if rule.breakable else esc(text)


def _note_html(note: Note, value: Any) -> str:
    title = value[note.title] if note.title is not None else None
    title_attr = f' title="{esc(title)}"' if title else ""
    return f'<span class="{esc(fill(note.css, value))}"{title_attr}>{esc(fill(note_text(note), value))}</span>'


def _record(rule: CellKind | Note) -> dict[str, Any]:
    """A rule as JSON for the script: only what differs from the default, under the same names."""
    out: dict[str, Any] = {}
    for field in fields(rule):
        if field.name == "message":  # said as text, in the reader's language
            continue
        value = note_text(rule) if isinstance(rule, Note) and field.name == "text" else getattr(rule, field.name)
        if value != field.default:
            out[field.name] = _record(value) if isinstance(value, (CellKind, Note)) else value
    return out


def kinds_json(kinds: Collection[str]) -> dict[str, dict[str, Any]]:
    """The rules of ``kinds`` for a grid's spec, in :data:`KINDS`' order (the order row marks win in)."""
    return {name: _record(rule) for name, rule in KINDS.items() if name in kinds}
