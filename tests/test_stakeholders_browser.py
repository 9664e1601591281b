"""The stakeholder index in real headless Chromium: sorted, filtered, stale rows marked, no script from a name runs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from .commands import MKDOCS, mkdocs_build, write_repo
from .conftest import ROOT
from .test_stakeholders import HOSTILE, PLANS, plan_file

sys.path.insert(0, str(ROOT / "scripts"))
from browser import CHROMIUM_FLAGS, chromium_path, serve

pytestmark = pytest.mark.e2e  # Chromium

MORE = {
    "delta": plan_file("delta", "Delta Ltd", """\
  - name: Zoe Adams
    role: economic-buyer
    attitude: skeptic
    last_contact: 2026-10-30
  - name: Carl Brandt
    role: gatekeeper
    last_contact: 2025-06-01
"""),
}  # fmt: skip


def test_stakeholder_page_sorts_filters_and_marks_stale_contacts(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {**PLANS, **MORE}, MKDOCS)
    built = mkdocs_build(repo)
    assert built.returncode == 0, built.stderr

    with serve(tmp_path / "site") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{base}/plans/stakeholders/")
        page.screenshot(path=str(tmp_path / "stakeholders.png"), full_page=True)
        table = page.locator("table.kd-stakeholders")
        rows = table.locator("tbody tr")
        assert rows.count() == 4

        def names() -> list[str]:
            return [n.split("\n")[0] for n in table.locator("tbody tr:visible td:first-child").all_inner_texts()]

        assert names() == [HOSTILE, "Anna Meier", "Carl Brandt", "Zoe Adams"]
        table.get_by_role("button", name="Name", exact=True).click()
        table.get_by_role("button", name="Name", exact=True).click()
        assert names() == ["Zoe Adams", "Carl Brandt", "Anna Meier", HOSTILE]
        # Ascending by last contact: the least recent relationship first, people never contacted before all.
        table.get_by_role("button", name="Last contact", exact=True).click()
        assert names() == [HOSTILE, "Carl Brandt", "Anna Meier", "Zoe Adams"]

        page.locator("input.kd-filter").first.fill("stale")
        assert names() == ["Carl Brandt", "Anna Meier"]
        for row in table.locator("tbody tr:visible").all():
            assert row.get_attribute("class") == "kd-stale-row"
            assert "stale" in row.inner_text().lower()  # in words, not colour alone
        page.locator("input.kd-filter").first.fill("beta")
        assert names() == ["Anna Meier"]
        page.locator("input.kd-filter").first.fill("")
        assert len(names()) == 4

        link = table.locator("a", has_text="Beta & <Sons>")
        link.click()
        page.wait_for_url("**/plans/accounts/beta/")
        browser.close()
    assert dialogs == []  # the name <img src=x onerror=alert(1)> stayed text
