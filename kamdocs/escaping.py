"""Escaping for every place front-matter text lands.

Plan text is written by many people and ends up in HTML, Markdown tables and
spreadsheets; each destination has its own way of being tricked.
"""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def markdown_cell(text: str) -> str:
    """Text made safe for one cell of a Markdown table that is rendered as HTML."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "&#124;")
        .replace("`", "&#96;")
        .replace("[", "&#91;")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula.

    Cells starting with = + - @ tab or CR are prefixed with an apostrophe, as
    OWASP recommends; numbers are left as numbers.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
