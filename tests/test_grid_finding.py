"""What a grid writes for finding rows (kamdocs/site/grid.py): which columns the free text reads, a
facet's default and the rows it shows first, the account box; checked against values written out by hand.

``tests/test_grid_finding_browser.py`` drives the same in Chromium.
"""

from __future__ import annotations

import json
import re

from kamdocs.site.blocks import COMMITMENT_COLUMNS, PLAN_COLUMNS
from kamdocs.site.grid import Column, FacetDefault, grid
from kamdocs.site.stakeholders_page import GRID_COLUMNS

COLUMNS = (
    Column("due", "Due", "due"),
    Column("status", "Status", facet="status", default=FacetDefault("open or in progress", ("open", "in progress"))),
    Column("action", "Action"),
    Column("account", "Account", "link", facet="account", typed=True),
    Column("share", "Share", "sorted", numeric=True),
)
ROWS = [
    [["2026-01-01", 0, "2026-01-01"], "done", "Closed first in the data", ["Acme AG", "a/"], ["10%", 0.1]],
    [["2026-02-01", 3, "2026-02-01"], "open", "Open one", ["Beta AG", "b/"], ["20%", 0.2]],
    [["2026-03-01", 0, "2026-03-01"], "dropped", "Dropped one", ["Acme AG", "a/"], ["30%", 0.3]],
    [["2026-04-01", 0, "2026-04-01"], "in progress", "Going on", ["Acme AG", "a/"], ["40%", 0.4]],
]


def spec_and_rows(html: str) -> tuple[dict, list]:
    spec = re.search(r'class="kd-grid-spec">(.*?)</script>', html, re.S)
    rows = re.search(r'class="kd-grid-data">(.*?)</script>', html, re.S)
    assert spec and rows
    return json.loads(spec.group(1)), json.loads(rows.group(1))


def test_the_default_rows_come_first_and_only_they_are_written_as_html() -> None:
    html = grid("Commitments", COLUMNS, ROWS, first=10, noun="commitments")
    spec, rows = spec_and_rows(html)
    # Open and in progress first, in their order; then done and dropped, in theirs.
    assert [r[2] for r in rows] == ["Open one", "Going on", "Closed first in the data", "Dropped one"]
    assert 'data-first="2" data-total="4" data-showing="2"' in html
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr") == 2 and "Closed first" not in body and "Dropped one" not in body
    assert "2 of 4 commitments shown" in html
    (status,) = [f for f in spec["facets"] if f["f"] == "status"]
    assert status["default"] == {"t": "open or in progress", "values": ["open", "in progress"]}
    (account,) = [f for f in spec["facets"] if f["f"] == "account"]
    # A typed box's values are the rows' own (kamdocs.js takes them from there), not repeated in the page.
    assert account == {"f": "account", "t": account["t"], "values": [], "typed": 1}


def test_no_default_keeps_the_order_and_writes_no_showing() -> None:
    columns = tuple(Column(c.key, c.title, c.kind, facet=c.facet) for c in COLUMNS)
    html = grid("Rows", columns, ROWS, first=3)
    _, rows = spec_and_rows(html)
    assert [r[2] for r in rows] == [r[2] for r in ROWS]
    assert "data-showing" not in html and 'data-first="3" data-total="4"' in html


def test_the_free_text_reads_names_and_words_never_dates_or_figures() -> None:
    spec, _ = spec_and_rows(grid("Commitments", COLUMNS, ROWS, first=1))
    assert {c["k"] for c in spec["cols"] if c.get("s")} == {"status", "action", "account"}
    read = {name: {c.key for c in cols if c.searched} for name, cols in (
        ("plans", PLAN_COLUMNS), ("commitments", COMMITMENT_COLUMNS), ("people", GRID_COLUMNS))}  # fmt: skip
    # What docs/site.md ("Finding rows") says the filter reads.
    assert read == {
        "plans": {"account", "owner", "area", "reviewer"},
        "commitments": {"status", "action", "account", "area", "owner"},
        "people": {"name", "title", "organisation", "role", "attitude", "influence", "our_contact", "stale"},
    }


def test_every_grid_with_accounts_has_the_account_box() -> None:
    for columns in (PLAN_COLUMNS, COMMITMENT_COLUMNS, GRID_COLUMNS):
        (box,) = [c for c in columns if c.facet == "account"]
        assert box.typed
