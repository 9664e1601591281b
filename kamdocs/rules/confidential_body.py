"""The confidential parts of a plan's body, decided on what the Markdown renderer makes of it.

A second parser of Markdown disagrees with the renderer at the edges (``##Title`` without a
space, a line starting with inline code taken for a fence, an unclosed fence), and every
disagreement published a hidden section. So nothing here guesses what is a heading or code:

- **Markers** (``<!-- confidential -->`` ... ``<!-- /confidential -->``) are found in the text
  itself, wherever they are: at any position of a line, several on a line, nested (counted by
  depth), in code too (failing closed: a marker shown as code still hides). An unclosed marker
  hides the rest of the body. A comment that names confidentiality but is no marker, or a closing
  marker without an opening one, is a :class:`MarkerProblem`; the site fails closed on each (the
  first is taken for a marker; a stray close hides back to the previous hidden part or the start).
- **Sections** are decided by rendering the body with the site's own Python-Markdown and
  extensions. Every line that may start a heading gets a unique word; in the HTML, the word inside
  a heading says which line starts which heading and what its title reads as (emphasis, entities
  and escapes resolved by the renderer itself). A heading that names a listed title (:class:`Titles`)
  hides its line and everything up to the next heading of its level or higher (an H1 counts as an
  H2, as the site demotes it) that the renderer made; a line the renderer did not turn into a
  heading never ends a hidden section. A line written as such a heading hides too, however the
  renderer shows it (text, code, raw HTML), and a listed heading that no word tracks (an
  extension's own syntax) hides from the heading before it. The result is analysed again, so
  cutting cannot make a new listed heading; what survives three rounds hides the whole body.
- :func:`check_page` then reads each plan page's rendered body, as the site made it, and stops
  the build if a listed heading or a marker is left.

Everything here is linear in the body's length; the renderer's own cost is its own.
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import product
from string import ascii_lowercase
from typing import Any

import markdown as markdown_lib

from kamdocs.errors import KamdocsError

HtmlOf = Callable[[str], str]
"""A plan body's Markdown as the site renders it to HTML."""

BODY_EXTENSIONS = ("tables", "fenced_code", "footnotes", "def_list", "sane_lists", "admonition", "toc")
"""Python-Markdown's own extensions for a plan's body in rendered pages (``kamdocs render``, ``export``);
docs/engines.md lists them. The plugin uses the extensions of ``mkdocs.yml`` instead."""

MARKER_WORD = "confidential"


_STRUCTURE_ONLY = frozenset({"toc", "markdown.extensions.toc", "admonition", "markdown.extensions.admonition"})
"""Extensions the analysis leaves out, for time quadratic in a body's headings that it would add to
the site's own: ``toc`` adds ids and permalinks to headings and makes none; ``admonition`` makes
headings only from indented lines, which without it are code, so leaving it out can only take
headings away, never add one: a hidden section then ends later, not sooner (and a line written as a
listed heading hides whatever it renders as)."""


def body_renderer(extensions: Sequence[Any] = BODY_EXTENSIONS, configs: Mapping[str, Any] | None = None) -> HtmlOf:
    """One Python-Markdown converter with the site's ``extensions``, reset for each body, to see which
    headings the site's renderer makes (see :data:`_STRUCTURE_ONLY`)."""
    kept = [e for e in extensions if not (isinstance(e, str) and e in _STRUCTURE_ONLY)]
    options = {k: v for k, v in (configs or {}).items() if k not in _STRUCTURE_ONLY}
    converter = markdown_lib.Markdown(extensions=kept, extension_configs=options)

    def html_of(text: str) -> str:
        return converter.reset().convert(text)

    return html_of


# Titles.


def title_key(title: str) -> str:
    """A heading title as confidentiality compares it: what a reader takes for the same title.

    Case, spacing, punctuation, symbols, invisible format characters, compatibility forms
    (full-width letters) and a leading section number (``6.``, ``2.3``; not a title that is only a
    number) are ignored, so
    ``6. Pricing-Strategy:`` is ``Pricing strategy``.
    """
    text = unicodedata.normalize("NFKC", title)
    words = "".join(ch if ch.isalnum() else " " for ch in text if unicodedata.category(ch) != "Cf").casefold().split()
    first = next((i for i, w in enumerate(words) if not w.isdigit()), 0)  # a title of numbers keeps them
    return " ".join(words[first:])


# Markers.


@dataclass(frozen=True)
class MarkerProblem:
    """A marker that cannot be honoured as written; ``offset`` is its place in the body."""

    offset: int
    found: str
    hint: str


