"""Roll-up tables rendered from data: every row filterable and sortable, at any size.

A grid is one ``<table>`` whose first rows are written as HTML (so the page
reads without script and the first screen needs no work in the browser), and
a JSON copy of every row in a ``<script type="application/json">`` block that
``kamdocs.js`` reads to filter, sort and render rows incrementally. A second,
small block holds the columns and each facet's values with their counts, so
the filter bar is built without reading the rows; the rows are parsed when
the browser is idle, or at the first filter or sort, whichever comes first. The JSON
is data, never markup: the script builds cells with ``textContent``, and the
block escapes ``<``, ``>`` and ``&``, so no plan text can end the script
element or run.

Each column has a *kind* that says how its cell value is shaped, shown, sorted and filtered; the
rules of each kind are data in :mod:`kamdocs.site.grid_cells`, which this module follows to write
rows as HTML and writes into the page (the spec's ``kinds``) for the script to follow.

A column with a ``facet`` gets a selector in the filter bar, and its value is
held in the URL under that name, so a filtered view is a link. A facet may
have a default (:class:`FacetDefault`): the view without that name in the URL
shows only the rows it names, and those rows come first in the data and the HTML.

The free-text filter reads only the columns of names and words (``search``):
dates, percentages and counts would let every typed digit match every row.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kamdocs.i18n import _, ngettext, number
from kamdocs.site.grid_cells import KINDS, cell_html, facet_values, kinds_json, row_class
from kamdocs.site.grid_rows import one_per_line
from kamdocs.site.html import esc
from kamdocs.site.words import state


@dataclass(frozen=True)
class FacetDefault:
    """What a facet selector shows while the URL does not name a value: a few of its values, in words."""

    label: str
    """The option's words ("open or in progress")."""
    values: tuple[str, ...]
    """The facet values it stands for."""


@dataclass(frozen=True)
class Column:
    """One column of a roll-up grid: how its cells show, sort and filter."""

    key: str
    """Short name: the sort parameter in the URL and the column's CSS class ``kd-col-KEY``."""
    title: str
    kind: str = "text"
    facet: str | None = None
    """URL parameter of a selector over this column's values (``area``, ``owner``, ``state`` ...)."""
    facet_title: str | None = None
    """The selector's label, when it differs from the column title."""
    hidden: bool = False
    """A column only for filtering (tier, region): in the data, never shown."""
    phone: bool = False
    """Shown on a phone-sized screen; the other columns are left out there."""
    numeric: bool = False
    search: bool | None = None
    """Read by the free-text filter; by default the columns of names and words (text, links, lists), never numbers."""
    typed: bool = False
    """The facet is a box to type in, with the values as suggestions, not a list: accounts run into thousands."""
    default: FacetDefault | None = None

    @property
    def searched(self) -> bool:
        """Whether the free-text filter reads this column."""
        return self.search if self.search is not None else self.kind in ("text", "link", "many") and not self.numeric

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def _script_json(data: object) -> str:
    """JSON that is safe inside a script element whatever text it holds."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _rows_json(rows: Sequence[Sequence[Any]]) -> str:
    """The rows as a JSON list with one row per line: kamdocs.js reads a big rows file
    (grid_rows.py) a line at a time, in slices, instead of in one parse that blocks the page."""
    return one_per_line(_script_json(list(r)) for r in rows)


def _col_class(c: Column) -> str:
    """A cell's classes: its column, numbers aligned right, and the columns a phone leaves out."""
    classes = [f"kd-col-{c.key}"] + (["kd-num"] if c.numeric else []) + ([] if c.phone else ["kd-col-extra"])
    return " ".join(classes)


def _row_html(shown: Sequence[Column], index: Mapping[str, int], row: Sequence[Any]) -> str:
    """One row as HTML, with the mark its cells give it (overdue, stale)."""
    mark = row_class((c.kind, row[index[c.key]]) for c in shown)
    cls = f' class="{mark}"' if mark else ""
    cells = "".join(f'<td class="{_col_class(c)}">{cell_html(c.kind, row[index[c.key]])}</td>' for c in shown)
    return f"<tr{cls}>{cells}</tr>"


