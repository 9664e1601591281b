"""Page objects with explicit slots: what a generated page is, and how its slots are filled.

A page is Markdown (only headings, slot markers and a plan's own body) plus a
``render`` function that gives the slots' HTML once the page's URL is known,
because every link is relative to the page it sits on. Early slots are filled
into the HTML before the search plugin reads the page; late slots after it
(the plugin) or at once (``kamdocs render``). :class:`Filled` says which is which.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kamdocs.i18n import _
from kamdocs.rules.checks import ATX_HEADING, markdown_lines, normalise_title
from kamdocs.site.html import UNSEARCHED, esc
from kamdocs.site.sanitize import sanitize

Link = Callable[[str], str]
"""From the page being made to a source path (``plans/accounts/a.md``): a relative URL."""


@dataclass(frozen=True)
class Filled:
    """The HTML of a page's slots, by slot name: ``early`` before the search plugin reads the page,
    ``late`` after it (most of the markup, little that a search should land on)."""

    early: Mapping[str, str] = field(default_factory=dict)
    late: Mapping[str, str] = field(default_factory=dict)

    def __or__(self, other: Filled) -> Filled:
        return Filled({**self.early, **other.early}, {**self.late, **other.late})


Render = Callable[[Link], Filled]


def slot(name: str) -> str:
    """A slot in page Markdown, filled with HTML before the search plugin reads the page.

    A bare paragraph token: Python-Markdown handles it far faster than an HTML
    comment, which matters on a thousand plan pages.
    """
    return f"KAMDOCS-SLOT-{name}"


def late_slot(name: str) -> str:
    """A slot filled after the search plugin has read the page.

    Late slots hold most of the markup (diagrams, tables, SVG, roll-up tables of
    every plan) and little that a search should land on: each plan's page keeps
    its account, owner, area, goal and body early. Keeping them out of the
    search plugin's HTML parsing keeps the site build close to plain Markdown.
    """
    return f"<!-- kamdocs:late-{name} -->"


SEARCHED = "<!-- kamdocs:searched -->"
SEARCHED_END = "<!-- kamdocs:searched-end -->"


def late_slot_searched(name: str, searched: str) -> str:
    """A late slot that holds, until it is filled, the words of it that a search should find.

    A plan page's head (breadcrumb, status line, findings, goal) is some 2 KB of markup around a
    few searched words (the owner, the business area, the goal). The search plugin parsed all of
    that markup on every plan page: at 10,000 plans its parsing took four times the floor's. So
    the index reads ``searched``, those words in plain paragraphs, and the head is made with the
    late slots and put in their place (:func:`fill_late`).
    """
    return f"{late_slot(name)}{SEARCHED}{searched}{SEARCHED_END}"


def fill_early(html: str, values: Mapping[str, str]) -> str:
    """Put each early slot's HTML where its marker paragraph is."""
    for name, content in values.items():
        html = html.replace(f"<p>{slot(name)}</p>", content, 1)
    return html


def fill_late(html: str, values: Mapping[str, str]) -> str:
    """Put each late slot's HTML where its comment marker is, in place of its searched words if it
    has them (:func:`late_slot_searched`)."""
    for name, content in values.items():
        marker = late_slot(name)
        start = html.find(marker)
        if start < 0:
            continue
        end = start + len(marker)
        if html.startswith(SEARCHED, end):
            end = html.index(SEARCHED_END, end) + len(SEARCHED_END)
        html = html[:start] + content + html[end:]
    return html


def fill(html: str, filled: Filled) -> str:
    """Every slot at once, early first (an early slot may hold a late slot's marker)."""
    return fill_late(fill_early(html, filled.early), filled.late)


_SLOT_MARKER = re.compile(r"(?:<p>)?(KAMDOCS-SLOT-[a-z-]+)(?:</p>)?")


def sanitize_body(html: str) -> str:
    """A plan page's HTML with each stretch between slot markers sanitised on its own.

    The stretches are the body (and what extensions append after it, such as
    footnotes). An unclosed ``<details>``, ``<a>`` or ``<table>`` in a body is
    closed before the next slot, and a marker that Markdown took into a body's
    unclosed HTML block is set back as its own paragraph, so no body can
    swallow or hide the plugin's markup.
    """
    parts = _SLOT_MARKER.split(html)
    return "".join(f"<p>{part}</p>" if i % 2 else sanitize(part) for i, part in enumerate(parts))


