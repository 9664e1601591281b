"""Build this repository's site and save the screenshots the README shows.

Usage: python3 scripts/screenshots.py    (writes docs/img/dashboard.png and docs/img/plan.png)

"Today" is pinned to 2026-11-22 so the pictures match the sample plans' story.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import CHROMIUM_FLAGS, chromium_path, serve

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1795305600"}  # 2026-11-22
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=ROOT, env=env, check=True)
        with serve(site) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
            for url, name, height in ((f"{base}/plans/", "dashboard", 900),
                                      (f"{base}/plans/accounts/novaris-pharma/", "plan", 1500)):  # fmt: skip
                page.set_viewport_size({"width": 1280, "height": height})
                page.goto(url)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(ROOT / "docs" / "img" / f"{name}.png"), full_page=False)
            browser.close()


if __name__ == "__main__":
    main()
