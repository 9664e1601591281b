"""Grids that find things, in real headless Chromium, by mouse and by keyboard, at desktop and phone width.

One site of 250 generated plans (``benchmarks/generate_plans.py``, ``page_size: 10``). Every count a test
asserts is worked out here from the plan files' front matter, read with PyYAML, never from kamdocs' code:
the plans of an account, its open commitments and its contacts, the commitments done, the overdue ones, the
plans overdue for review (last review plus the interval, before today), and the rows whose names and words
hold a typed word.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .commands import built_site, generated_repo, site_config
from .conftest import ROOT, plan_text
from .grid_data import front_matters

sys.path.insert(0, str(ROOT / "scripts"))
from browser import served_in_chromium

pytestmark = pytest.mark.e2e  # Chromium

PLANS = 250
TODAY = date(2026, 11, 22)
MKDOCS = site_config("git: false", f"today: {TODAY.isoformat()}", "page_size: 10")
WIDTHS = (1366, 390)
MISSING = "zzq-no-row-has-this"
CLOSED_OWNER = "closed.only@example.com"
ACCENTED = "Crème Zürich AG"
"""An account typed without its accents, as a reader on a keyboard without them does."""
FORMULA = "=1+1 and a workshop"
"""The done commitment's action: text a spreadsheet would run, which the CSV of a view must not let it."""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = generated_repo(tmp_path_factory.mktemp("finding"), PLANS, MKDOCS)
    # An owner whose only commitment is done: a section, and a contents entry, that the first view hides.
    closed = plan_text("closed-only", **{"account: Example Account AG": "account: Closed Only AG",
                                         "    owner: kam@example.com": f"    owner: {CLOSED_OWNER}",
                                         "status: open": "status: done",
                                         "action: Run a specification workshop": f"action: '{FORMULA}'"})  # fmt: skip
    (repo / "plans" / "closed-only.md").write_text(closed, encoding="utf-8")
    # Its owner's section also holds a done commitment, which the account's view leaves out.
    done_too = "    resolves: [obs-a]\n  - id: c-b\n    action: Earlier workshop\n    owner: kam@example.com\n"
    done_too += "    due: 2026-01-15\n    status: done\n    resolves: [obs-a]\n"
    accented = plan_text("accented", **{"account: Example Account AG": f"account: {ACCENTED}",
                                        "    resolves: [obs-a]\n": done_too})  # fmt: skip
    (repo / "plans" / "accented.md").write_text(accented, encoding="utf-8")
    built_site(repo)
    return repo


@pytest.fixture(scope="module")
def plans(repo: Path) -> list[dict[str, Any]]:
    """Every plan's front matter, read straight from its file."""
    return front_matters(repo / "plans")


@pytest.fixture(scope="module")
def browser(repo: Path) -> Iterator[tuple[Browser, str]]:
    with served_in_chromium(repo.parent / "site") as launched:
        yield launched


def open_page(browser: tuple[Browser, str], path: str, width: int) -> Page:
    chromium, base = browser
    context = chromium.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/{path}")
    ready(page)
    page.errors = errors  # type: ignore[attr-defined]
    return page


def ready(page: Page) -> None:
    """Wait for the grids' rows: beyond the first, they come from the page's rows file when the reader
    reaches for the table; point at the filter bar and wait for them, so that what follows filters at once."""
    page.wait_for_selector(".kd-controls")
    page.hover(".kd-controls")
    page.wait_for_function("performance.getEntriesByName('kamdocs:data-ready').length > 0")


def done(page: Page) -> None:
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()


