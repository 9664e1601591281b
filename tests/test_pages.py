"""SiteBuilder without MkDocs: which pages exist, where they live, and that every slot is filled once.

The pages are data (kamdocs.site.slots.GeneratedPage), so they are tested
here directly; the plugin and ``kamdocs render`` only fill them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kamdocs.calendar.clock import resolve_today
from kamdocs.config import load_config
from kamdocs.plan.validation import PlanValidator
from kamdocs.report.rollup import roll_up
from kamdocs.site.pages import SiteBuilder, SiteContent
from kamdocs.site.render import linker
from kamdocs.site.slots import Filled, fill_late, late_slot, late_slot_searched

from .conftest import ROOT

EARLY = re.compile(r"KAMDOCS-SLOT-([a-z-]+)")
LATE = re.compile(r"<!-- kamdocs:late-([a-z0-9_-]+) -->")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[SiteBuilder, SiteContent]:
    repo = tmp_path_factory.mktemp("pages") / "repo"
    shutil.copytree(ROOT / "plans", repo / "plans")
    (repo / "mkdocs.yml").write_text("site_name: P\nplugins:\n  - kamdocs:\n      git: false\n", encoding="utf-8")
    config = load_config(repo / "mkdocs.yml")
    today = resolve_today("2026-11-01")
    _, history, rows = roll_up(config, PlanValidator(config), today)
    builder = SiteBuilder.public(rows, history, today, config)
    return builder, builder.build()


def test_the_section_has_its_roll_ups_a_page_per_plan_and_per_facet_value(site) -> None:
    builder, content = site
    sources = [p.src_uri for p in content.pages]
    assert len(sources) == len(set(sources))
    plans = sorted(p.stem for p in (ROOT / "plans").glob("*.md"))
    assert sorted(content.plan_pages) == plans
    assert {f"plans/accounts/{p}.md" for p in plans} <= set(sources)
    for src in ("plans/index.md", "plans/commitments.md", "plans/budget.md", "plans/scorecard.md",
                "plans/stakeholders.md", "plans/by-business-area/index.md", "plans/by-owner/index.md"):  # fmt: skip
        assert src in sources
    owners = {r.plan.owner for r in builder.rows}
    assert len([s for s in sources if s.startswith("plans/by-owner/")]) == len(owners) + 1
    assert content.nav[0] == ("Dashboard", "plans/index.md")
    assert [title for title, _ in content.nav][-2:] == ["By business area", "By owner"]
    assert content.exports == ("plans/plans.json", "plans/plans.csv", "plans/commitments.ics", "plans/plans.xlsx")


def test_every_slot_marker_gets_exactly_one_value_and_every_value_a_marker(site) -> None:
    _, content = site
    for page in content.pages:
        link = linker(page.src_uri, True)
        filled = page.render(link)
        if page.render_late is not None:
            filled = filled | page.render_late(link)
        assert isinstance(filled, Filled)
        early_markers = EARLY.findall(page.markdown)
        assert sorted(early_markers) == sorted(filled.early), page.src_uri
        text = page.markdown + "".join(filled.early.values())
        late_markers = LATE.findall(text)
        assert sorted(late_markers) == sorted(filled.late), page.src_uri
        assert len(late_markers) == len(set(late_markers)), page.src_uri


def test_a_page_limited_build_keeps_every_plan_in_the_site_map(site) -> None:
    builder, content = site
    one = sorted(content.plan_pages)[0]
    partial = builder.build(plans={one})
    plan_sources = set(partial.plan_pages.values())
    assert [p.src_uri for p in partial.pages if p.src_uri in plan_sources] == [partial.plan_pages[one]]
    assert partial.plan_pages == content.plan_pages
    assert len(partial.pages) == len(content.pages) - len(content.plan_pages) + 1


def test_links_between_pages_are_relative_to_the_page(site) -> None:
    _, content = site
    dashboard = next(p for p in content.pages if p.src_uri == "plans/index.md")
    html = "".join(dashboard.render_late(linker("plans/index.md", True)).late.values())  # type: ignore[misc]
    assert 'href="accounts/alpen-dairy/"' in html or '"accounts/alpen-dairy/"' in html
    flat = "".join(dashboard.render_late(linker("plans/index.md", False)).late.values())  # type: ignore[misc]
    assert '"accounts/alpen-dairy.html"' in flat


NAV_SPY = """
import json, pathlib
def on_nav(nav, config, files):
    def walk(items):
        return [{item.title: walk(item.children)} if item.children else item.title or item.file.src_uri
                for item in items]
    pathlib.Path(config.config_file_path).with_name("nav.json").write_text(json.dumps(walk(nav.items)))
"""


@pytest.mark.parametrize("listed", [False, True], ids=["no-nav", "explicit-nav"])
def test_the_navigation_the_plugin_makes(tmp_path: Path, listed: bool) -> None:
    """A hook after the plugin records the navigation MkDocs renders: the Plans section after the
    home page, its roll-ups in order, no plan pages; an author's own nav is kept."""
    import json
    import subprocess
    import sys

    from .commands import ENV

    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "plans", repo / "plans")
    (repo / "docs").mkdir()
    for name in ("index.md", "guide.md"):
        (repo / "docs" / name).write_text(f"# {name}\n", encoding="utf-8")
    (repo / "navspy.py").write_text(NAV_SPY, encoding="utf-8")
    nav = "nav:\n  - Home: index.md\n  - Guide: guide.md\n" if listed else ""
    (repo / "mkdocs.yml").write_text(
        f"site_name: P\n{nav}hooks: [navspy.py]\nplugins:\n  - kamdocs:\n      git: false\n", encoding="utf-8"
    )
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")], cwd=repo,
                           capture_output=True, text=True, env=ENV, timeout=300, check=False)  # fmt: skip
    assert built.returncode == 0, built.stderr
    recorded = json.loads((repo / "nav.json").read_text(encoding="utf-8"))
    plans = ["Dashboard", "Commitments", "Budget", "Scorecard", "Stakeholders", "By business area", "By owner"]
    assert recorded[1] == {"Plans": plans}
    # The plans right after the home page, where a phone's menu shows them; the author's pages stay.
    assert recorded[0] == ("Home" if listed else "index.md")
    assert recorded[2:] == (["Guide"] if listed else ["guide.md"])


def test_a_late_slot_replaces_its_searched_stand_in_and_only_its_own_marker() -> None:
    page = (
        "<article>" + late_slot_searched("top", "<h1>T</h1><p> owner area</p>") + "<p>body</p>"
        + late_slot("bottom") + "<p>a body quoting " + late_slot("top") + "</p></article>"
    )  # fmt: skip
    filled = fill_late(page, {"top": "<nav>head</nav><h1>T</h1>", "bottom": "<h2>Quality</h2>", "absent": "x"})
    assert filled == (
        "<article><nav>head</nav><h1>T</h1><p>body</p><h2>Quality</h2><p>a body quoting "
        + late_slot("top") + "</p></article>"
    )  # fmt: skip
    assert fill_late(page, {}) == page
