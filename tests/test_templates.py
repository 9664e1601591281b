"""The plans ``kamdocs init`` and ``kamdocs new`` write: their goal periods agree, and their placeholders
speak the reader's words."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from .conftest import run

NEW = ["--account", "Acme AG", "--owner", "kim@example.com", "--area", "Analytics"]

# Start -> last day of the goal period, worked out on a calendar: the day before the same date a year later.
PERIODS = [
    ("2026-01-15", "2027-01-14"),
    ("2025-12-31", "2026-12-30"),
    ("2026-01-01", "2026-12-31"),
    ("2023-03-01", "2024-02-29"),  # 1 March before a leap year: the year ends on the leap day
    ("2023-02-28", "2024-02-27"),
    ("2024-02-28", "2025-02-27"),
    ("2024-02-29", "2025-02-28"),  # no 29 February next year: the day before 1 March
    ("2024-03-01", "2025-02-28"),
]


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_init_and_new_write_a_goal_period_of_one_year_less_a_day(
    make_repo, tmp_path: Path, start: str, end: str
) -> None:
    assert run(["init", str(tmp_path / "r"), "--today", start], tmp_path).exit_code == 0
    repo = make_repo()
    for kind in ("one-page", "full"):
        made = run(["new", kind, "--kind", kind, *NEW, "--today", start], repo)
        assert made.exit_code == 0, made.output
    written = [*(tmp_path / "r/plans").glob("*.md"), repo / "plans/one-page.md", repo / "plans/full.md"]
    assert len(written) == 4
    for path in written:
        period = front_matter(path)["goal"]["period"]
        assert (period["start"], period["end"]) == (date.fromisoformat(start), date.fromisoformat(end)), path
    checked = run(["check", "--today", start], tmp_path / "r")
    assert checked.exit_code == 0, checked.output


def test_the_full_templates_todo_texts_name_the_parts_as_readers_do(make_repo) -> None:
    repo = make_repo()
    for kind in ("one-page", "full"):
        assert run(["new", kind, "--kind", kind, *NEW, "--today", "2026-11-22"], repo).exit_code == 0
    full = (repo / "plans/full.md").read_text(encoding="utf-8")
    assert "TODO: write the KPIs part of the plan." in full
    assert "TODO: write the sales objectives part of the plan." in full
    assert "TODO: write the overview part of the plan." in full
    assert "kpis part" not in full
    todos = [
        line.split("TODO", 1)[1]
        for kind in ("one-page", "full")
        for line in (repo / f"plans/{kind}.md").read_text(encoding="utf-8").splitlines()
        if "TODO" in line
    ]
    assert len(todos) >= 15
    for text in todos:  # no front-matter key (kpis, buying_center, last_reviewed...) in a placeholder's words
        assert not re.search(r"\b[a-z]+_[a-z_]+\b|\bkpis\b", text), text
