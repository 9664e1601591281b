"""The manager's trends on a built site and in plans.json: a real git repository with fixed dates (the
plans of tests/test_trends.py, whose figures are worked out there, and a plan that was confidential
first), a real ``mkdocs build`` into a temporary folder, and Chromium at 1366 and 390 px."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .commands import built_site
from .conftest import GitRepo, plan_text
from .test_trends import HISTORY, MKDOCS, TODAY

CANARIES = ("913579", "424242", "CANARY-OLD-ACTION")
"""What only the confidential versions of plans/shh.md hold: no byte of the site may carry them."""


def shh(actual: int, *, whole: bool = False, field: bool = False, action: str = "Run a specification workshop") -> str:
    """plans/shh.md: confidential as a whole (``whole``), or its actual only (``field``), or public."""
    marks = "confidential: true\n" if whole else ""
    marks += "confidential_fields: [goal.actual]\n" if field else ""
    return plan_text(
        "shh",
        **{
            "kind: one-page\n": "kind: one-page\n" + marks,
            "\nowner: kam@example.com\nbusiness_area: Process Analytics\n": "\nowner: dora@example.com\nbusiness_area: Area C\n",
            "  unit: CHF\n": f"  unit: CHF\n  actual: {actual}\n",
            "    action: Run a specification workshop\n": f"    action: {action}\n",
            "  last_reviewed: 2026-10-01\n": "  last_reviewed: 2026-02-01\n",
        },
    )


SHH = [
    ("2026-02-10", shh(913579, whole=True, action="CANARY-OLD-ACTION")),
    ("2026-05-10", shh(424242, field=True)),
    ("2026-08-10", shh(100000)),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GitRepo]:
    repo = GitRepo(tmp_path_factory.mktemp("trends-site") / "repo")
    repo.write("mkdocs.yml", MKDOCS)
    repo.write("docs/index.md", "# Plans\n")
    commits = sorted([(day, name, text) for day, name, text in HISTORY] + [(d, "shh", t) for d, t in SHH])
    for day, name, text in commits:
        repo.commit(f"{name} on {day}", f"{day}T09:00:00+00:00", **{f"plans__{name}.md": text})
    return built_site(repo.path), repo


def plans_json(site: Path) -> dict[str, Any]:
    return json.loads((site / "plans" / "plans.json").read_text(encoding="utf-8"))


V2_KEYS = {
    "id", "file", "account", "owner", "owner_handle", "business_area", "kind", "status", "reviewer", "interval",
    "last_reviewed", "next_review", "freshness", "days_overdue", "days_left", "open_commitments",
    "overdue_commitments", "goal_progress", "last_change", "last_author", "revisions", "uncommitted", "team",
    "region", "tier", "tags", "crm_id", "goal", "success_factors", "commitments", "kpis", "buying_center",
    "fiscal_year", "quality",
}  # fmt: skip
"""Every key of a plan in version 2 (docs/site.md): the status row's, less its goal and score copies, and more."""


def test_plans_json_version_3_keeps_every_version_2_key(site: tuple[Path, GitRepo]) -> None:
    document = plans_json(site[0])
    assert document["version"] == 3 and document["today"] == TODAY.isoformat()
    assert set(document) == {"version", "today", "plans", "budget"}
    up = next(p for p in document["plans"] if p["id"] == "up")
    assert set(up) == V2_KEYS | {"history"}
    # Version 2's values, from the plan's file today (its October version): unchanged.
    assert up["goal"] == {
        "statement": "Grow order intake to CHF 500k", "metric": "order intake", "target": 500000, "unit": "CHF",
        "baseline": 400000, "actual": 200000, "period": {"start": "2026-01-01", "end": "2026-12-31"},
    }  # fmt: skip
    assert (up["last_reviewed"], up["next_review"], up["freshness"], up["revisions"]) == (
        "2026-10-01", "2027-01-01", "fresh", 3,
    )  # fmt: skip
    assert up["quality"]["score"] == 86 and up["goal_progress"] == 0.4
    assert up["commitments"][0]["id"] == "c-a" and up["commitments"][0]["overdue"] is False


def test_plans_json_history(site: tuple[Path, GitRepo]) -> None:
    built, repo = site
    document = plans_json(built)
    up = next(p for p in document["plans"] if p["id"] == "up")
    shas = repo.git("log", "--format=%H", "--", "plans/up.md").split()[::-1]
    history = up["history"]
    assert history["shallow"] is False
    assert [(c["day"], c["commit"]) for c in history["changes"]] == list(
        zip(["2026-02-10", "2026-06-10", "2026-10-05"], shas, strict=True)
    )
    common = {"kind": "valid", "goal_target": 500000, "goal_unit": "CHF", "period_start": "2026-01-01",
              "period_end": "2026-12-31", "freshness": "fresh", "open_commitments": 1, "overdue_commitments": 0,
              "done_commitments": 0, "stale_contacts": 0}  # fmt: skip
    # February: no actual (left out, not 0), 100 - 40 = 60; June and October: 86 with the actual 200,000.
    # Bands (docs/quality.md): 86 is fair, 80 or more with an essential missing (no economic buyer named);
    # 60 is poor, below 80 with essentials missing in two categories (the goal's actual and the economic buyer).
    first, june, october = (c["figures"] for c in history["changes"])
    assert first == {**common, "quality_score": 60, "quality_band": "poor", "last_reviewed": "2026-02-01"}
    assert june == {**common, "goal_actual": 200000, "quality_score": 86, "quality_band": "fair",
                    "last_reviewed": "2026-06-01"}  # fmt: skip
    assert october == {**june, "last_reviewed": "2026-10-01"}


def test_no_confidential_version_reaches_plans_json_or_any_page(site: tuple[Path, GitRepo]) -> None:
    built, repo = site
    document = plans_json(built)
    plan = next(p for p in document["plans"] if p["id"] == "shh")
    # February's version was confidential as a whole: not there, not even its day. May's kept its actual
    # confidential: the figure is left out. August's is public.
    changes = plan["history"]["changes"]
    assert [c["day"] for c in changes] == ["2026-05-10", "2026-08-10"]
    assert "goal_actual" not in changes[0]["figures"] and changes[1]["figures"]["goal_actual"] == 100000
    first = repo.git("log", "--format=%H", "--", "plans/shh.md").split()[-1]
    for path in built.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for canary in (*CANARIES, first):
                assert canary.encode() not in data, (canary, path)
