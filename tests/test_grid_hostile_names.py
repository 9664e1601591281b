"""The table script in real headless Chromium, with plan values and URL parameters named like JavaScript's own.

Every facet of a small site (owner, business area, region, tier, reviewer, a
commitment's owner, a contact's owner on our side) holds the names an object
has without being given them: ``constructor``, ``__proto__``, ``toString``,
``hasOwnProperty``. Every page with a grid is opened with each of them as the
sort and as every facet's value in the URL, and with other hostile parameters
(very long, right-to-left, a NUL, a broken escape): no script error, the
filter and Clear still work, and each value gets its option with its count.
The counts are the plans written below, counted by hand.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from .commands import mkdocs_build, site_config, write_repo
from .conftest import ROOT, plan_text

sys.path.insert(0, str(ROOT / "scripts"))
from browser import served_in_chromium

WORDS = ("constructor", "__proto__", "toString", "hasOwnProperty")
MISSING = "zzq-no-row-has-this"
"""Filter text no row holds: every grid says so, and Clear brings every row back."""


def hostile_plan(number: int, owner: str, area: str, region: str, tier: str, doer: str, contact: str) -> str:
    """A one-page plan whose facet fields hold the given names (``doer``: its commitment's owner;
    ``contact``: its contact's relationship owner)."""
    text = plan_text(
        f"plan-{number}",
        **{
            "account: Example Account AG": f"account: Account {number}",
            "owner: kam@example.com\nbusiness_area: Process Analytics": (
                f"owner: '{owner}'\nbusiness_area: '{area}'\nregion: '{region}'\ntier: '{tier}'"
            ),
            "reviewer: bam@example.com": f"reviewer: '{owner}'",
            "    owner: kam@example.com": f"    owner: '{doer}'",
        },
    )
    contact_block = (
        f"buying_center:\n  - name: Contact {number}\n    role: coach\n    relationship_owner: '{contact}'\n"
    )
    return text.replace("commitments:\n", contact_block + "commitments:\n", 1)


# Plan k (0 to 3) gives each facet a different one of the four names; plan 4 is "constructor" everywhere.
PLANS = {f"plan-{k}": hostile_plan(k, *(WORDS[(k + shift) % 4] for shift in (0, 1, 2, 3, 1, 2))) for k in range(4)} | {
    "plan-4": hostile_plan(4, *["constructor"] * 6)
}
COUNTED = {"constructor (2)", "__proto__ (1)", "toString (1)", "hasOwnProperty (1)"}
"""Each name's option on a page over all five plans: plan 4 adds a second "constructor" to every facet."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = write_repo(tmp_path_factory.mktemp("hostile-grid"), PLANS,
                      site_config("git: false", "today: 2026-11-22"))  # fmt: skip
    built = mkdocs_build(repo)
    assert built.returncode == 0, built.stderr
    return repo.parent / "site"


@pytest.fixture(scope="module")
def browser(site: Path) -> Iterator[tuple[Browser, str]]:
    with served_in_chromium(site) as launched:
        yield launched


def grid_pages(site: Path) -> list[str]:
    """Every page of the site with a grid, as a path under the site's root."""
    pages = sorted(
        str(p.parent.relative_to(site)) + "/"
        for p in site.rglob("index.html")
        if "data-kd-grid" in p.read_text(encoding="utf-8")
    )
    return [p.removeprefix("./") for p in pages]


def opened(browser: tuple[Browser, str], path: str, query: str) -> tuple[Page, list[str]]:
    """The page at ``path?query`` once its filter bar is there, and the script errors it raised, a list that grows."""
    chromium, base = browser
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/{path}?{query}")
    page.wait_for_selector(".kd-controls")
    return page, errors


def page_facets(site: Path, path: str) -> list[str]:
    """The URL names of the facets of a page's grids, read from the page as built."""
    html = (site / path / "index.html").read_text(encoding="utf-8")
    specs = re.findall(r'<script type="application/json" class="kd-grid-spec">(.*?)</script>', html, re.S)
    return sorted({facet["f"] for spec in specs for facet in json.loads(spec)["facets"]})


def facet_names(page: Page) -> list[str]:
    """Every facet's URL name: the selectors' and the typed boxes' (the account)."""
    return page.locator(".kd-controls .kd-facet").evaluate_all("controls => controls.map(c => c.name)")


def options(page: Page, facet: str) -> list[list[str]]:
    """A facet selector's options, as [value, label]."""
    return page.locator(f'select.kd-facet[name="{facet}"] option').evaluate_all(
        "options => options.map(o => [o.value, o.textContent])"
    )


def statuses(page: Page) -> list[str]:
    return page.locator(".kd-grid-status").all_inner_texts()


def assert_filter_and_clear_work(page: Page) -> None:
    """Typing in the filter filters every grid; Clear empties the filter and every selector and shows every row."""
    page.locator(".kd-controls input.kd-filter").fill(MISSING)
    assert all(re.match(r"No .* match the filter", s) for s in statuses(page)), statuses(page)
    expect(page).to_have_url(re.compile(re.escape("q=" + MISSING)))  # once the typing pauses
    page.locator(".kd-controls .kd-clear").click()
    assert page.locator(".kd-controls input.kd-filter").input_value() == ""
    assert all(page.locator(f'.kd-facet[name="{f}"]').input_value() == "" for f in facet_names(page))
    assert all(s.startswith("All ") for s in statuses(page)), statuses(page)
    expect(page).not_to_have_url(re.compile("q="))


def assert_labels_are_data(page: Page) -> None:
    """Every option of every facet reads "value (count)", the count a number: no value of JavaScript's own."""
    for facet in facet_names(page):
        for value, label in options(page, facet)[1:]:
            match = re.fullmatch(r"(.*) \((\d+)\)", label)
            assert match, (facet, value, label)
            assert "native code" not in label and "function" not in label, (facet, label)


def test_every_grid_page_is_found(site: Path) -> None:
    pages = grid_pages(site)
    for expected in ("plans/", "plans/commitments/", "plans/stakeholders/"):
        assert expected in pages, pages
    for axis in ("plans/by-business-area/", "plans/by-owner/"):
        assert sum(p.startswith(axis) for p in pages) == 4, pages  # one page per name


@pytest.mark.e2e
@pytest.mark.parametrize("word", WORDS)
def test_a_sort_named_like_an_object_member_is_left_out(site: Path, browser: tuple[Browser, str], word: str) -> None:
    for path in grid_pages(site):
        for sort in (word, "-" + word) if path == "plans/" else (word,):
            page, errors = opened(browser, path, "sort=" + quote(sort))
            assert errors == [], (path, sort, errors)
            assert page.locator("th[aria-sort]").count() == 0, (path, sort)  # no column claims to be sorted
            assert page.locator("select.kd-sort-select").input_value() == ""
            assert_labels_are_data(page)
            assert_filter_and_clear_work(page)
            assert "sort=" not in page.url  # the sort that is not the page's is gone from the link
            # The headers still sort.
            page.locator("th button.kd-sort").first.click()
            assert page.locator("th[aria-sort=ascending]").count() >= 1
            assert errors == [], (path, sort, errors)
            page.close()


@pytest.mark.e2e
@pytest.mark.parametrize("word", WORDS)
def test_a_facet_value_named_like_an_object_member_is_a_value(
    site: Path, browser: tuple[Browser, str], word: str
) -> None:
    for path in grid_pages(site):
        facets = page_facets(site, path)
        assert facets, path
        query = "&".join(f"{quote(f)}={quote(word)}" for f in facets) + "&sort=-" + quote(word)
        page, errors = opened(browser, path, query)
        assert errors == [], (path, errors)
        assert sorted(facet_names(page)) == facets
        for facet in facets:
            assert page.locator(f'.kd-facet[name="{facet}"]').input_value() == word, (path, facet)
        assert_labels_are_data(page)
        assert_filter_and_clear_work(page)
        assert errors == [], (path, errors)
        page.close()


@pytest.mark.e2e
def test_each_name_gets_its_option_with_its_count(browser: tuple[Browser, str]) -> None:
    """Counted by hand from PLANS: every name is one plan's value of each facet, "constructor" also plan 4's."""
    for path, facets in (
        ("plans/", ("owner", "area", "region", "tier", "reviewer")),
        ("plans/commitments/", ("owner", "area")),
        ("plans/stakeholders/", ("contact",)),
    ):
        page, errors = opened(browser, path, "")
        for facet in facets:
            assert {label for _, label in options(page, facet)[1:]} == COUNTED, (path, facet, options(page, facet))
            assert {value for value, _ in options(page, facet)[1:]} == set(WORDS)
        assert errors == []
        page.close()


@pytest.mark.e2e
@pytest.mark.parametrize("word", WORDS)
def test_a_facet_named_like_an_object_member_shows_its_plans(browser: tuple[Browser, str], word: str) -> None:
    """The plans page filtered by owner: plan k's owner is WORDS[k], and plan 4's is "constructor"."""
    expected = {f"Account {k}" for k in range(4) if WORDS[k] == word} | (
        {"Account 4"} if word == "constructor" else set()
    )
    page, errors = opened(browser, "plans/", "owner=" + quote(word))
    shown = set(page.locator("table.kd-plans tbody td.kd-col-account").all_inner_texts())
    assert shown == expected
    page.locator("select.kd-facet[name=owner]").select_option("")
    page.locator("select.kd-facet[name=owner]").select_option(word)
    assert set(page.locator("table.kd-plans tbody td.kd-col-account").all_inner_texts()) == expected
    assert errors == []
    page.close()


HOSTILE = {
    "very long": "x" * 5_000,  # times ten parameters: near the 64 KiB a request line may have
    "right to left and emoji": "\u202eowner\u202c \U0001f600 Zürich",
    "a NUL": "a\x00b",
    "a broken escape": None,  # %E0%A4%A and %ZZ: not UTF-8, not an escape
}


@pytest.mark.e2e
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_other_hostile_parameters_leave_the_page_working(site: Path, browser: tuple[Browser, str], name: str) -> None:
    value = HOSTILE[name]
    encoded = "%E0%A4%A%ZZ%" if value is None else quote(value)
    for path in ("plans/", "plans/commitments/", "plans/stakeholders/"):
        facets = page_facets(site, path)
        query = "&".join(f"{f}={encoded}" for f in [*facets, "q", "sort", "fy"]) + f"&{encoded}={encoded}"
        page, errors = opened(browser, path, query)
        assert errors == [], (path, errors)
        assert page.locator("select.kd-sort-select").input_value() == ""
        assert all(re.match(r"No .* match the filter", s) for s in statuses(page)), statuses(page)
        assert_labels_are_data(page)
        assert_filter_and_clear_work(page)
        assert errors == [], (path, errors)
        page.close()


@pytest.mark.e2e
@pytest.mark.parametrize("name", ["valueOf", "__defineGetter__", "isPrototypeOf", "toLocaleString"])
def test_other_members_of_an_object_are_no_sort_and_no_value(browser: tuple[Browser, str], name: str) -> None:
    """The same class as the four names of the plans: any name an object has by itself, in the URL."""
    page, errors = opened(browser, "plans/", f"sort={name}&owner={name}&region={name}&area={name}")
    assert errors == []
    assert page.locator("select.kd-sort-select").input_value() == ""
    assert page.locator("select.kd-facet[name=owner]").input_value() == name
    assert [name, f"{name} (0)"] in options(page, "owner")  # kept, so the view says nothing matches
    assert all(re.match(r"No .* match the filter", s) for s in statuses(page)), statuses(page)
    assert_labels_are_data(page)
    assert_filter_and_clear_work(page)
    assert errors == []
    page.close()
