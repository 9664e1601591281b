"""End to end in real headless Chromium (Debian's, driven by Playwright).

Opens the dashboard of this repository's own site, filters the table, follows
a link to a plan and checks the badge and the chain diagram, while every
request the browser makes must stay on localhost.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from browser import CHROMIUM_FLAGS, chromium_path, serve

PINNED_TODAY = "1795305600"  # 2026-11-22, so the sample plans' states are known


def test_dashboard_filter_link_badge_and_chain_offline(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for name in ("docs", "plans"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    env = {**os.environ, "SOURCE_DATE_EPOCH": PINNED_TODAY}
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")], cwd=repo, env=env,
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert built.returncode == 0, built.stderr

    with serve(tmp_path / "site") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))

        page.goto(f"{base}/plans/")
        table = page.locator("table.kd-plans")
        assert table.locator("tbody tr").count() == 9
        page.locator("input.kd-filter").first.fill("novaris")
        visible = table.locator("tbody tr:visible")
        assert visible.count() == 1
        assert "Novaris Pharma AG" in visible.inner_text()
        page.locator("table.kd-plans th", has_text="Next review").click()
        assert page.locator("table.kd-plans th[aria-sort='ascending']").count() == 1
        page.screenshot(path=str(tmp_path / "dashboard.png"))

        visible.locator("a", has_text="Novaris Pharma AG").click()
        page.wait_for_url("**/plans/accounts/novaris-pharma/")
        assert page.locator(".kd-badge").first.inner_text() == "Fresh"
        assert page.locator(".kd-badge").first.get_attribute("data-state") == "fresh"
        chain = page.locator("table.kd-chain")
        assert chain.is_visible()
        assert chain.locator("td.kd-node").count() >= 8
        page.screenshot(path=str(tmp_path / "plan.png"), full_page=True)

        page.goto(f"{base}/plans/accounts/alpen-dairy/")
        assert page.locator(".kd-badge").first.inner_text() == "Overdue by 2 days"
        browser.close()

    assert requests, "the browser made no requests at all"
    outside = [url for url in requests if not url.startswith(base)]
    assert outside == []
    assert (tmp_path / "plan.png").stat().st_size > 10_000
