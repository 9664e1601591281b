"""Save the screenshots of the plan form that docs/editing.md shows.

Usage: python3 scripts/editor_screenshots.py    (writes docs/img/editor-*.png; needs Node.js for npx)

The form runs as a user runs it, ``kamdocs editor --serve``, on a copy of this repository's sample
plans in a temporary git repository, so the pictures show the form these plans get.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import CHROMIUM_FLAGS, chromium_path

ROOT = Path(__file__).resolve().parent.parent
FORM, BACKEND = 8741, 8742


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "plans"
        shutil.copytree(ROOT / "plans", repo / "plans")
        shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
        (repo / "docs").mkdir()
        git = ["git", "-c", "user.name=Screenshots", "-c", "user.email=screenshots@example.com"]
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
        subprocess.run([sys.executable, "-m", "kamdocs", "editor"], cwd=repo, check=True, capture_output=True)
        subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
        subprocess.run([*git, "commit", "-q", "-m", "plans"], cwd=repo, check=True)
        log = Path(tmp) / "serve.log"
        with log.open("w") as out:
            served = subprocess.Popen(
                [sys.executable, "-m", "kamdocs", "editor", "--serve", "--port", str(FORM),
                 "--backend-port", str(BACKEND)],
                cwd=repo, stdout=out, stderr=subprocess.STDOUT, env=os.environ,
            )  # fmt: skip
        try:
            while "The plan form:" not in log.read_text():
                if served.poll() is not None:
                    raise SystemExit(log.read_text())
                time.sleep(0.5)
            shoot(f"http://127.0.0.1:{FORM}/admin/")
        finally:
            served.send_signal(signal.SIGTERM)
            served.wait(timeout=30)


def shoot(base: str) -> None:
    out = ROOT / "docs" / "img"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 760})
        page.goto(base)
        page.get_by_role("button", name="Login").click()
        page.get_by_text("Novaris Pharma AG (novaris-pharma)").wait_for()
        page.screenshot(path=str(out / "editor-plans.png"))
        page.goto(f"{base}#/collections/one_page/new")
        # A new commitment opens with its fields; the status offers the schema's four choices.
        add = page.get_by_role("button", name="Add commitment")
        add.scroll_into_view_if_needed()
        add.click()
        page.locator("input:visible").last.wait_for()
        action = page.locator("label:visible", has_text="Action").last
        action.scroll_into_view_if_needed()
        page.locator(f"#{action.get_attribute('for')}").fill("Rewrite the IQ/OQ templates in the Novaris format")
        status = page.locator("label:visible", has_text="Status").last
        status.scroll_into_view_if_needed()
        page.mouse.wheel(0, 250)
        page.locator(f"#{status.get_attribute('for')}").click()
        page.wait_for_timeout(500)
        page.screenshot(path=str(out / "editor-commitment.png"))
        browser.close()


if __name__ == "__main__":
    main()