def settle(page: Page) -> None:
    """Two animation frames: what the page does on its own after an event (an observer firing) has happened."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def focused(page: Page, css_class: str) -> bool:
    return page.evaluate("c => document.activeElement.classList.contains(c)", css_class)


def shown_rows(page: Page, css: str = "table.kd-grid-table") -> int:
    return page.locator(f"{css} tbody tr:visible").count()


def matching(page: Page) -> int:
    """The rows every grid of the page says match, summed: "N of M ... match", "All N ..." or "No ..."."""
    total = 0
    for grid in page.locator(".kd-grid").all():
        if not grid.is_visible():
            continue
        text = grid.locator(".kd-grid-status").inner_text()
        found = re.match(r"([\d,]+) of|All ([\d,]+)", text)
        total += int((found.group(1) or found.group(2)).replace(",", "")) if found else 0
    return total


def is_open(c: dict[str, Any]) -> bool:
    return c["status"] in ("open", "in-progress")


def commitments(plans: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(p, c) for p in plans if p.get("status") != "archived" for c in p.get("commitments") or []]


def after(day: date, interval: str) -> date:
    """The next review: the generator's intervals, counted by hand (months keep the day; its days are 1 to 28)."""
    months = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}.get(interval)
    if months:
        month = day.month - 1 + months
        year, month = day.year + month // 12, month % 12 + 1
        return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
    return (
        day + timedelta(weeks=int(interval[1:-1]))
        if interval.endswith("W")
        else day + timedelta(days=int(interval[1:-1]))
    )


def starts_a_word(text: str, word: str) -> bool:
    text = text.lower()
    return any(text.startswith(word, i) and (i == 0 or not text[i - 1].isalnum()) for i in range(len(text)))


# 1. The account box, and exact matches first.


