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
  an ``<h1>`` or ``<h2>`` says which line starts which heading and what its title reads as (emphasis,
  entities and escapes resolved by the renderer itself). A heading whose title is listed hides its
  line and everything up to the next H1 or H2 the renderer made; a line the renderer did not turn
  into a heading never ends a hidden section. A listed heading that no word tracks (an extension's
  own syntax) hides from the heading before it. The result is analysed again, so cutting cannot
  make a new listed heading; what survives three rounds hides the whole body.

Everything is linear in the body's length apart from the renderer's own work.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import markdown as markdown_lib

from kamdocs.errors import KamdocsError

HtmlOf = Callable[[str], str]
"""A plan body's Markdown as the site renders it to HTML."""

BODY_EXTENSIONS = ("tables", "fenced_code", "footnotes", "def_list", "sane_lists", "admonition", "toc")
"""Python-Markdown's own extensions for a plan's body in rendered pages (``kamdocs render``, ``export``);
docs/engines.md lists them. The plugin uses the extensions of ``mkdocs.yml`` instead."""

MARKER_WORD = "confidential"


def body_renderer(extensions: Sequence[Any] = BODY_EXTENSIONS, configs: Mapping[str, Any] | None = None) -> HtmlOf:
    """One Python-Markdown converter with ``extensions``, reset for each body, as a site engine uses it."""
    converter = markdown_lib.Markdown(extensions=list(extensions), extension_configs=dict(configs or {}))

    def html_of(text: str) -> str:
        return converter.reset().convert(text)

    return html_of


# Titles.