@dataclass(frozen=True)
class Markers:
    """The body without its marked parts, where the outermost unclosed marker is, and what was ambiguous."""

    text: str
    unclosed: int | None
    problems: tuple[MarkerProblem, ...]


def _comments(text: str) -> Iterator[tuple[int, int, str]]:
    """Each HTML comment: start, end and inside. An unterminated one runs to the end of the text.

    As HTML reads them: a comment ends at the first ``-->``. Found with ``str.find``, so the scan
    is linear even for thousands of ``<!--`` without an end.
    """
    at = 0
    while (start := text.find("<!--", at)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            yield start, len(text), text[start + 4 :]
            return
        yield start, end + 3, text[start + 4 : end]
        at = end + 3


def _folded(text: str) -> str:
    """Text without spaces and invisible format characters, case folded: how a marker is compared."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf").casefold()


def _marker(inside: str) -> tuple[str, bool] | None:
    """``("open" | "close", exact)`` for a comment that is, or may be meant as, a marker; else ``None``."""
    squeezed = "".join(_folded(inside).split()).strip("-")
    if squeezed == MARKER_WORD:
        return "open", True
    if squeezed == "/" + MARKER_WORD:
        return "close", True
    if MARKER_WORD in squeezed:
        return ("close" if squeezed.startswith(("/", "end")) else "open"), False
    return None


def strip_markers(body: str) -> Markers:
    """The body with every marked part taken out, markers included, counted by depth.

    A part is replaced by the line breaks it held (or a space), so the lines around it keep their
    numbers and no two pieces of text join into a new marker or word.
    """
    spans: list[tuple[int, int]] = []
    problems: list[MarkerProblem] = []
    depth, start, kept_from = 0, 0, 0
    for begin, end, inside in _comments(body):
        marker = _marker(inside)
        if marker is None:
            continue
        kind, exact = marker
        if not exact:
            problems.append(
                MarkerProblem(
                    begin,
                    # The comment itself is not quoted: it may hold what it was meant to hide.
                    "a comment that names confidentiality but is no marker; the site takes it for "
                    + ("<!-- /confidential -->" if kind == "close" else "<!-- confidential -->"),
                    f"write {'<!-- /confidential -->' if kind == 'close' else '<!-- confidential -->'} if it marks "
                    "confidential text, or reword the comment without the word",
                )
            )
        if kind == "open":
            if depth == 0:
                start = begin
            depth += 1
        elif depth == 0:
            problems.append(
                MarkerProblem(
                    begin,
                    "<!-- /confidential --> with no <!-- confidential --> before it; the site leaves out "
                    "everything before it, back to the previous hidden part",
                    "add <!-- confidential --> where the confidential text starts, or delete this marker",
                )
            )
            spans.append((kept_from, end))
            kept_from = end
        else:
            depth -= 1
            if depth == 0:
                spans.append((start, end))
                kept_from = end
    unclosed = start if depth else None
    if depth:
        spans.append((start, len(body)))
    if not spans:
        return Markers(body, None, tuple(problems))
    pieces, at = [], 0
    for begin, end in spans:
        pieces.append(body[at:begin])
        breaks = body.count("\n", begin, end)
        pieces.append("\n" * breaks if breaks else " ")
        at = end
    pieces.append(body[at:])
    return Markers("".join(pieces), unclosed, tuple(problems))


def marker_comments(html: str) -> list[str]:
    """The comments in a page's HTML that are, or may be meant as, markers: none may survive hiding."""
    return [body for _, _, body in _comments(html) if _marker(body) is not None]


# Sections.

_ATX_START = re.compile(r"[ \t>*+\-\d.)]*#+[ \t]*")
"""Where a line that may be an ATX heading has its title: after any container prefix (quotes, list
markers, indentation) and the run of ``#``. Anchored and without nested repetition: linear."""
_UNDERLINE = re.compile(r"[ \t>]*[=\-]+[ \t]*")
_RAW_HEADING = re.compile(r"<h[1-6]\b", re.I)
_HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
_NO_WORD_AFTER = ("[", "`", "~", "<", "*[", ":", "!!!", "???", "|", "{", "\\")
"""Setext title lines that a word at their end could change (a reference definition, a fence, raw
HTML, an abbreviation ...): they are left untracked, which fails closed."""


@dataclass(frozen=True)
class Heading:
    """A heading as the renderer made it: its level (an H1 counts as an H2, as the site demotes it),
    its text, and whether the renderer moved it away from where it is written (into the footnotes)."""

    level: int
    title: str
    moved: bool = False


class _Parsed(HTMLParser):
    """The headings of rendered HTML with their text (the table of contents' permalinks left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[Heading] = []
        self._tag = ""
        self._depth = 0
        self._text: list[str] = []
        self._skip = 0
        self._divs = 0
        self._footnotes = 0
        """How deep in ``<div>``s, and at which depth the footnotes began (0: outside them)."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div":
            self._divs += 1
            if not self._footnotes and "footnote" in (dict(attrs).get("class") or ""):
                self._footnotes = self._divs
        if not self._tag:
            if tag in _HEADING_TAGS:
                self._tag, self._depth, self._text = tag, 1, []
            return
        self._depth += tag == self._tag
        if tag == "a" and (self._skip or "headerlink" in (dict(attrs).get("class") or "").split()):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._divs:
            if self._footnotes == self._divs:
                self._footnotes = 0
            self._divs -= 1
        if not self._tag:
            return
        if tag == "a" and self._skip:
            self._skip -= 1
        elif tag == self._tag:
            self._depth -= 1
            if self._depth == 0:
                self._done()

    def _done(self) -> None:
        self.headings.append(Heading(max(_HEADING_TAGS[self._tag], 2), "".join(self._text), bool(self._footnotes)))
        self._tag, self._skip = "", 0

    def handle_data(self, data: str) -> None:
        if self._tag and not self._skip:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        if self._tag:  # a heading left open runs to the end, as a browser shows it
            self._done()


def _parsed(html: str) -> _Parsed:
    parser = _Parsed()
    parser.feed(html)
    parser.close()
    return parser


def html_headings(html: str) -> list[Heading]:
    """The headings of ``html`` in document order, nested ones too, with their text."""
    return _parsed(html).headings


class Titles:
    """The listed section titles, and whether a heading's text names one of them.

    A heading names a listed title when its text holds it, compared by :func:`title_key` with the
    spaces taken out too: ``Pricing strategy``, ``6. Pricing-Strategy:``, ``Our pricing strategy
    2027`` and ``<h2>Pricing strategy`` left open with the section's text in it all do. This hides
    more than an exact match would, on purpose: the site fails closed.
    """

    def __init__(self, sections: Collection[str]) -> None:
        self.keys = frozenset(_compact(s) for s in sections) - {""}
        self._hashed = [re.compile(r"#\d*" + re.escape(key)) for key in self.keys]

    def may_appear(self, body: str) -> bool:
        """Whether a heading made from ``body`` may name a listed title: the body's letters and digits,
        tags and link destinations left out and entities read, hold one. A body that does not is not
        rendered for analysis; a heading that an extension makes from other text is then caught by
        :func:`check_page`, which stops the build."""
        stripped = _TAGS.sub("", body)
        # "a < b Pricing strategy > c" holds no tag; "Pri[](x)cing" shows no "x".
        for text in (body, stripped, _DESTINATIONS.sub("]", _IMAGES.sub("]", stripped))):
            squeezed = _SQUEEZE.sub("", unicodedata.normalize("NFKC", html_lib.unescape(text)).casefold())
            if any(key in squeezed for key in self.keys):
                return True
        return False

    def __bool__(self) -> bool:
        return bool(self.keys)

    def match(self, text: str) -> bool:
        compact = _compact(text)
        return any(key in compact for key in self.keys)

    def after_hashes(self, line: str) -> bool:
        """Whether a listed title follows a run of ``#`` anywhere in ``line`` (``text ## Title``, ``[^1]: ##
        Title``, ``## 2. Title``); ``#12 for the pricing strategy`` does not count. Linear in the line."""
        squeezed = _HASHED.sub("", unicodedata.normalize("NFKC", html_lib.unescape(line)).casefold())
        return any(pattern.search(squeezed) for pattern in self._hashed)


_TAGS = re.compile(r"<[^<>]*>")
_SQUEEZE = re.compile(r"[\W_]+")
_HASHED = re.compile(r"[^\w#]+|_")
_IMAGES = re.compile(r"!\[[^\[\]]*\]")
_DESTINATIONS = re.compile(r"\]\([^()]*\)|\]\[[^\[\]]*\]")
"""An image's text and a link's destination (``![alt]``, ``](x)``, ``][ref]``), which a page does not show
as text."""


def _compact(title: str) -> str:
    """The title's key without spaces; entities read first, for a title as written in the source."""
    return title_key(html_lib.unescape(title)).replace(" ", "")


def leaked_titles(html: str, sections: Collection[str]) -> list[str]:
    """Headings in rendered HTML that name a listed title, and surviving markers: the final check on
    a page, after the body was cut. Empty when nothing was left that should not be."""
    titles = Titles(sections)
    leaks = []
    if titles and titles.may_appear(html):  # a page whose text cannot name a title is not parsed
        leaks = [h.title.strip() for h in html_headings(html) if titles.match(h.title)]
    return leaks + [html[begin:end] for begin, end, inside in _comments(html) if _marker(inside) is not None]


class ConfidentialLeak(KamdocsError):
    """A page would show a heading listed as confidential, or a marker: the build stops instead."""


def check_page(html: str, sections: Collection[str], where: str) -> None:
    """The last check on a plan page's rendered body, after hiding: nothing listed may be left.

    It reads the renderer's own output, so it holds whatever the body analysis missed; a build that
    would publish such a heading stops rather than publishes.
    """
    leaks = leaked_titles(html, sections)
    if leaks:
        # Neither the heading nor the comment is quoted: either may hold what was meant to be hidden.
        what = "a confidential marker" if leaks[0].startswith("<!--") else "a heading with a confidential section title"
        raise ConfidentialLeak(
            f"{where}: the page would show {what} ({len(leaks)} in all); the build stops rather than publish "
            "it. Write the section's heading as a Markdown heading (## Title) or mark the text with "
            "<!-- confidential --> ... <!-- /confidential -->"
        )


def _word_prefix(text: str) -> str:
    """Letters that appear nowhere in ``text`` (case folded), to make words no body can forge."""
    folded = text.casefold()
    if "kdh" not in folded:
        return "kdh"
    taken = set(_PREFIXES_WRITTEN.findall(folded))  # one pass; "kdh" cannot overlap itself
    return next(
        f"kdh{''.join(letters)}" for letters in product(ascii_lowercase, repeat=5) if "".join(letters) not in taken
    )


_PREFIXES_WRITTEN = re.compile(r"kdh([a-z]{5})")
"""A body of 1 MiB holds at most 350,000 of these; there are 11.8 million, so one is always free."""


def _tracked(lines: list[str], prefix: str) -> tuple[list[str], dict[int, str], dict[int, str]]:
    """The lines with a word (``<prefix><line>x``) where each line that may start a heading has its title
    (after an ATX line's ``#`` run, after a raw ``<h1>`` to ``<h6>`` tag, at the end of a setext title),
    each such line's title as written, and every other line holding a ``#``."""
    inserts: list[list[tuple[int, str]]] = [[] for _ in lines]
    written: dict[int, str] = {}
    loose: dict[int, str] = {}
    for i, line in enumerate(lines):
        text = line.rstrip("\r")
        word = f"{prefix}{i}x"
        atx = _ATX_START.match(text)
        if atx:
            inserts[i].append((atx.end(), f"{word} "))
            written[i] = text[atx.end() :]
        elif "#" in text:
            loose[i] = text
        close = -1
        for raw in _RAW_HEADING.finditer(text):
            if raw.start() < close:
                continue  # inside the tag found last ("<h2<h2>"): each character is read once
            close = text.find(">", raw.end())
            if close < 0:
                break  # no later tag on this line ends either
            inserts[i].append((close + 1, f"{word} "))
            written[i] = written.get(i, "") + " " + text[close + 1 :]
        if i and _UNDERLINE.fullmatch(text) and lines[i - 1].strip():
            title = lines[i - 1].rstrip("\r")
            if not title.lstrip(" \t>").startswith(_NO_WORD_AFTER) and not _ATX_START.match(title):
                inserts[i - 1].append((len(title), f" {prefix}{i - 1}x"))
            written[i - 1] = written.get(i - 1, "") + " " + title
    out = []
    for line, points in zip(lines, inserts, strict=True):
        for at, word in sorted(points, reverse=True):
            line = line[:at] + word + line[at:]
        out.append(line)
    return out, written, loose


@dataclass(frozen=True)
class _Boundary:
    line: int
    level: int
    hides: bool


def _boundaries(body: str, titles: Titles, html_of: HtmlOf) -> list[_Boundary] | None:
    """Where hidden sections start and end, by line, as the renderer sees the body; ``None`` when
    a listed heading cannot be placed (the whole body is then hidden)."""
    prefix = _word_prefix(body)
    words = re.compile(re.escape(prefix) + r"(\d+)x ?")
    tracked, written, loose = _tracked(body.split("\n"), prefix)
    parsed = _parsed(html_of("\n".join(tracked)))
    found: list[_Boundary] = []
    last_line, ordered = -1, True
    headed: set[int] = set()
    for heading in parsed.headings:
        at = [int(n) for n in words.findall(heading.title)]
        headed.update(at)
        hides = titles.match(words.sub("", heading.title))
        if at and heading.moved and not hides:
            continue  # shown elsewhere (a footnote's heading): it ends no section where it is written
        if at:
            line = min(at)
            ordered = ordered and line >= last_line
            last_line = max(last_line, line)
            found.append(_Boundary(line, heading.level, hides))
        elif hides:
            # A listed heading no word tracks lies after the last tracked one in document order:
            # hide from there (or from the start), which may hide a little more than the section.
            if not ordered:
                return None
            found.append(_Boundary(max(last_line, 0), 2, True))
    # A line written as a heading with a listed title hides too, however the renderer shows it: as
    # text ("   ## Title", "[^1]: ## Title"), in raw HTML, or as code (a fence left open runs to the end
    # with some extensions). The author meant a section; only the renderer's headings end one.
    found += [_Boundary(n, 2, True) for n, title in written.items() if n not in headed and titles.match(title)]
    found += [_Boundary(line, 2, True) for line, text in loose.items() if titles.after_hashes(text)]
    return sorted(found, key=lambda b: (b.line, not b.hides))


def _cut(body: str, found: list[_Boundary]) -> str:
    """The body without each hidden section: from a heading that names a listed title up to the next
    heading of the same or a higher level (an H1 or H2 for an H1 or H2) that does not."""
    lines = body.split("\n")
    kept: list[str] = []
    start, hiding_from, level = 0, -1, 0
    for boundary in found:
        if hiding_from < 0:
            if boundary.hides:
                kept += lines[start : boundary.line]
                hiding_from, level = boundary.line, boundary.level
        elif boundary.hides:
            level = min(level, boundary.level)
        elif boundary.level <= level and boundary.line > hiding_from:
            start, hiding_from = boundary.line, -1
    if hiding_from < 0:
        kept += lines[start:]
    return "\n".join(kept)


ROUNDS = 3
"""How often a body is analysed and cut before a listed heading that keeps appearing hides it all."""


def strip_sections(body: str, sections: Collection[str], html_of: HtmlOf) -> str:
    """The body without the sections whose heading names a listed title, as the renderer makes headings."""
    titles = Titles(sections)
    if not titles:
        return body
    for _ in range(ROUNDS):
        if not titles.may_appear(body):  # the common case after one cut: the title is gone
            return body
        found = _boundaries(body, titles, html_of)
        if found is None:
            return ""
        if not any(b.hides for b in found):
            return body
        body = _cut(body, found)
    found = _boundaries(body, titles, html_of)
    return body if found is not None and not any(b.hides for b in found) else ""


_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]{1,200})\](?!:)")
_FOOTNOTE_DEF = re.compile(r" {0,3}\[\^([^\]\s]{1,200})\]:")


