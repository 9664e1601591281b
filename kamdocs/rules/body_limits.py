"""How much a plan's body may make the Markdown renderer and the search plugin do.

kamdocs hands a plan's body to Python-Markdown (its own ``render``, and MkDocs in a site build) and
the page to the theme's search plugin. Each has paths whose cost grows with the square of some
count in the text, and one that recurses once per level of nesting; kamdocs cannot change them, so
it bounds what it hands over. Each bound is far above any real plan and far below where those
paths cost a second (docs/performance.md has the figures):

- ``body-nesting``: lists, block quotes, indented blocks or HTML elements nested deeper than
  :data:`MAX_NESTING`, or more than :data:`MAX_TOTAL_NESTING` levels over all lines. Python-Markdown recurses once per list level (about 500 levels exhaust
  Python's stack), and the search plugin looks through every open element for each tag and text.
- ``body-unclosed``: a ``[``, ``(`` or ``<tag`` with no close near it. Python-Markdown reads the rest
  of the paragraph again for each ``[`` or ``(`` it cannot close, and the HTML parser the rest of
  the body for each ``<tag`` without a ``>``; 20,000 ``[`` (39 KiB) took three minutes. The
  characters read again are counted exactly as those loops read them, and at most
  :data:`MAX_REREAD` are allowed in a body.
- ``body-too-many``: more non-blank lines than :data:`MAX_LINES`, a block (lines without a blank one
  between them) longer than :data:`MAX_BLOCK_LINES`, more footnotes than :data:`MAX_FOOTNOTES`, or
  more fenced code blocks than :data:`MAX_FENCES`, or blocks whose length times their markup
  characters add up to more than :data:`MAX_INLINE_COST`. Python-Markdown splits a block off line by line
  and rebuilds the text for every code block, and each footnote costs it a millisecond.

Every bound is counted in one pass over the body, so checking a hostile plan costs what checking
any plan of its size does. Each finding is an error: the plan is not published until it is fixed.
"""

from __future__ import annotations

import re

from kamdocs.findings import Finding, finding
from kamdocs.plan.loader import SourceFile
from kamdocs.rules.checks import markdown_lines

MAX_NESTING = 32
"""Levels of lists, block quotes, indentation (4 columns) and HTML elements; real plans use a handful."""
MAX_REREAD = 1_000_000
"""Characters Python-Markdown and the HTML parser may read again for unclosed ``[``, ``(`` and ``<tag``."""
GRACE = 100
"""Characters between a bracket and its close that are not counted: a link's text is read once, not again."""
MAX_LINES = 5_000
"""Non-blank lines in a body: a plan of 30 pages has under 2,000."""
MAX_BLOCK_LINES = 500
"""Lines in one block, between blank lines: a table of 500 rows."""
MAX_FOOTNOTES = 200
"""Footnote references and definitions (``[^``)."""
MAX_FENCES = 100
"""Fenced code blocks (counted by their opening fence)."""
MAX_TOTAL_NESTING = 20_000
"""Levels of nesting of all lines added up: 5,000 lists 31 levels deep each took Python-Markdown 6 s."""
MAX_INLINE_COST = 2_000_000_000
"""A block's markup characters times its length, added up over the body: Python-Markdown copies an inline
text for each piece of markup it replaces, and one paragraph of 1 MiB of ``*a* _b_`` took 27 s."""
_MARKUP = "*_`[<&\\!"

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)|<[!?/]")
_ANY_BRACKET = re.compile(r"[][()\\]")
_SEARCH = {
    (square, round_): re.compile(r"\\.|\[\^?|\(" + ("|\\]" if square else "") + ("|\\)" if round_ else ""), re.S)
    for square in (False, True)
    for round_ in (False, True)
}
"""What to look for next in a line, by which kinds of bracket are open: never a closer with nothing to close."""
_NESTING_STARTS = frozenset(" \t>-*+0123456789")
_NESTING_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$)))*+")
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)  # elements that have no end tag
_OPTIONAL_END = frozenset(["p", "li", "dt", "dd", "tr", "td", "th", "option", "rt", "rp"])
"""Elements whose end tag may be left out: the next one of the same name closes the one before."""
_CLOSERS = {"]": "[", ")": "("}


