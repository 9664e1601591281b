"""Confidential body text written another way (issue 19, item 2) reaches no output byte.

Each attack is one plan in one repository, with ``confidential_sections: [Pricing strategy]``. Its
hidden parts hold a canary of its own, and its public parts a word of its own. The site is built
for real by ``mkdocs build`` (with the Markdown extensions of kamdocs' own site: admonition,
superfences, toc with permalinks, footnotes) and the pages are written by ``kamdocs render``; then every
byte of both (search index, sitemap, plans.json ... included) is searched for every canary, and
each plan's page for its public word, so hiding everything would fail too.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from .commands import kamdocs, mkdocs_build, site_config, write_repo
from .conftest import plan_text

SECTIONS = "confidential_sections: [Pricing strategy]"
EXTENSIONS = """markdown_extensions:
  - admonition
  - tables
  - toc:
      permalink: true
  - pymdownx.superfences
  - footnotes
"""

ATTACKS: dict[str, str] = {
    # The cases of the issue.
    "second-marker-on-a-line": "{P}\n\na <!-- confidential -->x<!-- /confidential --> b <!-- confidential -->\n"
    "{C}\n<!-- /confidential -->\n\nEnd.",
    "heading-without-space": "{P}\n\n##Pricing strategy\n\n{C}\n\n## Next\n\nEnd.",
    "inline-code-taken-for-a-fence": "{P}\n\n```npm ci``` installs it\n\n<!-- confidential -->\n{C}\n"
    "<!-- /confidential -->\n\n## Pricing strategy\n\n{C}\n\n## Next\n\nEnd.",
    "unclosed-fence": "{P}\n\n```\nnpm ci\n\n<!-- confidential -->\n{C}\n<!-- /confidential -->\n\n"
    "## Pricing strategy\n\n{C}",
    "nested-markers": "{P}\n\n<!-- confidential -->\nouter\n<!-- confidential -->\ninner\n<!-- /confidential -->\n"
    "{C}\n<!-- /confidential -->\n\nEnd.",
    "emphasised-title": "{P}\n\n## *Pricing strategy*\n\n{C}\n\n## Next\n\nEnd.",
    "html-heading": "{P}\n\n<h2>Pricing strategy</h2>\n\n{C}\n\n## Next\n\nEnd.",
    "h1-demoted-to-h2": "{P}\n\n# Pricing strategy\n\n{C}\n\n## Next\n\nEnd.",
    # Variations in the same classes.
    "setext-h1": "{P}\n\nPricing strategy\n================\n\n{C}\n\n## Next\n\nEnd.",
    "setext-h2": "{P}\n\nPricing strategy\n---\n{C}\n\nNext\n----\n\nEnd.",
    "spacing-case-trailing-hashes": "{P}\n\n##   PRICING    Strategy ##\n\n{C}\n\n## Next\n\nEnd.",
    "entity-space": "{P}\n\n## Pricing&#32;strategy\n\n{C}\n\n## Next\n\nEnd.",
    "entity-letter": "{P}\n\n## P&#114;icing strategy\n\n{C}\n\n## Next\n\nEnd.",
    "escaped-characters": "{P}\n\n## \\*Pricing\\* strategy\\!\n\n{C}\n\n## Next\n\nEnd.",
    "heading-in-a-list": "{P}\n\n- ## Pricing strategy\n\n    {C}\n\n## Next\n\nEnd.",
    "heading-in-a-quote": "{P}\n\n> ## Pricing strategy\n> {C}\n\n## Next\n\nEnd.",
    "html-heading-with-attributes": "{P}\n\n<h2 class=x id=y>Pricing strategy</h2>\n\n{C}\n\n## Next\n\nEnd.",
    "html-heading-left-open": "{P}\n\n<h2>Pricing strategy\n\n{C}",
    "markers-odd-spacing-and-case": "{P}\n\n<!--CONFIDENTIAL-->{C}<!--  /  Confidential  -->\n\nEnd.",
    "markers-with-extra-dashes": "{P}\n\n<!--- confidential --->\n{C}\n<!--- /confidential --->\n\nEnd.",
    "markers-in-inline-code": "{P}\n\n`<!-- confidential -->` {C} `<!-- /confidential -->`\n\nEnd.",
    "markers-in-a-fence": "{P}\n\n```\n<!-- confidential -->\n{C}\n<!-- /confidential -->\n```\n\nEnd.",
    "title-in-a-fence": "{P}\n\n```\n## Pricing strategy\n{C}\n```\n\n## Next\n\nEnd.",
    "indented-heading": "{P}\n\n   ## Pricing strategy\n{C}\n\n## Next\n\nEnd.",
    "numbered-title": "{P}\n\n## 6. Pricing-Strategy:\n\n{C}\n\n## Next\n\nEnd.",
    "zero-width-and-nbsp": "{P}\n\n## Pricing\u200b\u00a0strategy\n\n{C}\n\n## Next\n\nEnd.",
    "full-width-letters": "{P}\n\n## \uff30ricing strategy\n\n{C}\n\n## Next\n\nEnd.",
    "link-title": "{P}\n\n## [Pricing strategy](https://example.com)\n\n{C}\n\n## Next\n\nEnd.",
    "admonition": '{P}\n\n!!! note "Notes"\n    ## Pricing strategy\n\n    {C}\n\n## Next\n\nEnd.',
    "title-split-by-a-marker": "{P}\n\n## Pricing <!-- confidential -->x<!-- /confidential -->strategy\n\n{C}\n\n"
    "## Next\n\nEnd.",
    "h3-section": "{P}\n\n## Offer\n\n### Pricing strategy\n\n{C}\n\n### Next\n\nEnd.",
    "code-span-title": "{P}\n\n## `Pricing strategy`\n\n{C}\n\n## Next\n\nEnd.",
    "unterminated-comment": "{P}\n\n<!-- confidential\n\n{C}",
    "marker-with-a-note": "{P}\n\n<!-- confidential: pricing -->\n{C}\n<!-- /confidential -->\n\nEnd.",
    "stray-close": "{C}\n<!-- /confidential -->\n\n{P}",
    "title-pieced-by-an-empty-link": "{P}\n\n## Pri[](https://example.com)cing strategy\n\n{C}\n\n## Next\n\nEnd.",
    "title-pieced-by-an-image": "{P}\n\n## Pri![a](x.png)cing strategy\n\n{C}\n\n## Next\n\nEnd.",
    "hash-run-after-text": "{P}\n\nSee below. ## Pricing strategy\n{C}\n\n## Next\n\nEnd.",
    "footnote-cited-only-in-hidden-text": "{P} [^pub]\n\n## Pricing strategy\n\nA discount[^d].\n\n"
    "<!-- confidential -->A margin[^m].<!-- /confidential -->\n\n## Next\n\nEnd.\n\n[^d]: {C}\n    {C} again\n\n"
    "[^pub]: Public note.\n[^m]: {C}",
    "heading-inside-a-footnote": "{P}\n\n## Pricing strategy\n\nA discount[^n].\n\n[^n]:\n    ## Other\n{C}\n\n"
    "## Next\n\nEnd.",
    "crlf": "{P}\r\n\r\n## Pricing strategy\r\n\r\n{C}\r\n\r\n## Next\r\n\r\nEnd.",
}


def canary(name: str) -> str:
    return f"QZHIDDEN{list(ATTACKS).index(name)}Q"


def public(name: str) -> str:
    return f"QZSHOWN{list(ATTACKS).index(name)}Q"


def plan_id(name: str) -> str:
    return f"attack-{name}"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Every byte the site build and the render wrote, by file; sitemap.xml.gz unpacked."""
    root = tmp_path_factory.mktemp("spellings")
    plans = {
        plan_id(name): plan_text(
            plan_id(name), **{"Body text.": body.replace("{C}", canary(name)).replace("{P}", public(name))}
        )
        for name, body in ATTACKS.items()
    }
    repo = write_repo(root, plans, site_config("git: false", "today: 2026-11-01", "on_invalid: warn", SECTIONS))
    (repo / "mkdocs.yml").write_text((repo / "mkdocs.yml").read_text(encoding="utf-8") + EXTENSIONS, encoding="utf-8")
    built = mkdocs_build(repo, timeout=300)
    assert built.returncode == 0, built.stderr
    rendered = kamdocs(repo, "render", str(root / "rendered"), "--today", "2026-11-01", timeout=300)
    assert rendered.returncode == 0, rendered.stderr

    def read(folder: Path) -> dict[str, bytes]:
        found = {}
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                found[str(path.relative_to(folder))] = gzip.decompress(data) if path.suffix == ".gz" else data
        return found

    return read(root / "site"), read(root / "rendered")