def drop_orphan_footnotes(before: str, after: str) -> str:
    """``after`` without the footnote definitions that only hidden text referred to.

    A footnote's definition usually sits at the end of the body, outside the hidden part that cites
    it, and Python-Markdown shows every definition, cited or not. A definition goes with the lines
    after it up to a blank line, and then every indented line (its further paragraphs).
    """
    cited = set(_FOOTNOTE_REF.findall(after))
    hidden = set(_FOOTNOTE_REF.findall(before)) - cited
    if not hidden:
        return after
    kept: list[str] = []
    dropping, blank = False, False
    for line in after.split("\n"):
        definition = _FOOTNOTE_DEF.match(line)
        if definition:
            dropping, blank = definition.group(1) in hidden, False
        elif dropping:
            if not line.strip():
                blank = True
            elif blank and not line.startswith(("    ", "\t")):
                dropping = False
        if not dropping:
            kept.append(line)
    return "\n".join(kept)


def public_body(body: str, sections: Collection[str], html_of: HtmlOf) -> tuple[str, Markers]:
    """The body as the site may show it: markers first (which may join a listed title), then sections,
    then the footnotes only hidden text cited."""
    markers = strip_markers(body)
    shown = strip_sections(markers.text, sections, html_of)
    if "[^" in body:
        dropped = drop_orphan_footnotes(body, shown)
        shown = strip_sections(dropped, sections, html_of) if dropped != shown else shown
    return shown, markers
