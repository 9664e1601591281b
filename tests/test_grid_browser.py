"""The roll-up grids in real headless Chromium, over more plans than the page writes as HTML.

One site of 250 generated plans, built once with ``page_size: 10``: the
dashboard writes 10 rows as HTML and the script holds the other 240 as data.
The tests filter for a plan that sorts last, open views whose filter is in the
URL, sort with the keyboard, load more rows as the reader scrolls, and lay the
page out at phone width.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .commands import built_site, generated_repo, site_config
from .conftest import ROOT
from .grid_data import grid_rows

sys.path.insert(0, str(ROOT / "scripts"))
from browser import served_in_chromium

pytestmark = pytest.mark.e2e  # Chromium

PLANS = 250
MKDOCS = site_config("git: false", "today: 2026-11-22", "page_size: 10")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(generated_repo(tmp_path_factory.mktemp("grid"), PLANS, MKDOCS))


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[tuple[Browser, str]]:
    with served_in_chromium(site) as launched:
        yield launched


def rows_data(site: Path, page: str = "plans/index.html") -> list[list]:
    (rows,) = grid_rows(site / page)
    return rows


def open_page(browser: tuple[Browser, str], path: str, width: int = 1366) -> Page:
    chromium, base = browser
    page = chromium.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/{path}")
    page.wait_for_selector(".kd-controls")
    # The rows beyond the first come from the page's rows file when the reader reaches for the
    # table: point at it and wait for them, so what follows filters synchronously.
    page.hover(".kd-controls")
    page.wait_for_function("performance.getEntriesByName('kamdocs:data-ready').length > 0")
    assert errors == []
    return page


def accounts(page: Page) -> list[str]:
    return page.locator("table.kd-plans tbody td.kd-col-account").all_inner_texts()


def test_the_filter_finds_a_plan_that_sorts_last(site: Path, browser: tuple[Browser, str]) -> None:
    data = rows_data(site)
    assert len(data) == PLANS
    last = data[-1][0][0]
    page = open_page(browser, "plans/")
    assert len(accounts(page)) == 10  # the HTML rows, before any filter
    assert last not in accounts(page)
    page.locator(".kd-controls input.kd-filter").fill(last)
    found = accounts(page)
    assert last in found and len(found) < 20  # every word of the name, in any column
    assert f"{len(found)} of 250 plans match the filter." in page.locator(".kd-grid-status").inner_text()
    # The address follows the typing once it pauses (kamdocs.js, TYPING_PAUSE_MS).
    expect(page).to_have_url(re.compile(re.escape("?q=" + last.replace(" ", "+")) + "$"))
    page.locator(".kd-controls .kd-clear").click()
    assert "All 250 plans." in page.locator(".kd-grid-status").inner_text()
    page.close()


def test_a_filtered_view_is_a_link(site: Path, browser: tuple[Browser, str]) -> None:
    data = rows_data(site)
    expected = sorted(
        (r[0][0] for r in data if r[2] == "Service" and r[3][2] == "overdue"), key=lambda a: int(a.split()[1])
    )
    assert len(expected) > 10
    page = open_page(browser, "plans/?area=Service&state=overdue&sort=account")
    shown = accounts(page)
    assert len(shown) == min(len(expected), 50)
    assert sorted(shown, key=lambda a: int(a.split()[1])) == expected[: len(shown)]
    assert shown == sorted(shown, key=lambda a: int(a.split()[1]))  # numeric-aware sort by account
    assert page.locator("select.kd-facet[name=area]").input_value() == "Service"
    assert page.locator("select.kd-facet[name=state]").input_value() == "overdue"
    assert page.locator("th.kd-col-account").get_attribute("aria-sort") == "ascending"
    assert page.locator("#__search").is_checked() is False
    # q is the filter's text on a page with grids: Material's search box stays closed.
    page.goto(page.url.split("?")[0] + f"?q={data[0][0][0].replace(' ', '+')}&sort=-next")
    page.wait_for_selector(".kd-controls")
    assert "of 250 plans match the filter" in page.locator(".kd-grid-status").inner_text()
    assert page.locator("th.kd-col-next").get_attribute("aria-sort") == "descending"
    assert page.locator("#__search").is_checked() is False
    assert page.locator(".kd-controls input.kd-filter").input_value() == data[0][0][0]
    page.close()


def test_headers_sort_with_space_and_enter_and_stay_in_view(site: Path, browser: tuple[Browser, str]) -> None:
    page = open_page(browser, "plans/")
    button = page.locator("th.kd-col-quality button.kd-sort")
    assert button.evaluate("b => b.tagName") == "BUTTON"
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    button.focus()
    header_bottom = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert button.bounding_box()["y"] >= header_bottom  # not hidden under the sticky header
    page.keyboard.press("Space")
    assert page.locator("th.kd-col-quality").get_attribute("aria-sort") == "ascending"
    scores = [int(t.split()[0]) for t in page.locator("td.kd-col-quality").all_inner_texts()]
    assert scores == sorted(scores)
    page.keyboard.press("Enter")
    assert page.locator("th.kd-col-quality").get_attribute("aria-sort") == "descending"
    scores = [int(t.split()[0]) for t in page.locator("td.kd-col-quality").all_inner_texts()]
    assert scores == sorted(scores, reverse=True) and scores[0] == max(int(r[7][0]) for r in rows_data(site))
    expect(page).to_have_url(re.compile("sort=-quality"))  # once the result is shown
    page.close()


def test_more_rows_load_as_the_reader_scrolls(browser: tuple[Browser, str]) -> None:
    page = open_page(browser, "plans/?sort=account")
    counts = [len(accounts(page))]
    assert counts == [50]
    page.locator(".kd-more").scroll_into_view_if_needed()  # scrolling near the end loads the next rows
    page.wait_for_function("document.querySelectorAll('table.kd-plans tbody tr').length >= 100")
    while page.locator(".kd-more").is_visible():  # and the button does the same for a keyboard
        # Pressed as a keyboard does (focus, then Enter), not clicked at a point: scrolling to the button makes
        # the script load rows, which moves the button away from the point a mouse click aims at.
        page.locator(".kd-more").evaluate("b => { if (!b.hidden) { b.focus(); } }")
        if page.evaluate("document.activeElement.classList.contains('kd-more')"):
            page.keyboard.press("Enter")
        counts.append(len(accounts(page)))
    assert counts[-1] == 250 and counts == sorted(counts)
    shown = accounts(page)
    assert shown == sorted(shown, key=lambda a: int(a.split()[1])) and len(set(shown)) == 250
    page.close()


def test_the_commitments_page_filters_every_owner(site: Path, browser: tuple[Browser, str]) -> None:
    page = open_page(browser, "plans/commitments/")
    sections = page.locator("section.kd-grid-section")
    assert sections.count() > 3
    first_owner = sections.first.locator("h2").inner_text().rstrip("¶").strip()
    assert page.locator(f'.md-sidebar--secondary a[href="#{sections.first.locator("h2").get_attribute("id")}"]').count()
    page.locator("select.kd-facet[name=owner]").select_option(first_owner)
    assert page.locator("section.kd-grid-section:visible").count() == 1
    page.locator("select.kd-facet[name=overdue]").select_option("overdue")
    flags = page.locator("section.kd-grid-section:visible tbody tr")
    assert flags.count() > 0 and all("overdue" in t.lower() for t in flags.all_inner_texts())
    expect(page).to_have_url(re.compile("owner="))  # once the result is shown
    expect(page).to_have_url(re.compile("overdue=overdue"))
    page.close()


@pytest.mark.parametrize("path", ["plans/", "plans/by-business-area/service/", "plans/commitments/"])
def test_at_phone_width_the_table_shows_its_key_columns_inside_the_screen(
    browser: tuple[Browser, str], path: str
) -> None:
    page = open_page(browser, path, width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    header_cells = page.locator("table.kd-grid-table >> nth=0").locator("thead th:visible")
    titles = header_cells.all_inner_texts()
    if path == "plans/commitments/":
        assert titles == ["Due", "Action", "Account"]
    else:
        assert titles == ["Account", "Owner", "Freshness"]
    for i in range(header_cells.count()):
        box = header_cells.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.close()
