"""What a grid page does as it loads and at a keystroke, in real headless Chromium (issue 21).

Two costs the phone profile (390 px, the CPU 4x slower) and the desktop's load time found:

- The first ``Intl`` object of a page loads the browser's locale data (10 to 25 ms on a desktop, up
  to 60 ms on a slow phone). A grid page loads without it: the counts are written as the site's cards
  write them ("1,234", whatever the browser's language), and the collator is made at its first use.
- Each row laid out before the frame that shows a filter's result costs a slow phone about 4 ms. A
  filter renders a screen of rows at once (10 at phone width, 20 wider) and the rest of the step (50)
  when the browser is idle; a second keystroke before then drops the first one's rest.

The expected rows and counts come from the page's own data read with ``tests/grid_data.py`` and
worked out here, never from kamdocs' code.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from .commands import built_site, generated_repo, site_config
from .conftest import ROOT
from .grid_data import grid_rows

sys.path.insert(0, str(ROOT / "scripts"))
from browser import served_in_chromium

pytestmark = pytest.mark.e2e  # Chromium

PLANS = 400
"""Enough plans for over a thousand stakeholders, a count with a thousands separator."""

INTL_SPY = """(() => {
  window.__kdIntl = [];
  const spy = (owner, name) => {
    const real = owner[name];
    owner[name] = function (...args) {
      window.__kdIntl.push(name);
      return new.target ? Reflect.construct(real, args) : real.apply(this, args);
    };
  };
  spy(Intl, 'Collator'); spy(Intl, 'NumberFormat'); spy(Intl, 'DateTimeFormat');
  spy(Number.prototype, 'toLocaleString'); spy(String.prototype, 'localeCompare');
})();"""
"""Records every use of the locale data a page's script could make, before any script of the page runs."""

SETTLED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))))"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mkdocs = site_config("git: false", "today: 2026-11-22")
    return built_site(generated_repo(tmp_path_factory.mktemp("load-browser"), PLANS, mkdocs))


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[tuple[Browser, str]]:
    with served_in_chromium(site) as launched:
        yield launched


def opened(browser: tuple[Browser, str], path: str, width: int, locale: str = "en-US") -> Page:
    chromium, base = browser
    context = chromium.new_context(viewport={"width": width, "height": 844}, locale=locale)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    page.add_init_script(INTL_SPY)
    page.goto(f"{base}/{path}", wait_until="load")
    if path != "index.html":  # the docs page has no grid
        page.wait_for_function("performance.getEntriesByName('kamdocs:grids-ready').length > 0")
    page.evaluate(SETTLED)
    return page


def closed(page: Page) -> None:
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()


@pytest.mark.parametrize(
    "path", ["plans/", "plans/commitments/", "plans/stakeholders/", "plans/by-business-area/service/", "index.html"]
)
@pytest.mark.parametrize("width", [1366, 390])
def test_a_page_loads_without_the_locale_data(browser: tuple[Browser, str], path: str, width: int) -> None:
    page = opened(browser, path, width)
    assert page.evaluate("window.__kdIntl") == []
    closed(page)


def test_counts_read_as_the_cards_write_them_in_any_language(site: Path, browser: tuple[Browser, str]) -> None:
    (people,) = grid_rows(site / "plans/stakeholders/index.html")
    assert len(people) >= 1000  # a count with a thousands separator
    written = f"{len(people):,}"  # as the dashboard's cards: 1,234
    page = opened(browser, "plans/stakeholders/", 1366, locale="de-DE")
    status = page.locator(".kd-grid-status").inner_text()
    assert f"All {written} " in status, status
    assert written.replace(",", ".") not in status
    closed(page)


TYPE = """text => {
  const input = document.querySelector('.kd-controls input.kd-filter');
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  return document.querySelectorAll('table.kd-plans tbody tr').length;  // before the page shows a frame
}"""


def accounts(page: Page) -> list[str]:
    return page.locator("table.kd-plans tbody td.kd-col-account").all_inner_texts()


@pytest.mark.parametrize(("width", "at_once"), [(390, 10), (1366, 20)])
def test_a_filter_shows_a_screen_at_once_and_the_rest_when_idle(
    site: Path, browser: tuple[Browser, str], width: int, at_once: int
) -> None:
    (rows,) = grid_rows(site / "plans/index.html")
    every = [r[0][0] for r in rows]
    assert len(every) > 50
    page = opened(browser, "plans/", width)
    page.locator(".kd-controls").hover()  # the rows file is fetched and read as the reader reaches for the bar
    page.wait_for_function("performance.getEntriesByName('kamdocs:data-ready').length > 0")
    assert page.evaluate(TYPE, "customer") == at_once
    page.wait_for_function("document.querySelectorAll('table.kd-plans tbody tr').length === 50")
    assert accounts(page) == every[:50]  # every plan matches "customer": the page's order, ranked alike
    assert "Showing the first 50;" in page.locator(".kd-grid-status").inner_text()
    closed(page)


def test_a_keystroke_drops_the_rows_left_for_later_by_the_one_before(site: Path, browser: tuple[Browser, str]) -> None:
    (rows,) = grid_rows(site / "plans/index.html")
    every = [r[0][0] for r in rows]
    twos = {a for a in every if re.search(r"\b2", a)}  # "customer 2": a word starting with 2
    assert len(twos) > 10
    page = opened(browser, "plans/", 390)
    page.locator(".kd-controls").hover()
    page.wait_for_function("performance.getEntriesByName('kamdocs:data-ready').length > 0")
    # Both in one task: the first filter's 40 rows for later are still to be built when the second comes.
    page.evaluate(f"() => {{ ({TYPE})('customer'); ({TYPE})('customer 2'); }}")
    page.wait_for_function(
        "n => document.querySelectorAll('table.kd-plans tbody tr').length === n", arg=min(50, len(twos))
    )
    page.evaluate(SETTLED)
    shown = accounts(page)
    assert len(shown) == min(50, len(twos)) and set(shown) <= twos
    closed(page)
