"""A plan's timeline from real git history with fixed dates: every figure worked out by hand."""

from __future__ import annotations

import json
from datetime import date

from kamdocs.config.mkdocs_yml import load_config
from kamdocs.history.log import read_history
from kamdocs.plan.validation import PlanValidator
from kamdocs.report.history_cache import HistoryCache
from kamdocs.report.timeline import Judge, timelines, version_at
from kamdocs.rules.pipeline import CheckRun, check_paths

from .conftest import GitRepo, plan_text

ACTUALS = [
    "",
    "  actual: 50000\n",
    "  actual: 120000\n",
    "  actual: 200000\n",
    "  actual: 310000\n",
    "  actual: 380000\n",
]
DAYS = ["2026-01-10", "2026-03-10", "2026-05-10", "2026-07-10", "2026-09-10", "2026-11-10"]


def rising(repo: GitRepo) -> None:
    """Six commits of plans/rise.md, the goal's actual rising each time (none in the first)."""
    for actual, day in zip(ACTUALS, DAYS, strict=True):
        text = plan_text("rise", **{"  unit: CHF\n": "  unit: CHF\n" + actual})
        repo.commit(f"rise on {day}", f"{day}T09:00:00+00:00", **{"plans__rise.md": text})


def test_actual_rising_over_six_commits(git_repo: GitRepo) -> None:
    rising(git_repo)
    config = load_config(cwd=git_repo.path)
    history = read_history(config.root, config.plans_path)
    line = timelines(["plans/rise.md"], history, Judge(config, PlanValidator(config)))["plans/rise.md"]
    assert [p.day.isoformat() for p in line.points] == DAYS
    assert [p.figures.goal_actual for p in line.points] == [None, 50000, 120000, 200000, 310000, 380000]
    assert {p.figures.goal_target for p in line.points} == {500000}
    assert [p.figures.kind for p in line.points] == ["valid"] * 6
    # Reviewed 2026-10-01, quarterly: the next review is 2027-01-01, after every commit day, so fresh on each.
    # The commitment c-a is due 2026-12-15 and open: open on every commit day, overdue on none.
    assert [p.figures.freshness for p in line.points] == ["fresh"] * 6
    assert [p.figures.open_commitments for p in line.points] == [1] * 6
    assert [p.figures.overdue_commitments for p in line.points] == [0] * 6
    assert line.since == date(2026, 1, 10)
    assert line.changes()[0].day == date(2026, 1, 10) and len(line.changes()) == 6


def test_cache_gives_the_same_figures_and_is_used(git_repo: GitRepo) -> None:
    rising(git_repo)
    config = load_config(cwd=git_repo.path)
    validator = PlanValidator(config)
    history = read_history(config.root, config.plans_path)
    judge = Judge(config, validator)
    plain = timelines(["plans/rise.md"], history, judge)
    cold = HistoryCache.for_run(config.root, config, validator.schema)
    first = timelines(["plans/rise.md"], history, judge, cache=cold)
    assert cold.misses == 6 and cold.hits == 0 and cold.path.is_file()
    warm = HistoryCache.for_run(config.root, config, validator.schema)
    second = timelines(["plans/rise.md"], history, judge, cache=warm)
    assert warm.hits == 6 and warm.misses == 0
    assert plain == first == second
    # An entry edited to hold text is not read: the version is judged again, and the figures stay right.
    entries = json.loads(cold.path.read_text())
    key = next(iter(entries))
    entries[key][0]["goal_actual"] = "a lot"
    cold.path.write_text(json.dumps(entries))
    edited = HistoryCache.for_run(config.root, config, validator.schema)
    assert timelines(["plans/rise.md"], history, judge, cache=edited) == plain
    assert edited.misses >= 1


def test_version_at_a_day_and_a_commit(git_repo: GitRepo) -> None:
    rising(git_repo)
    config = load_config(cwd=git_repo.path)
    history = read_history(config.root, config.plans_path)
    judge = Judge(config, PlanValidator(config))
    then = version_at("plans/rise.md", history, judge, day=date(2026, 6, 1))
    assert then is not None and then.plan is not None
    assert then.point.day == date(2026, 5, 10) and then.plan.goal.actual == 120000
    assert version_at("plans/rise.md", history, judge, day=date(2025, 12, 31)) is None
    sha = history.of("plans/rise.md").revisions[-1].sha  # the oldest
    first = version_at("plans/rise.md", history, judge, sha=sha)
    assert first is not None and first.plan is not None and first.plan.goal.actual is None


def test_the_newest_commit_judged_from_todays_plan_gives_the_same_figures(git_repo: GitRepo) -> None:
    """The newest commit of a clean file is judged from the plan today's check made of the same text; every
    figure must be what reading it from git and checking it again gives, for the full and the public view."""
    rising(git_repo)
    secret = plan_text("secret", **{"    status: open\n": "    status: done\n    confidential: true\n"})
    git_repo.commit("secret", "2026-11-20T09:00:00+00:00", **{"plans__secret.md": secret})
    git_repo.commit("moved", "2026-11-21T09:00:00+00:00", **{"plans__old.md": plan_text("old")})
    git_repo.git("mv", "plans/old.md", "plans/new.md")
    git_repo.write("plans/new.md", plan_text("new"))
    git_repo.commit("renamed", "2026-11-22T09:00:00+00:00")
    git_repo.write("plans/rise.md", plan_text("rise", **{"  unit: CHF\n": "  unit: CHF\n  actual: 400000\n"}))
    config = load_config(cwd=git_repo.path)
    validator = PlanValidator(config)
    history = read_history(config.root, config.plans_path)
    result = check_paths(None, CheckRun(config, validator, freshness=False))
    checked = {plan.file: plan for plan in result.plans}
    assert set(checked) == {"plans/rise.md", "plans/secret.md", "plans/new.md"}
    today = date(2026, 12, 1)
    for public in (False, True):
        judge = Judge(config, validator, public=public)
        slow = timelines(sorted(checked), history, judge, checked, today)
        fast = timelines(sorted(checked), history, judge, checked, today, None, checked)
        assert fast == slow
    # What the fast path judged: the clean files' newest commits, not the uncommitted one's.
    assert [p.sha is None for p in slow["plans/rise.md"].points][-2:] == [False, True]
    assert slow["plans/new.md"].points[-1].file == "plans/new.md"
