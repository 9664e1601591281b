"""Save the pictures of the plan form that docs/editing.md shows.

Usage: python3 scripts/form_screenshots.py    (writes docs/img/editor-plan-list.png,
docs/img/editor-one-page-chain.png and docs/img/editor-commitment.png; needs Node.js and npm)

The form is the one tests/test_editor_saves.py drives: the generator's page and configuration, Decap's
script from the installed kamdocs, decap-server from the pinned lock, on a temporary git repository
holding this repository's sample plans. 1366 px wide, as the other screenshots.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import CHROMIUM_FLAGS, chromium_path, serve
from decap_backend import FormHandler, decap_server, install_decap_server, write_admin_folder

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"


def main() -> None:
    from kamdocs.cli.editor import wanted_admin_files
    from kamdocs.config import load_config
    from kamdocs.system.package_data import editor_bundle

    with tempfile.TemporaryDirectory() as tmp:
        here = Path(tmp)
        script = install_decap_server(here / "decap-server")
        repo = here / "repo"
        shutil.copytree(ROOT / "plans", repo / "plans")
        shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
        git = ["git", "-c", "user.name=Screenshots", "-c", "user.email=screenshots@example.com"]
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "The sample plans"]):
            subprocess.run([*git, *args], cwd=repo, check=True)
        with decap_server(script, repo, "2026-11-25T09:30:00+00:00", here / "decap-server.log") as backend:
            files = wanted_admin_files(load_config(repo / "mkdocs.yml"), local_backend=backend)
            write_admin_folder(here / "site", files, editor_bundle())
            with serve(here / "site", FormHandler) as base:
                shoot(f"{base}/admin/")


def shoot(url: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768}, device_scale_factor=1)
        page.goto(url)
        page.get_by_role("button", name="Login").click()
        page.get_by_text("Novaris Pharma AG (novaris-pharma)").wait_for()
        page.screenshot(path=str(OUT / "editor-plan-list.png"))

        # A one-page plan's chain: the first success factor unfolded, its conditions and their obstacles.
        page.get_by_text("Novaris Pharma AG (novaris-pharma)").click()
        factors = group(page, "Critical success factors")
        factors.get_by_role("button", name="Expand").first.click()
        conditions = group(factors, "Necessary conditions")
        conditions.get_by_role("button", name="Expand").first.click()
        group(conditions, "Obstacles").get_by_role("button", name="Expand").first.click()
        page.set_viewport_size({"width": 1366, "height": 1300})
        factors.locator("input").first.wait_for()
        page.locator("label", has_text="Critical success factors").evaluate("label => label.scrollIntoView()")
        page.evaluate("window.scrollBy(0, -80)")
        page.screenshot(path=str(OUT / "editor-one-page-chain.png"))

        # A new plan's commitment: its due date from a date picker, its status one of the schema's four choices.
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto(f"{url}#/collections/one_page/new")
        add = page.get_by_role("button", name="Add commitment")
        add.scroll_into_view_if_needed()
        add.click()
        action = page.locator("label:visible", has_text="Action").last
        action.scroll_into_view_if_needed()
        page.locator(f"#{action.get_attribute('for')}").fill("Rewrite the IQ/OQ templates in the Novaris format")
        status = page.locator("label:visible", has_text="Status").last
        status.scroll_into_view_if_needed()
        page.mouse.wheel(0, 250)
        page.locator(f"#{status.get_attribute('for')}").click()
        page.get_by_text("dropped", exact=True).wait_for()
        page.screenshot(path=str(OUT / "editor-commitment.png"))
        browser.close()


def group(scope: Any, label: str) -> Any:
    """The list or object the label ``label`` names inside ``scope`` (its first)."""
    named = scope.locator("label", has_text=label).first
    return scope.locator(f"[id='{named.get_attribute('for')}']")


if __name__ == "__main__":
    main()
