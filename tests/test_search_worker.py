"""kamdocs' search worker: Material's search box answers from the pages' titles at once, and with
Material's own full-text search once that is ready (kamdocs/assets/search-worker.js,
kamdocs/site/search_worker.py).

The browser tests hold Material's worker script back in the test's own server until the test lets it
go, so "before the full index is ready" is a fact of the test, not a race: while it is held, the
nested worker cannot even start. Fast tests read the built pages' ``__config`` and resolve the
addresses in it as a browser would (urljoin), to the files the build wrote.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from .commands import built_site, generated_repo, mkdocs_build_in_process, site_config, write_repo
from .conftest import ROOT, plan_text

sys.path.insert(0, str(ROOT / "scripts"))
from browser import SEARCH_RECORDER, QuietHandler, serve

from kamdocs.site.search_worker import with_search_worker

PLANS = 300
WORD = "Zwetschgenkuchen"
"""A word only in one plan's body (the generated plans' bodies draw on a list of 21 words)."""
WORD_PLAN = "account-00014"
ACCOUNT, ACCOUNT_PLAN = "Customer 14", "account-00014"
"""A generated account whose number begins eleven others' (140 to 149): the whole word must rank first."""
RIVAL_PLAN, RIVAL = "account-00145", "Customer 145 Customer AG"
"""An account whose title holds "customer" twice, so lunr scores it above "Customer 14 AG" for "Customer 14"."""
HOSTILE = "Quokka <img src=x onerror=window.__xss=1> & <b>Söhne</b> AG"
CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
MATERIAL_WORKER = re.compile(r"/assets/javascripts/workers/search\.[0-9a-f]+\.min\.js$")
OPTIONS = ("git: false", "today: 2026-11-22")


def config_of(page: Path) -> dict:
    match = CONFIG.search(page.read_text(encoding="utf-8"))
    assert match, page
    return json.loads(match.group(1))


def hostile_plan() -> str:
    return plan_text("quokka", **{"account: Example Account AG": f"account: '{HOSTILE}'"})


# --- the build: which worker each page names -------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two plans with Material and its search plugin, built in process."""
    root = tmp_path_factory.mktemp("worker-small")
    repo = write_repo(root, {"quokka": hostile_plan(), "acme": plan_text("acme")}, site_config(*OPTIONS))
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.mark.parametrize("page", ["index.html", "plans/index.html", "plans/accounts/quokka/index.html"])
def test_every_page_starts_kamdocs_worker_which_is_handed_materials(small: Path, page: str) -> None:
    url = f"http://site.test/{page.removesuffix('index.html')}"
    worker = urljoin(url, config_of(small / page)["search"])
    path = urlsplit(worker).path
    assert path == "/assets/kamdocs/search-worker.js"
    assert (small / path.lstrip("/")).read_bytes() == (ROOT / "kamdocs/assets/search-worker.js").read_bytes()
    (material,) = parse_qs(urlsplit(worker).query)["material"]
    material_path = urlsplit(urljoin(worker, material)).path
    assert MATERIAL_WORKER.search(material_path), material_path
    assert (small / material_path.lstrip("/")).is_file()


def test_the_404_page_starts_kamdocs_worker_too(small: Path) -> None:
    assert "/assets/kamdocs/search-worker.js?" in config_of(small / "404.html")["search"]


def test_the_rewritten_config_is_inert_in_its_script_element(small: Path) -> None:
    """The worker's address holds ``&``, which the page writes as JSON's ``\\u0026``, as Jinja's tojson does."""
    text = (small / "index.html").read_text(encoding="utf-8")
    script = CONFIG.search(text).group(1)
    assert "&" not in script and "<" not in script
    assert "\\u0026material=" in script


@pytest.mark.parametrize(
    ("name", "mkdocs"),
    [
        ("no search plugin", site_config(*OPTIONS, search=False)),
        ("Material's offline plugin", site_config(*OPTIONS).replace("  - search\n", "  - search\n  - offline\n")),
    ],
)
def test_pages_keep_materials_worker_without_search_or_for_offline_sites(
    tmp_path: Path, name: str, mkdocs: str
) -> None:
    repo = write_repo(tmp_path, {"acme": plan_text("acme")}, mkdocs)
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert MATERIAL_WORKER.search(urljoin("http://site.test/", config_of(site / "index.html")["search"])), name
    assert not (site / "assets/kamdocs/search-worker.js").exists(), name


def test_another_theme_gets_no_worker(tmp_path: Path) -> None:
    mkdocs = site_config(*OPTIONS).replace("name: material", "name: mkdocs")
    repo = write_repo(tmp_path, {"acme": plan_text("acme")}, mkdocs)
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site/assets/kamdocs/search-worker.js").exists()
    assert "search-worker.js" not in (tmp_path / "site/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "page",
    [
        "<html><body>no config</body></html>",
        '<script id="__config" type="application/json">{"search": "../my/own-worker.js"}</script>',
        '<script id="__config" type="application/json">{"search": null}</script>',
    ],
)
def test_a_page_naming_no_material_worker_is_left_alone(page: str) -> None:
    assert with_search_worker(page, "v1") == page