def _plan_sentences(total: int) -> tuple[str, str, str, str]:
    return (
        _("No plans yet."),
        ngettext(
            "{first} of {total} plan shown; the filter and the rest need JavaScript{downloads}.",
            "{first} of {total} plans shown; the filter and the rest need JavaScript{downloads}.",
            total,
        ),
        ngettext("All {total} plan.", "All {total} plans.", total),
        ngettext(
            "The first {first} of {total} plan; the filter and the rest need JavaScript{downloads}.",
            "The first {first} of {total} plans; the filter and the rest need JavaScript{downloads}.",
            total,
        ),
    )


def _commitment_sentences(total: int) -> tuple[str, str, str, str]:
    return (
        _("No commitments yet."),
        ngettext(
            "{first} of {total} commitment shown; the filter and the rest need JavaScript{downloads}.",
            "{first} of {total} commitments shown; the filter and the rest need JavaScript{downloads}.",
            total,
        ),
        ngettext("All {total} commitment.", "All {total} commitments.", total),
        ngettext(
            "The first {first} of {total} commitment; the filter and the rest need JavaScript{downloads}.",
            "The first {first} of {total} commitments; the filter and the rest need JavaScript{downloads}.",
            total,
        ),
    )


def _people_sentences(total: int) -> tuple[str, str, str, str]:
    # TRANSLATORS: the people of the plans' buying centres (the stakeholder index).
    none = _("No people yet.")
    return (
        none,
        # TRANSLATORS: the people of the plans' buying centres (the stakeholder index).
        ngettext(
            "{first} of {total} person shown; the filter and the rest need JavaScript{downloads}.",
            "{first} of {total} people shown; the filter and the rest need JavaScript{downloads}.",
            total,
        ),
        # TRANSLATORS: the people of the plans' buying centres (the stakeholder index).
        ngettext("All {total} person.", "All {total} people.", total),
        # TRANSLATORS: the people of the plans' buying centres (the stakeholder index).
        ngettext(
            "The first {first} of {total} person; the filter and the rest need JavaScript{downloads}.",
            "The first {first} of {total} people; the filter and the rest need JavaScript{downloads}.",
            total,
        ),
    )


NOUNS: Mapping[str, Callable[[int], tuple[str, str, str, str]]] = {
    "plans": _plan_sentences,
    "commitments": _commitment_sentences,
    "people": _people_sentences,
}
"""What a grid's rows are (its ``noun``, a key that the page script reads too), and the status line's
sentences about them, each whole in the reader's language: no rows, some shown, all shown, the first shown."""


def _status(total: int, first: int, noun: str, downloads: str, showing: int) -> str:
    """The status line a page without script shows: how many rows, and where the rest are."""
    # Only kamdocs' own words and numbers: downloads is never plan text.
    none, some, every, the_first = NOUNS[noun](total)
    if total == 0:
        return none
    if showing < total:
        return some.format(first=number(first), total=number(total), downloads=downloads)
    if total <= first:
        return every.format(total=number(total))
    return the_first.format(first=number(first), total=number(total), downloads=downloads)


def _facets(
    columns: Sequence[Column], rows: Sequence[Sequence[Any]], labels: Mapping[str, Mapping[str, str]]
) -> list[dict[str, Any]]:
    """Each facet's values with the number of rows that have each, for the filter bar."""
    facets = []
    for i, c in enumerate(columns):
        if c.facet:
            title = _(c.facet_title or c.title)
            if c.typed:
                # A typed box's values (every account) are suggestions the script takes from the rows:
                # in the page they were 10,000 names per grid, 0.8 MB on a page of six grids.
                facets.append({"f": c.facet, "t": title, "values": [], "typed": 1})
                continue
            counts = Counter(v for row in rows for v in set(facet_values(c.kind, row[i])))
            counts.pop("", None)
            facet: dict[str, Any] = {"f": c.facet, "t": title, "values": sorted(counts.items())}
            if c.kind == "badge":  # the URL keeps the state (state=due-soon); the selector says it in words
                facet["labels"] = {value: state(value) for value in counts}
            elif c.facet in labels:  # a value kamdocs wrote in English ("overdue"): the URL keeps it
                words = {value: _(labels[c.facet].get(value, value)) for value in counts}
                if any(value != said for value, said in words.items()):  # English pages need none
                    facet["labels"] = words
            if c.default:
                facet["default"] = {"t": _(c.default.label), "values": _default_values(c.default)}
            facets.append(facet)
    return facets


