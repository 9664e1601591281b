"""What a real build's search index (Material's ``search/search_index.json``) and plans.json hold.

Every page of the site fetches and parses the index, so it holds what readers search for, once:
each plan page's account, owner, business area, goal statement and body, and none of
what kamdocs works out (badges, findings, goal figures, the chain, commitments, KPI and buying-centre
tables, quality, history) or what the roll-ups list (a row per plan). plans.json is checked
complete against the plan files read with yaml here, and weighed against their front matter,
measured here too (issue 21: at most twice it).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from .commands import mkdocs_build_in_process, site_config, write_repo
from .conftest import EXAMPLES, ROOT, plan_text

sys.path.insert(0, str(ROOT / "scripts"))
from browser import serve

TODAY = "2026-11-22"
ONE_PAGE = plan_text(
    "zephyr",
    **{
        "account: Example Account AG": "account: Zephyr Quellwerk AG",
        "owner: kam@example.com\n": "owner: olga.zimmermann@example.com\n",
        "business_area: Process Analytics": "business_area: Cryogenic Storage",
        "reviewer: bam@example.com": "reviewer: vreni.bamert@example.com",
        "last_reviewed: 2026-10-01": "last_reviewed: 2025-01-10",  # overdue: a badge and a finding to keep out
        "statement: Grow order intake to CHF 500k": "statement: Win the xenoblast freezer tender",
        "statement: We are the standard supplier": "statement: Quokkafactor supplier standing",
        "statement: Engineering specifies us": "statement: Wombatcondition engineers specify",
        "statement: The old spec names a competitor": "statement: Narwhalobstacle names a competitor",
        "action: Run a specification workshop": "action: Platypusaction workshop",
        "Body text.": "Our yodelling plan for the glacier site.",
    },
)
FULL = (
    (EXAMPLES / "positive" / "full-minimal.md")
    .read_text(encoding="utf-8")
    .replace("id: full-minimal", "id: umbra")
    .replace("account: Example Account AG", "account: Umbra Kiesel GmbH")
    .replace("action: Run a specification workshop", "action: Ibexaction review")
    .replace("name: Share of wallet", "name: Lynxkpi share")
    .replace("## Overview\n\nText.", "## Overview\n\nThe marzipan furnace line.")
    .replace(
        "kpis:", "buying_center:\n  - name: Gundula Okapicontact\n    role: champion\n    attitude: supporter\nkpis:"
    )
)
QUIRK = plan_text(
    "quirk",
    **{
        "account: Example Account AG": "account: Quirk & Söhne <AG>",
        "business_area: Process Analytics": 'business_area: R&D <Labs> "Nord"',
        "statement: Grow order intake to CHF 500k": "statement: Win the <b>cold</b> & 'dry' tender",
    },
)
"""Markup characters in each searched field of the head: read as text by the index and the page alike."""
HOME = """\
# Plans

Our own words on the home page.

<!-- kamdocs:summary -->

<!-- kamdocs:table -->
"""


def front_matter(text: str) -> tuple[str, str]:
    """The YAML between the ``---`` lines and the body after them, split here, not by kamdocs."""
    match = re.match(r"---\n(.*?\n)---\n(.*)", text, re.S)
    assert match, text[:80]
    return match.group(1), match.group(2)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, dict[str, Any]]]]:
    """The bundled plans and two of this test's own, built once; the plans as yaml reads them, by id."""
    root = tmp_path_factory.mktemp("search")
    repo = write_repo(root, {"zephyr": ONE_PAGE, "umbra": FULL}, site_config(f"today: '{TODAY}'", "git: false"))
    for path in (ROOT / "plans").glob("*.md"):
        shutil.copy(path, repo / "plans" / path.name)
    (repo / "docs" / "index.md").write_text(HOME, encoding="utf-8")
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    plans = {}
    for path in sorted((repo / "plans").glob("*.md")):
        meta, body = front_matter(path.read_text(encoding="utf-8"))
        plans[path.stem] = {**yaml.safe_load(meta), "_body": body, "_front_matter": len(meta.encode("utf-8"))}
    yield repo.parent / "site", plans


