"""The check pipeline's run object: freshness is on or off by name, and a run reaches the worker processes whole.

The plans here are the minimal one-page plan, reviewed 2026-10-01 every quarter: its next review is
due 2027-01-01 (worked out by hand), so on 2027-01-02 it is one day overdue. Its commitment and goal
period are moved a year on, so that the review is the only thing a freshness check can find.
"""

from __future__ import annotations

import gc
import os
from datetime import date
from pathlib import Path

import pytest

from kamdocs.config import Config
from kamdocs.plan.validation import PlanValidator
from kamdocs.rules import pipeline
from kamdocs.rules.pipeline import CheckRun, check_paths

from .conftest import plan_text

LATER = {"due: 2026-12-15": "due: 2027-12-15", "end: 2026-12-31": "end: 2027-12-31"}
DAY_AFTER_DUE = date(2027, 1, 2)
REVIEW_LINE, REVIEW_COLUMN = 9, 18
"""Where ``last_reviewed: 2026-10-01`` is in the minimal plan: a review-overdue finding points at its value."""


def found(result: pipeline.CheckResult) -> list[tuple[str, str, int, int]]:
    return [(f.rule, f.file, f.line, f.column) for f in result.findings]


def write_plans(make_repo, count: int) -> Path:
    return make_repo({f"plans/p{i:02d}.md": plan_text(f"p{i:02d}", **LATER) for i in range(count)})


def test_freshness_needs_the_day_it_is_judged_on(tmp_path: Path) -> None:
    config = Config(root=tmp_path)
    with pytest.raises(ValueError, match="today"):
        CheckRun(config, PlanValidator(config), freshness=True)


def test_freshness_is_on_or_off_by_name_not_by_a_missing_day(make_repo) -> None:
    repo = write_plans(make_repo, 1)
    config = Config(root=repo)
    validator = PlanValidator(config)
    overdue = [("review-overdue", "plans/p00.md", REVIEW_LINE, REVIEW_COLUMN)]
    assert found(check_paths(None, CheckRun.with_freshness(config, DAY_AFTER_DUE, validator))) == overdue
    assert found(check_paths(None, CheckRun.with_freshness(config, date(2027, 1, 1), validator))) == []
    assert found(check_paths(None, CheckRun.without_freshness(config, validator))) == []
    # A day given with freshness off judges nothing: the flag decides, not whether a day is there.
    off = CheckRun(config, validator, freshness=False, today=DAY_AFTER_DUE)
    assert found(check_paths(None, off)) == []


def test_a_run_reaches_the_worker_processes_whole(make_repo) -> None:
    repo = write_plans(make_repo, 9)
    config = Config(root=repo)
    expected = [("review-overdue", f"plans/p{i:02d}.md", REVIEW_LINE, REVIEW_COLUMN) for i in range(9)]
    one = check_paths(None, CheckRun.with_freshness(config, DAY_AFTER_DUE, jobs=1))
    three = check_paths(None, CheckRun.with_freshness(config, DAY_AFTER_DUE, jobs=3))
    assert found(one) == found(three) == expected  # today and freshness reached every worker
    assert [p.id for p in three.plans] == [f"p{i:02d}" for i in range(9)]
    dropped = check_paths(None, CheckRun.with_freshness(config, DAY_AFTER_DUE, keep_plans=False, jobs=3))
    assert (found(dropped), dropped.plans) == (expected, ())
    assert pipeline._worker_run is None  # only the workers hold the run; this process never set it


def test_many_small_chunks_give_the_plans_and_findings_in_order(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers hand back a few files at a time (pipeline.CHUNK, two here): nine files make five chunks for
    two workers, and the result is the one-process result, an id used again three chunks later included."""
    repo = write_plans(make_repo, 9)
    (repo / "plans" / "p07.md").write_text(plan_text("p01", **LATER), encoding="utf-8")  # p01's id, 3 chunks on
    monkeypatch.setattr(pipeline, "CHUNK", 2)
    config = Config(root=repo)
    one = check_paths(None, CheckRun.with_freshness(config, DAY_AFTER_DUE, jobs=1))
    two = check_paths(None, CheckRun.with_freshness(config, DAY_AFTER_DUE, jobs=2))
    assert found(two) == found(one)
    assert [f.file for f in two.findings if f.rule == "id-duplicate"] == ["plans/p07.md"]  # the later file
    assert [p.file for p in two.plans] == [p.file for p in one.plans]
    assert [p.file for p in two.plans] == [f"plans/p{i:02d}.md" for i in range(9) if i != 7]


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs CPU affinity")
def test_workers_follow_the_cores_this_process_may_use() -> None:
    """Under ``taskset -c 0`` a second worker only competes with the first for the one core."""
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})
    try:
        assert pipeline._workers(None, 10_000) == 1
        assert pipeline._workers(3, 10_000) == 3  # asked for by name (--jobs), given
    finally:
        os.sched_setaffinity(0, allowed)
    assert pipeline._workers(None, 10_000) == min(len(allowed), 4)
    assert pipeline._workers(None, pipeline.PARALLEL_FROM - 1) == 1


def test_checking_a_plan_leaves_no_reference_cycle(make_repo) -> None:
    """The check runs with the cyclic collector off (workers included), so whatever a plan's check left
    in a reference cycle stayed until the end: a nested function calling itself held each plan's YAML
    tree, and a 10,000-plan check's workers grew to 500 MB each. Placeholders, a TODO comment and a
    control character take every walk over the front matter."""
    plans = {
        "plans/todo.md": plan_text("todo", **{"owner: kam@example.com": "owner: TODO  # TODO ask"}),
        "plans/ctl.md": plan_text("ctl", **{"account: Example Account AG": 'account: "Example\\u202eAG"'}),
        "plans/ok.md": plan_text("ok"),
    }
    config = Config(root=make_repo(plans))
    run = CheckRun.with_freshness(config, DAY_AFTER_DUE, PlanValidator(config), jobs=1)
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        result = check_paths(None, run)
        assert {"todo", "control-character"} <= {f.rule for f in result.findings}
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
