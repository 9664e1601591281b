"""Patterns and loops over plan text read each character a bounded number of times (issue 19, item 5).

Two kinds of test: on short text, each rewritten function gives what the quadratic one it replaced
gave (kept here as the reference); on a line of 1 MiB, each finishes, in a subprocess with a
timeout, so that a pattern that turns quadratic again fails here instead of hanging the suite.
How long they take is measured in benchmarks/hostile_plans.py, never asserted here.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdocs.cli.options import _PLAIN_NUMBER
from kamdocs.plan.spellings import _NUMBER_WITH_WORDS
from kamdocs.rules.checks import ATX_HEADING
from kamdocs.site.html import _FIGURE
from kamdocs.site.svg import wrap

QUADRATIC_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
"""The heading pattern before issue 19: right on every line, but six minutes on ``## a`` + 120,000 spaces + ``b``."""


def test_heading_pattern_reads_every_short_line_as_before() -> None:
    """Every line of up to seven characters of spaces, tabs, hashes and letters, after each opening."""
    for length in range(8):
        for chars in itertools.product(" \t#ab", repeat=length):
            for opening in ("", "#", "##", " ##", "   ###", "#######"):
                line = opening + "".join(chars)
                before, now = QUADRATIC_ATX.fullmatch(line), ATX_HEADING.fullmatch(line)
                assert (before and before.groups()) == (now and now.groups()), repr(line)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from([" ", "\t", "#", "a", "é", "\r", "*", "`"]), max_size=40))
def test_heading_pattern_agrees_on_longer_lines(rest: str) -> None:
    for line in (rest, "## " + rest, "#" + rest):
        before, now = QUADRATIC_ATX.fullmatch(line), ATX_HEADING.fullmatch(line)
        assert (before and before.groups()) == (now and now.groups()), repr(line)


QUADRATIC_NUMBER_WITH_WORDS = re.compile(
    r"(?P<before>[^\d+-]*?)\s*(?P<number>[-+]?\d[\d'’ \u00a0\u202f.,_]*)\s*(?P<after>.*)"
)
QUADRATIC_FIGURE = re.compile(r"\d+(?:[,.'\u2019:-]\d+)+")
"""The number-in-words and figure patterns before issue 19: 15 s and 17 s on 20,000 spaces or digits."""


def test_number_and_figure_patterns_read_every_short_text_as_before() -> None:
    for length in range(7):
        for chars in itertools.product("a 1-+\n.'", repeat=length):
            text = "".join(chars)
            before, now = QUADRATIC_NUMBER_WITH_WORDS.fullmatch(text), _NUMBER_WITH_WORDS.fullmatch(text)
            assert (before and before.groupdict()) == (now and now.groupdict()), repr(text)
            assert [m.span() for m in QUADRATIC_FIGURE.finditer(text)] == [m.span() for m in _FIGURE.finditer(text)]


QUADRATIC_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
"""The command line's plain-number pattern before issue 19 (an amount argument such as ``--min``)."""


def test_plain_number_pattern_accepts_what_it_accepted() -> None:
    for length in range(8):
        for chars in itertools.product("1.-e+x", repeat=length):
            text = "".join(chars)
            assert bool(QUADRATIC_PLAIN_NUMBER.fullmatch(text)) == bool(_PLAIN_NUMBER.fullmatch(text)), repr(text)


def quadratic_wrap(text: str, width: float, size: float = 13) -> list[str]:
    """SVG wrapping before issue 19, measuring the rest of a long word again for every piece cut off it;
    widths as hundredths of the size per character, the same table written out again."""

    def units(ch: str) -> int:
        if ch in "iljtfrI.,:;'|!()[] ":
            return 36
        if ch in "mwMW@%&":
            return 95
        return 72 if ch.isupper() or ch.isdigit() else 62

    def measure(part: str) -> float:
        return sum(units(ch) for ch in part) * size / 100

    lines: list[str] = []
    line = ""
    for word in text.split() or [""]:
        while measure(word) > width and len(word) > 1:
            cut = max(1, int(len(word) * width / measure(word)) - 1)
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if measure(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("iImMwW .aA1é@xyz")), max_size=200),
    st.sampled_from([396.0, 150.0, 30.0, 5.0]),
    st.sampled_from([13.0, 14.04]),
)
def test_svg_wrapping_cuts_as_before(text: str, width: float, size: float) -> None:
    assert wrap(text, width, size) == quadratic_wrap(text, width, size)


MIB = 1 << 20
LINEAR_RUNS = {
    # name: a statement run on one line of 1 MiB (``line``) that must finish
    "heading-spaces": ("'## a' + ' ' * MIB + 'b'", "assert ATX_HEADING.fullmatch(line)"),
    "heading-space-hash": ("'## a' + ' #' * (MIB // 2) + 'b'", "assert ATX_HEADING.fullmatch(line)"),
    "heading-tabs-closing": ("'## ' + ' \\t' * (MIB // 2) + '#'", "assert ATX_HEADING.fullmatch(line)"),
    "heading-hashes": ("'## ' + '# ' * (MIB // 2) + 'x'", "assert ATX_HEADING.fullmatch(line)"),
    "sections": ("'## a' + ' ' * MIB + 'b'", "h2_titles(line); markdown_lines(line)"),
    "svg-one-word": ("'a' * MIB", "assert len(wrap(line, 396)) > 1000"),
    "number-in-words-spaces": ("'a' + ' ' * MIB + 'x'", "assert _NUMBER_WITH_WORDS.fullmatch(line) is None"),
    "number-in-words-newlines": (
        "'1' + ' ' * MIB + '\\n\\nx\\ny'",
        "assert _NUMBER_WITH_WORDS.fullmatch(line) is None",
    ),
    "figure-digits": ("'1' * MIB", "assert _FIGURE.search(line) is None"),
    "plain-number-digits": ("'1' * MIB + 'x'", "assert _PLAIN_NUMBER.fullmatch(line) is None"),
    "svg-wide-word": ("'W' * MIB", "assert len(wrap(line, 30)) > 1000"),
    "embeds-unclosed": ("'<!-- kamdocs:table ' * (MIB // 19)", "assert EMBED.search(line) is None"),
    "confidential-word-prefix-q": ("'kdh' + 'q' * MIB", "assert _word_prefix(line) not in line"),
    "confidential-word-prefixes": (
        "''.join(f'kdh{a}{b}{c}aa ' for a in 'abcdefghijklmnop' for b in 'abcdefghijklmnopqrstuvwxyz' "
        "for c in 'abcdefghijklmnopqrstuvwxyz')",
        "assert _word_prefix(line) not in line",
    ),
    "summaries-unclosed": ("'<!-- kamdocs:summary' * (MIB // 20)", "assert SUMMARY.search(line) is None"),
}


@pytest.mark.parametrize("name", sorted(LINEAR_RUNS))
def test_pattern_finishes_on_a_mebibyte_line(name: str) -> None:
    """Quadratic, each of these took hours; linear, well under a second. 60 s is the regression alarm."""
    line, statement = LINEAR_RUNS[name]
    program = textwrap.dedent(f"""
        from kamdocs.cli.options import _PLAIN_NUMBER
        from kamdocs.plan.spellings import _NUMBER_WITH_WORDS
        from kamdocs.rules.checks import ATX_HEADING, h2_titles, markdown_lines
        from kamdocs.rules.confidential_body import _word_prefix
        from kamdocs.site.embeds import EMBED, SUMMARY
        from kamdocs.site.html import _FIGURE
        from kamdocs.site.svg import wrap
        MIB = {MIB}
        line = {line}
        {statement}
    """)
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
