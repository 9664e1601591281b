"""Grids whose rows are in a file of their own, in real headless Chromium, from a cold page.

One site of 300 generated plans with ``page_size: 10``: each grid page writes its first rows as
HTML and the rest in its rows file (kamdocs/site/grid_rows.py). Each test opens a page and acts at
once, before anything has fetched the file, as a reader who types straight away would: the filter,
a sort and "Show more" each find rows that only the file holds, and the file is fetched once.
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

PLANS = 300


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mkdocs = site_config("git: false", "today: 2026-11-22", "page_size: 10")
    return built_site(generated_repo(tmp_path_factory.mktemp("rows-browser"), PLANS, mkdocs))


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[tuple[Browser, str]]:
    with served_in_chromium(site) as launched:
        yield launched


def cold(browser: tuple[Browser, str], path: str, fetched: list[str], width: int = 1366) -> Page:
    """The page loaded, its script run, and its rows file not asked for yet."""
    chromium, base = browser
    page = chromium.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: fetched.append(request.url) if request.url.endswith(".rows.json") else None)
    page.goto(f"{base}/{path}")
    page.wait_for_selector(".kd-controls")
    assert errors == [] and fetched == []
    return page


def shown(page: Page, column: str) -> list[str]:
    return page.locator(f"table.kd-grid-table tbody td.kd-col-{column}").all_inner_texts()


def test_the_filter_finds_a_plan_only_the_file_holds(site: Path, browser: tuple[Browser, str]) -> None:
    (rows,) = grid_rows(site / "plans/index.html")
    last = rows[-1][0][0]
    assert len(rows) == PLANS and last not in [r[0][0] for r in rows[:10]]
    fetched: list[str] = []
    page = cold(browser, "plans/", fetched)
    assert shown(page, "account") == [r[0][0] for r in rows[:10]]
    page.locator(".kd-controls input.kd-filter").fill(last)
    page.wait_for_function(
        f"[...document.querySelectorAll('td.kd-col-account')].some(td => td.textContent === {last!r})"
    )
    assert last in shown(page, "account") and len(shown(page, "account")) < 20
    assert re.fullmatch(r"\d+ of 300 plans match the filter\.", page.locator(".kd-grid-status").inner_text())
    assert fetched == [f"{browser[1]}/plans/index.rows.json"]
    page.close()


def test_a_sort_puts_a_plan_only_the_file_holds_first(site: Path, browser: tuple[Browser, str]) -> None:
    (rows,) = grid_rows(site / "plans/index.html")
    highest = max(rows, key=lambda r: int(r[0][0].split()[1]))[0][0]  # "Customer 299 AG": natural order
    fetched: list[str] = []
    page = cold(browser, "plans/", fetched)
    button = page.locator("th.kd-col-account button.kd-sort")
    button.click()
    page.wait_for_function("document.querySelector('th.kd-col-account').getAttribute('aria-sort') === 'ascending'")
    button.click()
    page.wait_for_function(f"document.querySelector('td.kd-col-account').textContent === {highest!r}")
    expect(page).to_have_url(re.compile(r"\?sort=-account$"))
    assert len(fetched) == 1
    page.close()


def test_show_more_and_a_view_in_the_url_fetch_the_file(site: Path, browser: tuple[Browser, str]) -> None:
    (rows,) = grid_rows(site / "plans/index.html")
    fetched: list[str] = []
    page = cold(browser, "plans/", fetched, width=390)
    page.locator(".kd-more").click()
    # At least the next 50: the button in view may also have loaded rows by itself (more load as you
    # scroll), before the click or after it, so 60 or 110 rows, the first 60 always the file's first.
    page.wait_for_function("document.querySelectorAll('table.kd-plans tbody tr').length >= 60")
    assert shown(page, "account")[:60] == [r[0][0] for r in rows[:60]] and len(fetched) == 1
    page.close()
    service = sorted((r[0][0] for r in rows if r[2] == "Service"), key=lambda a: int(a.split()[1]))
    chromium, base = browser
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{base}/plans/?area=Service&sort=account")
    page.wait_for_function(f"document.querySelector('td.kd-col-account').textContent === {service[0]!r}")
    # The first screen of rows at once, the rest of the 50 when the browser is idle.
    page.wait_for_function("document.querySelectorAll('table.kd-plans tbody tr').length === 50")
    assert shown(page, "account") == service[:50]
    page.close()


@pytest.mark.parametrize(
    ("path", "column", "pick"),
    [
        # the last open one of the first owner (the page shows open commitments until Status says otherwise)
        ("plans/commitments/", "action", lambda grids: [r[2] for r in grids[0] if r[1] in ("open", "in progress")][-1]),
        ("plans/stakeholders/", "organisation", lambda grids: grids[0][-1][2][1][0][0]),
    ],
    ids=["commitments", "stakeholders"],
)
def test_other_grid_pages_find_a_row_only_the_file_holds(
    site: Path, browser: tuple[Browser, str], path: str, column: str, pick
) -> None:
    page_file = site / path / "index.html"
    grids = grid_rows(page_file)
    wanted = pick(grids)
    html = page_file.read_text(encoding="utf-8")
    assert not any(wanted in body for body in re.findall(r"<tbody>(.*?)</tbody>", html, re.S))  # not an HTML row
    fetched: list[str] = []
    page = cold(browser, path, fetched)
    page.locator(".kd-controls input.kd-filter").fill(wanted)
    page.wait_for_function(
        f"[...document.querySelectorAll('td.kd-col-{column}')].some(td => td.textContent.includes({wanted!r}))"
    )
    assert fetched == [f"{browser[1]}/{path}index.rows.json"]
    page.close()


def test_without_script_the_page_says_where_the_rest_is(site: Path, browser: tuple[Browser, str]) -> None:
    chromium, base = browser
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/plans/")
    assert page.locator("table.kd-plans tbody tr").count() == 10
    status = page.locator(".kd-grid-status").inner_text()
    assert status.startswith("The first 10 of 300 plans; the filter and the rest need JavaScript"), status
    assert "plans.csv" in page.locator(".kd-grid-status").inner_html()
    context.close()
