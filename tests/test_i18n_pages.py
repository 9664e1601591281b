"""The plans section in German: this repository's own site (its docs, plans and ``mkdocs.yml``) built with
``theme.language: de`` and in English, compared page by page.

The navigation entries and page titles kamdocs makes must be the German catalogue's translation of the
English ones, read with gettext from the compiled ``de`` catalogue the package ships: a title whose message
is not translated yet reads the same in both builds, which the comparison allows, and the test is skipped
while none of them is translated. The pages' URLs, the downloads' names and the dashboard's ``#all-plans``
anchor (the summary cards link to it) must not change with the language.
"""

from __future__ import annotations

import contextvars
import gettext
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .commands import PINNED_EPOCH, mkdocs_build_in_process
from .conftest import ROOT

CATALOGUE = ROOT / "kamdocs" / "i18n" / "locale" / "de" / "LC_MESSAGES" / "kamdocs.mo"
THEME = "theme:\n  name: material\n"


def german() -> gettext.NullTranslations:
    with CATALOGUE.open("rb") as f:
        return gettext.GNUTranslations(f)


def build(root: Path, language: str | None) -> Path:
    """This repository's site, copied under ``root`` and built there with ``language`` (None: the theme's
    default, English); the site folder."""
    repo = root / "repo"
    for name in ("plans", "schema", "docs"):
        shutil.copytree(ROOT / name, repo / name)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert THEME in text
    if language:
        text = text.replace(THEME, f"{THEME}  language: {language}\n", 1)
    (repo / "mkdocs.yml").write_text(text, encoding="utf-8")
    # The build sets the language for the context it runs in: a copy, so no later test in this process
    # inherits German.
    result = contextvars.copy_context().run(
        mkdocs_build_in_process, repo, site=root / "site", env={"SOURCE_DATE_EPOCH": PINNED_EPOCH}
    )
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {
        "de": build(tmp_path_factory.mktemp("site-de"), "de"),
        "en": build(tmp_path_factory.mktemp("site-en"), None),
    }


class Navigation(HTMLParser):
    """A page's navigation links (``md-nav__link``: href and text), its section labels, and its H1."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.labels: list[str] = []
        self.h1 = ""
        self._open: tuple[str, str | None, list[str]] | None = None  # (tag, href, texts)
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self._open is not None:
            self._depth += tag == self._open[0]
            return
        if tag in ("a", "label") and "md-nav__link" in (found.get("class") or "").split():
            self._open, self._depth = (tag, found.get("href"), []), 1
        elif tag == "h1":
            self._open, self._depth = ("h1", None, []), 1

    def handle_endtag(self, tag: str) -> None:
        if self._open is None or tag != self._open[0]:
            return
        self._depth -= 1
        if self._depth:
            return
        kind, href, texts = self._open
        text = " ".join(" ".join(texts).split())
        if kind == "h1":
            self.h1 = self.h1 or text
        elif kind == "a" and href is not None:
            self.links.append((href, text))
        elif kind == "label" and text:
            self.labels.append(text)
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[2].append(data)


def navigation(site: Path, page: str) -> Navigation:
    parser = Navigation()
    parser.feed((site / page).read_text(encoding="utf-8"))
    return parser


def section_links(site: Path) -> list[tuple[str, str]]:
    """The dashboard's links to the plans section's pages (the roll-ups and the grouped views), in order:
    neither a heading's anchor nor a page of the docs around it."""
    links = navigation(site, "plans/index.html").links
    return [(href, text) for href, text in links if not href.startswith(("#", "..", "http"))]


def test_the_navigation_and_page_titles_are_the_german_catalogues(sites: dict[str, Path]) -> None:
    words = german()
    english = section_links(sites["en"])
    assert [href for href, _ in english][:2] == ["./", "commitments/"], english
    assert any(href.startswith("by-") for href, _ in english), english
    translated = [text for _, text in english if words.gettext(text) != text]
    if not translated:
        pytest.skip("the de catalogue translates none of the section's titles yet (scripts/catalogues.py)")
    assert section_links(sites["de"]) == [(href, words.gettext(text)) for href, text in english]
    # The section's own label in the menu.
    assert words.gettext("Plans") in navigation(sites["de"], "plans/index.html").labels
    for href, _text in english:
        page = f"plans/{href.removeprefix('./')}index.html"
        title = navigation(sites["en"], page).h1
        assert title, page
        assert navigation(sites["de"], page).h1 == words.gettext(title), page


def test_a_grouped_page_title_names_its_grouping_in_german(sites: dict[str, Path]) -> None:
    words = german()
    page = next(
        p.relative_to(sites["en"]).as_posix() for p in sorted((sites["en"] / "plans" / "by-owner").glob("*/index.html"))
    )
    english = navigation(sites["en"], page).h1
    facet, value = english.split(": ", 1)
    assert facet == "Owner", english
    expected = words.gettext("{facet}: {value}").format(facet=words.gettext(facet), value=value)
    assert navigation(sites["de"], page).h1 == expected


def test_page_urls_and_downloads_are_the_same_in_german(sites: dict[str, Path]) -> None:
    def files(site: Path) -> list[str]:
        return sorted(p.relative_to(site).as_posix() for p in (site / "plans").rglob("*") if p.is_file())

    english = files(sites["en"])
    assert "plans/index.html" in english and "plans/budget/index.html" in english
    assert files(sites["de"]) == english


def test_the_dashboard_keeps_its_english_anchor_in_german(sites: dict[str, Path]) -> None:
    """The summary cards link to ``#all-plans`` in every language: the German heading keeps that anchor."""
    for language in ("en", "de"):
        page = (sites[language] / "plans" / "index.html").read_text(encoding="utf-8")
        assert 'id="all-plans"' in page, language
        assert "#all-plans" in page, language