def check_body_limits(source: SourceFile) -> list[Finding]:
    """The ``body-nesting``, ``body-unclosed`` and ``body-too-many`` findings of a plan's body, at most one each."""
    body = source.body
    if not body.strip():
        return []
    scan = _Scan(body)
    findings = []

    def at(rule: str, offset: int, message: str, hint: str) -> Finding:
        line = body.count("\n", 0, offset)
        column = offset - (body.rfind("\n", 0, offset) + 1) + 1
        return finding(rule, source.rel, source.body_line + line, column, "body", message, hint)

    if scan.deepest > MAX_NESTING:
        findings.append(
            at(
                "body-nesting",
                scan.deepest_at,
                f"expected lists, quotes and HTML elements nested at most {MAX_NESTING} levels deep, "
                f"found {scan.deepest} levels",
                "flatten the structure: a plan reads best a few levels deep",
            )
        )
    if scan.total_nesting > MAX_TOTAL_NESTING and scan.deepest <= MAX_NESTING:
        findings.append(
            at(
                "body-nesting",
                scan.total_nesting_at,
                f"expected at most {MAX_TOTAL_NESTING:,} levels of nesting in the whole body (each line's "
                f"depth added up), found {scan.total_nesting:,} (the limit is passed here)",
                "flatten the lists and quotes: a plan reads best a few levels deep",
            )
        )
    if scan.inline_cost > MAX_INLINE_COST:
        _, chars, marks = scan.inline_worst
        findings.append(
            at(
                "body-too-many",
                scan.inline_at,
                f"expected shorter blocks of text, or fewer of {', '.join(repr(m) for m in _MARKUP)} in them, found "
                f"a block of {chars:,} characters with {marks:,} of them, which the Markdown renderer would copy "
                "the block for",
                "split the text into paragraphs with blank lines between them",
            )
        )
    if scan.reread > MAX_REREAD:
        findings.append(
            at(
                "body-unclosed",
                scan.worst_at,
                f"expected each '[', '(' and '<' closed near where it opens, found brackets from here on that the "
                f"Markdown renderer would read more than {MAX_REREAD:,} characters again for, to look for their close",
                "close them, or write a bracket meant as text as '\\[', '\\(' or '&lt;'",
            )
        )
    too_many = [
        (scan.lines, MAX_LINES, "non-blank lines in the body", scan.lines_at, "move detail into linked documents"),
        (
            scan.block,
            MAX_BLOCK_LINES,
            "lines in one block without a blank line",
            scan.block_at,
            "separate paragraphs, lists and tables with blank lines, and split a long table",
        ),
        (
            scan.footnotes,
            MAX_FOOTNOTES,
            "footnote references and definitions ('[^')",
            scan.footnotes_at,
            "write the notes in the text",
        ),
        (scan.fences, MAX_FENCES, "fenced code blocks", scan.fences_at, "join the code into fewer blocks"),
    ]
    for count, limit, what, offset, hint in too_many:
        if count > limit:
            findings.append(at("body-too-many", offset, f"expected at most {limit:,} {what}, found {count:,}", hint))
    return findings


