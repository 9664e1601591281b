"""Where a page's grid rows live: in the page while they are few, else in a JSON file of their own.

:func:`kamdocs.site.grid.grid` writes every row of a grid as a JSON block in the page. At ten
thousand plans those blocks made pages of 2.4 to 13 MB, which a browser must download and parse
before the page is interactive, and which a reader who only looks at the first rows never needs.
So, once a page is complete, its grids' blocks move to one file next to the page
(``commitments/index.html`` -> ``commitments/index.rows.json``): a JSON list with one list of rows
per grid, in the order the grids come in the page, one row per line (``[``, ``]`` and ``],`` are the
only other lines: :func:`one_per_line`), so that ``kamdocs.js`` reads it a slice of lines at a time.
Each block stays as an empty element that names the file and its grid's place in it; ``kamdocs.js`` fetches the file when the reader
filters, sorts or scrolls (or points at the filter bar), and the first rows, written as HTML,
read without script.

The file is the blocks' own text: data, never markup, already escaped for a script element
(:func:`kamdocs.site.grid._script_json`). The plugin and the render path call :func:`move_rows` on
every finished page, so embeds in documentation pages and late slots made in the background are
covered alike.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from urllib.parse import quote

from kamdocs.site.html import esc

ROWS_IN_PAGE = 16_000
"""Characters of rows a page keeps inline: a few dozen rows cost less than a second request."""

ROWS_SUFFIX = ".rows.json"

_BLOCK = re.compile(r'<script type="application/json" class="kd-grid-data">(.*?)</script>', re.S)


def one_per_line(items: Iterable[str]) -> str:
    """A JSON list of ``items`` (each a JSON text of one line), one per line: the shape of a grid's
    rows and of a rows file, which ``kamdocs.js`` reads a line at a time."""
    return "[\n" + ",\n".join(items) + "\n]"


def rows_file(page_path: str) -> str:
    """The rows file of the page written at ``page_path`` (``.html``, or ``.md`` on the render path),
    in the same folder, so the page links to it by its name alone."""
    return posixpath.splitext(page_path)[0] + ROWS_SUFFIX


def move_rows(html: str, page_path: str) -> tuple[str, tuple[str, bytes] | None]:
    """The page without its grids' rows, and its :func:`rows_file` (a path beside ``page_path``) with
    that file's bytes; ``None`` while the rows are small enough to stay (the page is then unchanged)."""
    blocks = [m.group(1) for m in _BLOCK.finditer(html)]
    if sum(len(b) for b in blocks) <= ROWS_IN_PAGE:
        return html, None
    name = rows_file(page_path)
    url = esc(quote(posixpath.basename(name)))
    parts = iter(range(len(blocks)))

    def stub(_: re.Match[str]) -> str:
        return (
            f'<script type="application/json" class="kd-grid-data" data-kd-rows="{url}"'
            f' data-kd-part="{next(parts)}"></script>'
        )

    return _BLOCK.sub(stub, html), (name, one_per_line(blocks).encode("utf-8"))
