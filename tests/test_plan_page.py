"""A plan's page shows what the checks know, where it belongs, under one title, with a way back.

Real builds of small repositories; one test opens this repository's own site
in Chromium at 1366 px and at 390 px.
"""

from __future__ import annotations

import re
import sys
from html import escape as html_escape
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from .commands import TODAY, build_own_site, kamdocs, mkdocs_build_in_process, write_repo
from .conftest import ROOT, plan_text
from .htmlscan import Scan

sys.path.insert(0, str(ROOT / "scripts"))
from browser import CHROMIUM_FLAGS, chromium_path, serve

STALE = plan_text(
    "stale",
    **{
        "  last_reviewed: 2026-10-01": "  last_reviewed: 2026-01-10",
        "    due: 2026-12-15": "    due: 2026-03-15",
        "    resolves: [obs-a]\n": """    resolves: [obs-a]
kpis:
  - id: share
    name: Share of wallet
    unit: "%"
    target: 30
    actual: 20
    as_of: 2025-06-30
    direction: higher-is-better
buying_center:
  - name: Dana Old
    role: coach
    last_contact: 2024-01-01
  - name: Eve Recent
    role: champion
    last_contact: 2026-10-20
""",
        "Body text.": "# A title the author wrote\n\nIntro.\n\n## Next steps\n\nCall Dana.",
    },
)


def page(site: Path, plan_id: str) -> str:
    return (site / "plans/accounts" / plan_id / "index.html").read_text(encoding="utf-8")


def row_of(html: str, text: str) -> str:
    """The table row that starts with ``text`` (the chain's rows hold commitments too, as chips)."""
    (row,) = [
        r for r in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S) if re.match(rf"<tr[^>]*><td[^>]*>{re.escape(text)}", r)
    ]
    return row


def test_every_freshness_finding_shows_where_it_belongs_in_the_checks_words(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {"stale": STALE})
    assert mkdocs_build_in_process(repo).returncode == 0
    html = page(repo.parent / "site", "stale")
    check = kamdocs(repo, "check", "--today", TODAY).stdout
    found = {m.group(1): m.group(2) for m in re.finditer(r"warning\[([a-z-]+)\] (.+)", check)}
    assert {"review-overdue", "commitment-overdue", "kpi-stale", "contact-stale"} <= set(found)

    def shown(rule: str) -> str:
        """The reader sees what it is in words; the author finds the rule and the check's message on hover."""
        return f'<span class="kd-finding" title="{rule}: {html_escape(found[rule])}" data-rule="{rule}">'

    header = html.split('id="kd-goal"', 1)[0]
    assert shown("review-overdue") in header
    assert shown("commitment-overdue") in row_of(html, "Run a specification workshop")
    assert shown("kpi-stale") in row_of(html, "Share of wallet")
    assert shown("contact-stale") in row_of(html, "Dana Old")
    assert "kd-finding" not in row_of(html, "Eve Recent")
    # Worked out from STALE: reviewed 2026-01-10 quarterly, so due 2026-04-10, 205 days before 2026-11-01.
    # (The date is kept on one line: html.keep_figures.)
    assert (
        '<strong class="kd-finding-what">Review overdue:</strong> The review was due on '
        '<span class="kd-nowrap">2026-04-10</span>' in header
    )


def test_one_h1_the_account_and_the_bodys_h1_becomes_an_h2(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {"stale": STALE})
    assert mkdocs_build_in_process(repo).returncode == 0
    scan = Scan(page(repo.parent / "site", "stale"))
    assert [h.content for h in scan.find("h1")] == ["Example Account AG"]
    assert [h.content.rstrip("¶") for h in scan.find("h2") if h.attrs.get("id") == "a-title-the-author-wrote"] == [
        "A title the author wrote"
    ]
    toc = [a.content.strip() for a in scan.find("a") if "md-nav__link" in (a.attrs.get("class") or "")]
    assert "A title the author wrote" in toc and "Next steps" in toc


def test_a_breadcrumb_leads_back_to_the_dashboard_and_the_business_area(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {"stale": STALE})
    assert mkdocs_build_in_process(repo).returncode == 0
    site = repo.parent / "site"
    nav = re.search(r'<nav class="kd-breadcrumb" aria-label="Breadcrumb"[^>]*>(.*?)</nav>', page(site, "stale"), re.S)
    assert nav is not None
    links = re.findall(r'href="([^"]+)">([^<]+)</a>', nav.group(1))
    assert [text for _, text in links] == ["Plans", "Process Analytics"]
    for href, _ in links:
        assert (site / "plans/accounts/stale" / href / "index.html").resolve().is_file()
    assert '<li aria-current="page">Example Account AG</li>' in nav.group(1)


def test_a_full_plan_has_one_commitments_and_one_kpis_section(tmp_path: Path) -> None:
    full = (ROOT / "tests/example-files/positive/full-minimal.md").read_text(encoding="utf-8")
    full = full.replace("id: full-minimal", "id: full")
    repo = write_repo(tmp_path, {"full": full})
    assert mkdocs_build_in_process(repo).returncode == 0
    html = page(repo.parent / "site", "full")
    headings = [h.content.rstrip("¶") for h in Scan(html).find("h2")]
    assert headings.count("Commitments") == 1 and headings.count("KPIs") == 1
    assert "KPI scorecard" not in headings
    after = html.split('<h2 id="commitments">', 1)[1]
    assert after.index("<table") < after.index("<h2")  # the table sits in the body's own section


@pytest.mark.e2e
def test_plan_page_fits_a_wide_screen_and_a_phone(tmp_path: Path) -> None:
    site = build_own_site(tmp_path)
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        wide = browser.new_page(viewport={"width": 1366, "height": 900})
        for plan_id in ("alpen-dairy", "novaris-pharma", "helvetia-chemicals", "quantum-semis"):
            wide.goto(f"{base}/plans/accounts/{plan_id}/")
            cut = wide.evaluate(
                """() => [...document.querySelectorAll('.md-content table th, .md-content table td')]
                   .filter(c => c.getBoundingClientRect().right > document.documentElement.clientWidth
                             || c.getBoundingClientRect().right > c.closest('.kd-scroll, .md-content').getBoundingClientRect().right + 1)
                   .map(c => c.textContent.slice(0, 30))"""
            )
            assert cut == [], plan_id
        assert wide.locator("th", has_text="Last contact").first.is_visible()
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(f"{base}/plans/accounts/alpen-dairy/")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        for selector in (
            ".kd-status-line .kd-badge",
            "table.kd-chain td.kd-goal-node",
            "table.kd-chain td.kd-commitments",
        ):
            box = phone.locator(selector).first.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
        reasons = phone.locator("table.kd-reasons").first
        assert reasons.evaluate("t => t.closest('.kd-scroll').scrollWidth <= t.closest('.kd-scroll').clientWidth")
        reason = phone.locator("table.kd-reasons td[data-label='Reason']").first.bounding_box()
        assert reason and reason["width"] > 300  # a line of its own, not a tower of short lines
        goal = phone.locator("table.kd-chain td.kd-goal-node").bounding_box()
        factor = phone.locator("table.kd-chain td.kd-factor").first.bounding_box()
        assert goal and factor and factor["y"] > goal["y"] + goal["height"] - 1  # stacked, not side by side
        browser.close()
