"""Plan bodies are sanitised: the allow-list itself, a real build with and without
``raw_html``, and front-matter text that ``kamdocs rollover`` copies into a body.

The oracle is the standard library's HTML parser (tests/htmlscan.py) and
hand-written expected strings, never the sanitiser's own tables.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kamdocs.site.sanitize import sanitize

from .commands import mkdocs_build_in_process
from .conftest import plan_text, run
from .htmlscan import Scan

# What a sanitised body may contain, written out here rather than read from the module.
ALLOWED_TAGS = {
    *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "blockquote", "pre", "code", "section"),
    *("ul", "ol", "li", "dl", "dt", "dd", "details", "summary", "figure", "figcaption"),
    *("table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"),
    *("a", "img", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup"),
    *("abbr", "dfn", "kbd", "samp", "var", "q", "cite", "time", "wbr", "label", "input"),
}
SAFE_URL = re.compile(r"(?:https?:|mailto:|tel:|[^:]*$|[^:]*[/?#])", re.I)
"""Relative (no scheme before the first / ? #), or one of the allowed schemes."""


def assert_inert(html: str) -> Scan:
    """No element, attribute or address in ``html`` that can run script or load a document."""
    scan = Scan(html)
    # The one script element allowed is a roll-up grid's data (kamdocs/site/grid.py): JSON that a
    # browser never runs, with no "<" that could end the element early.
    data = [
        e
        for e in scan.find("script")
        if {k: v for k, v in e.attrs.items() if k not in ("data-kd-rows", "data-kd-part")}  # rows moved to a file
        in (
            {"type": "application/json", "class": "kd-grid-data"},
            {"type": "application/json", "class": "kd-grid-spec"},
        )
    ]
    assert all("<" not in e.content for e in data)
    tags = scan.tags() - ({"script"} if len(data) == len(scan.find("script")) else set())
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for element in scan.elements:
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name)
            assert name not in ("srcdoc", "formaction", "action", "srcset", "xlink:href", "background"), name
            if name == "style":
                assert re.fullmatch(r"text-align:\s*(left|right|center)", value or ""), value
            if name in ("href", "src"):
                url = re.sub(r"[\t\n\r]", "", value or "").strip("".join(chr(i) for i in range(0x21)))
                if element.tag == "img" and name == "src" and url.lower().startswith("data:image/"):
                    continue
                assert SAFE_URL.match(url), (element.tag, name, value)
            if name == "id":
                assert re.fullmatch(r"[^_].*|_\d+", value or ""), value
        if element.tag == "input":
            assert (element.attrs.get("type"), "disabled" in element.attrs) == ("checkbox", True)
    return scan


HOSTILE = [
    "<script>window.__pwned = 1</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<style>body { background: url(javascript:alert(1)) }</style>",
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<img src=x onerror="alert(1)">',
    '<img src="x" ONERROR=alert(1) onload=alert(2)>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<details open ontoggle="alert(1)"><summary>s</summary></details>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" java&#9;script:alert(1)">x</a>',
    '<a href="&#x01;javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="data:image/svg+xml,<svg onload=alert(1)>">x</a>',
    '<img src="data:text/html,<script>alert(1)</script>">',
    '<img src="da&#x09;ta:text/html,x">',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">b</button></form>',
    '<input autofocus onfocus="alert(1)"><input type="text"><input type="image" src="javascript:alert(1)">',
    '<base href="javascript:/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
    '<div style="position:fixed;inset:0;background:url(x)" onmouseover="alert(1)">cover</div>',
    '<table background="javascript:alert(1)"><tr><td style="text-align:left;position:fixed">c</td></tr></table>',
    '<p id="__config">{"search": "evil.js"}</p><h2 id="_x">y</h2><h2 id="__1">z</h2><h2 id="_1x">w</h2>',
    "<template><img src=x onerror=alert(1)></template><textarea><img src=x onerror=alert(1)></textarea>",
    '<video><source onerror="alert(1)"></video><audio src=x onerror=alert(1)></audio>',
    '<img srcset="javascript:alert(1) 1x">',
    "<body onload=alert(1)><frameset onload=alert(2)>",
    '<a href="#x" onclick="alert(1)">x</a>',
]