@pytest.mark.parametrize("name", list(ATTACKS))
def test_hidden_text_reaches_no_output_byte(outputs: tuple[dict[str, bytes], dict[str, bytes]], name: str) -> None:
    site, rendered = outputs
    assert {"search/search_index.json", "search/full_index.json", "sitemap.xml.gz", "plans/plans.json"} <= set(site)
    needle = canary(name).lower().encode()
    assert [f for f, data in site.items() if needle in data.lower()] == []
    assert [f for f, data in rendered.items() if needle in data.lower()] == []


REFUSED = {"marker-with-a-note", "stray-close", "unterminated-comment"}
"""Plans with a confidential-marker-ambiguous error: the site leaves them out whole (and would hide
around the marker if they were published, see test_confidential_body)."""


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_an_ambiguous_marker_is_an_error_and_the_plan_is_left_out(
    outputs: tuple[dict[str, bytes], dict[str, bytes]], name: str
) -> None:
    site, rendered = outputs
    assert f"plans/accounts/{plan_id(name)}/index.html" not in site
    assert f"accounts/{plan_id(name)}/index.md" not in rendered


@pytest.mark.parametrize("name", sorted(set(ATTACKS) - REFUSED))
def test_public_text_still_shows(outputs: tuple[dict[str, bytes], dict[str, bytes]], name: str) -> None:
    site, rendered = outputs
    shown = public(name).encode()
    assert shown in site[f"plans/accounts/{plan_id(name)}/index.html"]
    assert shown in site["search/full_index.json"]  # the whole search index, which kamdocs' worker reads
    assert shown in rendered[f"accounts/{plan_id(name)}/index.md"]


