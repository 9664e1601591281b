"""Every table fits the screen it is read on, in real headless Chromium.

Two sites, each built once: the bundled plans (``plans/``) and 1,000 generated ones
(``benchmarks/generate_plans.py``). At 1366, 1280 and 390 px the dashboard, budget, scorecard,
commitments and stakeholder pages and plan pages are laid out, and for every cell of every table
the test checks by bounding boxes that it lies inside the viewport and that neither the cell nor
the region that would scroll it sideways is wider than it shows. It also checks that no page
scrolls sideways, that no figure or date is wrapped inside itself, that an e-mail address wraps
only after its ``@`` or before a dot, that the columns a manager acts on are on screen at 1366
and 1280 px, and that on a phone the dashboard offers every sort.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .commands import built_site, sample_repo, site_config, write_repo
from .conftest import ROOT
from .grid_data import grid_rows

sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from browser import serve
from generate_plans import generate

pytestmark = pytest.mark.e2e  # Chromium, over a site of a thousand plans

GENERATED = 1000
MKDOCS = site_config("git: false", "today: 2026-11-22")
ROLLUPS = [
    "plans/",
    "plans/budget/",
    "plans/scorecard/",
    "plans/commitments/",
    "plans/stakeholders/",
    "plans/by-business-area/",
    "plans/by-owner/",
]
WIDTHS = (1366, 1280, 390)

# What is wrong with a page's tables, in words; [] when nothing is. Tables only screen readers read
# (.kd-sr-only, beside each chart) are not laid out for the eye and are left out.
PROBLEMS = r"""() => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > vw) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);
  const tables = [...document.querySelectorAll('article table')].filter(t => !t.closest('.kd-sr-only'));
  const shown = c => { const r = c.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  // The characters around each line break inside an element: two before it and one after, as "abc".
  const breaks = element => {
    const pairs = [];
    let top = null, prev = '  ';
    const walk = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        if (/\s/.test(node.data[i])) { prev = prev.slice(-1) + ' '; continue; }
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const r = range.getBoundingClientRect();
        if (r.width === 0) continue;
        if (top !== null && r.top > top + 2) pairs.push(prev + node.data[i]);
        top = r.top; prev = prev.slice(-1) + node.data[i];
      }
    }
    return pairs;
  };
  for (const table of tables) {
    const name = table.className + ' ' + (table.tHead ? table.tHead.innerText.slice(0, 40).replace(/\s+/g, ' ') : '');
    const scroller = table.closest('.kd-scroll, .kd-chain-wrap');
    if (scroller && scroller.scrollWidth > scroller.clientWidth + 1)
      out.push(`${name}: scrolls sideways, ${scroller.scrollWidth} > ${scroller.clientWidth}`);
    for (const cell of table.querySelectorAll('th, td')) {
      if (!shown(cell)) continue;
      const r = cell.getBoundingClientRect();
      const text = cell.innerText.slice(0, 40).replace(/\s+/g, ' ');
      if (r.left < -0.5 || r.right > vw + 0.5) out.push(`${name}: "${text}" outside the viewport (${Math.round(r.left)}..${Math.round(r.right)})`);
      if (cell.scrollWidth > cell.clientWidth + 1) out.push(`${name}: "${text}" clipped`);
      for (const around of breaks(cell)) {
        // A figure or date is digits with their separators: no line break after a digit and before a digit
        // or separator, nor after a digit's separator and before a digit. (After the hyphen of an id, as in
        // account-00651, a line may break.)
        if (/\d[\d,.'%:\u2019-]$|\d[,.'%:\u2019-]\d$/.test(around))
          out.push(`${name}: "${text}" wraps a figure: ${around.slice(0, 2)} / ${around[2]}`);
      }
    }
    // An e-mail address wraps only after its @ or before a dot.
    for (const el of table.querySelectorAll('td, td a, td .kd-per-plan')) {
      if (!shown(el) || !/^[^\s@]+@[^\s@]+$/.test(el.textContent.trim())) continue;
      for (const around of breaks(el))
        if (around[1] !== '@' && around[2] !== '.') out.push(`${name}: e-mail "${el.textContent}" wraps: ${around}`);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(sample_repo(tmp_path_factory.mktemp("bundled"), MKDOCS, {"index.md": "# Home\n"}))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = write_repo(tmp_path_factory.mktemp("generated"), {}, MKDOCS)
    generate(GENERATED, repo / "plans")
    return built_site(repo)


def problems(chromium: Browser, base: str, paths: list[str]) -> list[str]:
    """Every page at every width, each problem named with its page and width."""
    found = []
    for width in WIDTHS:
        page = chromium.new_page(viewport={"width": width, "height": 768})
        for path in paths:
            page.goto(f"{base}/{path}")
            page.wait_for_load_state("load")
            found += [f"{path} at {width} px: {p}" for p in page.evaluate(PROBLEMS)]
        page.close()
    return found


def plan_pages(site: Path, count: int | None = None) -> list[str]:
    """Plan pages, the ones with the most table rows (commitments, KPIs, contacts) first."""
    plans = json.loads((site / "plans/plans.json").read_text(encoding="utf-8"))["plans"]
    plans.sort(key=lambda p: -(len(p["commitments"]) + len(p["kpis"]) + len(p["buying_center"])))
    return [f"plans/accounts/{p['id']}/" for p in plans[:count]]


def test_every_table_of_the_bundled_plans_fits_at_every_width(bundled: Path, chromium: Browser) -> None:
    with serve(bundled) as base:
        found = problems(chromium, base, ROLLUPS + plan_pages(bundled))
        assert not found, "\n".join(found)


def test_every_table_of_a_thousand_plans_fits_at_every_width(generated: Path, chromium: Browser) -> None:
    with serve(generated) as base:
        found = problems(chromium, base, ROLLUPS + plan_pages(generated, 4))
        assert not found, "\n".join(found)


def header_on_screen(page: Page, title: str) -> bool:
    box = page.locator("article table thead th", has_text=re.compile(rf"^{re.escape(title)}$")).first.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]  # type: ignore[index]


@pytest.mark.parametrize("width", [1366, 1280])
def test_the_columns_a_manager_acts_on_are_on_screen(generated: Path, chromium: Browser, width: int) -> None:
    with serve(generated) as base:
        page = chromium.new_page(viewport={"width": width, "height": 768})
        page.goto(f"{base}/plans/budget/")
        for title in ("Business area", "Fiscal year", "Target", "Actual", "Attainment"):
            assert header_on_screen(page, title), title
        page.goto(f"{base}/plans/scorecard/")
        for title in ("Owner", "Plans", "Quality", "Commitments due", "Reviews on time", "Goal attainment"):
            assert header_on_screen(page, title), title
        page.goto(f"{base}/plans/")
        for title in ("Account", "Owner", "Freshness", "Next review", "Goal", "Quality"):
            assert header_on_screen(page, title), title
        page.close()


def test_plan_tables_stack_on_a_phone(bundled: Path, chromium: Browser) -> None:
    with serve(bundled) as base:
        page = chromium.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{base}/plans/accounts/helvetia-chemicals/")  # commitments, KPIs and a buying centre
        for header in ("Action", "KPI", "Name"):
            table = page.locator("article table", has=page.locator(f"thead th:text-is('{header}')")).first
            assert table.locator("thead").is_hidden()
            cells = table.locator("tbody tr").first.locator("td")
            boxes = [b for b in (cells.nth(i).bounding_box() for i in range(cells.count())) if b]
            # One labelled cell under the other, each as wide as the row.
            assert len(boxes) >= 4 and all(b["y"] >= a["y"] + a["height"] - 1 for a, b in itertools.pairwise(boxes))
            assert all(b["width"] > 300 for b in boxes)
            label = cells.first.evaluate("c => getComputedStyle(c, '::before').content")
            assert label == f'"{header}: "'
        page.close()


def test_the_dashboard_offers_every_sort_on_a_phone(generated: Path, chromium: Browser) -> None:
    html = (generated / "plans/index.html").read_text(encoding="utf-8")
    (spec,) = re.findall(r'<script type="application/json" class="kd-grid-spec">(.*?)</script>', html, re.S)
    columns = [c for c in json.loads(spec)["cols"] if not c.get("hide")]
    (rows,) = grid_rows(generated / "plans/index.html")
    with serve(generated) as base:
        phone = chromium.new_page(viewport={"width": 390, "height": 844})
        phone.goto(f"{base}/plans/")
        select = phone.locator("select.kd-sort-select")
        assert select.is_visible()
        hidden = [c["k"] for c in columns if not phone.locator(f"th.kd-col-{c['k']}").is_visible()]
        assert hidden, "a phone shows fewer columns than a wide screen"
        values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
        assert values == ["", *(v for c in columns for v in (c["k"], "-" + c["k"]))]
        select.select_option("-quality")
        quality = columns.index(next(c for c in columns if c["k"] == "quality"))
        best = max(r[quality][0] for r in rows if r[quality][0] is not None)
        bests = sorted({r[0][0] for r in rows if r[quality][0] == best})
        # The rows come from the page's rows file, fetched as the reader chooses: wait for the sorted view.
        phone.wait_for_function(
            "bests => bests.includes(document.querySelector('table.kd-plans tbody td.kd-col-account').textContent)",
            arg=bests,
        )
        expect(phone).to_have_url(re.compile(r"\?sort=-quality$"))  # once the sorted view is shown
        wide = chromium.new_page(viewport={"width": 1366, "height": 768})
        wide.goto(f"{base}/plans/")
        wide.wait_for_selector(".kd-controls")
        assert wide.locator("select.kd-sort-select").is_hidden()  # the header buttons sort there
        phone.close()
        wide.close()


def test_counts_on_the_dashboard_cards_have_thousands_separators(generated: Path) -> None:
    html = (generated / "plans/index.html").read_text(encoding="utf-8")
    assert '<span class="kd-count">1,000</span> plans' in html  # the 1,000 generated plans, as a reader writes it
