"""Build this repository's site and save the screenshots the README shows.

Usage: python3 scripts/screenshots.py    (writes the pictures in SHOTS to docs/img/)

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
SHOTS = (
    ("plans/", "dashboard", 1366, 900, "light"),
    ("plans/?area=Process+Analytics&state=overdue", "dashboard-filtered", 1366, 700, "light"),
    ("plans/accounts/novaris-pharma/", "plan", 1366, 1500, "light"),
    ("plans/accounts/alpen-dairy/", "plan-dark", 1366, 1100, "dark"),
    ("plans/stakeholders/", "stakeholders", 1366, 900, "light"),
    ("plans/budget/", "budget", 1366, 768, "light"),
    ("plans/scorecard/", "scorecard", 1366, 768, "light"),
    ("plans/", "dashboard-phone", 390, 844, "light"),
    ("plans/accounts/alpen-dairy/", "plan-phone", 390, 1400, "light"),
)
"""(page, picture, width, height, palette): what the README and docs/site.md show."""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1795305600"}  # 2026-11-22
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=ROOT, env=env, check=True)
        with serve(site) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
            for path, name, width, height, scheme in SHOTS:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, device_scale_factor=1, color_scheme=scheme
                )
                page = context.new_page()
                page.goto(f"{base}/{path}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(ROOT / "docs" / "img" / f"{name}.png"), full_page=False)
                context.close()
            browser.close()


if __name__ == "__main__":
    main()
