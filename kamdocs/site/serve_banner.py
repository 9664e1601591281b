"""The banner ``kamdocs serve`` and ``mkdocs serve`` put on every page while a plan is invalid.

A site build stops on an invalid plan (``on_invalid: error``). A preview must not: it keeps the
last pages that built, and says on every page, where the author is looking, which plan is
wrong, where and what to write instead. The same banner on the plugin path (above the page,
after ``<body>``) and on the render path (at the top of each page's Markdown, as an HTML block).
"""

from __future__ import annotations

from collections.abc import Sequence

from kamdocs.findings import Finding
from kamdocs.site.html import esc

SHOWN = 20
"""Findings the banner lists; the rest are counted (``kamdocs check`` lists them all)."""


def serve_banner(errors: Sequence[Finding]) -> str:
    """The banner for ``errors``, one line of HTML (an HTML block in Markdown may hold no blank line);
    every part of it from a plan file is escaped."""
    files = sorted({f.file for f in errors})
    plans = "1 plan has" if len(files) == 1 else f"{len(files)} plans have"
    items = "".join(_item(f) for f in errors[:SHOWN])
    more = len(errors) - SHOWN
    rest = f"<li>and {more} more: <code>kamdocs check</code> lists them all</li>" if more > 0 else ""
    return (
        '<div class="kd-serve-error" role="alert">'
        f"<p><strong>This preview is out of date:</strong> {plans} errors, so the pages show the plans as "
        "they were when they last passed the check. Fix what is listed here and save; the pages then "
        "update by themselves.</p>"
        f"<ul>{items}{rest}</ul></div>"
    )


def _item(f: Finding) -> str:
    hint = f.hint.strip()
    shown = f" <em>{esc(hint[:1].upper() + hint[1:])}</em>" if hint else ""
    return f"<li><code>{esc(f.file)}:{f.line}:{f.column}</code> {esc(_sentence(f.message))}{shown}</li>"


def _sentence(message: str) -> str:
    """A finding's message as a sentence: capital first, a full stop last."""
    text = " ".join(message.split())
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