HEADINGS_EXTENSION = """from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor


class Headings(Preprocessor):
    def run(self, lines):
        return ["## Pricing strategy" if line == "@@pricing@@" else line for line in lines]


class HeadingsExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Headings(md), "kdtest_headings", 30)


def makeExtension(**kwargs):
    return HeadingsExtension(**kwargs)
"""


def test_a_listed_heading_made_by_an_extension_stops_the_build(tmp_path: Path) -> None:
    """An extension that makes a heading from its own syntax: the body's letters never name the title,
    so only the last check on the page's HTML sees it. The build stops, naming the plan, and writes
    no page with the canary."""
    body = "Public intro.\n\n@@pricing@@\n\nQZEXTENSIONCANARY\n"
    repo = write_repo(
        tmp_path, {"made": plan_text("made", **{"Body text.": body})}, site_config("git: false", SECTIONS)
    )
    (repo / "kdtest_headings.py").write_text(HEADINGS_EXTENSION, encoding="utf-8")
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "markdown_extensions:\n  - kdtest_headings\n", "utf-8")
    built = mkdocs_build(repo)
    assert built.returncode == 1
    assert "plans/made.md: the page would show a heading with a confidential section title" in built.stderr
    site = tmp_path / "site"
    written = [p for p in site.rglob("*") if p.is_file() and b"QZEXTENSIONCANARY" in p.read_bytes()]
    assert written == []
