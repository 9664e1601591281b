"""Six everyday tasks on the grids, done as a reader does them, in headless Chromium: do they succeed, and how long do they take?

Usage: python3 benchmarks/grid_tasks.py [PLANS] [--reuse]     (default: 10000)

Issue 21 (deliverable 4) named the tasks readers found unreliable on the 1,000-plan site; this
reruns them at any size, on the site of ``dashboard_speed.py`` (the same generated plans and build;
``--reuse`` keeps a site built before). Each task starts from the page freshly loaded, before the
page has fetched its rows file, as a reader who comes by a link and acts at once, and is timed from
the reader's first action to the moment the answer is on the screen. The right answer is worked out
from the plan files themselves (read with PyYAML), not from the site:

1. **the people at one account**: on the stakeholder index, type the account's name in the
   Account box; every row shown is one of its contacts, and all of them are there;
2. **one account's plan**: on the dashboard, type "customer 92" in the filter; the first row is
   Customer 92 AG, though 10 accounts (at 1,000 plans) or 110 (at 10,000) start with those words;
3. **a headline figure's rows**: on the dashboard, follow the overdue-reviews figure; the table then
   says as many plans match as the figure said;
4. **a done commitment**: on the commitments page, choose the status "done" and the account; every
   done commitment of that account is listed, and only they;
5. **the view passed on**: "Copy link" from task 4's view, opened in a new page, shows the same
   rows, and "CSV of this view" holds them all;
6. **past the table by keyboard**: from the filter bar's last button, the key presses it takes to
   leave the dashboard's table (Tab to "Skip past the table", Enter, Tab), whatever its size.

Each runs at desktop size and at phone size with the CPU 4x slower. The script prints, per task and
profile, whether the answer was right and the time, and exits 1 when a task gave a wrong answer.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "scripts"))

from browser import CHROMIUM_FLAGS, chromium_path, serve  # noqa: E402
from check_speed import OUT, cpu_model  # noqa: E402
from dashboard_speed import PROFILES, Profile, new_page, site  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

Task = Callable[[Browser, Profile, str], tuple[bool, float, str]]


def front_matter(count: int) -> list[dict[str, Any]]:
    plans = sorted((OUT / f"dashboard-{count}" / "repo" / "plans").glob("*.md"))
    return [yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1]) for p in plans]


def opened(browser: Browser, profile: Profile, url: str) -> Page:
    page = new_page(browser, profile)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(url, wait_until="load")
    page.wait_for_selector(".kd-controls")
    return page


def matching(page: Page) -> int:
    """The rows every visible grid says match: "N of M ... match", "All N ...", or none."""
    total = 0
    for text in page.eval_on_selector_all(
        ".kd-grid", "gs => gs.filter(g => g.offsetParent).map(g => g.querySelector('.kd-grid-status').textContent)"
    ):
        found = re.match(r"([\d,]+) of|All ([\d,]+)", text)
        total += int((found.group(1) or found.group(2)).replace(",", "")) if found else 0
    return total


def until_status_changes(page: Page, act: Callable[[], None]) -> float:
    """Seconds from act() until a grid's status line says something new (the filter's answer is shown)."""
    before = page.eval_on_selector_all(".kd-grid-status", "s => s.map(x => x.textContent).join('|')")
    start = time.perf_counter()
    act()
    page.wait_for_function(
        "before => [...document.querySelectorAll('.kd-grid-status')].map(x => x.textContent).join('|') !== before",
        arg=before,
        timeout=120_000,
    )
    return time.perf_counter() - start


def view_csv(page: Page) -> list[list[str]]:
    with page.expect_download(timeout=120_000) as download:
        page.locator(".kd-controls .kd-csv").click()
    return list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))


def tasks(plans: list[dict[str, Any]]) -> dict[str, Task]:
    n = 92 if len(plans) > 92 else len(plans) // 2  # "customer 92" starts 920-929 and 9200-9299 too
    account = f"Customer {n} AG"
    plan = next(p for p in plans if p["account"] == account)
    done = [c for c in plan["commitments"] if c["status"] == "done"]

    def people(browser: Browser, profile: Profile, base: str) -> tuple[bool, float, str]:
        page = opened(browser, profile, f"{base}/plans/stakeholders/")
        box = page.locator(".kd-controls input.kd-facet[name=account]")
        seconds = until_status_changes(page, lambda: box.fill(account))
        shown = page.locator("table.kd-grid-table tbody td.kd-col-organisation").all_inner_texts()
        wanted = len(plan["buying_center"])
        ok = matching(page) == wanted and shown == [account] * wanted
        page.context.close()
        return ok, seconds, f"{wanted} people of {account}"

    def one_plan(browser: Browser, profile: Profile, base: str) -> tuple[bool, float, str]:
        page = opened(browser, profile, f"{base}/plans/")
        typed = f"customer {n}"
        box = page.locator(".kd-controls input.kd-filter")
        seconds = until_status_changes(page, lambda: box.fill(typed))
        first = page.locator("table.kd-grid-table tbody tr").first.locator("td.kd-col-account").inner_text()
        starting = sum(p["account"].lower().startswith(typed) for p in plans)
        page.context.close()
        return first == account, seconds, f'"{typed}": {account} first of {starting} accounts that start so'

    def headline(browser: Browser, profile: Profile, base: str) -> tuple[bool, float, str]:
        page = opened(browser, profile, f"{base}/plans/")
        card = page.locator(".kd-card-overdue a.kd-card-link")
        said = int(card.locator(".kd-count").inner_text().replace(",", ""))
        start = time.perf_counter()
        card.click()
        page.wait_for_url(re.compile(r"state=overdue"))
        page.wait_for_function(
            "() => [...document.querySelectorAll('.kd-grid-status')].some(s => / of [\\d,]+ plans match/.test(s.textContent))",
            timeout=120_000,
        )
        seconds = time.perf_counter() - start
        found = matching(page)
        page.context.close()
        return found == said, seconds, f"the figure said {said:,}, the table {found:,}"

    def done_commitment(browser: Browser, profile: Profile, base: str) -> tuple[bool, float, str]:
        page = opened(browser, profile, f"{base}/plans/commitments/")

        def choose() -> None:
            page.locator("select.kd-facet[name=status]").select_option("done")
            page.locator(".kd-controls input.kd-facet[name=account]").fill(account)

        seconds = until_status_changes(page, choose)
        page.wait_for_function("n => document.querySelectorAll('.kd-grid:not([hidden]) .kd-grid-status').length", arg=1)
        actions = page.locator(".kd-grid-section:visible tbody td.kd-col-action").all_inner_texts()
        ok = matching(page) == len(done) and sorted(actions) == sorted(c["action"] for c in done)
        page.context.close()
        return ok, seconds, f"{len(done)} done commitments of {account}"

    def passed_on(browser: Browser, profile: Profile, base: str) -> tuple[bool, float, str]:
        page = opened(browser, profile, f"{base}/plans/commitments/")
        until_status_changes(page, lambda: page.locator("select.kd-facet[name=status]").select_option("done"))
        page.locator(".kd-controls input.kd-facet[name=account]").fill(account)
        start = time.perf_counter()
        page.locator(".kd-controls .kd-copy-link").click()
        page.wait_for_selector(".kd-copied:text('Link copied.')")
        link = page.evaluate("navigator.clipboard.readText()")
        again = opened(browser, profile, link)
        again.wait_for_function(
            "() => [...document.querySelectorAll('.kd-grid-status')].some(s => / match the filter/.test(s.textContent))",
            timeout=120_000,
        )
        table = view_csv(again)
        seconds = time.perf_counter() - start
        column = table[0].index("Action") if table else 0
        ok = matching(again) == len(done) and sorted(r[column] for r in table[1:]) == sorted(c["action"] for c in done)
        page.context.close()
        again.context.close()
        return ok, seconds, "the link's page and its CSV hold the same done commitments"

    def keyboard(browser: Browser, profile: Profile, base: str) -> tuple[bool, float, str]:
        page = opened(browser, profile, f"{base}/plans/")
        page.locator(".kd-controls .kd-csv").focus()
        start = time.perf_counter()
        presses = 0
        for key in ("Tab", "Enter", "Tab"):
            page.keyboard.press(key)
            presses += 1
        seconds = time.perf_counter() - start
        outside = page.evaluate(
            "!document.activeElement.closest('.kd-grid') && document.activeElement !== document.body"
        )
        page.context.close()
        return outside, seconds, f"{presses} key presses past a table of {len(plans):,} plans"

    return {
        "1 the people at one account": people,
        "2 one account's plan": one_plan,
        "3 a headline figure's rows": headline,
        "4 a done commitment": done_commitment,
        "5 the view passed on": passed_on,
        "6 past the table by keyboard": keyboard,
    }


def main(count: int, rebuild: bool) -> int:
    built, build_s = site(count, rebuild)
    plans = front_matter(count)
    print(f"machine: {cpu_model()}; {count} plans" + (f", site built in {build_s:.0f} s" if build_s else ""))
    wrong = 0
    with serve(built) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for profile in PROFILES:
            print(f"\n{profile.name} ({profile.width} px)")
            for name, task in tasks(plans).items():
                ok, seconds, what = task(browser, profile, base)
                wrong += not ok
                print(f"  {name:<30} {'right' if ok else 'WRONG'}  {seconds * 1000:7.0f} ms  {what}", flush=True)
    return 1 if wrong else 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sys.exit(main(int(args[0]) if args else 10000, "--reuse" not in sys.argv))