class _Scan:
    """One pass over a body, counting what the bounds are about; each character is read a few times."""

    def __init__(self, body: str) -> None:
        self.deepest = 0
        self.deepest_at = -1
        self.reread = 0
        self.worst_at = 0
        self.lines = self.block = self.footnotes = self.fences = 0
        self.lines_at = self.block_at = self.footnotes_at = self.fences_at = 0
        self._open: dict[str, list[int]] = {"[": [], "(": []}  # where each open bracket of the block is, innermost last
        self._open_sum = 0  # the sum of those positions, so what they cost so far is known without a loop
        self._block_reread = 0
        self._block_first = 0
        self._worst_block = 0
        self.total_nesting = 0
        self.total_nesting_at = -1
        self.inline_cost = 0
        self.inline_worst = (0, 0, 0)  # cost, characters, markup characters of the costliest block
        self.inline_at = 0
        self._block_start = self._block_chars = self._block_marks = 0
        offset = 0
        run = 0
        previous_code = False
        prose: list[str] = []  # the body with fenced code blanked out, each character where it was
        for line, code in markdown_lines(body):
            if code and not previous_code:
                self.fences += 1
                if self.fences == MAX_FENCES + 1:
                    self.fences_at = offset
            if line.strip():
                self.lines += 1
                run += 1
                if self.lines == MAX_LINES + 1:
                    self.lines_at = offset
                if run > self.block:
                    self.block = run
                    if run == MAX_BLOCK_LINES + 1:
                        self.block_at = offset
            else:
                run = 0
            if code:
                self._end_block(offset)
                prose.append(" " * len(line))
            else:
                self._line(line, offset)
                prose.append(line)
            previous_code = code
            offset += len(line) + 1
        self._end_block(offset)
        self._tags("\n".join(prose))

    @property
    def over(self) -> bool:
        """Whether the brackets already cost more than allowed: the rest need not be followed."""
        return self.reread > MAX_REREAD

    def _deeper(self, depth: int, offset: int) -> None:
        """The deepest level seen, and the first place past the bound (lines and tags are read apart)."""
        self.deepest = max(self.deepest, depth)
        if depth > MAX_NESTING and (self.deepest_at < 0 or offset < self.deepest_at):
            self.deepest_at = offset

    def _footnote(self, at: int) -> None:
        self.footnotes += 1
        if self.footnotes == MAX_FOOTNOTES + 1:
            self.footnotes_at = at

    def _line(self, line: str, offset: int) -> None:
        """One line outside fenced code: its nesting prefix, and its brackets within the block."""
        if not line or line.isspace():
            self._end_block(offset)
            return
        if line[0] in _NESTING_STARTS:
            self._nesting(line, offset)
        if not self._block_chars:
            self._block_start = offset
        self._block_chars += len(line) + 1
        self._block_marks += sum(line.count(mark) for mark in _MARKUP)
        if _ANY_BRACKET.search(line) is None:
            return
        if self.over:  # the finding is certain; only the footnotes are still counted
            for _ in range(line.count("[^")):
                self._footnote(offset + line.index("[^"))
            return
        self._brackets(line, offset)

    def _nesting(self, line: str, offset: int) -> None:
        """A line's quote and list markers and its indentation: the levels the renderer nests it in."""
        prefix = _NESTING_PREFIX.match(line)
        assert prefix is not None  # the pattern matches the empty string
        markers = sum(1 for ch in prefix.group(0) if ch not in " \t")
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        self._deeper(markers + indent // 4, offset)
        self.total_nesting += markers + indent // 4
        if self.total_nesting > MAX_TOTAL_NESTING and self.total_nesting_at < 0:
            self.total_nesting_at = offset

    def _brackets(self, line: str, offset: int) -> None:
        """The line's brackets: what each closer made the renderer read again, and each opener's place."""
        position = 0
        while True:
            # Search only for what can count: openers, and the closers of a kind that is open. A closer
            # with nothing to close is skipped by the pattern, so a million of them cost no loop turns.
            match = _SEARCH[bool(self._open["["]), bool(self._open["("])].search(line, position)
            if match is None:
                return
            position = match.end()
            text = match.group(0)
            at = offset + match.start()
            if text[0] == "\\":
                continue
            if text == "[^":
                self._footnote(at)
                text = "["
            if text in _CLOSERS:
                # The renderer read from the innermost open bracket of this kind to here.
                where = self._open[_CLOSERS[text]].pop()
                self._open_sum -= where
                self._block_reread += max(0, at - where - GRACE)
                continue
            if not self._open["["] and not self._open["("]:
                self._block_first = at
            self._open[text].append(at)
            self._open_sum += at
            opened = len(self._open["["]) + len(self._open["("])
            if self.reread + self._block_reread + opened * at - self._open_sum > MAX_REREAD:
                self._end_block(at)  # already too costly, however the block goes on
                return

    def _end_block(self, offset: int) -> None:
        """At a blank line or fenced code: every bracket still open was read to here, for nothing."""
        opened = len(self._open["["]) + len(self._open["("])
        self._block_reread += opened * offset - self._open_sum
        self._open["["].clear()
        self._open["("].clear()
        self._open_sum = 0
        cost = self._block_chars * self._block_marks
        self.inline_cost += cost
        if cost > self.inline_worst[0]:
            self.inline_worst, self.inline_at = (cost, self._block_chars, self._block_marks), self._block_start
        self._block_chars = self._block_marks = 0
        self.reread += self._block_reread
        if self._block_reread > self._worst_block:
            self._worst_block, self.worst_at = self._block_reread, self._block_first
        self._block_reread = 0

    def _tags(self, prose: str) -> None:
        """HTML outside fenced code: the depth of open elements, and what a ``<tag`` with no ``>`` makes
        the HTML parser read again (the rest of the body, once for each)."""
        open_elements: list[str] = []
        reread = 0
        first_unclosed = -1
        close_at = -1  # the first '>' after the tag; searched again only once the tags pass it
        for match in _TAG.finditer(prose):
            if close_at < match.end():
                close_at = prose.find(">", match.end())
                if close_at < 0:
                    close_at = len(prose) + 1  # no '>' to the end: this tag and every later one are open
            if close_at > len(prose):  # no '>' to the end: this and every later tag stay open
                reread += len(prose) - match.start()
                if first_unclosed < 0:
                    first_unclosed = match.start()
                if self.reread + reread > MAX_REREAD:
                    break
                continue
            name = (match.group(2) or "").lower()
            if not name or name in _VOID or prose[close_at - 1] == "/":
                continue
            if match.group(1):
                # An end tag closes its element, and any left open inside it (near the top only); one
                # that matches nothing open closes nothing, as the search plugin and browsers have it.
                near = open_elements[-8:][::-1]
                if name in near:
                    del open_elements[len(open_elements) - 1 - near.index(name) :]
            elif not (open_elements and open_elements[-1] == name and name in _OPTIONAL_END):
                open_elements.append(name)  # a second <p> or <li> in a row closes the first instead
                self._deeper(len(open_elements), match.start())
        self.reread += reread
        if reread > self._worst_block:
            self.worst_at = first_unclosed
