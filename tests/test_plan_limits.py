"""Every plan bounded (issue 21, item 3): whatever one plan holds within the loader's limits, check,
render and the site build finish it, and what cannot be published is a finding at its file and line.

Each class of tests/hostile_front_matter.py (thousands of commitments, contacts, KPIs; one line or one
word that fills the plan; lists of thousands) is checked in a subprocess with a timeout, so a class
that turns quadratic again fails here instead of hanging; one e2e test builds the site and renders
all of them beside the bundled plans. How long each takes is benchmarks/hostile_plans.py's business.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from kamdocs.config import Config
from kamdocs.rules.checks import HINT_BUDGET
from kamdocs.rules.pipeline import CheckRun, check_paths

from .commands import TODAY, kamdocs, mkdocs_build, site_config, write_repo
from .conftest import ROOT, plan_text
from .hostile_bodies import SIZE_LIMIT
from .hostile_front_matter import CROWDED, crowded_plan


def test_every_crowded_plan_at_the_size_limit_is_checked_within_the_timeout(tmp_path: Path) -> None:
    """One ``kamdocs check`` of every class, in a subprocess (300 s is the alarm; it takes seconds): each plan
    is at the size limit and gives only the errors its class is about, at their places, the first 100 of
    them, and one ``findings-repeated`` warning at the 101st counting the rest.

    duplicate-ids: commitment c-0 written thousands of times; each copy after the first is an error at its
    value (column 9, after ``  - id: ``), naming the first's line. resolves-unknown: ids risk-0, risk-1, …
    in one list beside 2,000 obstacles; no single-digit one is more than 0.6 like an obstacle (risk-5 and
    obs-5 share ``s``, ``-5``: 2 * 3 / 11), and the budget is spent after ten, so every hint lists the
    obstacles (without the budget, risk-123 would be guessed as obs-123: 2 * 5 / 15 = 0.67)."""
    texts = {name: crowded_plan(name) for name in CROWDED}
    for name, text in texts.items():
        assert SIZE_LIMIT - 8192 < len(text.encode()) <= SIZE_LIMIT, (name, len(text.encode()))
    repo = write_repo(tmp_path, texts)
    errors: dict[str, list[dict]] = {}
    repeated: dict[str, tuple] = {}
    result = kamdocs(repo, "check", "--format", "json", "--today", TODAY, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    for f in json.loads(result.stdout)["findings"]:
        if f["severity"] == "error":
            errors.setdefault(Path(f["file"]).stem, []).append(f)
        elif f["rule"] == "findings-repeated":
            capped = f["message"].split("'")[1]
            repeated[f"{Path(f['file']).stem} {capped}"] = (f["line"], f["column"], f["path"], f["message"], f["hint"])
    # resolves-unknown's 2,000 obstacles are each unresolved too (warnings), and capped as well.
    assert set(repeated) == {
        "duplicate-ids item-id-duplicate",
        "resolves-unknown resolves-unknown",
        "resolves-unknown obstacle-unresolved",
    }
    assert {name: {f["rule"] for f in found} for name, found in errors.items()} == {
        name: {case.rule} for name, case in CROWDED.items() if case.rule
    }

    lines = texts["duplicate-ids"].split("\n")
    copies = [i + 1 for i, line in enumerate(lines) if line == "  - id: c-0"]
    assert [(f["line"], f["column"], f["path"], f["message"], f["hint"]) for f in errors["duplicate-ids"]] == [
        (
            line,
            9,
            f"$.commitments[{i + 1}].id",
            f"expected ids unique within the plan, found 'c-0' again (first on line {copies[0]})",
            "rename one of them; commitments refer to obstacles by id",
        )
        for i, line in enumerate(copies[1:101])
    ]
    assert repeated["duplicate-ids item-id-duplicate"] == (
        copies[101],
        9,
        "$.commitments[101].id",
        f"expected at most 100 'item-id-duplicate' findings in one plan, found {len(copies) - 1:,} "
        f"(the {len(copies) - 101:,} from here on are not listed)",
        HINT,
    )

    lines = texts["resolves-unknown"].split("\n")
    line = next(i for i, text in enumerate(lines) if text.startswith("    resolves: [risk-0, ")) + 1
    ids = lines[line - 1][len("    resolves: [") : -1].split(", ")
    listed = (
        "known obstacles: obs-0, obs-1, obs-10, obs-100, obs-1000, obs-1001, obs-1002, obs-1003, obs-1004, "
        "obs-1005 and 1,990 more"
    )
    column = len("    resolves: [") + 1
    expected = []
    for j, target in enumerate(ids[:100]):
        message = f"expected the id of an obstacle in this plan, found '{target}'"
        expected.append((line, column, f"$.commitments[0].resolves[{j}]", message, listed))
        column += len(target) + 2
    found = [(f["line"], f["column"], f["path"], f["message"], f["hint"]) for f in errors["resolves-unknown"]]
    assert found == expected
    assert repeated["resolves-unknown resolves-unknown"] == (
        line,
        column,
        "$.commitments[0].resolves[100]",
        f"expected at most 100 'resolves-unknown' findings in one plan, found {len(ids):,} "
        f"(the {len(ids) - 100:,} from here on are not listed)",
        HINT,
    )


HINT = "fix the 100 listed first (they often share one cause), then check again"


def findings_of(tmp_path: Path, text: str) -> list[tuple[str, int, int, str, str]]:
    (tmp_path / "p.md").write_text(text, encoding="utf-8")
    result = check_paths([tmp_path / "p.md"], CheckRun.without_freshness(Config(root=tmp_path)))
    return [(f.rule, f.line, f.column, f.message, f.hint) for f in result.findings if f.rule == "resolves-unknown"]


def test_unknown_obstacle_ids_are_guessed_within_a_budget_then_listed(tmp_path: Path) -> None:
    """2,000 obstacles obs-0 … obs-1999 and a commitment naming obs-x0 … obs-x10 and obs-x0 again. Each
    guess compares the id with all 2,000 obstacles; the budget of 20,000 comparisons covers ten: obs-xN is
    most like obs-N (4 + 1 of 5 and 6 characters match: 2 * 5 / 11 = 0.91; obs-1N, the next best, 10/12).
    The eleventh id is past the budget and gets the sorted list of the first ten obstacles and the count
    of the rest."""
    assert HINT_BUDGET == 20_000
    obstacles = "".join(f"          - id: obs-{i}\n            statement: s\n" for i in range(2000))
    targets = [f"obs-x{i}" for i in range(11)]
    text = plan_text(
        "p", **{"          - id: obs-a\n            statement: The old spec names a competitor\n": obstacles}
    )
    text = text.replace("resolves: [obs-a]", "resolves: [obs-0]\n  - id: c-b\n    action: More\n"
                        "    owner: kam@example.com\n    due: 2026-12-15\n    status: open\n"
                        f"    resolves: [{', '.join(targets)}]")  # fmt: skip
    lines = text.split("\n")
    line = next(i for i, t in enumerate(lines) if "resolves: [obs-x0" in t) + 1
    listed = (
        "known obstacles: obs-0, obs-1, obs-10, obs-100, obs-1000, obs-1001, obs-1002, obs-1003, obs-1004, "
        "obs-1005 and 1,990 more"
    )
    expected = []
    for i, target in enumerate(targets):
        column = lines[line - 1].index("[") + 2 + sum(len(t) + 2 for t in targets[:i])  # ", " between items
        hint = listed if target == "obs-x10" else f"did you mean 'obs-{target[5:]}'?"
        expected.append(
            ("resolves-unknown", line, column, f"expected the id of an obstacle in this plan, found '{target}'", hint)
        )
    assert findings_of(tmp_path, text) == expected


def test_an_unknown_id_in_a_small_plan_gets_its_guess_or_every_obstacle(tmp_path: Path) -> None:
    """obs-b against obs-a: 4 of 5 characters each, 2 * 4 / 10 = 0.8, over 0.6; 'zzz' is like nothing."""
    text = plan_text("p").replace("resolves: [obs-a]", "resolves: [obs-a, obs-b, zzz]")
    line = text.split("\n").index("    resolves: [obs-a, obs-b, zzz]") + 1
    assert findings_of(tmp_path, text) == [
        (
            "resolves-unknown",
            line,
            23,
            "expected the id of an obstacle in this plan, found 'obs-b'",
            "did you mean 'obs-a'?",
        ),
        (
            "resolves-unknown",
            line,
            30,
            "expected the id of an obstacle in this plan, found 'zzz'",
            "known obstacles: obs-a",
        ),
    ]


@pytest.mark.e2e
def test_every_crowded_plan_beside_the_bundled_plans_builds_and_renders(tmp_path: Path) -> None:
    """One real ``mkdocs build`` (Material and its search plugin) and one ``kamdocs render`` of the bundled
    plans with every crowded plan added: both finish within their timeouts, without a traceback, and
    every plan without an error finding is published."""
    plans = {name: crowded_plan(name) for name in CROWDED}
    repo = write_repo(tmp_path, plans, site_config("git: false", f"today: {TODAY}", "on_invalid: warn"))
    for bundled in (ROOT / "plans").glob("*.md"):
        shutil.copy(bundled, repo / "plans" / bundled.name)
    result = mkdocs_build(repo, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    published = {name for name, case in CROWDED.items() if case.rule is None}
    bundled = {p.stem for p in (ROOT / "plans").glob("*.md")}
    pages = {p.parent.name for p in (repo.parent / "site").glob("plans/accounts/*/index.html")}
    assert published | bundled <= pages, sorted((published | bundled) - pages)
    assert not pages & (set(CROWDED) - published)
    rendered = kamdocs(repo, "render", str(tmp_path / "out"), "--today", TODAY, timeout=900)
    assert rendered.returncode == 0, rendered.stderr[-3000:]
    assert "Traceback" not in rendered.stderr and "internal error" not in rendered.stderr
    names = {p.parent.name for p in (tmp_path / "out").rglob("index.md")}
    assert published | bundled <= names, sorted((published | bundled) - names)


@pytest.mark.e2e
def test_a_reporting_chain_taller_than_the_screen_scrolls_in_its_own_region(tmp_path: Path, chromium: Any) -> None:
    """A chain of 300 contacts draws an org chart 300 rows tall (82 px a row: 24,600 px). In Chromium at
    1366 and at 390 px the chart's region is at most 80% of the window's height and scrolls, and the page
    is no wider than the window; a chart of two people is shown whole, as before."""
    chain = "".join(
        f"  - name: Person {i}\n    role: influencer\n" + (f"    reports_to: Person {i - 1}\n" if i else "")
        for i in range(300)
    )
    pair = "  - name: Ann\n    role: influencer\n  - name: Ben\n    role: coach\n    reports_to: Ann\n"
    plans = {
        name: plan_text(name, **{"\n---\n\nBody text.": f"\nbuying_center:\n{people}---\n\nBody text."})
        for name, people in (("chain", chain), ("pair", pair))
    }
    repo = write_repo(tmp_path, plans, site_config("git: false", f"today: {TODAY}"))
    result = mkdocs_build(repo, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    sys.path.insert(0, str(ROOT / "scripts"))
    from browser import serve

    with serve(repo.parent / "site") as base:
        for width, height in ((1366, 800), (390, 844)):
            page = chromium.new_page(viewport={"width": width, "height": height})
            for name, scrolls in (("chain", True), ("pair", False)):
                page.goto(f"{base}/plans/accounts/{name}/")
                region = page.evaluate(
                    "() => { const o = document.querySelector('.kd-org-wrap');"
                    " return [o.clientHeight, o.scrollHeight, document.documentElement.scrollWidth]; }"
                )
                client, full, page_width = region
                assert page_width <= width, (name, width, region)
                if scrolls:
                    assert client <= 0.8 * height + 1 and full >= 300 * 82, (name, width, region)
                else:
                    assert full == client, (name, width, region)
            page.close()
