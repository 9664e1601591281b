"""The grids' work done in slices (kamdocs.js), in real headless Chromium, cut as finely as it goes.

At 10,000 plans kamdocs.js reads a page's rows file a piece and a few lines at a time and makes the
filter texts and sort orders a slice at a time, so that no task blocks the page for long. A small
site never stops midway on its own, so here ``<html data-kd-slices="fine">`` makes every slice as
small as the code allows: the file is decoded 999 bytes at a time (so pieces end inside a letter of
more than one byte: every account name here has some) and every piece of work stops at every place
it may. What the reader gets must not change: every row, every sort, the typed box's suggestions.

The expected values come from the plan files themselves (read with PyYAML), and, for the sorts, from
the same page without fine slices (whose sorts the other grid tests check against worked-out orders).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from .commands import built_site, generated_repo, site_config
from .conftest import ROOT
from .grid_data import front_matters

sys.path.insert(0, str(ROOT / "scripts"))
from browser import served_in_chromium

pytestmark = pytest.mark.e2e  # Chromium

PLANS = 240
NAME = "Zür東京🚀 Ärzte {} AG"
"""Every account's name: letters of two, three and four bytes in UTF-8."""


FINE = """new MutationObserver((_, observer) => {
  if (document.documentElement) { document.documentElement.setAttribute('data-kd-slices', 'fine'); observer.disconnect(); }
}).observe(document, { childList: true });"""
"""Sets the attribute as soon as the page's root element is there, before any script of the page runs."""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mkdocs = site_config("git: false", "today: 2026-11-22", "page_size: 10")
    repo = generated_repo(tmp_path_factory.mktemp("slices"), PLANS, mkdocs)
    for plan in (repo / "plans").glob("*.md"):
        text = plan.read_text(encoding="utf-8")
        plan.write_text(re.sub(r"account: Customer (\d+) AG", lambda m: "account: " + NAME.format(m[1]), text), "utf-8")
    return repo


@pytest.fixture(scope="module")
def browser(repo: Path) -> Iterator[tuple[Browser, str]]:
    with served_in_chromium(built_site(repo)) as launched:
        yield launched


def prepared(browser: tuple[Browser, str], path: str, fine: bool) -> Page:
    """The page with its rows fetched, read and prepared (texts and every sort order)."""
    chromium, base = browser
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    if fine:
        page.add_init_script(FINE)
    page.goto(f"{base}/{path}")
    page.hover(".kd-controls")
    page.wait_for_function("performance.getEntriesByName('kamdocs:prepared').length > 0", timeout=60_000)
    assert errors == []
    assert page.evaluate("document.documentElement.getAttribute('data-kd-slices')") == ("fine" if fine else None)
    return page


def view_csv(page: Page) -> list[list[str]]:
    with page.expect_download() as download:
        page.locator(".kd-controls .kd-csv").click()
    return list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))


def test_every_row_of_a_file_read_in_pieces_arrives_whole(browser: tuple[Browser, str], repo: Path) -> None:
    plans = front_matters(repo / "plans")
    page = prepared(browser, "plans/stakeholders/", fine=True)
    table = view_csv(page)
    name, organisation = table[0].index("Name"), table[0].index("Organisation")
    people = sorted((b["name"], p["account"]) for p in plans for b in p["buying_center"])
    assert sorted((row[name], row[organisation]) for row in table[1:]) == people
    assert len(people) > 3 * PLANS // 2  # enough rows that the file is many pieces of 999 bytes
    page.close()


def test_fine_slices_sort_every_column_as_one_slice_does(browser: tuple[Browser, str]) -> None:
    for path in ("plans/", "plans/commitments/"):
        pages = {fine: prepared(browser, path, fine) for fine in (True, False)}
        sorts = pages[True].eval_on_selector_all("select.kd-sort-select option", "os => os.map(o => o.value)")
        assert len(sorts) > 6
        for sort in sorts[1:]:
            views = []
            for page in pages.values():
                # The sort selector is a phone's (the stylesheet hides it beside the header buttons).
                page.eval_on_selector(
                    "select.kd-sort-select", "(s, v) => { s.value = v; s.dispatchEvent(new Event('change')); }", sort
                )
                views.append(view_csv(page))
            assert views[0] == views[1], (path, sort)
            assert len(views[0]) > 100
        for page in pages.values():
            page.close()


def test_the_account_box_suggests_every_account_from_the_rows(browser: tuple[Browser, str], repo: Path) -> None:
    plans = front_matters(repo / "plans")
    page = prepared(browser, "plans/commitments/", fine=True)
    box = page.locator(".kd-controls input.kd-facet[name=account]")
    box.focus()
    options = page.locator(f"datalist#{box.get_attribute('list')} option")
    page.wait_for_function("n => document.querySelectorAll('datalist option').length >= n", arg=PLANS // 2)
    suggested = options.evaluate_all("os => os.map(o => o.value)")
    with_open = {p["account"] for p in plans if p["commitments"]}
    assert set(suggested) == with_open and len(suggested) == len(with_open)
    account = NAME.format(7)
    box.fill(account.lower())  # any letter case names the account
    table = view_csv(page)
    column = table[0].index("Account")
    open_ones = [c for p in plans if p["account"] == account for c in p["commitments"] if c["status"] != "done"]
    assert [row[column] for row in table[1:]] == [account] * len(open_ones)
    page.close()