def title_key(title: str) -> str:
    """A heading title as confidentiality compares it: what a reader takes for the same title.

    Case, spacing, punctuation, symbols, invisible format characters, compatibility forms
    (full-width letters) and a leading section number (``6.``, ``2.3``) are ignored, so
    ``6. Pricing-Strategy:`` is ``Pricing strategy``.
    """
    text = unicodedata.normalize("NFKC", title)
    words = "".join(ch if ch.isalnum() else " " for ch in text if unicodedata.category(ch) != "Cf").casefold().split()
    while words and words[0].isdigit():
        words.pop(0)
    return " ".join(words)


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
        shown = body[begin:end] if end - begin <= 80 else body[begin : begin + 77] + "..."
        if not exact:
            problems.append(
                MarkerProblem(
                    begin,
                    f"a comment {shown!r} that names confidentiality but is no marker; the site takes it for "
                    + ("<!-- /confidential -->" if kind == "close" else "<!-- confidential -->"),
                    "write <!-- confidential --> to open and <!-- /confidential --> to close, or reword the comment",
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
_RAW_HEADING = re.compile(r"<h[12]\b", re.I)
_NO_WORD_AFTER = ("[", "`", "~", "<", "*[", ":", "!!!", "???", "|", "{", "\\")
"""Setext title lines that a word at their end could change (a reference definition, a fence, raw
HTML, an abbreviation ...): they are left untracked, which fails closed."""
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "details",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
"""Elements that start a new line of a heading's text: a raw ``<h2>`` left open runs on into them."""


@dataclass(frozen=True)
class Heading:
    """An H1 or H2 as the renderer made it: its level and its text (a line per block inside it)."""

    level: int
    title: str


class _Headings(HTMLParser):
    """The H1s and H2s of rendered HTML with their text, and the comments; the table of contents'
    permalinks left out of the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Heading] = []
        self.comments: list[str] = []
        self.code: list[str] = []
        """The text inside ``<pre>`` and ``<code>``, outside headings."""
        self._code = 0
        self._level = 0
        self._depth = 0
        self._text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._level:
            self._code += tag in ("pre", "code")
            if tag in ("h1", "h2"):
                self._level, self._depth, self._text = int(tag[1]), 1, []
            return
        if tag == f"h{self._level}":
            self._depth += 1
        if tag in _BLOCKS:
            self._text.append("\n")
        if tag == "a" and (self._skip or "headerlink" in (dict(attrs).get("class") or "").split()):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if not self._level:
            if tag in ("pre", "code") and self._code:
                self._code -= 1
            return
        if tag == "a" and self._skip:
            self._skip -= 1
        elif tag == f"h{self._level}":
            self._depth -= 1
            if self._depth == 0:
                self._done()
        elif tag in _BLOCKS:
            self._text.append("\n")

    def _done(self) -> None:
        self.found.append(Heading(self._level, "".join(self._text)))
        self._level, self._skip = 0, 0

    def handle_data(self, data: str) -> None:
        if self._level:
            if not self._skip:
                self._text.append(data)
        elif self._code:
            self.code.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def close(self) -> None:
        super().close()
        if self._level:  # a heading left open runs to the end, as a browser shows it
            self._done()


def _parsed(html: str) -> _Headings:
    parser = _Headings()
    parser.feed(html)
    parser.close()
    return parser


def html_headings(html: str) -> list[Heading]:
    """The H1s and H2s of ``html`` in document order, nested ones too, with their text."""
    return _parsed(html).found


class Titles:
    """The listed section titles, and whether a heading's text is one of them.

    A heading's text is its title, or, when it runs on (a raw ``<h2>`` left open, a title over
    several lines), any of its first lines: ``<h2>Pricing strategy`` followed by the section's text
    in the same heading still hides.
    """

    def __init__(self, sections: Collection[str]) -> None:
        self.keys = frozenset(title_key(s) for s in sections) - {""}
        self.longest = max((len(k.split()) for k in self.keys), default=0)

    def __bool__(self) -> bool:
        return bool(self.keys)

    def match(self, text: str) -> bool:
        if title_key(text) in self.keys:
            return True
        words: list[str] = []
        for line in text.split("\n"):
            words += title_key(line).split() if not words else _words(line)
            if " ".join(words) in self.keys:
                return True
            if len(words) > self.longest:
                return False
        return False


def _words(text: str) -> list[str]:
    return title_key("x " + text).split()[1:]  # no leading number dropped: it is not the title's start


def leaked_titles(html: str, sections: Collection[str]) -> list[str]:
    """Headings in rendered HTML whose title is listed as confidential, and surviving markers: the
    final check on a page, after the body was cut. Empty when nothing was left that should not be."""
    titles = Titles(sections)
    parsed = _parsed(html)
    leaks = [h.title.strip() for h in parsed.found if titles and titles.match(h.title)]
    return leaks + [f"<!--{c}-->" for c in parsed.comments if _marker(c) is not None]


class ConfidentialLeak(KamdocsError):
    """A page would show a heading listed as confidential, or a marker: the build stops instead."""


def check_page(html: str, sections: Collection[str], where: str) -> None:
    """The last check on a plan page's rendered body, after hiding: nothing listed may be left.

    It is the renderer's own output, so it holds whatever the body analysis missed; a build that
    would publish such a heading stops rather than publishes.
    """
    leaks = leaked_titles(html, sections)
    if leaks:
        raise ConfidentialLeak(
            f"{where}: the page would show {leaks[0][:80]!r}, which is marked confidential; the build stops "
            "rather than publish it. Write the section's heading as a Markdown heading (## Title) or mark "
            "the text with <!-- confidential --> ... <!-- /confidential -->"
        )


def _word_prefix(text: str) -> str:
    """Letters that appear nowhere in ``text`` (case folded), to make words no body can forge."""
    folded = text.casefold()
    prefix = "kdh"
    while prefix in folded:
        prefix += "q"
    return prefix


def _tracked(lines: list[str], prefix: str) -> tuple[list[str], dict[int, str]]:
    """The lines with a word (``<prefix><line>x``) where each line that may start a heading has its title
    (after an ATX line's ``#`` run, after a raw ``<h1>``/``<h2>`` tag, at the end of a setext title), and
    each such line's title as written."""
    inserts: list[list[tuple[int, str]]] = [[] for _ in lines]
    written: dict[int, str] = {}
    for i, line in enumerate(lines):
        text = line.rstrip("\r")
        word = f"{prefix}{i}x"
        atx = _ATX_START.match(text)
        if atx:
            inserts[i].append((atx.end(), f"{word} "))
            written[i] = text[atx.end() :].rstrip(" \t#")
        for raw in _RAW_HEADING.finditer(text):
            close = text.find(">", raw.end())
            if close < 0:
                break  # no later tag on this line ends either
            inserts[i].append((close + 1, f"{word} "))
            end = text.find("<", close + 1)
            written.setdefault(i, text[close + 1 : end if end >= 0 else len(text)])
        if i and _UNDERLINE.fullmatch(text) and lines[i - 1].strip():
            title = lines[i - 1].rstrip("\r")
            if not title.lstrip(" \t>").startswith(_NO_WORD_AFTER) and not _ATX_START.match(title):
                inserts[i - 1].append((len(title), f" {prefix}{i - 1}x"))
            written.setdefault(i - 1, title.lstrip(" \t>"))
    out = []
    for line, points in zip(lines, inserts, strict=True):
        for at, word in sorted(points, reverse=True):
            line = line[:at] + word + line[at:]
        out.append(line)
    return out, written


@dataclass(frozen=True)
class _Boundary:
    line: int
    hides: bool


def _boundaries(body: str, titles: Titles, html_of: HtmlOf) -> list[_Boundary] | None:
    """Where hidden sections start and end, by line, as the renderer sees the body; ``None`` when
    a listed heading cannot be placed (the whole body is then hidden)."""
    prefix = _word_prefix(body)
    words = re.compile(re.escape(prefix) + r"(\d+)x ?")
    tracked, written = _tracked(body.split("\n"), prefix)
    parsed = _parsed(html_of("\n".join(tracked)))
    found: list[_Boundary] = []
    headed: set[int] = set()
    last_line, ordered = -1, True
    for heading in parsed.found:
        at = [int(n) for n in words.findall(heading.title)]
        headed.update(at)
        hides = titles.match(words.sub("", heading.title))
        if at:
            line = min(at)
            ordered = ordered and line >= last_line
            last_line = max(last_line, line)
            found.append(_Boundary(line, hides))
        elif hides:
            # A listed heading no word tracks lies after the last tracked one in document order:
            # hide from there (or from the start), which may hide a little more than the section.
            if not ordered:
                return None
            found.append(_Boundary(max(last_line, 0), True))
    # A line written as a listed heading that the renderer shows as text (``   ## Title``, a heading
    # in raw HTML) still starts a hidden section: the author meant one. Shown as code, it does not.
    in_code = {int(n) for n in words.findall("".join(parsed.code))}
    for line, title in written.items():
        if line not in headed and line not in in_code and titles.match(title):
            found.append(_Boundary(line, True))
    return sorted(found, key=lambda b: (b.line, not b.hides))


def _cut(body: str, found: list[_Boundary]) -> str:
    """The body without the lines from each hiding boundary up to the next boundary that does not hide."""
    lines = body.split("\n")
    kept: list[str] = []
    start, hiding_from = 0, -1
    for boundary in found:
        if hiding_from < 0:
            if boundary.hides:
                kept += lines[start : boundary.line]
                hiding_from = boundary.line
        elif not boundary.hides and boundary.line > hiding_from:
            start, hiding_from = boundary.line, -1
    if hiding_from < 0:
        kept += lines[start:]
    return "\n".join(kept)


ROUNDS = 3
"""How often a body is analysed and cut before a listed heading that keeps appearing hides it all."""


def strip_sections(body: str, sections: Collection[str], html_of: HtmlOf) -> str:
    """The body without the sections whose title is listed, as the renderer makes its headings."""
    titles = Titles(sections)
    if not titles or not body.strip():
        return body
    for _ in range(ROUNDS):
        found = _boundaries(body, titles, html_of)
        if found is None:
            return ""
        if not any(b.hides for b in found):
            return body
        body = _cut(body, found)
    found = _boundaries(body, titles, html_of)
    return body if found is not None and not any(b.hides for b in found) else ""


def public_body(body: str, sections: Collection[str], html_of: HtmlOf) -> tuple[str, Markers]:
    """The body as the site may show it: markers first (which may join a listed title), then sections."""
    markers = strip_markers(body)
    return strip_sections(markers.text, sections, html_of), markers