@pytest.mark.parametrize("width", WIDTHS)
def test_the_account_box_finds_one_account_on_every_grid(
    browser: tuple[Browser, str], plans: list[dict[str, Any]], width: int
) -> None:
    account = "Customer 3 AG"
    plan = next(p for p in plans if p["account"] == account)
    open_commitments = sum(is_open(c) for c in plan["commitments"])
    contacts = len({b["name"] for b in plan["buying_center"]})
    for path, expected in (("plans/", 1), ("plans/commitments/", open_commitments), ("plans/stakeholders/", contacts)):
        page = open_page(browser, path, width)
        box = page.locator(".kd-controls input.kd-facet[name=account]")
        assert box.get_attribute("list")  # the accounts are its suggestions
        box.fill(account)
        assert matching(page) == expected, (path, page.locator(".kd-grid-status").all_inner_texts())
        expect(page).to_have_url(re.compile(re.escape(f"account={account.replace(' ', '+')}")))
        for cell in page.locator("tbody tr:visible td.kd-col-account, tbody tr:visible td.kd-col-organisation").all():
            assert cell.inner_text() == account
        # The same view from its link, in a new page.
        again = open_page(browser, page.url.split("/", 3)[3], width)
        assert again.locator(".kd-controls input.kd-facet[name=account]").input_value() == account
        assert matching(again) == expected
        done(again)
        done(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_typed_text_ranks_the_exact_account_first_and_reads_no_dates(
    browser: tuple[Browser, str], plans: list[dict[str, Any]], width: int
) -> None:
    page = open_page(browser, "plans/", width)
    page.locator(".kd-controls input.kd-filter").fill("customer 3 ag")
    # Every plan whose names and words hold "customer", "3" and "ag" at the start of a word: "Customer 3 AG",
    # "Customer 30 AG" ..., never a plan whose only 3 is in a date or a percentage.
    words = ("customer", "3", "ag")
    fields = ("account", "owner", "business_area", "region", "tier")
    expected = [
        p
        for p in plans
        if all(
            any(starts_a_word(str(p.get(f) or ""), w) for f in fields) or starts_a_word(p["review"]["reviewer"], w)
            for w in words
        )
    ]
    assert 1 < len(expected) < 20
    assert matching(page) == len(expected)
    first = page.locator("table.kd-plans tbody tr").first.locator("td.kd-col-account").inner_text()
    assert first == "Customer 3 AG"
    # Part of a name, up to a whole word: the account named so comes before those whose number goes on
    # ("Customer 3 AG" before "Customer 30 AG" ... "Customer 39 AG", whatever the page's order).
    page.locator(".kd-controls input.kd-filter").fill("customer 3")
    starting = [p["account"] for p in plans if p["account"].lower().startswith("customer 3")]
    assert len(starting) > 10
    assert matching(page) >= len(starting)
    first = page.locator("table.kd-plans tbody tr").first.locator("td.kd-col-account").inner_text()
    assert first == "Customer 3 AG"
    shown = page.locator("table.kd-plans tbody td.kd-col-account").all_inner_texts()
    assert set(shown[1 : len(starting)]) == set(starting) - {"Customer 3 AG"}  # then the others that start so
    # A digit finds no row by its dates or figures: "2026" is in every plan's review date, no name holds it.
    page.locator(".kd-controls input.kd-filter").fill("2026")
    assert page.locator(".kd-no-match").inner_text() == "No plan matches \u201c2026\u201d."
    done(page)

    people = open_page(browser, "plans/stakeholders/", width)
    people.locator(".kd-controls input.kd-filter").fill("Customer 3 AG")
    plan = next(p for p in plans if p["account"] == "Customer 3 AG")
    contacts = len(plan["buying_center"])
    organisations = people.locator("table.kd-stakeholders tbody tr td.kd-col-organisation").all_inner_texts()
    assert organisations[:contacts] == ["Customer 3 AG"] * contacts
    done(people)


@pytest.mark.parametrize("width", WIDTHS)
def test_accents_and_letter_case_do_not_hide_an_account(browser: tuple[Browser, str], width: int) -> None:
    page = open_page(browser, "plans/commitments/", width)
    page.locator(".kd-controls input.kd-facet[name=account]").fill("creme zurich ag")
    assert matching(page) == 1
    assert page.locator("tbody tr:visible td.kd-col-account").all_inner_texts() == [ACCENTED]
    # Filtered by an account, the status line counts the matches, not the page's first view.
    statuses = page.locator(".kd-grid:visible .kd-grid-status").all_inner_texts()
    assert statuses and not any("open or in progress" in s for s in statuses), statuses
    page.locator(".kd-controls input.kd-facet[name=account]").fill("")
    page.locator(".kd-controls input.kd-filter").fill("ZURICH")
    assert page.locator("tbody tr:visible td.kd-col-account").first.inner_text() == ACCENTED
    done(page)


# 2. A done commitment stays findable.


@pytest.mark.parametrize("width", WIDTHS)
def test_a_done_commitment_is_a_status_away(
    browser: tuple[Browser, str], plans: list[dict[str, Any]], width: int
) -> None:
    every = commitments(plans)
    open_count = sum(is_open(c) for _, c in every)
    done_ones = [(p, c) for p, c in every if c["status"] == "done"]
    assert done_ones and open_count
    page = open_page(browser, "plans/commitments/", width)
    assert matching(page) == open_count  # the first view: open and in progress
    status = page.locator("select.kd-facet[name=status]")
    status.select_option("done")
    assert matching(page) == len(done_ones)
    expect(page).to_have_url(re.compile("status=done"))
    status.select_option("all")
    assert matching(page) == len(every)
    # One done commitment, found by its account and its words.
    plan, commitment = done_ones[0]
    status.select_option("")
    page.locator(".kd-controls input.kd-facet[name=account]").fill(plan["account"])
    page.locator(".kd-controls input.kd-filter").fill(commitment["action"])
    assert page.locator(".kd-no-match").is_visible()  # not among the open ones
    status.select_option("done")
    assert page.locator("tbody tr:visible td.kd-col-action").first.inner_text() == commitment["action"]
    done(page)


# 3. An empty result says so; the contents list follows the filter.


@pytest.mark.parametrize("width", WIDTHS)
def test_an_empty_result_says_so_and_the_contents_follow(
    browser: tuple[Browser, str], plans: list[dict[str, Any]], width: int
) -> None:
    page = open_page(browser, "plans/commitments/", width)
    toc = ".md-sidebar--secondary nav.md-nav--secondary a[href^='#owner-']"
    owners_with_open = {c["owner"] for _, c in commitments(plans) if is_open(c)}
    listed = page.locator(toc).evaluate_all("links => links.filter(a => !a.closest('li').hidden).length")
    assert listed == len(owners_with_open)
    page.locator(".kd-controls input.kd-filter").fill(MISSING)
    assert page.locator(".kd-no-match").inner_text() == f"No commitment matches \u201c{MISSING}\u201d."
    assert page.locator(".kd-grid-section:visible").count() == 0
    assert page.locator(toc).evaluate_all("links => links.filter(a => !a.closest('li').hidden).length") == 0
    page.locator(".kd-controls .kd-clear").click()
    assert page.locator(".kd-no-match").is_hidden()
    closed = f"{toc}[href='#owner-closed-only-example-com']"
    assert page.locator(closed).evaluate("a => a.closest('li').hidden")
    page.locator("select.kd-facet[name=status]").select_option("done")
    assert not page.locator(closed).evaluate("a => a.closest('li').hidden")
    assert page.locator("#owner-closed-only-example-com").is_visible()
    page.locator("select.kd-facet[name=status]").select_option("")
    owner = sorted(owners_with_open)[0]
    page.locator(".kd-controls input.kd-filter").fill(owner)
    shown = page.locator(toc).evaluate_all(
        "links => links.filter(a => !a.closest('li').hidden).map(a => a.textContent.trim())"
    )
    assert shown == [owner]
    done(page)

    dashboard = open_page(browser, "plans/", width)
    dashboard.locator(".kd-controls input.kd-facet[name=account]").fill("Customer 99999 AG")
    assert dashboard.locator(".kd-no-match").inner_text() == "No plan matches account Customer 99999 AG."
    done(dashboard)


# 4. The keyboard.


@pytest.mark.parametrize("width", WIDTHS)
def test_the_keyboard_sees_the_filter_skips_the_table_and_loads_more_when_asked(
    browser: tuple[Browser, str], width: int
) -> None:
    page = open_page(browser, "plans/", width)
    page.locator(".kd-controls .kd-csv").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # Copy link, then Clear: the keyboard's way back into the bar
    assert focused(page, "kd-clear")
    page.locator(".kd-controls input.kd-filter").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    ring = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [document.activeElement.className, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert "kd-filter" in ring[0].split() and ring[1] == "solid" and ring[2] >= 2, ring
    # From the bar's last control, Tab comes to "Skip past the table", which shows, and Enter takes the
    # keyboard past every row.
    page.locator(".kd-controls .kd-csv").focus()
    page.keyboard.press("Tab")
    skip = page.locator(".kd-skip").first
    assert page.evaluate("document.activeElement.textContent") == "Skip past the table"
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["width"] > 10
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("!document.activeElement.closest('.kd-scroll') && !document.activeElement.closest('.kd-grid')")
    # Tab from the last row's link reaches "Show more", which does not load rows by itself.
    page.locator("table.kd-plans tbody tr").last.locator("a").focus()
    page.keyboard.press("Tab")
    assert focused(page, "kd-more")
    settle(page)
    assert shown_rows(page) == 10
    page.keyboard.press("Enter")
    assert shown_rows(page) == 60
    assert focused(page, "kd-more")
    done(page)


# 5. Headline figures, Copy link and CSV of this view.


@pytest.mark.parametrize("width", WIDTHS)
def test_headline_figures_are_links_to_their_rows(
    browser: tuple[Browser, str], plans: list[dict[str, Any]], width: int
) -> None:
    overdue_plans = sum(after(p["review"]["last_reviewed"], p["review"]["interval"]) < TODAY for p in plans)
    overdue_commitments = sum(is_open(c) and c["due"] < TODAY for _, c in commitments(plans))
    assert 0 < overdue_plans < PLANS and overdue_commitments
    page = open_page(browser, "plans/", width)
    card = page.locator(".kd-card-overdue a.kd-card-link")
    assert card.locator(".kd-count").inner_text() == f"{overdue_plans:,}"
    card.click()
    page.wait_for_url(re.compile(r"state=overdue"))
    ready(page)
    assert page.locator("select.kd-facet[name=state]").input_value() == "overdue"
    assert matching(page) == overdue_plans
    # A business area's page: its plans' states link to its table, filtered.
    area = "Service"
    due_soon = sum(
        0 <= (after(p["review"]["last_reviewed"], p["review"]["interval"]) - TODAY).days <= 14
        for p in plans
        if p["business_area"] == area
    )
    assert due_soon > 0
    grouped = open_page(browser, "plans/by-business-area/service/", width)
    grouped.locator(".kd-facet-summary a", has_text="due soon").click()
    grouped.wait_for_url(re.compile(r"state=due-soon"))
    ready(grouped)
    assert matching(grouped) == due_soon
    done(grouped)
    page.locator(".kd-card-overdue-commitments a.kd-card-link").click()
    page.wait_for_url(re.compile(r"commitments/\?overdue=overdue"))
    ready(page)
    assert matching(page) == overdue_commitments
    done(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_copy_link_and_csv_of_this_view(browser: tuple[Browser, str], plans: list[dict[str, Any]], width: int) -> None:
    area = "Service"
    in_area = [p for p in plans if p["business_area"] == area]
    page = open_page(browser, "plans/", width)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("select.kd-facet[name=area]").select_option(area)
    page.locator(".kd-controls .kd-copy-link").click()
    page.wait_for_selector(".kd-copied:text('Link copied.')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url and "area=Service" in copied
    with page.expect_download() as download:
        page.locator(".kd-controls .kd-csv").click()
    assert download.value.suggested_filename == "plans-view.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:3] == ["Account", "Owner", "Business area"]
    # Every matching row, not only the 10 the page shows, in the page's order.
    assert sorted(row[0] for row in table[1:]) == sorted(p["account"] for p in in_area)
    assert {row[2] for row in table[1:]} == {area}
    done(page)

    # The commitments page's CSV: its first view, every owner's section, with the hidden columns.
    page = open_page(browser, "plans/commitments/", width)
    with page.expect_download() as download:
        page.locator(".kd-controls .kd-csv").click()
    table = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert table[0] == ["Due", "Status", "Action", "Account", "Overdue", "Business area", "Owner"]
    assert len(table) - 1 == sum(is_open(c) for _, c in commitments(plans))
    # The done one, whose action starts like a formula: the cell keeps it as text.
    page.locator("select.kd-facet[name=status]").select_option("done")
    page.locator(".kd-controls input.kd-facet[name=account]").fill("Closed Only AG")
    with page.expect_download() as download:
        page.locator(".kd-controls .kd-csv").click()
    table = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert [row[2:4] + row[6:] for row in table[1:]] == [["'" + FORMULA, "Closed Only AG", CLOSED_OWNER]]
    done(page)

    # The stakeholder index's: one account's people, each with that account.
    plan = next(p for p in plans if p["account"] == "Customer 3 AG")
    page = open_page(browser, "plans/stakeholders/", width)
    page.locator(".kd-controls input.kd-facet[name=account]").fill("customer 3 ag")  # any letter case
    with page.expect_download() as download:
        page.locator(".kd-controls .kd-csv").click()
    table = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    organisation = table[0].index("Organisation")
    assert sorted(row[0] for row in table[1:]) == sorted(b["name"] for b in plan["buying_center"])
    assert {row[organisation] for row in table[1:]} == {"Customer 3 AG"}
    done(page)
