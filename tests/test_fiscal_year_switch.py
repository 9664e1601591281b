"""The reader's fiscal year in Chromium: the budget page, the scorecard and the dashboard's money cards
show the current fiscal year, switch to any other with goals (next year's too, in December), keep the
choice in the URL through a reload and beside the grid's filters, and show the current year without
a script. The figures shown are compared with sums made here from the plan files."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from .commands import built_site, mkdocs_build_in_process, write_repo
from .conftest import ROOT
from .test_attainment_site import MKDOCS, PLANS, budget_row, expected, pct, plan_file

sys.path.insert(0, str(ROOT / "scripts"))
from browser import CHROMIUM_FLAGS, chromium_path, serve

VISIBLE = """() => [...document.querySelectorAll('[data-kd-fy]')].filter(s => !s.hidden && s.offsetParent !== null)
  .map(s => s.getAttribute('data-kd-fy'))"""
ROLL_UP = """() => {
  const section = [...document.querySelectorAll('[data-kd-fy]')].find(s => !s.hidden && s.querySelector('table.kd-budget'));
  return [...section.querySelectorAll('table.kd-budget tbody tr')].map(r => [...r.cells].map(c => c.textContent.trim()));
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("years")
    repo = write_repo(root, {i: plan_file(i, *v) for i, v in PLANS.items()}, MKDOCS)
    return repo, built_site(repo)


def shown_year(page: Page) -> list[str]:
    return sorted(set(page.evaluate(VISIBLE)))


def check_roll_up(page: Page, repo: Path, year: str) -> None:
    """The visible roll-up table's attainments against the sums made from the files."""
    want = expected(repo, "business_area")
    rows = page.evaluate(ROLL_UP)
    assert rows
    for cells in rows:
        row = budget_row(cells)
        assert row.year == year, cells
        actual, target, _ = want[(row.area, year, row.unit)]
        assert row.attainment == (pct(actual, target) if target else "–"), cells


@pytest.mark.e2e
def test_switch_url_reload_and_figures(site: tuple[Path, Path]) -> None:
    repo, out = site
    with serve(out) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for width in (1366, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{base}/plans/budget/")
            select = page.locator("select.kd-fy-select")
            assert select.is_visible()
            assert select.input_value() == "2026"  # December 2026: the current fiscal year
            options = select.locator("option").all_text_contents()
            assert options == ["2025", "2026 (current)", "2027", "All years"]  # next year is reachable
            assert shown_year(page) == ["2026"]
            check_roll_up(page, repo, "2026")
            select.select_option("2027")
            assert page.url.endswith("/plans/budget/?fy=2027")
            assert shown_year(page) == ["2027"]
            check_roll_up(page, repo, "2027")
            page.reload()
            assert page.locator("select.kd-fy-select").input_value() == "2027" and shown_year(page) == ["2027"]
            check_roll_up(page, repo, "2027")
            box = select.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width

            page.goto(f"{base}/plans/scorecard/?fy=2025")
            assert page.locator("select.kd-fy-select").input_value() == "2025" and shown_year(page) == ["2025"]
            area_rows = page.evaluate(
                """() => [...document.querySelectorAll('[data-kd-fy="2025"] table')].filter(t => t.tHead.textContent
                  .includes('Business area')).flatMap(t => [...t.tBodies[0].rows].map(r => [r.cells[0].textContent,
                  r.cells[r.cells.length - 1].textContent]))"""
            )
            actual, target, _ = expected(repo, "business_area")[("Lab & <Instruments>", "2025", "CHF")]
            assert area_rows == [["Lab & <Instruments>", f"{pct(actual, target)} of {target:,} CHF"]]

            # The dashboard: the year and the grid's filter share the URL, each keeps the other.
            page.goto(f"{base}/plans/?fy=2027")
            assert shown_year(page) == ["2027"]
            cards = page.locator('[data-kd-fy="2027"] .kd-card-money').all_text_contents()
            actual, target, _ = expected(repo, "business_area")[(None, "2027", "EUR")]
            assert any(f"actual {actual:,} EUR of {target:,} EUR ({pct(actual, target)})" in c for c in cards), cards
            page.locator("select.kd-facet[name=area]").select_option("Service")
            # The grid's filter reaches the address once the page has shown its result.
            expect(page).to_have_url(re.compile(r"fy=2027.*area=Service|area=Service.*fy=2027"))
            page.locator("select.kd-fy-select").select_option("all")
            expect(page).to_have_url(re.compile(r"fy=all.*area=Service|area=Service.*fy=all"))
            assert shown_year(page) == ["all"]
            page.close()
        # Without a script: the current year, and no switch that could not work.
        page = browser.new_page(java_script_enabled=False, viewport={"width": 1366, "height": 900})
        for path in ("plans/budget/", "plans/scorecard/", "plans/"):
            page.goto(f"{base}/{path}?fy=2027")
            assert shown_year(page) == ["2026"], path
            assert not page.locator("select.kd-fy-select").is_visible(), path
        browser.close()


def test_one_fiscal_year_has_no_switch_and_no_all_years(tmp_path: Path) -> None:
    one = {i: plan_file(i, *v) for i, v in PLANS.items() if v[6] == 2026}
    repo = write_repo(tmp_path, one, MKDOCS)
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 0, result.stderr
    for path in ("plans/budget", "plans/scorecard", "plans"):
        page = (tmp_path / "site" / path / "index.html").read_text(encoding="utf-8")
        assert "data-kd-fy-switch" not in page and 'data-kd-fy="all"' not in page, path
        assert "All years" not in page and "all years" not in page, path
        assert '<div class="kd-fy" data-kd-fy="2026">' in page, path
