"""The page script in the site's language, in real headless Chromium: the words it writes itself (the
filter's status line, "Show 50 more") come from the words the site puts in front of it, and its figures
carry the locale's grouping sign (1’050 in de-CH), as the server's do.

One site of more than a thousand generated plans, built once with ``language: de`` and ``page_size: 10``,
so that the status line and the button have figures of four digits. The expected texts are computed here
from the German catalogue, read with :mod:`gettext` from the compiled ``.mo`` (a message it lacks is the
English one, as the script says it then too), and figures are grouped as CLDR writes them for de-CH
(Babel's own ``format_decimal``), never with kamdocs' code.
"""

from __future__ import annotations

import gettext
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from babel.numbers import format_decimal
from playwright.sync_api import Browser, Page, expect

from .commands import built_site, generated_repo, site_config
from .conftest import ROOT
from .grid_data import grid_rows

sys.path.insert(0, str(ROOT / "scripts"))
from browser import served_in_chromium

pytestmark = pytest.mark.e2e  # Chromium

PLANS = 1_050
FIRST = 10  # page_size: the rows the page writes as HTML
STEP = 50  # kamdocs.js: the rows a filter or "Show more" renders
MKDOCS = site_config("git: false", "today: 2026-11-22", f"page_size: {FIRST}", "language: de")
MO = ROOT / "kamdocs" / "i18n" / "locale" / "de" / "LC_MESSAGES" / "kamdocs.mo"

ALL = ("All {count} plan.", "All {count} plans.")
SOME = ("{count} of {total} plans match the filter.", "{count} of {total} plans match the filter.")
SHOWING = ("Showing the first {count}; more load as you scroll.", "Showing the first {count}; more load as you scroll.")
MORE = ("Show {count} more ({left} left)", "Show {count} more ({left} left)")
NONE_MATCH = "No plans match the filter ({total} in all)."
NOTHING = "No plan matches {asked}."
QUOTED = "“{text}”"


@pytest.fixture(scope="module")
def german() -> gettext.GNUTranslations:
    with MO.open("rb") as f:
        return gettext.GNUTranslations(f)


def translated(german: gettext.GNUTranslations, *messages: str | tuple[str, str]) -> bool:
    """Whether the catalogue has every one of ``messages`` (a plural one as its two English forms)."""
    found = german._catalog  # type: ignore[attr-defined]
    return all(((m[0], 0) if isinstance(m, tuple) else m) in found for m in messages)


def figure(n: int) -> str:
    """``n`` as CLDR writes it for a Swiss German reader: 1’050."""
    return format_decimal(n, locale="de_CH")


def plural(german: gettext.GNUTranslations, message: tuple[str, str], n: int, **values: int) -> str:
    return german.ngettext(*message, n).format(**{name: figure(v) for name, v in values.items()})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(generated_repo(tmp_path_factory.mktemp("i18n-script"), PLANS, MKDOCS))


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[tuple[Browser, str]]:
    with served_in_chromium(site) as launched:
        yield launched


def open_page(browser: tuple[Browser, str], path: str) -> Page:
    chromium, base = browser
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/{path}")
    page.wait_for_selector(".kd-controls")
    page.hover(".kd-controls")  # the rows come when the reader reaches for the table
    page.wait_for_function("performance.getEntriesByName('kamdocs:data-ready').length > 0")
    assert errors == []
    return page


def says(page: Page, selector: str, text: str) -> None:
    """The element at ``selector`` says ``text``, once the script has written it."""
    expect(page.locator(selector)).to_have_text(text)


def test_the_prelude_carries_the_german_words(site: Path, german: gettext.GNUTranslations) -> None:
    script = (site / "assets" / "kamdocs" / "kamdocs.js").read_text(encoding="utf-8")
    prelude = script.split("\n", 1)[0]
    assert prelude.startswith("window.kamdocsWords = ") and '"lang": "de-CH"' in prelude
    if not translated(german, ALL):
        pytest.skip("the German catalogue does not have the script's words yet (python scripts/catalogues.py)")
    assert german.ngettext(*ALL, 2) != ALL[1]  # German, not the English fallback
    assert german.ngettext(*ALL, 2) in prelude


def test_the_first_view_and_its_button_in_german(
    site: Path, browser: tuple[Browser, str], german: gettext.GNUTranslations
) -> None:
    page = open_page(browser, "plans/")
    expected = plural(german, ALL, PLANS, count=PLANS) + " " + plural(german, SHOWING, FIRST, count=FIRST)
    assert "1’050" in expected
    says(page, ".kd-grid-status", expected)
    button = plural(german, MORE, STEP, count=STEP, left=PLANS - FIRST)
    assert "1’040" in button
    # Not pressed: a press scrolls the page, and rows then load by themselves as the button stays near.
    says(page, "button.kd-more", button)
    page.close()
    if not translated(german, ALL, SHOWING, MORE):
        pytest.skip("the German catalogue does not have these words yet: checked in English")


def test_the_filter_status_line_in_german(
    site: Path, browser: tuple[Browser, str], german: gettext.GNUTranslations
) -> None:
    (rows,) = grid_rows(site / "plans" / "index.html")
    area = rows[0][2]  # the business area of the first plan
    count = sum(1 for r in rows if r[2] == area)
    assert STEP < count < PLANS
    page = open_page(browser, f"plans/?area={quote(area)}")
    expected = plural(german, SOME, count, count=count, total=PLANS) + " " + plural(german, SHOWING, STEP, count=STEP)
    assert "1’050" in expected
    says(page, ".kd-grid-status", expected)
    page.close()
    if not translated(german, SOME, SHOWING):
        pytest.skip("the German catalogue does not have these words yet: checked in English")


def test_no_match_in_german(site: Path, browser: tuple[Browser, str], german: gettext.GNUTranslations) -> None:
    page = open_page(browser, "plans/")
    page.locator(".kd-controls input.kd-filter").fill("zzzz")
    says(page, ".kd-grid-status", german.gettext(NONE_MATCH).format(total=figure(PLANS)))
    asked = german.gettext(QUOTED).format(text="zzzz")
    says(page, ".kd-no-match", german.gettext(NOTHING).format(asked=asked))
    page.close()
    if not translated(german, NONE_MATCH, NOTHING, QUOTED):
        pytest.skip("the German catalogue does not have these words yet: checked in English")