def _column_spec(c: Column) -> dict[str, Any]:
    """A column as the script reads it: short keys, a flag only when it is set, and a shown column's cell classes."""
    return {
        "k": c.key,
        "t": _(c.title),
        "kind": c.kind,
        **({"f": c.facet} if c.facet else {}),
        **({"s": 1} if c.searched else {}),
        **({"hide": 1} if c.hidden else {"cls": _col_class(c)}),
    }


def _default_values(default: FacetDefault) -> list[str]:
    """A default's values as the rows have them: words, in the reader's language (the server's first rows
    and the script's first view both test them; English values on a German page showed no row)."""
    return [_(v) for v in default.values]


def _by_default(columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> tuple[list[Sequence[Any]], int]:
    """The rows that every facet's default shows first (in their order), then the others; and how many show."""
    checks = [(i, set(_default_values(c.default))) for i, c in enumerate(columns) if c.default]
    if not checks:
        return list(rows), len(rows)

    def shown(row: Sequence[Any]) -> bool:
        return all(set(facet_values(columns[i].kind, row[i])) & wanted for i, wanted in checks)

    first: list[Sequence[Any]] = []
    rest: list[Sequence[Any]] = []
    for row in rows:
        (first if shown(row) else rest).append(row)
    return first + rest, len(first)


def grid(
    name: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    first: int,
    noun: str = "plans",
    css: str = "",
    downloads: str = "",
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """A table of ``rows`` (one value per column, shaped by its kind) with its data for the script.

    ``first`` rows are written as HTML; ``css`` adds classes to the table; ``name`` labels the table and its scroll region
    for screen readers, in the reader's language. ``noun`` says what the rows are, a key of :data:`NOUNS`.
    ``downloads`` is HTML naming where every row can be had without
    script (a CSV, say), shown in the status line until the script replaces it. Column titles are English
    (:func:`~kamdocs.i18n.N_`) and shown in the reader's language; ``labels`` (facet -> value -> English words,
    marked with ``N_``) shows a facet's values in words while the URL keeps the value.
    """
    shown = [c for c in columns if not c.hidden]
    index = {c.key: i for i, c in enumerate(columns)}
    rows, showing = _by_default(columns, rows)
    first = min(first, showing)
    head = "".join(f'<th scope="col" class="{_col_class(c)}">{esc(_(c.title))}</th>' for c in shown)
    body = "".join(_row_html(shown, index, row) for row in rows[:first])
    total = len(rows)
    spec = {
        "noun": noun,
        "one": noun.removesuffix("s"),
        "cols": [_column_spec(c) for c in columns],
        "kinds": kinds_json({c.kind for c in columns}),
        "facets": _facets(columns, rows, labels or {}),
    }
    return (
        f'<div class="kd-grid" data-kd-grid data-first="{min(first, total)}" data-total="{total}"'
        + (f' data-showing="{showing}">' if showing < total else ">")
        + f'<p class="kd-grid-status" aria-live="polite">{_status(total, first, noun, downloads, showing)}</p>'
        f'<div class="kd-scroll" tabindex="0" role="region" aria-label="{esc(name)}">'
        f'<table class="kd-table kd-grid-table {esc(css)}"><caption class="kd-sr-only">{esc(name)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        f'<script type="application/json" class="kd-grid-spec">{_script_json(spec)}</script>'
        f'<script type="application/json" class="kd-grid-data">{_rows_json(rows)}</script></div>'
    )
