"""Plans printed for a review meeting: Chromium's own PDFs of the bundled plans, on A4 and Letter.

Each bundled plan is printed with ``page.pdf`` as a reader's browser prints it (the print stylesheet,
the page's own size), and the PDF is read with ``tests/pdftext.py`` (the project installs no PDF
library). The test counts the pages (a one-page plan on at most 2, a full plan on at most 6), finds
every table's header row in the text, finds every table row and every box of the constraint chain
whole on one page, finds the page's address and the day on the first page, finds none of the site's
navigation, and no page that ends on a heading. Laid out with the print styles at
the width of the printed page, no table is wider than the page. A generated plan with ten
commitments is printed too (it took 11 pages before the print stylesheet).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from .commands import built_site, sample_repo, site_config, write_repo
from .conftest import ROOT
from .pdftext import Pdf

sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))
from browser import serve
from generate_plans import generate

pytestmark = pytest.mark.e2e  # Chromium

# With a palette, so that Material loads the dark one a reader may pick.
MKDOCS = site_config("git: false", "today: 2026-11-22").replace(
    "  font: false\n", "  font: false\n  palette:\n    scheme: default\n"
)
PAGE_LIMIT = {"one-page": 2, "full": 6}
# The printed width of each paper, in CSS px, less the print stylesheet's 11 mm side margins.
PRINTED_WIDTH = {"A4": round((210 - 22) / 25.4 * 96), "Letter": round((215.9 - 22) / 25.4 * 96)}
ROLLUPS = ["plans/", "plans/budget/", "plans/scorecard/", "plans/commitments/", "plans/stakeholders/"]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(sample_repo(tmp_path_factory.mktemp("print"), MKDOCS, {"index.md": "# Home\n"}))


def squeeze(text: str) -> str:
    """Text without white space: a PDF places words by position, so its spaces are not the page's."""
    return re.sub(r"\s+", "", text)


def header_rows(page: Page) -> list[str]:
    """Each table's header cells, as one run of text, from the page (the charts' screen-reader tables left out)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('article table')].filter(t => !t.closest('.kd-sr-only') && t.tHead)
             .map(t => [...t.tHead.rows[0].cells].map(c => c.textContent).join(''))"""
    )


@dataclass(frozen=True)
class Printed:
    """A page printed to PDF, and what of the page the PDF must hold."""

    pdf: Pdf
    headers: list[str]
    """Each table's header row, as one run of text."""
    headings: list[str]
    units: list[str]
    """The text of each table row and each box of the constraint chain, laid out for print: each must be whole
    on one page of the PDF, never split between two."""


UNITS = """() => [...document.querySelectorAll('article table.kd-table tbody tr, article table.kd-chain td.kd-node')]
  .filter(e => e.getClientRects().length && !e.closest('.kd-sr-only')).map(e => e.innerText)"""


def printed(page: Page, url: str, paper: str) -> Printed:
    """The page as a PDF on ``paper``, with its tables' header rows, its headings and its rows and boxes."""
    page.goto(url)
    page.wait_for_load_state("load")
    pdf = Pdf(page.pdf(format=paper, print_background=True))
    headings = page.locator("article h1, article h2, article h3").evaluate_all("hs => hs.map(h => h.textContent)")
    page.emulate_media(media="print")  # innerText as printed: CSS text-transform applied, screen-only parts left out
    units = page.evaluate(UNITS)
    page.emulate_media(media="null")
    return Printed(pdf, header_rows(page), [squeeze(h.rstrip("¶")) for h in headings], units)


def problems(printout: Printed, url: str) -> list[str]:
    pdf, headers, headings = printout.pdf, printout.headers, printout.headings
    pages = [pdf.text(i) for i in range(len(pdf.pages))]
    text = squeeze("\n".join(pages))
    found = [f"the header row {h!r} is not in the PDF" for h in headers if squeeze(h) not in text]
    squeezed = [squeeze(p) for p in pages]
    found += [f"split between pages: {u[:50]!r}" for u in printout.units if not any(squeeze(u) in p for p in squeezed)]
    first = squeeze(pages[0])
    days = {(date.today() + timedelta(days=d)).isoformat() for d in (-1, 0, 1)}  # the printer's clock, at any hour
    if squeeze(url) not in first or not any(f"Printedon{d}" in first for d in days):
        found.append("the first page does not say where and when it was printed")
    # Page numbers from the @page margin box (Chromium has them since 131; Debian's prints them).
    numbered = [f"{n}/{len(pages)}" in squeeze(p) for n, p in enumerate(pages, 1)]
    if not all(numbered):
        found.append(f"pages without their number: {[n for n, ok in enumerate(numbered, 1) if not ok]}")
    for chrome in ("MadewithMaterial", "Planformat", "Tableofcontents"):
        if chrome in text:
            found.append(f"the site's chrome is printed: {chrome}")
    for number, page_text in enumerate(pages[:-1], 1):
        lines = [squeeze(line) for line in page_text.splitlines() if squeeze(line)]
        last = lines[-1] if lines else ""
        if last in headings:
            found.append(f"page {number} ends on the heading {last!r}")
    return found


