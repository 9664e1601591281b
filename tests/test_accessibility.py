"""axe-core finds no violation in kamdocs' own markup, in both palettes, on every kind of page.

axe-core is vendored (tests/vendor/axe-core, MPL-2.0), so the test runs
offline. This repository's own site is built with its sample plans and opened
in Chromium, light and dark; a violation counts when any of its elements lies
in the page's content and is not Material's own markup. What Material itself
does is listed in docs/site.md ("Accessibility"), and the test checks that
list against what axe reports, so the list cannot go stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from .commands import build_own_site
from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from browser import CHROMIUM_FLAGS, chromium_path, serve

pytestmark = pytest.mark.e2e  # Chromium

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
PAGES = {
    "dashboard": "plans/",
    "one-page plan": "plans/accounts/alpen-dairy/",
    "full plan": "plans/accounts/lumen-biotech/",
    "commitments": "plans/commitments/",
    "budget": "plans/budget/",
    "stakeholder index": "plans/stakeholders/",
    "scorecard": "plans/scorecard/",
}

# Each node axe reports: whose markup it is. Ours is anything kamdocs writes: inside the content and
# not one of Material's own elements there (the edit button, heading permalinks).
CLASSIFY = """(violations) => violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => {
    const el = document.querySelector(n.target[0]);
    const material = !el || !el.closest('.md-content') || !!el.closest('.md-content__button, .headerlink');
    return {target: n.target.join(' '), html: n.html.slice(0, 160), material};
  }),
}))"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_own_site(tmp_path_factory.mktemp("a11y"))


def material_listed() -> set[str]:
    """The axe rule ids docs/site.md lists as Material's own."""
    text = (ROOT / "docs" / "site.md").read_text(encoding="utf-8")
    section = text.split("## Accessibility", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.M))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_kamdocs_markup(site: Path, scheme: str) -> None:
    ours: list[tuple[str, str, str, str]] = []
    theirs: set[str] = set()
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for width in (1366, 390):
            context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(f"{base}/{path}")
                expected = "slate" if scheme == "dark" else "default"
                assert page.locator("body").get_attribute("data-md-color-scheme") == expected
                page.add_script_tag(path=str(AXE))
                violations = page.evaluate(CLASSIFY, page.evaluate("async () => (await axe.run(document)).violations"))
                for v in violations:
                    for node in v["nodes"]:
                        if node["material"]:
                            theirs.add(v["id"])
                        else:
                            ours.append((name, f"{width}px", v["id"], node["target"] + " " + node["html"]))
            context.close()
        browser.close()
    assert ours == []
    assert theirs <= material_listed(), theirs - material_listed()