def body_with_slot_after(body: str, title: str, marker: str) -> str:
    """The body with ``marker`` as a paragraph right after its first H2 called ``title``; "" if it has none.

    Fenced code is skipped; case and spacing of the title are ignored.
    """
    lines = body.split("\n")
    for i, (line, code) in enumerate(markdown_lines(body)):
        heading = None if code else ATX_HEADING.fullmatch(line)
        if heading and len(heading.group(1)) == 2 and normalise_title(heading.group(2) or "") == normalise_title(title):
            return "\n".join([*lines[: i + 1], "", marker, "", *lines[i + 1 :]])
    return ""


def demote_headings(html: str) -> str:
    """A plan body's H1s as H2s: the page has one H1, its title, which the plugin writes."""
    return re.sub(r"<(/?)h1\b", r"<\1h2", html)


def no_slots(link: Link) -> Filled:
    """``render`` of a page whose slots are all late: they are made apart, in the background."""
    return Filled()


def heading(title: str, anchor: str) -> str:
    """An H2 made as HTML, its title escaped; the table of contents lists it (GeneratedPage.toc)."""
    return f'<h2 id="{anchor}">{esc(title)}</h2>'


def markdown_heading(english: str) -> str:
    """A generated page's H2 in Markdown, in the reader's language, whose anchor is the English title's
    in every language: a link to ``#all-plans`` finds "Alle Pläne" too. An English page has the plain
    heading, whose slug is that anchor; another language adds the anchor as an empty ``span`` in the
    heading, which the table of contents, the search index and ``kamdocs render`` all keep."""
    title = _(english)
    if title == english:
        return f"## {english}"
    anchor = re.sub(r"[^a-z0-9]+", "-", english.casefold()).strip("-")
    return f'## <span id="{anchor}"></span>{esc(title)}'


def heading_in_page_entry(title: str, anchor: str) -> str:
    """An H2 the search index does not split the page at: what follows it joins the page's own entry.

    Material's search plugin starts an entry at every heading with an ``id``, and an entry costs its
    address and title again, on every plan page. So the anchor is an empty ``span`` in the heading, and
    the heading's own word is kept out of the index (:data:`~kamdocs.site.html.UNSEARCHED`).
    """
    return f'<h2{UNSEARCHED}><span id="{anchor}"></span>{esc(title)}</h2>'


@dataclass(frozen=True)
class GeneratedPage:
    """One page kamdocs makes: its Markdown with slots, and how to fill them once its URL is known."""

    src_uri: str
    title: str
    markdown: str
    render: Render
    edit_path: str | None = None
    """For plan pages: the plan file, relative to the repository root."""
    toc: tuple[tuple[str, str, str], ...] = ()
    """Headings made as HTML, for the table of contents: (where, title, anchor), where is before or after."""
    render_late: Render | None = None
    """The page's late slots, when they are made apart from ``render``: the plugin makes them in the
    background while MkDocs renders Markdown, since nothing reads them before the page is written."""
    untrusted: bool = False
    """The Markdown holds a plan's body, which anyone who can open a pull request writes: its HTML is
    sanitised (:mod:`kamdocs.site.sanitize`) before the slots are filled, unless ``raw_html`` is on."""


WIDE = ("toc",)
"""Roll-up pages whose headings are few give the table of contents' width to their tables."""


def markdown(title: str, parts: Iterable[str], hide: Sequence[str] = ()) -> str:
    """Page Markdown with an escaped title in the meta, so no theme can inject it.

    ``hide`` lists the parts of Material's page to leave out (``toc``, ``navigation``):
    a roll-up table needs the width more than a table of contents of three headings.
    """
    hidden = f"hide: {json.dumps(list(hide))}\n" if hide else ""
    head = f"---\ntitle: {json.dumps(esc(title))}\n{hidden}---\n\n"
    return head + "\n\n".join(parts) + "\n"