def wider_than_paper(page: Page, url: str, paper: str) -> list[str]:
    """Tables and charts laid out with the print styles at the paper's printed width that do not fit it."""
    page.set_viewport_size({"width": PRINTED_WIDTH[paper], "height": 1000})
    page.emulate_media(media="print")
    page.goto(url)
    page.wait_for_load_state("load")
    cut = page.evaluate(
        """() => {
          const right = document.documentElement.clientWidth + 0.5;
          return [...document.querySelectorAll('article table, article svg, article .kd-scroll, article .kd-chain-wrap')]
            .filter(e => !e.closest('.kd-sr-only') && !e.closest('.md-typeset .headerlink'))
            .filter(e => e.getBoundingClientRect().width > 0)
            .filter(e => e.getBoundingClientRect().right > right || e.scrollWidth > e.clientWidth + 1)
            .map(e => (e.className.baseVal ?? e.className) + ': ' + Math.round(e.getBoundingClientRect().right));
        }"""
    )
    page.emulate_media(media="null")  # back to no emulation: page.pdf prints a page emulating "screen" as a screen
    return cut


def plans(site: Path) -> list[dict]:
    return json.loads((site / "plans/plans.json").read_text(encoding="utf-8"))["plans"]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_each_bundled_plan_prints_whole_on_few_pages(bundled: Path, chromium: Browser, paper: str) -> None:
    found = []
    counts = {}
    with serve(bundled) as base:
        page = chromium.new_page()
        for plan in plans(bundled):
            url = f"{base}/plans/accounts/{plan['id']}/"
            printout = printed(page, url, paper)
            assert len(printout.headers) >= 2, plan["id"]  # at least the commitments and the quality reasons
            assert len(printout.units) >= 5, plan["id"]
            pages = len(printout.pdf.pages)
            counts[plan["id"]] = pages
            if pages > PAGE_LIMIT[plan["kind"]]:
                found.append(f"{plan['id']} ({plan['kind']}): {pages} pages")
            found += [f"{plan['id']}: {p}" for p in problems(printout, url)]
            found += [f"{plan['id']}: wider than {paper}: {c}" for c in wider_than_paper(page, url, paper)]
        page.close()
    assert not found, "\n".join(found)
    assert len(counts) == 9 and min(counts.values()) >= 1


def test_the_rollups_print_with_every_column(bundled: Path, chromium: Browser) -> None:
    found = []
    with serve(bundled) as base:
        page = chromium.new_page()
        for path in ROLLUPS:
            url = f"{base}/{path}"
            printout = printed(page, url, "A4")
            assert printout.headers, path
            found += [f"{path}: {p}" for p in problems(printout, url)]
            found += [f"{path}: wider than A4: {c}" for c in wider_than_paper(page, url, "A4")]
        page.close()
    assert not found, "\n".join(found)


def test_a_long_generated_plan_prints_on_at_most_six_pages(tmp_path: Path, chromium: Browser) -> None:
    repo = write_repo(tmp_path, {}, MKDOCS)
    generate(20, repo / "plans")
    site = built_site(repo)
    longest = max(plans(site), key=lambda p: len(p["commitments"]) + len(p["kpis"]) + len(p["buying_center"]))
    assert len(longest["commitments"]) >= 10
    with serve(site) as base:
        page = chromium.new_page()
        url = f"{base}/plans/accounts/{longest['id']}/"
        printout = printed(page, url, "A4")
        assert len(printout.pdf.pages) <= 6
        assert problems(printout, url) == []
        page.close()


def test_a_reader_on_the_dark_palette_prints_dark_text_on_white(bundled: Path, chromium: Browser) -> None:
    with serve(bundled) as base:
        page = chromium.new_page()
        page.goto(f"{base}/plans/accounts/novaris-pharma/")
        # What Material's palette toggle does when the reader picks the dark palette.
        page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
        colours = """() => [getComputedStyle(document.body).backgroundColor,
            ...[...document.querySelectorAll('article p, article td, article td a, article h2, article .kd-badge, '
                                              + 'article .kd-attitude, article .kd-flag')]
               .filter(e => e.getClientRects().length).map(e => getComputedStyle(e).color)]"""

        def lightness(colour: str) -> float:
            """0 for black, 1 for white, from rgb()/rgba(); a transparent background counts as the paper's white."""
            r, g, b, *alpha = (float(v) for v in re.findall(r"[\d.]+", colour))
            return 1.0 if alpha and alpha[0] == 0 else (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255

        screen = page.evaluate(colours)
        assert lightness(screen[0]) < 0.3  # the dark palette on screen
        page.emulate_media(media="print")
        background, *texts = page.evaluate(colours)
        assert lightness(background) > 0.9 and texts
        assert max(lightness(t) for t in texts) < 0.6, texts
        page.close()