def entries(site: Path) -> list[dict[str, str]]:
    """The index's entries: in the whole index that the small one every page fetches names (kamdocs'
    search worker fetches it)."""
    small = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert small["docs"] == [] and small["config"]["kamdocs_full_index"] == "full_index.json"
    return json.loads((site / "search" / "full_index.json").read_text(encoding="utf-8"))["docs"]


def words(entry: dict[str, str]) -> str:
    """An entry's title and text as a reader's search sees them: no tags, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", " ", entry["title"] + " " + entry["text"]))


def plan_words(site: Path, plan_id: str) -> str:
    return " ".join(words(e) for e in entries(site) if e["location"].startswith(f"plans/accounts/{plan_id}/"))


def test_a_plan_page_indexes_account_owner_area_goal_and_body(
    built: tuple[Path, dict[str, dict[str, Any]]],
) -> None:
    site, plans = built
    for plan_id in ("zephyr", "umbra"):
        plan = plans[plan_id]
        text = plan_words(site, plan_id)
        for value in (plan["account"], plan["owner"], plan["business_area"]):
            # A word of its own: run into a label or the next fact ("...@example.comReviewer"), a search misses it.
            assert re.search(rf"(?<!\S){re.escape(value)}(?!\S)", text), (plan_id, value)
        assert plan["goal"]["statement"] in text
    assert "yodelling plan for the glacier site" in plan_words(site, "zephyr")
    assert "marzipan furnace line" in plan_words(site, "umbra")
    # One entry per page carries the header, titled with the account: what a search for the account finds.
    header = [e for e in entries(site) if e["location"] == "plans/accounts/zephyr/"]
    assert [e["title"] for e in header] == ["Zephyr Quellwerk AG"]


def test_the_index_reads_the_heads_words_and_the_page_shows_the_head_once(
    built: tuple[Path, dict[str, dict[str, Any]]], tmp_path: Path
) -> None:
    """The search plugin reads a stand-in of each plan page's head (its searched words); the page
    written has the head itself in its place: one title, the status line, no stand-in, no marker."""
    site, plans = built
    quirky = write_repo(tmp_path, {"quirk": QUIRK}, site_config(f"today: '{TODAY}'", "git: false"))
    result = mkdocs_build_in_process(quirky)
    assert result.returncode == 0, result.stdout + result.stderr
    quirk = yaml.safe_load(front_matter(QUIRK)[0])
    text = plan_words(tmp_path / "site", "quirk")
    for value in (quirk["owner"], quirk["business_area"], quirk["goal"]["statement"]):
        assert value in text, value
    raw_index = (tmp_path / "site" / "search" / "full_index.json").read_text(encoding="utf-8")
    assert "<b>cold</b>" not in raw_index and "<Labs>" not in raw_index  # text, never markup
    for plan_site, plan_id, plan in [(site, i, p) for i, p in plans.items()] + [(tmp_path / "site", "quirk", quirk)]:
        page = (plan_site / "plans" / "accounts" / plan_id / "index.html").read_text(encoding="utf-8")
        article = page[page.index("<article") : page.index("</article>")]
        assert article.count("<h1") == 1, plan_id
        assert "kamdocs:" not in article, plan_id
        assert article.index('class="kd-breadcrumb"') < article.index("<h1") < article.index('class="kd-status-line"')
        assert f"<p> {plan['owner']} " not in html.unescape(article), plan_id  # the stand-in went
        assert plan["business_area"] in html.unescape(article)
    assert "<b>cold</b>" not in (tmp_path / "site" / "plans" / "accounts" / "quirk" / "index.html").read_text()


def test_computed_words_are_not_indexed(built: tuple[Path, dict[str, dict[str, Any]]]) -> None:
    """The badge, findings, labels, goal figures and every table a plan page works out stay out."""
    site, plans = built
    zephyr, umbra = plan_words(site, "zephyr"), plan_words(site, "umbra")
    for computed in ("Overdue by", "Review overdue", "target 500,000", "500,000 CHF", "Owner", "Reviewer",
                     "Business area", "Plans ›", "Quokkafactor", "Wombatcondition", "Narwhalobstacle",
                     "Platypusaction", "unresolved", "Quality", "History"):  # fmt: skip
        assert computed not in zephyr, computed
    assert "vreni.bamert@example.com" not in zephyr  # the reviewer: found in the scorecard and the plans table
    for computed in ("Ibexaction", "Lynxkpi", "Okapicontact", "target 500,000", "bam@example.com"):
        assert computed not in umbra, computed
    # Every plan's table rows, the bundled ones' too: what the front matter lists and the body does not say.
    everything = " ".join(words(e) for e in entries(site))
    for plan_id, plan in plans.items():
        listed = [c["action"] for c in plan.get("commitments", [])]
        listed += [k["name"] for k in plan.get("kpis", [])]
        listed += [p["name"] for p in plan.get("buying_center", [])]
        listed += [o["statement"] for f in plan.get("success_factors", []) for c in f["conditions"]
                   for o in c.get("obstacles", [])]  # fmt: skip
        for item in listed:
            if item not in plan["_body"] and item not in plan["goal"]["statement"]:
                assert item not in everything, (plan_id, item)


def test_roll_ups_and_embeds_put_no_row_into_the_index(built: tuple[Path, dict[str, dict[str, Any]]]) -> None:
    site, plans = built
    outside = [e for e in entries(site) if not e["location"].startswith("plans/accounts/")]
    locations = {e["location"].split("#")[0] for e in outside}
    assert {"", "plans/", "plans/stakeholders/"} <= locations  # the roll-ups are there, by their titles
    for entry in outside:
        text = words(entry)
        for plan in plans.values():
            for value in (plan["account"], plan["owner"]):
                assert value not in text, (entry["location"], value)
        assert not re.search(r"\d[\d,]* (plans|overdue|people)", text), (entry["location"], text)
    home = [e for e in outside if e["location"] == ""]
    assert "Our own words on the home page." in " ".join(words(e) for e in home)  # the page's own text stays


def test_plans_json_is_complete_and_within_twice_the_front_matter(
    built: tuple[Path, dict[str, dict[str, Any]]],
) -> None:
    site, plans = built
    raw = (site / "plans" / "plans.json").read_bytes()
    document = json.loads(raw)
    assert document["version"] == 3
    exported = {p["id"]: p for p in document["plans"]}
    assert set(exported) == {p["id"] for p in plans.values()}
    for plan in plans.values():
        mine = exported[plan["id"]]
        assert mine["account"] == plan["account"] and mine["goal"]["statement"] == plan["goal"]["statement"]
        assert [(c["id"], c["action"], c["owner"], c["due"], c["status"]) for c in mine["commitments"]] == [
            (c["id"], c["action"], c["owner"], c["due"].isoformat(), c["status"]) for c in plan.get("commitments", [])
        ]
        assert [k["id"] for k in mine["kpis"]] == [k["id"] for k in plan.get("kpis", [])]
        assert [p["name"] for p in mine["buying_center"]] == [p["name"] for p in plan.get("buying_center", [])]
        score = mine["quality"]["score"]
        assert score == 100 - sum(r["points"] for r in mine["quality"]["reasons"]) or score == 0
    front = sum(p["_front_matter"] for p in plans.values())
    assert len(raw) <= 2 * front, (len(raw), front)


@pytest.mark.e2e  # Chromium
@pytest.mark.parametrize("account", ["Zephyr Quellwerk AG", "Alpen Dairy Cooperative", "Umbra Kiesel"])
def test_a_search_for_an_account_finds_its_plan_page_first(
    built: tuple[Path, dict[str, dict[str, Any]]], chromium: Any, account: str
) -> None:
    """Material's own search box, in Chromium, on a docs page: the first result is the account's plan page."""
    site, plans = built
    plan_id = next(p["id"] for p in plans.values() if p["account"].startswith(account))
    with serve(site) as base:
        page = chromium.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"{base}/")
        page.locator("input.md-search__input").focus()
        page.keyboard.type(account)  # as a reader types: Material searches on key presses, not on fill()
        first = page.locator(".md-search-result__item a.md-search-result__link").first
        first.wait_for(timeout=15000)
        assert first.get_attribute("href", timeout=15000).endswith(f"plans/accounts/{plan_id}/")
        page.close()
