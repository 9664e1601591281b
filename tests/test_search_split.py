"""The search index split in two: a small one every page fetches, the whole one kamdocs' search worker
fetches (kamdocs/site/search_worker.split_index, the plugin's on_post_build, search-worker.js).

Every page of a Material site fetches ``search/search_index.json`` and parses it in the page: at
10,000 plans 16 MB, one task of 0.6 s on a desktop. Where kamdocs' worker runs, the pages get
Material's ``config`` and no pages, naming ``full_index.json``; the worker fetches that itself.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from .commands import mkdocs_build_in_process, site_config, write_repo
from .conftest import ROOT, plan_text

sys.path.insert(0, str(ROOT / "scripts"))
from browser import serve

from kamdocs.site.search_worker import split_index

OPTIONS = ("git: false", "today: 2026-11-22")
BODY_WORD = "Zwetschgenkuchen"


def built(tmp_path: Path, mkdocs: str) -> Path:
    plan = plan_text("acme") + f"\nThe {BODY_WORD} of the plant.\n"
    repo = write_repo(tmp_path, {"acme": plan, "beta": plan_text("beta")}, mkdocs)
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 0, result.stderr
    return tmp_path / "site"


def test_pages_fetch_a_small_index_that_names_the_whole_one(tmp_path: Path) -> None:
    site = built(tmp_path, site_config(*OPTIONS))
    small = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    whole = json.loads((site / "search/full_index.json").read_text(encoding="utf-8"))
    assert small["docs"] == []
    assert small["config"] == {**whole["config"], "kamdocs_full_index": "full_index.json"}
    assert {"lang", "separator"} <= set(whole["config"])  # Material's own config, kept for the page
    titles = {d["title"] for d in whole["docs"]}
    assert {"Example Account AG"} <= titles or any("Example Account AG" in t for t in titles)
    assert any(BODY_WORD in d["text"] for d in whole["docs"])
    assert (site / "search/search_index.json").stat().st_size < 1000


@pytest.mark.parametrize(
    "mkdocs",
    [
        site_config(*OPTIONS).replace("  - search\n", "  - search\n  - offline\n"),  # Material's worker stays
        site_config(*OPTIONS).replace("name: material", "name: mkdocs"),  # another theme
    ],
    ids=["offline", "mkdocs-theme"],
)
def test_without_kamdocs_worker_the_index_stays_whole(tmp_path: Path, mkdocs: str) -> None:
    site = built(tmp_path, mkdocs)
    assert not (site / "search/full_index.json").exists()
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert any(BODY_WORD in d["text"] for d in index["docs"])


@pytest.mark.parametrize("index", [b"", b"not json", b"[]", b'{"config": 1, "docs": []}', b'{"config": {}}'])
def test_what_is_not_materials_index_is_not_split(index: bytes) -> None:
    assert split_index(index) is None


def test_a_link_where_the_whole_index_goes_stops_the_build(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text("keep me", encoding="utf-8")
    repo = write_repo(tmp_path, {"acme": plan_text("acme")}, site_config(*OPTIONS))
    (tmp_path / "site/search").mkdir(parents=True)
    os.symlink(outside, tmp_path / "site/search/full_index.json")
    result = mkdocs_build_in_process(repo, "--dirty")
    assert result.returncode != 0
    assert "search/full_index.json" in result.stdout + result.stderr
    assert outside.read_text(encoding="utf-8") == "keep me"


@pytest.mark.e2e
def test_the_page_fetches_the_small_index_and_search_finds_a_body_word(chromium: Browser, tmp_path: Path) -> None:
    site = built(tmp_path, site_config(*OPTIONS))
    with serve(site) as base:
        context = chromium.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url.split("/")[-1]))
        page.goto(f"{base}/", wait_until="load")
        box = page.locator("input.md-search__input")
        box.focus()
        page.keyboard.type(BODY_WORD)
        page.wait_for_function(
            "() => (document.querySelector('a.md-search-result__link') || {href: ''}).href.endsWith('/plans/accounts/acme/')"
        )
        # The page fetched the small index; the whole one was fetched by the worker, not by the page.
        fetched = page.evaluate("performance.getEntriesByType('resource').map(r => r.name.split('/').pop())")
        assert "search_index.json" in fetched and "full_index.json" not in fetched
        assert "full_index.json" in asked  # the worker's request, which the browser context sees
        context.close()
