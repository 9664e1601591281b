"""What a grid page does as it loads and at a keystroke, in real headless Chromium (issue 21).

Two costs the phone profile (390 px, the CPU 4x slower) and the desktop's load time found:

- The first ``Intl`` object of a page loads the browser's locale data (10 to 25 ms on a desktop, up
  to 60 ms on a slow phone). A grid page loads without it: the counts are written as the site's cards
  write them ("1,234", whatever the browser's language), and the collator is made at its first use.
- Each row laid out before the frame that shows a filter's result costs a slow phone about 4 ms. A
  filter renders a screen of rows at once (10 at phone width, 20 wider) and the rest of the step (50)
  when the browser is idle; a second keystroke before then drops the first one's rest.
- Every row in the HTML is laid out, by Material's script too, before the page is interactive. A grid
  writes 20 rows by default (``page_size``), 10 per owner on the commitments page; a "Show more" that
  is then near the first screen loads nothing until the reader scrolls or presses it.

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


def html_rows(site: Path, path: str) -> list[int]:
    """The rows each grid of a built page writes as HTML."""
    html = (site / path).read_text(encoding="utf-8")
    return [body.count("<tr") for body in re.findall(r"kd-grid-table[^>]*>.*?<tbody>(.*?)</tbody>", html, re.S)]


def test_a_grid_writes_a_screen_of_rows_as_html_by_default(site: Path) -> None:
    (plans,) = grid_rows(site / "plans/index.html")
    assert len(plans) > 20 and html_rows(site, "plans/index.html") == [20]
    assert html_rows(site, "plans/stakeholders/index.html") == [20]
    owners = grid_rows(site / "plans/commitments/index.html")
    # Each owner's open commitments first (the page's first view), 10 of them as HTML.
    written = html_rows(site, "plans/commitments/index.html")
    assert len(written) == len(owners) > 1 and all(n <= 10 for n in written) and 10 in written


def test_rows_near_the_first_screen_wait_for_the_reader_to_scroll(site: Path, browser: tuple[Browser, str]) -> None:
    chromium, base = browser
    page = chromium.new_page(viewport={"width": 1366, "height": 2000})  # "Show more" is near the first screen
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if r.url.endswith(".rows.json") else None)
    page.goto(f"{base}/plans/", wait_until="load")
    page.wait_for_function("performance.getEntriesByName('kamdocs:grids-ready').length > 0")
    near = "document.querySelector('.kd-more').getBoundingClientRect().top"
    assert page.evaluate(near) < 2000 + 400  # the grid's rootMargin
    assert page.evaluate("document.documentElement.scrollHeight") > 2000 + 1
    page.wait_for_timeout(1000)
    page.evaluate(SETTLED)
    assert fetched == [] and len(accounts(page)) == 20
    page.evaluate("window.scrollBy(0, 1)")  # the reader scrolls: the next rows load by themselves
    page.wait_for_function("document.querySelectorAll('table.kd-plans tbody tr').length >= 70")
    (rows,) = grid_rows(site / "plans/index.html")
    assert accounts(page)[:70] == [r[0][0] for r in rows[:70]] and len(fetched) == 1
    page.close()