@pytest.mark.parametrize("html", HOSTILE)
def test_nothing_that_runs_script_survives(html: str) -> None:
    cleaned = sanitize(html)
    assert_inert(cleaned)
    assert "alert(" not in cleaned or "<" not in cleaned.split("alert(")[0][-1:], cleaned


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<h2 id="goal-and-chain">Goal</h2>', '<h2 id="goal-and-chain">Goal</h2>'),
        ('<h2 id="_1">概要</h2><h2 id="_2">要点</h2>', '<h2 id="_1">概要</h2><h2 id="_2">要点</h2>'),
        (
            '<h3 id="x">T<a class="headerlink" href="#x" title="Permanent link">¶</a></h3>',
            '<h3 id="x">T<a class="headerlink" href="#x" title="Permanent link">¶</a></h3>',
        ),
        (
            "<ul><li>a</li><li><em>b</em> <strong>c</strong></li></ul>",
            "<ul><li>a</li><li><em>b</em> <strong>c</strong></li></ul>",
        ),
        ('<ol start="3"><li>x</li></ol>', '<ol start="3"><li>x</li></ol>'),
        (
            '<table><thead><tr><th style="text-align: left;">a</th><th style="text-align: right;">b</th></tr></thead>'
            "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
            '<table><thead><tr><th style="text-align:left">a</th><th style="text-align:right">b</th></tr></thead>'
            "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
        ),
        (
            "<pre><code>x &lt; y</code></pre><p><code>a</code></p>",
            "<pre><code>x &lt; y</code></pre><p><code>a</code></p>",
        ),
        (
            '<div class="highlight"><pre><span class="k">def</span></pre></div>',
            '<div class="highlight"><pre><span class="k">def</span></pre></div>',
        ),
        (
            "<details><summary>More</summary><p>hidden</p></details>",
            "<details><summary>More</summary><p>hidden</p></details>",
        ),
        ('<details open=""><summary>S</summary>x</details>', '<details open=""><summary>S</summary>x</details>'),
        ('<img src="https://example.com/a.png" alt="a">', '<img src="https://example.com/a.png" alt="a">'),
        ('<img src="http://example.com/a.png">', '<img src="http://example.com/a.png">'),
        ('<img src="../img/chart.png" alt="">', '<img src="../img/chart.png" alt="">'),
        ('<img src="data:image/png;base64,iVBORw0KGgo=">', '<img src="data:image/png;base64,iVBORw0KGgo=">'),
        ('<a href="https://example.com/x?a=1&amp;b=2">x</a>', '<a href="https://example.com/x?a=1&amp;b=2">x</a>'),
        (
            '<a href="../other/">rel</a> <a href="mailto:a@example.com">m</a>',
            '<a href="../other/">rel</a> <a href="mailto:a@example.com">m</a>',
        ),
        (
            '<p>F<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>',
            '<p>F<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>',
        ),
        (
            '<div class="admonition note"><p class="admonition-title">N</p></div>',
            '<div class="admonition note"><p class="admonition-title">N</p></div>',
        ),
        ("<blockquote><p>q</p></blockquote><hr>", "<blockquote><p>q</p></blockquote><hr>"),
        ('<!-- kamdocs:table owner="kam@example.com" -->', '<!-- kamdocs:table owner="kam@example.com" -->'),
        ("<p>KAMDOCS-SLOT-top</p>", "<p>KAMDOCS-SLOT-top</p>"),
    ],
)
def test_what_markdown_writes_stays(html: str, expected: str) -> None:
    assert sanitize(html) == expected
    assert_inert(expected)


def test_script_and_style_go_with_their_content_other_tags_leave_their_text() -> None:
    assert sanitize("<p>a<script>var x = 1;</script>b<style>p{}</style>c</p>") == "<p>abc</p>"
    assert sanitize("<p><blink>kept text</blink> <font color=red>too</font></p>") == "<p>kept text too</p>"


# A real build.

MKDOCS = """\
site_name: Plans
theme:
  name: material
  font: false
markdown_extensions:
  - tables
  - toc:
      permalink: true
  - footnotes
plugins:
  - search
  - kamdocs:
      today: "2026-11-22"
      git: false
"""
BODY = """\
## Next steps

| step | owner |
|:--|--:|
| workshop | *Ann* |

<details><summary>Background</summary>

Why we do it[^1].

</details>

<script>window.__pwned_1 = 1</script>

<img src="x" onerror="window.__pwned_2 = 1"> ![chart](https://example.com/chart.png)

[bad link](javascript:window.__pwned_3=1) and [good link](https://example.com/)

<iframe srcdoc="<script>parent.__pwned_4=1</script>"></iframe>

<div id="__config" onmouseover="window.__pwned_5=1">clobber</div>

<!-- kamdocs:table business_area="Process Analytics" -->

[^1]: The footnote <img src="x" onerror="window.__pwned_6=1">.
"""


