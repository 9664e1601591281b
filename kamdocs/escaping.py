"""Escaping for every place front-matter text lands.

Plan text is written by many people and ends up in HTML, Markdown tables and
spreadsheets; each destination has its own way of being tricked.
"""

from __future__ import annotations

import re
import unicodedata

_LINE_BREAKS = ("\r", "\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")

_MARKDOWN = str.maketrans(
    {
        # HTML: no element, attribute or entity of the author's own.
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        # Markdown: no table column, code span, link, image, emphasis, strikethrough,
        # attribute list ({: onclick=...}) or backslash escape of the author's own.
        "|": "&#124;",
        "`": "&#96;",
        "[": "&#91;",
        "]": "&#93;",
        "*": "&#42;",
        "_": "&#95;",
        "~": "&#126;",
        "{": "&#123;",
        "}": "&#125;",
        "\\": "&#92;",
        # A line break would end the cell or list item and start a block of the author's own.
        **dict.fromkeys(_LINE_BREAKS, " "),
    }
)


def markdown_text(text: str) -> str:
    """Text that shows as itself wherever inline Markdown is rendered as HTML.

    For a table cell, a list item or a line of a plan body. Numeric character
    references rather than backslashes: they mean the same in Python-Markdown
    and GitHub's CommonMark, and inside a table cell.
    """
    return text.replace("\r\n", "\n").translate(_MARKDOWN)


markdown_cell = markdown_text
"""Text for one cell of a Markdown table (the same escaping as :func:`markdown_text`)."""

FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
"""First characters that make a spreadsheet read a cell as a formula (or, full-width, after its own
normalisation), also when whitespace or line breaks come first."""
_LEADING = re.compile(r"^[\s\u200b\u200c\u200d\u2060\ufeff]+")
"""Whitespace, line breaks and invisible characters a reader would not see before the formula."""


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula.

    Text whose first visible character is one of :data:`FORMULA_START`, or that
    starts with a tab or carriage return, is prefixed with an apostrophe, as
    OWASP recommends; numbers are left as numbers.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    visible = _LEADING.sub("", text, count=1)
    return "'" + text if text.startswith(("\t", "\r")) or visible.startswith(FORMULA_START) else text


_LINE_BREAKS_AND_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """Text for one log line: line breaks and control characters written as escapes.

    A file name or a front-matter value may hold a line break. Printed raw, it
    would split a ``file:line:col`` line in two, and in GitHub Actions a line
    that starts with ``::`` after it would be run as a workflow command.
    """
    return _LINE_BREAKS_AND_CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_HIDDEN_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}
"""Control characters, lone surrogates and line and paragraph separators: nothing a person types into one value."""


def hidden_character(text: str) -> str | None:
    """The first character of ``text`` that would break a value given on one line, named for a message
    (``U+000A LINE FEED``; a control character has no Unicode name, so only its code), or None.

    A command-line value with a hidden break or escape code is a typo, not a value: YAML could
    carry it, but it would reach a workflow, a file name or a terminal as something else.
    """
    for char in text:
        if unicodedata.category(char) in _HIDDEN_CATEGORIES:
            name = unicodedata.name(char, "")
            return f"U+{ord(char):04X}" + (f" {name}" if name else "")
    return None
