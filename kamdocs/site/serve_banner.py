"""The banner ``kamdocs serve`` and ``mkdocs serve`` put on every page while a plan is invalid.

A site build stops on an invalid plan (``on_invalid: error``). A preview must not: it keeps the
last pages that built, and says on every page, where the author is looking, which plan is
wrong, where and what to write instead. The same banner on the plugin path (above the page,
after ``<body>``) and on the render path (at the top of each page's Markdown, as an HTML block).
"""

from __future__ import annotations

from collections.abc import Sequence

from kamdocs.findings import Finding
from kamdocs.i18n import _, ngettext, number
from kamdocs.site.html import esc

SHOWN = 20
"""Findings the banner lists; the rest are counted (``kamdocs check`` lists them all)."""


def serve_banner(errors: Sequence[Finding]) -> str:
    """The banner for ``errors``, one line of HTML (an HTML block in Markdown may hold no blank line);
    every part of it from a plan file is escaped."""
    files = sorted({f.file for f in errors})
    items = "".join(_item(f) for f in errors[:SHOWN])
    more = len(errors) - SHOWN
    command = "<code>kamdocs check</code>"  # i18n: machine (a command)
    rest = (
        "<li>"
        + ngettext(
            "and {count} more: {command} lists them all", "and {count} more: {command} lists them all", more
        ).format(count=number(more), command=command)
        + "</li>"
        if more > 0
        else ""
    )
    title = "<strong>" + esc(_("This preview is out of date:")) + "</strong>"
    said = ngettext(
        "{title} {count} plan has errors, so the pages show the plans as they were when they last passed the "
        "check. Fix what is listed here and save; the pages then update by themselves.",
        "{title} {count} plans have errors, so the pages show the plans as they were when they last passed the "
        "check. Fix what is listed here and save; the pages then update by themselves.",
        len(files),
    ).format(title=title, count=number(len(files)))
    return f'<div class="kd-serve-error" role="alert"><p>{said}</p><ul>{items}{rest}</ul></div>'


def _item(f: Finding) -> str:
    hint = f.hint.strip()
    shown = f" <em>{esc(hint[:1].upper() + hint[1:])}</em>" if hint else ""
    return f"<li><code>{esc(f.file)}:{f.line}:{f.column}</code> {esc(_sentence(f.message))}{shown}</li>"


def _sentence(message: str) -> str:
    """A finding's message as a sentence: capital first, a full stop last."""
    text = " ".join(message.split())
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