def build_site(repo: Path, raw_html: bool | None = None) -> Path:
    extra = "" if raw_html is None else f"      raw_html: {str(raw_html).lower()}\n"
    (repo / "mkdocs.yml").write_text(MKDOCS + extra, encoding="utf-8")
    site = repo / f"site-{raw_html}"
    result = mkdocs_build_in_process(repo, site=site)
    assert result.returncode == 0, result.stderr
    return site


def body_of(page: str) -> str:
    """The part of a plan page between the body marker and the quality heading that follows the body."""
    return page.split('<hr class="kd-body-start">', 1)[1].split('id="kd-quality"', 1)[0]


@pytest.fixture
def hostile_repo(make_repo) -> Path:
    return make_repo({"docs/index.md": "# Home\n", "plans/evil.md": plan_text("evil", **{"Body text.": BODY})})


@pytest.mark.parametrize("raw_html", [None, False])
def test_a_built_plan_page_keeps_markdown_and_loses_script(hostile_repo: Path, raw_html: bool | None) -> None:
    page = (build_site(hostile_repo, raw_html) / "plans/accounts/evil/index.html").read_text(encoding="utf-8")
    assert "__pwned" not in page
    body = assert_inert(body_of(page))
    whole = Scan(page)
    assert not {a for a in whole.attributes() if a.startswith("on")}
    assert len(whole.find("div", id="__config")) == 0 and len(whole.find("script", id="__config")) == 1
    # Markdown's output stays: heading ids (and the TOC's link to them), table alignment, emphasis,
    # details, images, links, footnotes.
    assert [h.content for h in body.find("h2", id="next-steps")] == ["Next steps¶"]
    assert whole.find("a", href="#next-steps", **{"class": "md-nav__link"})
    assert [c.attrs.get("style") for c in body.elements if c.tag in ("th", "td")][:4] == [
        "text-align:left",
        "text-align:right",
    ] * 2
    assert [e.content for e in body.find("em")] == ["Ann"]
    assert [e.content for e in body.find("summary")] == ["Background"]
    assert body.find("img", src="https://example.com/chart.png", alt="chart")
    assert [a.content for a in body.find("a", href="https://example.com/")] == ["good link"]
    assert [a.attrs for a in body.elements if a.tag == "a" and a.content == "bad link"] == [{}]
    assert Scan(page).find("li", id="fn:1")
    # The plugin's own markup is added afterwards, so it is whole: the badge, the chain,
    # and the roll-up table the body asked for with a marker.
    assert whole.find("span", **{"class": "kd-badge kd-fresh", "data-state": "fresh"})
    assert whole.find("table", **{"class": "kd-chain"})
    assert body.find("table", **{"class": "kd-table kd-grid-table kd-plans"})


def test_an_unclosed_tag_in_a_body_cannot_swallow_the_plugins_markup(make_repo) -> None:
    body = 'Intro\n\n<details><summary>Open</summary>\n\n<a href="https://example.com/">unclosed <em>link\n\n<table><tr><td>cell\n'
    repo = make_repo({"docs/index.md": "# Home\n", "plans/open.md": plan_text("open", **{"Body text.": body})})
    scan = Scan((build_site(repo) / "plans/accounts/open/index.html").read_text(encoding="utf-8"))
    assert [h.content for h in scan.find("h2", id="kd-history")] == ["History"]
    for tag in ("details", "a", "table", "em"):
        assert not any("History" in e.content for e in scan.find(tag) if "unclosed" in e.content or "cell" in e.content)
    (details,) = [d for d in scan.find("details") if "kd-author" not in (d.attrs.get("class") or "")]
    assert "Open" in details.content and "cell" in details.content and "No git history" not in details.content
    assert any(p.content.startswith("No git history") for p in scan.find("p"))


def test_raw_html_true_trusts_bodies_as_plain_mkdocs(hostile_repo: Path) -> None:
    page = (build_site(hostile_repo, raw_html=True) / "plans/accounts/evil/index.html").read_text(encoding="utf-8")
    body = Scan(body_of(page))
    assert [s.content for s in body.find("script") if not s.attrs] == ["window.__pwned_1 = 1"]
    assert body.find("img", src="x", onerror="window.__pwned_2 = 1")
    assert body.find("a", href="javascript:window.__pwned_3=1")
    assert body.find("div", id="__config")


