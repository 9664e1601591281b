"""Escaping for every place front-matter text lands.

Plan text is written by many people and ends up in HTML, Markdown tables and
spreadsheets; each destination has its own way of being tricked.
"""

from __future__ import annotations

import codecs
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
    }
)
_SPACES_FOR_LINE_BREAKS = str.maketrans(dict.fromkeys(_LINE_BREAKS, " "))
"""A line break would end the cell or list item and start a block of the author's own."""


def markdown_text(text: str) -> str:
    """Text that shows as itself wherever inline Markdown is rendered as HTML.

    For a table cell, a list item or a line of a plan body. Numeric character
    references rather than backslashes: they mean the same in Python-Markdown
    and GitHub's CommonMark, and inside a table cell. Control and bidi
    characters are written as escapes (:func:`one_line`): a job summary or an
    issue body is also read as plain text, in a log or a terminal.
    """
    return one_line(text.replace("\r\n", "\n").translate(_SPACES_FOR_LINE_BREAKS)).translate(_MARKDOWN)


markdown_cell = markdown_text
"""Text for one cell of a Markdown table (the same escaping as :func:`markdown_text`)."""


def markdown_code(text: str) -> str:
    """Text as one inline code span: on GitHub (an issue, a comment) it shows as itself and does nothing.

    Character references (:func:`markdown_text`) keep text from being Markdown or HTML, but GitHub
    finds its own links after that: a bare ``https://`` address or ``www.`` name, an ``@org/team``
    mention that notifies the team, an ``#12`` or ``org/repo#12`` reference, an ``:emoji:``. None of
    them is looked for inside code. The fence is one backtick longer than any run in the text, and
    line breaks, control and bidi characters are written as escapes (:func:`one_line`), so the span
    can neither end early nor break the line. A byte of a file name that is not UTF-8 (a lone
    surrogate, as Python reads it) is written as ``\\xe9`` (:func:`path_text`, through
    :func:`one_line`): GitHub would take the raw byte for a broken character.
    """
    shown = one_line(text)
    fence = "`" * (max(map(len, re.findall("`+", shown)), default=0) + 1)
    return f"{fence} {shown} {fence}"  # CommonMark drops one space on each side: `` `x` `` shows `x`


BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Characters that reorder the text around them: "txt.exe" can be made to show as "exe.txt"."""


_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(BIDI_CONTROLS))
"""What must not reach a terminal, a CI log or a one-line cell as itself, besides tab and line feed:
control characters (C0, DEL, C1: escape sequences, bells, carriage returns), the line and paragraph
separators, and the bidi controls. Other format characters (zero-width joiners in emoji, soft hyphens)
are harmless there."""
CONTROL_CHARACTER = re.compile(f"[{_CONTROLS}]")
"""One character that :func:`terminal_text` escapes: nothing a person means to type into a value."""
_UNSAFE_IN_A_LINE = re.compile(f"[\t\n{_CONTROLS}]")
_UNSAFE_IN_LINES = re.compile(f"(?!\r\n)[{_CONTROLS}]")


def _escaped_char(char: str) -> str:
    return char.encode("unicode_escape").decode("ascii")


def _escaped(match: re.Match[str]) -> str:
    return _escaped_char(match.group())


_UNDECODABLE = re.compile("[\ud800-\udfff]")
"""Lone surrogates: the bytes of a file name that are not UTF-8, as Python decodes them (``surrogateescape``)."""


def _escape_undecodable(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def path_text(name: str) -> str:
    """A file or folder name as text: each byte that is not UTF-8 written as ``\\xe9``.

    Linux takes any bytes in a file name; Python reads them with ``surrogateescape``
    (``plans/lat\\udce9``), which names the file on disk but is no text: encoded as
    UTF-8 it raises, and written through a terminal's ``surrogateescape`` it sends the
    raw byte. Kamdocs keeps the name as read for the file system and git, and shows
    it through this wherever it becomes text (terminal, JSON, CSV, xlsx, HTML), as
    ``ls --quoting-style=escape`` and Python's ``backslashreplace`` do.
    """
    return name if name.isascii() else _UNDECODABLE.sub(_escape_undecodable, name)


UNENCODABLE_AS_TEXT = "kamdocs-path-text"
"""The name of a codec error handler that writes what an output cannot encode as :func:`path_text` does
(``\\xe9``), and anything else the stream's encoding lacks as a backslash escape: the command line's
streams use it, so that no message, whichever file name it quotes, crashes or sends a raw byte."""


def _unencodable_as_text(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    part = path_text(error.object[error.start : error.end])
    return part.encode("ascii", "backslashreplace").decode("ascii"), error.end


codecs.register_error(UNENCODABLE_AS_TEXT, _unencodable_as_text)


_SHELL_PLAIN = re.compile(r"[A-Za-z0-9@%+=:,./_-]+")
_SHELL_HIDDEN = {"Cc", "Cf", "Cs", "Zl", "Zp"}
"""Characters a hint spells as bytes: controls, format characters (bidi), undecodable bytes, separators."""
_SHELL_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def shell_word(name: str) -> str:
    """A file name as one word of a command line that, pasted into bash or zsh, names the same file.

    A hint such as ``kamdocs review plans/north america/a.md`` splits at the space
    when pasted, and ``plans/lat\\xe9/a.md`` names no file. Plain names stay as they
    are; others are single-quoted; a name with bytes that are not UTF-8 or control
    or format characters (bidi controls) is written as ``$'plans/lat\\xe9/a.md'``
    (ANSI-C quoting), the one form that spells such bytes on a command line.
    """
    if _SHELL_PLAIN.fullmatch(name):
        return name
    if not any(unicodedata.category(c) in _SHELL_HIDDEN for c in name):
        return "'" + name.replace("'", "'\\''") + "'"
    out = []
    for char in name:
        if char in _SHELL_ESCAPES:
            out.append(_SHELL_ESCAPES[char])
        elif unicodedata.category(char) in _SHELL_HIDDEN:
            out.append("".join(f"\\x{byte:02x}" for byte in char.encode("utf-8", "surrogateescape")))
        else:
            out.append(char)
    return "$'" + "".join(out) + "'"


def one_line(text: str) -> str:
    """Text for one line of a terminal, a log or a CI annotation: line breaks, control and bidi
    characters written as escapes (``\\n``, ``\\x1b``, ``\\u202e``).

    A file name or a front-matter value may hold a line break. Printed raw, it
    would split a ``file:line:col`` line in two, and in GitHub Actions a line
    that starts with ``::`` after it would be run as a workflow command; an
    escape sequence would set the window title or clear the screen, and a bidi
    control would show the line in another order than it is. A file name's
    bytes that are not UTF-8 are shown as :func:`path_text` does.
    """
    return _UNSAFE_IN_A_LINE.sub(_escaped, path_text(text))


def terminal_text(text: str) -> str:
    """Lines for a terminal or a CI log, as :func:`one_line` but keeping the text's own line breaks
    (``\\n``, ``\\r\\n``) and tabs.

    Every command's output passes through it, as the last guard: a report's
    formats already put each value on one line with :func:`one_line`.
    """
    return _UNSAFE_IN_LINES.sub(_escaped, path_text(text))


FORMULA_START = frozenset("=+-@\u2212")
"""First characters that make a spreadsheet read a cell as a formula: the four of OWASP's list and the
Unicode minus sign. Compatibility forms (full-width ＝, small ﹦) count after NFKC normalisation, which
spreadsheets apply on input."""


def _ignored_by_a_spreadsheet(char: str) -> bool:
    """Characters a spreadsheet drops or a reader cannot see in front of a formula: whitespace,
    control characters (NUL, C1), format characters (bidi controls, zero-width, soft hyphen), separators."""
    return char.isspace() or unicodedata.category(char) in {"Cc", "Cf", "Zs", "Zl", "Zp", "Cn", "Co", "Cs"}


def _formula_start(char: str) -> bool:
    return char in FORMULA_START or unicodedata.normalize("NFKC", char)[:1] in FORMULA_START


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula: its first character that is not ignored or
    invisible is a formula start, or it starts with a tab or carriage return (OWASP)."""
    if text.startswith(("\t", "\r")):
        return True
    for char in text:
        if not _ignored_by_a_spreadsheet(char):
            return _formula_start(char)
    return False


def spreadsheet_text(text: str) -> str:
    """Text for one spreadsheet cell (xlsx), shown as text, never run as a formula: an apostrophe in
    front of what :func:`looks_like_formula`, as OWASP recommends. The one formula guard of every cell."""
    return "'" + text if looks_like_formula(text) else text


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula, on one line.

    Numbers are left as numbers. Text is guarded by :func:`spreadsheet_text`,
    and its line breaks and control characters written as escapes
    (:func:`one_line`): a CSV may be printed to a CI log, where a line break in
    a value would start a line of its own, and a workflow command with it.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    return one_line(spreadsheet_text(str(value)))


_HIDDEN_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}
"""Control characters, lone surrogates and line and paragraph separators: nothing a person types into one value."""


def character_name(char: str) -> str:
    """``U+001B`` or ``U+202E RIGHT-TO-LEFT OVERRIDE``, for a message (control characters have no name)."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def hidden_character(text: str) -> str | None:
    """The first character of ``text`` that would break a value given on one line, named for a message
    (``U+000A LINE FEED``; a control character has no Unicode name, so only its code), or None.

    A command-line value with a hidden break or escape code is a typo, not a value: YAML could
    carry it, but it would reach a workflow, a file name or a terminal as something else.
    """
    for char in text:
        if unicodedata.category(char) in _HIDDEN_CATEGORIES:
            return character_name(char)
    return None


def visible_text(text: str) -> str:
    """Text with every character that acts instead of showing written as its escape (``\\x1b``, ``\\u202e``):
    :func:`one_line`'s, and every other format character (zero-width ones, the soft hyphen, tags).

    For text from outside the plans that the site shows, such as commit subjects and author names: a
    right-to-left override would turn the rest of a history row around, an escape code would reach a
    terminal that prints the page, and a zero-width character would make two names look alike. The
    escape shows that something was there; the markup is escaped where the text lands, as always.
    Space-like characters (the no-break space) are kept, they are how names are written.
    """
    text = one_line(text)
    if text.isprintable():
        return text
    return "".join(_escaped_char(c) if unicodedata.category(c) == "Cf" else c for c in text)  # one_line took Cs
