"""The grid script follows the column kinds' rules the page carries, in real headless Chromium.

One page holds the same rows twice: a grid whose rows the server wrote as HTML
(kamdocs/site/grid_cells.py) and one whose rows only the script renders, from
the data and the rules in the spec. Every kind is in them, with hostile text.
The two must be the same markup, and sort, filter and mark rows as worked out
by hand here.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, sync_playwright

from kamdocs.site.grid import Column, grid

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from browser import CHROMIUM_FLAGS, chromium_path, serve

pytestmark = pytest.mark.e2e  # Chromium

ANNA = "anna.keller@example-long-domain.example.com"
HOSTILE = '"><script>window.pwned=1</script><img src=x onerror="window.pwned=1">'

COLUMNS = (
    Column("who", "Who", facet="who", phone=True),
    Column("account", "Account", "link", phone=True),
    Column("next", "Next review", "sorted"),
    Column("state", "Freshness", "badge", facet="state"),
    Column("quality", "Quality", "band", facet="quality"),
    Column("due", "Due", "due"),
    Column("people", "People", "many", facet="people"),
    Column("tier", "Tier", hidden=True, facet="tier"),
)

ROWS = [
    [
        ANNA,
        ["Acme & Co", "accounts/acme/"],
        ["2026-12-01", "2026-12-01"],
        ["current", 3, "current"],
        [72, "fair", "fair"],
        ["2026-11-01", 0, "2026-11-01"],
        ["bea", [["Bea <b>", "accounts/acme/", "kd-attitude kd-supporter", None, None]]],
        "A",
    ],
    [
        HOSTILE,
        [HOSTILE, "accounts/x/"],
        ["–", ""],
        ["overdue 5 d", 0, "overdue"],
        [None, "", ""],
        ["2026-10-01", 21, "2026-10-01"],
        ["al", [["Al", None, None, "stale", HOSTILE], ["Bo", None, None, None, None]]],
        "B",
    ],
    [
        "Customer 10",
        ["Beta", "accounts/beta/"],
        ["2027-01-15", "2027-01-15"],
        ["due soon", 1, "due-soon"],
        [90, "good", "good"],
        ["2026-12-24", 0, "2026-12-24"],
        ["cy", [["Cy", None, None, "stale", "no contact in 400 days"]]],
        "A",
    ],
    [
        "Customer 9",
        ["Älpler", "accounts/alpler/"],
        ["2026-11-30", "2026-11-30"],
        ["current", 3, "current"],
        [41, "weak", "weak"],
        ["2026-09-15", 70, "2026-09-15"],
        ["", []],
        "",
    ],
]


@pytest.fixture(scope="module")
def shared_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    folder = tmp_path_factory.mktemp("cells")
    shutil.copy(ROOT / "kamdocs" / "assets" / "kamdocs.js", folder / "kamdocs.js")
    server = grid("Server", COLUMNS, ROWS, first=len(ROWS), css="kd-server")
    script = grid("Script", COLUMNS, ROWS, first=0, css="kd-script")
    html = f'<!doctype html><html><head><meta charset="utf-8"></head><body>{server}{script}<script src="kamdocs.js"></script></body></html>'
    (folder / "index.html").write_text(html, encoding="utf-8")
    with serve(folder) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base}/index.html")
        page.wait_for_selector(".kd-controls")
        # A filter typed and cleared: every grid renders its matching rows, the second one from the data.
        page.fill(".kd-controls .kd-filter", "x")
        page.fill(".kd-controls .kd-filter", "")
        yield page
        assert errors == []
        assert page.evaluate("window.pwned") is None
        browser.close()


@pytest.fixture
def page(shared_page: Page) -> Page:
    """The page in the data's order, unfiltered, whatever the test before left."""
    shared_page.select_option(".kd-sort-select", "")
    shared_page.click(".kd-controls .kd-clear")
    return shared_page


def bodies(page: Page) -> tuple[str, str]:
    server, script = (page.inner_html(f"table.kd-{name} tbody") for name in ("server", "script"))
    return server, script


def whos(page: Page) -> list[str]:
    return page.locator("table.kd-script tbody td.kd-col-who").all_inner_texts()


def test_the_script_builds_the_rows_the_server_wrote(page: Page) -> None:
    server, script = bodies(page)
    assert script.count("<tr") == len(ROWS)
    assert script == server


def test_rows_are_marked_overdue_before_stale(page: Page) -> None:
    classes = page.eval_on_selector_all("table.kd-script tbody tr", "rows => rows.map(r => r.className)")
    # Row 1 is overdue and has a stale contact; row 2 only a stale contact; row 3 only overdue.
    assert classes == ["", "kd-overdue-row", "kd-stale-row", "kd-overdue-row"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # a missing score sorts first
        ("quality", [HOSTILE, "Customer 9", ANNA, "Customer 10"]),
        ("-due", ["Customer 10", ANNA, HOSTILE, "Customer 9"]),
        # by urgency, not by the badge's words; ties (two current plans) keep the data's order
        ("state", [HOSTILE, "Customer 10", ANNA, "Customer 9"]),
        # naturally: 9 before 10; a quote mark before letters
        ("who", [HOSTILE, ANNA, "Customer 9", "Customer 10"]),
        # an empty key sorts first
        ("next", [HOSTILE, "Customer 9", ANNA, "Customer 10"]),
        # without accents: Älpler between Acme and Beta
        ("account", [HOSTILE, "Acme & Co", "Älpler", "Beta"]),
        # by the list's own key; an empty list first
        ("people", ["Customer 9", HOSTILE, ANNA, "Customer 10"]),
    ],
)
def test_each_kind_sorts_by_its_key(page: Page, sort: str, expected: list[str]) -> None:
    page.select_option(".kd-sort-select", sort)
    shown = (
        page.locator("table.kd-script tbody td.kd-col-account").all_inner_texts() if sort == "account" else whos(page)
    )
    assert shown == expected
    server, script = bodies(page)
    assert script == server


@pytest.mark.parametrize(
    ("facet", "value", "expected"),
    [
        ("state", "current", [ANNA, "Customer 9"]),
        ("quality", "weak", ["Customer 9"]),
        ("people", "Bo", [HOSTILE]),
        ("people", "Bea <b>", [ANNA]),
        ("tier", "A", [ANNA, "Customer 10"]),
        ("who", HOSTILE, [HOSTILE]),
    ],
)
def test_each_kind_filters_on_its_facet_value(page: Page, facet: str, value: str, expected: list[str]) -> None:
    page.select_option(f".kd-controls select[name={facet}]", value)
    assert whos(page) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("overdue", [HOSTILE]),  # a badge's state is searched (its words, "overdue 5 d", hold a figure)
        ("good", ["Customer 10"]),  # and a band
        ("21", []),  # but not a due cell's days: its text is the date
        ("cy", ["Customer 10"]),  # a list's items
        ("–", []),  # a missing score shows as a dash, but scores are figures: the filter does not read them
        ("2026", []),  # nor dates: every row's next review and due date is in 2026
    ],
)
def test_the_free_text_filter_searches_each_kind_s_text(page: Page, words: str, expected: list[str]) -> None:
    page.fill(".kd-controls .kd-filter", words)
    assert whos(page) == expected