def test_raw_html_must_be_true_or_false(hostile_repo: Path) -> None:
    (hostile_repo / "mkdocs.yml").write_text(MKDOCS + "      raw_html: sometimes\n", encoding="utf-8")
    result = run(["check"], hostile_repo)
    assert result.exit_code == 2
    assert "plugins.kamdocs.raw_html: expected true or false, found 'sometimes'" in result.output


# Front-matter text that rollover copies into the body.

HOSTILE_ACTIONS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "[x](javascript:alert(3))",
    "*not emphasis* and _not either_",
    "a | b | c",
    "`not code` and ``two``",
    "![img](https://example.com/x.png) \\* {: onclick=alert(4)} ~~struck~~",
    "&lt;already an entity&gt; & &amp;",
]


def closed_commitment(i: int, action: str, status: str) -> str:
    quoted = json.dumps(action)  # a JSON string is a YAML double-quoted scalar
    return (f"  - id: c-closed-{i}\n    action: {quoted}\n    owner: kam@example.com\n"
            f"    due: 2026-06-01\n    status: {status}\n    resolves: [obs-a]\n")  # fmt: skip


@pytest.mark.parametrize("raw_html", [False, True])
def test_rollover_notes_show_front_matter_as_text(make_repo, raw_html: bool) -> None:
    closed = "".join(closed_commitment(i, a, ("done", "dropped")[i % 2]) for i, a in enumerate(HOSTILE_ACTIONS))
    text = plan_text("r").replace("    resolves: [obs-a]\n", "    resolves: [obs-a]\n" + closed)
    repo = make_repo({"docs/index.md": "# Home\n", "plans/r.md": text})
    result = run(["rollover", "plans/r.md", "--period-start", "2027-01-01", "--period-end", "2027-12-31"], repo)
    assert result.exit_code == 0, result.output
    assert run(["check", "--no-freshness", "plans/r.md"], repo).exit_code == 0

    page = (build_site(repo, raw_html) / "plans/accounts/r/index.html").read_text(encoding="utf-8")
    body = Scan(body_of(page))
    items = [li.content for li in body.find("li")]
    expected = [f"c-closed-{i} ({('done', 'dropped')[i % 2]}): {a}" for i, a in enumerate(HOSTILE_ACTIONS)]
    assert items == expected
    assert body.tags() == {"p", "ul", "li"}, body.tags()
    assert not body.attributes()


def test_rollover_note_keeps_a_line_break_in_an_action_inside_its_item(make_repo) -> None:
    closed = closed_commitment(0, "first line\n\n<script>alert(1)</script>\n# heading", "done")
    repo = make_repo(
        {"plans/r.md": plan_text("r").replace("    resolves: [obs-a]\n", "    resolves: [obs-a]\n" + closed)}
    )
    assert (
        run(["rollover", "plans/r.md", "--period-start", "2027-01-01", "--period-end", "2027-12-31"], repo).exit_code
        == 0
    )
    after = (repo / "plans/r.md").read_text(encoding="utf-8")
    assert after.endswith("\n- c-closed-0 (done): first line  &lt;script&gt;alert(1)&lt;/script&gt; # heading\n")


DATA_SPELLINGS = [
    '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    '<a href="Data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="da&#13;ta:text/html,x">x</a>',
    '<a href="da&#10;ta:text/html,x">x</a>',
    '<a href="d&#13;&#10;ata:text/html,x">x</a>',
    '<a href=" data:text/html,x">x</a>',
    '<a href="&#x20;&#x20;data:text/html,x">x</a>',
    '<a href="&#x1f;data:text/html,x">x</a>',
    '<img src="DATA:text/html,x">',
    '<img src=" data:text/html,x">',
    '<img src="da&#13;ta:text/html,x">',
]


@pytest.mark.parametrize("html", DATA_SPELLINGS)
def test_no_data_address_survives_in_any_spelling(html: str) -> None:
    scan = assert_inert(sanitize(html))
    addresses = [v for e in scan.elements for k, v in e.attrs.items() if k in ("href", "src")]
    assert addresses == []


def test_an_image_keeps_a_data_image_address_in_any_case() -> None:
    scan = Scan(
        sanitize('<img src="DATA:image/png;base64,iVBORw0KGgo=" alt="a"><img src=" data:IMAGE/gif;base64,R0lG">')
    )
    assert [e.attrs.get("src") for e in scan.find("img")] == [
        "DATA:image/png;base64,iVBORw0KGgo=",
        " data:IMAGE/gif;base64,R0lG",
    ]
