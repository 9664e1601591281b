"""Grid pages stay light at any number of plans: their rows move to a JSON file of their own.

A build of generated plans with a small ``page_size``: every page with a grid keeps its first rows
as HTML and stays under a size worked out here, and its rows file holds every row, checked against
the plan files read with PyYAML, not with kamdocs. The render path writes the same files.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from .commands import generated_repo, kamdocs_in_process, mkdocs_build_in_process, site_config
from .grid_data import BLOCK, front_matters, grid_rows

PLANS = 150
PAGE_SIZE = 10
CHROME = 120_000
"""What a grid page may weigh besides its rows: Material's page, the filter bar's spec, the cards and charts."""
ROW_HTML = 3_000
"""The most one row written as HTML may take (a plan's row with every column, escaped)."""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mkdocs = site_config("git: false", "today: 2026-11-22", f"page_size: {PAGE_SIZE}")
    return generated_repo(tmp_path_factory.mktemp("rows"), PLANS, mkdocs)


@pytest.fixture(scope="module")
def site(repo: Path) -> Path:
    result = mkdocs_build_in_process(repo, site=repo.parent / "site")
    assert result.returncode == 0, result.stderr
    return repo.parent / "site"


def grid_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "data-kd-grid" in p.read_text(encoding="utf-8"))


def test_no_grid_page_carries_its_rows(site: Path) -> None:
    pages = grid_pages(site)
    names = {p.relative_to(site).as_posix() for p in pages}
    assert {"plans/index.html", "plans/commitments/index.html", "plans/stakeholders/index.html"} <= names
    assert any(n.startswith("plans/by-owner/") for n in names) and any(
        n.startswith("plans/by-business-area/") for n in names
    )
    for page in pages:
        html = page.read_text(encoding="utf-8")
        grids = html.count('class="kd-grid"')
        body_rows = sum(
            body.count("<tr") for body in re.findall(r"kd-grid-table[^>]*>.*?<tbody>(.*?)</tbody>", html, re.S)
        )
        bound = CHROME + grids * max(PAGE_SIZE, 10) * ROW_HTML  # the commitments page writes 10 per owner
        rows_file = page.with_name(page.stem + ".rows.json")
        moved = rows_file.exists()
        if moved:  # the rows alone would take the page over the bound at this size: that is why they moved
            assert all(attrs.strip() and block == "" for attrs, block in BLOCK.findall(html)), page
        assert len(html.encode("utf-8")) < bound, (page, len(html), bound)
        assert body_rows <= grids * max(PAGE_SIZE, 10), page
    moved = {p.relative_to(site).as_posix() for p in site.rglob("*.rows.json")}
    assert {"plans/index.rows.json", "plans/commitments/index.rows.json", "plans/stakeholders/index.rows.json"} <= moved


def test_the_dashboards_rows_file_holds_every_plan(repo: Path, site: Path) -> None:
    (rows,) = grid_rows(site / "plans/index.html")
    assert re.search(r'data-kd-rows="index.rows.json" data-kd-part="0"', (site / "plans/index.html").read_text())
    plans = front_matters(repo / "plans")
    assert len(plans) == PLANS
    assert sorted(r[0][0] for r in rows) == sorted(p["account"] for p in plans)
    assert sorted(r[0][1] for r in rows) == sorted(f"accounts/{p['id']}/" for p in plans)
    first = re.findall(r'<td class="kd-col-account[^"]*"><a href="([^"]+)"', (site / "plans/index.html").read_text())
    assert first == [r[0][1] for r in rows[:PAGE_SIZE]]  # the HTML rows are the file's first rows


def test_the_commitments_rows_file_holds_every_commitment(repo: Path, site: Path) -> None:
    page = site / "plans/commitments/index.html"
    grids = grid_rows(page)
    found = Counter((row[2], row[3][0], row[6]) for rows in grids for row in rows)
    wanted = Counter(
        (c["action"], p["account"], c["owner"])
        for p in front_matters(repo / "plans")
        if p.get("status") != "archived"
        for c in p.get("commitments", [])  # done and dropped too: the page's status box shows them on request
    )
    assert found == wanted and sum(wanted.values()) > 20 * len(grids) // 2
    owners = re.findall(r'<h2 id="owner-[^"]+" class="kd-owner">([^<]+)</h2>', page.read_text(encoding="utf-8"))
    assert [{row[6] for row in rows} for rows in grids] == [{o} for o in owners]  # each grid its owner's part


def test_the_render_path_writes_the_same_rows_files(repo: Path, site: Path, tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    result = kamdocs_in_process(repo, "render", str(out))
    assert result.returncode == 0, result.stderr
    for name in ("index", "commitments/index", "stakeholders/index"):
        assert grid_rows(out / f"{name}.md") == grid_rows(site / f"plans/{name}.html"), name
        assert (out / f"{name}.rows.json").read_bytes() == (site / f"plans/{name}.rows.json").read_bytes()


def test_a_rows_file_has_one_row_per_line(site: Path) -> None:
    """kamdocs.js reads a rows file a line at a time: "[", "]" and "]," are its own lines, every other
    line is one whole row (with a comma after all but a grid's last), and the whole is still one JSON."""
    for rows_file in sorted(site.rglob("*.rows.json")):
        text = rows_file.read_text(encoding="utf-8")
        lines = text.split("\n")
        grids = json.loads(text)
        structure = [line for line in lines if line in ("[", "]", "],")]
        assert structure == ["["] + ["[", "],"] * (len(grids) - 1) + ["[", "]", "]"], rows_file
        rows = [json.loads(line.removesuffix(",")) for line in lines if line and line not in ("[", "]", "],")]
        assert rows == [row for grid in grids for row in grid], rows_file
