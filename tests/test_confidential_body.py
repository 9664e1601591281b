"""The body's confidential parts, generated: markers, fences, inline code and heading spellings mixed.

Hypothesis writes bodies from pieces (markers several to a line, nested, left open; fences closed,
left open, and inline code that looks like one; the section title in every spelling the renderer
turns into a heading or text) and puts a canary in every part that must be hidden. The public view
is rendered with the Markdown the site uses (kamdocs' own mkdocs.yml extensions, and the body
extensions of ``kamdocs render``), in-process: no canary may reach it, and the page check finds no
listed heading or marker. Text before everything, and after a clean ending, must still show.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamdocs.config import ConfigError, config_from_options
from kamdocs.rules.confidential_body import (
    Titles,
    body_renderer,
    leaked_titles,
    public_body,
    strip_markers,
    title_key,
)
from kamdocs.site.sanitize import sanitize

SECTIONS = ("Pricing strategy",)
RENDERERS = {
    "site": body_renderer(["admonition", "tables", "toc", "pymdownx.superfences"], {"toc": {"permalink": True}}),
    "render": body_renderer(),  # with footnotes
}
SPELLINGS = (
    "## Pricing strategy",
    "##Pricing strategy",
    "# Pricing strategy",
    "## *Pricing strategy*",
    "<h2>Pricing strategy</h2>",
    "<h2 class=x>Pricing strategy",
    "Pricing strategy\n---",
    "Pricing strategy\n====",
    "## Pricing  STRATEGY ##",
    "## Pricing&#32;strategy",
    "## P&#114;icing strategy",
    "   ## Pricing strategy",
    "> ## Pricing strategy",
    "- ## Pricing strategy",
    "### Pricing strategy",
    "## 2. Pricing-strategy",
    "<H2>Pricing strategy</H2>",
    "Pricing strategy\n-",
    "#Pricing strategy#",
    "1. ## Pricing strategy",
    "> - ## Pricing strategy",
    '!!! note "n"\n    ## Pricing strategy',
    "## Pricing\u200bstrategy",
    "text ## Pricing strategy",
)
OPEN = ("<!-- confidential -->", "<!--CONFIDENTIAL-->", "<!--- Confidential --->")
CLOSE = ("<!-- /confidential -->", "<!--/confidential-->", "<!-- / CONFIDENTIAL -->")
SEPARATORS = ("", " ", "\n", "\n\n")


@dataclass(frozen=True)
class Body:
    text: str
    canaries: tuple[str, ...]
    clean: bool
    """No fence or marker left open and no stray close: the text after it all must show."""
    stray: bool
    """A closing marker without an opening one (which hides back to the start), or everything on one line."""


class Writer:
    """Numbers the canaries, so each one hidden part can be named when it leaks."""

    def __init__(self) -> None:
        self.canaries: list[str] = []
        self.footnotes: list[str] = []
        """Definitions of footnotes cited only in hidden parts, put at the end of the body, as people do."""

    def footnote(self) -> str:
        label = f"f{len(self.footnotes)}"
        self.footnotes.append(f"[^{label}]: {self.canary()}")
        return f"[^{label}]"

    def canary(self) -> str:
        self.canaries.append(f"QZCANARY{len(self.canaries)}Q")
        return self.canaries[-1]


@st.composite
def hidden(draw: st.DrawFn, writer: Writer, depth: int = 0) -> str:
    """A marked part: canaries, maybe a fence, inline code, a heading, a nested part; closed."""
    parts = [writer.canary()]
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["text", "fence", "open-fence", "inline", "heading", "nested", "footnote"]))
        if kind == "nested" and depth < 2:
            parts.append(draw(hidden(writer, depth + 1)))
        elif kind == "fence":
            parts.append(f"```\n{writer.canary()}\n```")
        elif kind == "open-fence":
            parts.append(f"~~~\n{writer.canary()}")
        elif kind == "inline":
            parts.append(f"```npm ci``` {writer.canary()}")
        elif kind == "footnote":
            parts.append(f"cited{writer.footnote()}")
        elif kind == "heading":
            parts.append(f"{draw(st.sampled_from(SPELLINGS))}\n{writer.canary()}")
        else:
            parts.append(writer.canary())
    inside = "".join(p + draw(st.sampled_from(SEPARATORS)) for p in parts)
    return f"{draw(st.sampled_from(OPEN))}{draw(st.sampled_from(SEPARATORS))}{inside}{draw(st.sampled_from(CLOSE))}"


@st.composite
def bodies(draw: st.DrawFn) -> Body:
    writer = Writer()
    pieces = ["QZPUBLICSTART visible first."]
    clean, stray, opened = True, False, False
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(
            st.sampled_from(
                ["text", "marked", "marked", "section", "section", "fence", "open-fence", "inline", "other", "open"]
            )
        )
        if kind == "marked":
            # Several parts on one line, with public words between them.
            count = draw(st.integers(1, 3))
            pieces.append(" public words ".join(draw(hidden(writer)) for _ in range(count)))
        elif kind == "section":
            spelling = draw(st.sampled_from(SPELLINGS))
            # The public heading that ends the section is on a line of its own after a blank line.
            pieces.append(
                f"{spelling}\n{writer.canary()}\n\nmore {writer.canary()}{writer.footnote()}\n\n## Other heading"
            )
            clean = clean and "</h2>" in spelling if "<h2" in spelling else clean  # an open <h2> runs to the end
        elif kind == "fence":
            pieces.append(draw(st.sampled_from(["```\ncode\n```", "~~~~\n## Other\n~~~~", "```python\nx = 1\n```"])))
        elif kind == "open-fence":
            pieces.append("```\nnpm ci")
            clean = False
        elif kind == "inline":
            pieces.append("```npm ci``` installs it")
        elif kind == "other":
            pieces.append(
                draw(
                    st.sampled_from(
                        [
                            "## Other",
                            "Other\n---",
                            "text <!-- a note --> text",
                            "    indented ## code",
                            "<div>",
                            "> quoted",
                        ]
                    )
                )
            )
            clean = clean and pieces[-1] != "<div>"  # a raw block left open runs to the end
        elif kind == "open":
            pieces.append(f"{draw(st.sampled_from(OPEN))}\n{writer.canary()}")
            clean, opened = False, True
            break
        else:
            pieces.append("Some public text.")
    if opened and draw(st.booleans()):
        pieces.append(f"{writer.canary()} <!-- /confidential -->")  # closes the open marker
    elif draw(st.integers(0, 9)) == 0:
        pieces.insert(1, f"{writer.canary()} {draw(st.sampled_from(CLOSE))}")  # a stray close
        stray = True
    if clean:
        pieces.append("## Public end\n\nQZPUBLICEND visible last.")
    separator = draw(st.sampled_from(["\n\n", "\n", " "]))
    # On one line, the public words share a line with what hides it: only the canaries are asserted.
    joined = separator == " "
    text = separator.join(pieces) + "".join(f"\n\n{note}" for note in writer.footnotes)
    return Body(text, tuple(writer.canaries), clean and not joined, stray or joined)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies())
def test_no_canary_in_a_hidden_part_reaches_the_page(body: Body) -> None:
    for name, html_of in RENDERERS.items():
        shown, _ = public_body(body.text, SECTIONS, html_of)
        html = sanitize(html_of(shown))
        leaked = [c for c in body.canaries if c in shown or c in html]
        assert leaked == [], (name, body.text, shown)
        assert leaked_titles(html, SECTIONS) == [], (name, body.text, shown)
        if not body.stray:
            assert "QZPUBLICSTART" in html, (name, body.text, shown)
        if body.clean and "\n```npm ci\n" not in body.text:
            assert "QZPUBLICEND" in html, (name, body.text, shown)


def test_markers_are_counted_by_depth_and_keep_line_numbers() -> None:
    body = "a <!-- confidential -->1<!-- confidential -->2\n<!-- /confidential -->3<!-- /confidential --> b\nc"
    markers = strip_markers(body)
    assert markers.text == "a \n b\nc"
    assert markers.unclosed is None and markers.problems == ()


def test_an_unclosed_marker_hides_the_rest_and_says_where() -> None:
    body = "a <!-- confidential -->x <!-- confidential -->y<!-- /confidential -->\nz"
    markers = strip_markers(body)
    assert markers.text == "a \n"
    assert markers.unclosed == 2


def test_a_listed_heading_the_analysis_cannot_see_stops_the_page() -> None:
    # What the page check reads: the renderer's own HTML; a title pieced together by markup the cheap
    # test does not read (an empty link) is still a listed heading there.
    html = '<h2 id="x">Pri<a href="y"></a>cing strategy<a class="headerlink" href="#x">¶</a></h2><p>secret</p>'
    assert leaked_titles(html, SECTIONS) == ["Pricing strategy"]
    assert leaked_titles("<h3>Our pricing strategy 2027</h3>", SECTIONS) == ["Our pricing strategy 2027"]
    assert leaked_titles("<p>Pricing strategy</p><!-- a note -->", SECTIONS) == []
    assert leaked_titles("<p>x</p><!-- confidential -->", ()) == ["<!-- confidential -->"]


def test_titles_compare_as_a_reader_reads_them() -> None:
    assert title_key("6. Pricing-Strategy:") == title_key("pricing  STRATEGY") == "pricing strategy"
    assert title_key("\uff30ricing\u200b strategy") == "pricing strategy"  # full-width P, a zero-width space
    assert title_key("2.3 Pricing 2027") == "pricing 2027"
    assert title_key("2027") == "2027"  # a title of numbers keeps them
    titles = Titles(["Pricing strategy"])
    assert titles.match("Our pricing-strategy for 2027")
    assert not titles.match("Pricing and strategy")
    assert titles.after_hashes("[^1]: ## *Pricing* strategy") and titles.after_hashes("text ## 2. Pricing strategy")
    assert not titles.after_hashes("ticket #12 about the pricing strategy")


def test_a_section_title_needs_a_letter_or_digit() -> None:
    with pytest.raises(ConfigError, match="each with a letter or digit"):
        config_from_options({"confidential_sections": ["\U0001f4b0"]}, Path("."), "mkdocs.yml")


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        # Taken for an opening marker: hides to its close.
        ("a <!-- confidential: pricing -->QZX<!-- /confidential --> b", "a   b"),
        # A stray close hides back to the previous hidden part, not further.
        ("a <!-- confidential -->QZX<!-- /confidential --> b QZX<!-- /confidential --> c", "a    c"),
        # Left without its end: the rest.
        ("a <!-- confidential\n\nQZX", "a \n\n"),
    ],
)
def test_an_ambiguous_marker_fails_closed(body: str, shown: str) -> None:
    markers = strip_markers(body)
    assert markers.text == shown
    assert len(markers.problems) == 1