# --- in Chromium ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated plans, one with a word only in its body, and one whose account holds markup."""
    repo = generated_repo(tmp_path_factory.mktemp("worker-site"), PLANS, site_config(*OPTIONS))
    plan = repo / "plans" / f"{WORD_PLAN}.md"
    plan.write_text(plan.read_text(encoding="utf-8") + f"\nThe {WORD} of the plant.\n", encoding="utf-8")
    (repo / "plans" / "quokka.md").write_text(hostile_plan(), encoding="utf-8")
    rival = repo / "plans" / f"{RIVAL_PLAN}.md"
    rival.write_text(
        rival.read_text(encoding="utf-8").replace("account: Customer 145 AG", f"account: {RIVAL}"), "utf-8"
    )
    return built_site(repo)


def held_server(release: threading.Event, asked: threading.Event) -> type[QuietHandler]:
    """A server that keeps Material's worker script back until ``release`` is set (``asked`` says it was asked for)."""

    class Held(QuietHandler):
        def do_GET(self) -> None:
            if MATERIAL_WORKER.search(urlsplit(self.path).path):
                asked.set()
                release.wait(120)
            super().do_GET()

    return Held


def search(page: Page, text: str) -> None:
    box = page.locator("input.md-search__input")
    box.fill("")
    box.focus()
    page.keyboard.type(text)


def first_result_is(page: Page, plan: str) -> None:
    page.wait_for_function(
        "end => (document.querySelector('a.md-search-result__link') || {href: ''}).href.endsWith(end)",
        arg=f"/plans/accounts/{plan}/",
    )


def materials_answer(page: Page) -> str:
    """The first page of Material's own answer to the last query (the last answer, once it carries text)."""
    page.wait_for_function("(window.__search.answers.at(-1) || {}).text === true")
    return page.evaluate("window.__search.answers.at(-1).location")


def run_held(chromium: Browser, site: Path, steps: dict[str, object]) -> None:
    """Open the home page with Material's worker held; ``steps["held"](page)``, then let it go and
    ``steps["ready"](page)``."""
    release, asked = threading.Event(), threading.Event()
    with serve(site, held_server(release, asked)) as base:
        context = chromium.new_context(viewport={"width": 1366, "height": 900})  # its own cache
        context.add_init_script(SEARCH_RECORDER)
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{base}/", wait_until="load")
            steps["held"](page)  # type: ignore[operator]
            assert asked.wait(30), "Material's worker was never asked for: kamdocs' worker did not start it"
            assert not release.is_set()
            release.set()
            steps["ready"](page)  # type: ignore[operator]
            assert errors == []
        finally:
            release.set()
            context.close()


@pytest.mark.e2e
def test_an_account_is_found_at_once_and_a_word_of_a_body_once_the_full_index_is_ready(
    chromium: Browser, site: Path
) -> None:
    def held(page: Page) -> None:
        search(page, ACCOUNT)
        first_result_is(page, ACCOUNT_PLAN)
        assert page.evaluate("window.__search.answers.every(answer => !answer.text)")  # the titles' answers only
        link = page.locator("a.md-search-result__link").first
        assert link.locator("h1").inner_text() == f"{ACCOUNT} AG"
        assert link.locator("h1 mark").all_inner_texts() == ["Customer", "14"]
        assert link.locator("p").count() == 0  # the titles' answer: no text yet
        # The titles holding "customer" and a word beginning "14": Customer 14, 140 to 149.
        matching = sum(str(n).startswith("14") for n in range(PLANS))
        assert page.locator(".md-search-result__meta").inner_text() == f"{matching} matching documents"
        search(page, "Customer")  # 300 titles: the titles' answer lists the first 100
        page.wait_for_function(
            "document.querySelector('.md-search-result__meta').textContent === '100 matching documents'"
        )
        search(page, WORD)
        page.wait_for_function(
            "document.querySelector('.md-search-result__meta').textContent === 'No matching documents'"
        )

    def ready(page: Page) -> None:
        # Nothing typed again: the worker asks Material's worker the last query once it is ready.
        first_result_is(page, WORD_PLAN)
        assert WORD in page.locator(".md-search-result__article mark").all_inner_texts()
        search(page, ACCOUNT)
        assert materials_answer(page) == f"plans/accounts/{ACCOUNT_PLAN}/"
        first_result_is(page, ACCOUNT_PLAN)
        page.keyboard.press("Enter")  # Material opens the result of the highest score, not the first shown
        page.wait_for_url(re.compile(f"/plans/accounts/{ACCOUNT_PLAN}/$"))
        assert page.locator("h1").first.inner_text() == f"{ACCOUNT} AG"

    run_held(chromium, site, {"held": held, "ready": ready})


@pytest.mark.e2e
def test_a_title_holding_markup_shows_as_text_before_and_after_the_full_index(chromium: Browser, site: Path) -> None:
    def shown_as_text(page: Page) -> None:
        first_result_is(page, "quokka")
        result = page.locator(".md-search-result")
        assert result.locator("a.md-search-result__link").first.locator("h1").inner_text() == HOSTILE
        assert result.locator("img").count() == 0 and result.locator("h1 b").count() == 0
        assert page.evaluate("window.__xss") is None

    def held(page: Page) -> None:
        search(page, "Quokka")
        shown_as_text(page)

    def ready(page: Page) -> None:
        assert materials_answer(page) == "plans/accounts/quokka/"
        shown_as_text(page)

    run_held(chromium, site, {"held": held, "ready": ready})
