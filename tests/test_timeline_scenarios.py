"""Plans over time in real git repositories with fixed commit dates: every figure worked out by hand.

The plans start from ``one-page-minimal.md`` (tests/example-files/positive). Its quality score under the
default weights (completeness 25, chain 20, ownership 15, people 10, freshness 10, delivery 10, kpis 10,
out of 100), worked out from kamdocs/rules/quality.py:

- completeness (one-page: the goal is all of it, five checks of 1/5 each): no ``goal.metric`` costs 1/5;
  no ``goal.baseline`` 1/5 and it is essential, so it is raised by the penalty of 1/4 (lost 2/5, room 3/5):
  1/5 x (1/5 + 1/4) / (1/5) = 9/20. Points: 25 x 1/5 = 5 and 25 x 9/20 = 11.25, rounded in all to 16.
- chain: one factor, one condition, one obstacle answered by the open commitment: nothing lost.
- ownership: the only commitment is owned by the plan's owner (no team named, so not essential):
  1/3 of 15 = 5.
- people: no economic buyer (3/10, essential) and no champion (3/10): the essential one is raised by 1/4,
  3/10 -> 11/20, so 5.5 + 3 = 8.5, rounded in all to 9 (the larger remainder, the buyer's, gets it: 6 + 3).
- freshness: reviewed 2026-10-01, quarterly: the next review is due 2027-01-01, after every day below.
- delivery: nothing lost while no commitment is due before the day judged.
- kpis (no KPIs, one-page): only the goal's actual, the whole 10 once the period (from 2026-01-01) began.

So a version with an actual scores 100 - 16 - 5 - 9 = 70, one without 60. The band is "poor" either way:
below 80 and essential failures in two categories (completeness and people).
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from kamdocs.config.mkdocs_yml import load_config
from kamdocs.findings import Finding
from kamdocs.history.delivery import DeliveryFold
from kamdocs.history.log import read_history
from kamdocs.plan.loader import parse_bytes
from kamdocs.plan.model import Plan
from kamdocs.plan.validation import PlanValidator
from kamdocs.report.figures import Figures
from kamdocs.report.history_cache import HistoryCache
from kamdocs.report.timeline import Judge, Timeline, timelines, version_at
from kamdocs.rules.pipeline import CheckRun, check_loaded

from .conftest import GitRepo, plan_text
from .test_timeline import ACTUALS, DAYS, rising

UNIT = "  unit: CHF\n"
STATEMENT = "statement: Grow order intake to CHF 500k"
CANARY = "CANARY-q7Zt-confidential"


def actual(value: int) -> dict[str, str]:
    return {UNIT: f"{UNIT}  actual: {value}\n"}


def at(repo: GitRepo, day: str) -> str:
    return f"{day}T09:00:00+00:00"


def line_of(
    root: Path, file: str, *, public: bool = False, cache: HistoryCache | None = None, **kw: object
) -> Timeline:
    config = load_config(cwd=root)
    history = read_history(config.root, config.plans_path)
    judge = Judge(config, PlanValidator(config), public=public)
    return timelines([file], history, judge, cache=cache, **kw)[file]  # type: ignore[arg-type]


def same_with_cache(root: Path, file: str, public: bool = False) -> None:
    """A cold cache, then a warm one, give the figures judged without a cache."""
    config = load_config(cwd=root)
    validator = PlanValidator(config)
    plain = line_of(root, file, public=public)
    cold = HistoryCache.for_run(config.root, config, validator.schema)
    assert line_of(root, file, public=public, cache=cold) == plain
    warm = HistoryCache.for_run(config.root, config, validator.schema)
    assert line_of(root, file, public=public, cache=warm) == plain
    assert warm.misses == 0


def test_actual_rising_with_the_quality_of_each_version(git_repo: GitRepo) -> None:
    rising(git_repo)
    line = line_of(git_repo.path, "plans/rise.md")
    # The first version has no actual: 60; every later one has: 70 (module docstring).
    assert [p.figures.quality_score for p in line.points] == [60, 70, 70, 70, 70, 70]
    assert [p.figures.quality_band for p in line.points] == ["poor"] * 6
    assert [p.figures.done_commitments for p in line.points] == [0] * 6
    assert [p.figures.stale_contacts for p in line.points] == [0] * 6
    assert [p.subject for p in line.points] == [f"rise on {d}" for d in DAYS]
    assert {p.author for p in line.points} == {"Test Author"}
    assert {p.file for p in line.points} == {"plans/rise.md"}
    assert line.at(date(2026, 8, 1)) is not None and line.at(date(2026, 8, 1)).figures.goal_actual == 200000  # type: ignore[union-attr]
    assert [p.figures.goal_actual for p in line.between(date(2026, 3, 10), date(2026, 7, 10)).points] == [
        50000,
        120000,
        200000,
    ]
    same_with_cache(git_repo.path, "plans/rise.md")


def test_quality_drops_and_recovers(git_repo: GitRepo) -> None:
    """A placeholder goal statement costs 5 points and comes back; a commitment overdue costs 10, and
    done late it still does (git says when it was done)."""
    base = {**actual(50000), "due: 2026-12-15": "due: 2026-06-15"}
    placeholder = {**base, STATEMENT: 'statement: "TODO: the account sales goal"'}
    later = {**base, **actual(90000)}
    versions = [
        ("2026-03-10", base),
        ("2026-04-10", placeholder),
        ("2026-05-10", base),
        ("2026-07-10", later),
        ("2026-08-10", {**later, "status: open": "status: done"}),
    ]
    for day, replace in versions:
        git_repo.commit(f"q on {day}", at(git_repo, day), **{"plans__q.md": plan_text("q", **replace)})
    line = line_of(git_repo.path, "plans/q.md")
    assert [p.day.isoformat() for p in line.points] == [d for d, _ in versions]
    assert [p.figures.kind for p in line.points] == ["valid"] * 5
    # 2026-04-10: the goal statement is a placeholder too, a third goal check lost (1/5), essential. Completeness
    # now loses 1/5 (metric) and 2/5 essential (statement, baseline) raised by the penalty 1/4 to 13/20, each
    # 13/40: 25 x 1/5 = 5 and 25 x 13/40 = 8.125 twice, 21.25, rounded 21 (5 + 8 + 8): 5 more than 16, 65.
    # 2026-07-10: c-a was due 2026-06-15 and is open: commitment-undelivered, all of delivery's 10: 60.
    # 2026-08-10: done, in the commit of that day, 56 days late: commitment-late, the same 10: 60.
    assert [p.figures.quality_score for p in line.points] == [70, 65, 70, 60, 60]
    assert [p.figures.quality_band for p in line.points] == ["poor"] * 5
    assert [p.figures.open_commitments for p in line.points] == [1, 1, 1, 1, 0]
    assert [p.figures.overdue_commitments for p in line.points] == [0, 0, 0, 1, 0]
    assert [p.figures.done_commitments for p in line.points] == [0, 0, 0, 0, 1]
    assert [p.figures.goal_actual for p in line.points] == [50000, 50000, 50000, 90000, 90000]
    # 2026-03-10 and 2026-05-10 have the same figures, but the one between differs: every version is a change.
    assert len(line.changes()) == 5
    same_with_cache(git_repo.path, "plans/q.md")


def test_a_commitment_done_on_time_costs_nothing(git_repo: GitRepo) -> None:
    """Done in a commit before its due day, then the due day passes: delivery loses nothing (70 stays 70)."""
    base = {**actual(50000), "due: 2026-12-15": "due: 2026-06-15"}
    git_repo.commit("open", at(git_repo, "2026-03-10"), **{"plans__d.md": plan_text("d", **base)})
    git_repo.commit(
        "done",
        at(git_repo, "2026-06-01"),
        **{"plans__d.md": plan_text("d", **{**base, "status: open": "status: done"})},
    )
    git_repo.commit(
        "later",
        at(git_repo, "2026-07-10"),
        **{"plans__d.md": plan_text("d", **{**base, "status: open": "status: done", **actual(60000)})},
    )
    line = line_of(git_repo.path, "plans/d.md")
    assert [p.figures.quality_score for p in line.points] == [70, 70, 70]
    assert [p.figures.done_commitments for p in line.points] == [0, 1, 1]
    assert [p.figures.overdue_commitments for p in line.points] == [0, 0, 0]


def test_a_renamed_plan_keeps_its_earlier_versions_under_their_old_name(git_repo: GitRepo) -> None:
    git_repo.commit("old", at(git_repo, "2026-02-01"), **{"plans__old.md": plan_text("old")})
    git_repo.commit("old actual", at(git_repo, "2026-03-01"), **{"plans__old.md": plan_text("old", **actual(40000))})
    git_repo.git("mv", "plans/old.md", "plans/new.md")
    git_repo.commit("renamed", at(git_repo, "2026-04-01"), **{"plans__new.md": plan_text("new", **actual(40000))})
    line = line_of(git_repo.path, "plans/new.md")
    assert [p.file for p in line.points] == ["plans/old.md", "plans/old.md", "plans/new.md"]
    # Under the new name the old id would be an error (the id must match the file name): judged as they were.
    assert [p.figures.kind for p in line.points] == ["valid"] * 3
    assert [p.figures.goal_actual for p in line.points] == [None, 40000, 40000]
    assert [p.figures.quality_score for p in line.points] == [60, 70, 70]
    config = load_config(cwd=git_repo.path)
    history = read_history(config.root, config.plans_path)
    first = version_at("plans/new.md", history, Judge(config, PlanValidator(config)), day=date(2026, 2, 15))
    assert (
        first is not None and first.plan is not None and first.plan.id == "old" and first.point.file == "plans/old.md"
    )
    same_with_cache(git_repo.path, "plans/new.md")


def test_a_plan_deleted_and_added_again_has_a_deleted_point_between(git_repo: GitRepo) -> None:
    git_repo.commit("add", at(git_repo, "2026-02-01"), **{"plans__back.md": plan_text("back", **actual(50000))})
    git_repo.git("rm", "-q", "plans/back.md")
    git_repo.git("commit", "-q", "-m", "remove", when=at(git_repo, "2026-03-01"))
    git_repo.commit("again", at(git_repo, "2026-04-01"), **{"plans__back.md": plan_text("back", **actual(120000))})
    line = line_of(git_repo.path, "plans/back.md")
    assert [(p.day.isoformat(), p.figures.kind) for p in line.points] == [
        ("2026-02-01", "valid"),
        ("2026-03-01", "deleted"),
        ("2026-04-01", "valid"),
    ]
    assert [p.subject for p in line.points] == ["add", "remove", "again"]
    deleted = line.points[1].figures
    assert deleted.goal_actual is None and deleted.quality_score is None and deleted.open_commitments is None
    assert [p.figures.goal_actual for p in line.points] == [50000, None, 120000]
    assert [p.figures.quality_score for p in line.points] == [70, None, 70]
    assert line.at(date(2026, 3, 15)) == line.points[1]
    config = load_config(cwd=git_repo.path)
    history = read_history(config.root, config.plans_path)
    assert version_at("plans/back.md", history, Judge(config, PlanValidator(config)), day=date(2026, 3, 15)) is None
    same_with_cache(git_repo.path, "plans/back.md")


def confidential_then_public(repo: GitRepo) -> None:
    secret = {"kind: one-page\n": "kind: one-page\nconfidential: true\n", "Body text.": f"Body text. {CANARY}"}
    repo.commit("secret 1", at(repo, "2026-02-01"), **{"plans__hush.md": plan_text("hush", **secret, **actual(777001))})
    repo.commit("secret 2", at(repo, "2026-03-01"), **{"plans__hush.md": plan_text("hush", **secret, **actual(777002))})
    repo.commit("public", at(repo, "2026-04-01"), **{"plans__hush.md": plan_text("hush", **actual(90000))})
    repo.commit("public 2", at(repo, "2026-05-01"), **{"plans__hush.md": plan_text("hush", **actual(95000))})


def test_a_confidential_plan_made_public_shows_only_its_public_versions(git_repo: GitRepo) -> None:
    confidential_then_public(git_repo)
    public = line_of(git_repo.path, "plans/hush.md", public=True)
    assert [p.day.isoformat() for p in public.points] == ["2026-04-01", "2026-05-01"]
    assert public.since == date(2026, 4, 1)
    assert [p.figures.goal_actual for p in public.points] == [90000, 95000]
    assert [p.figures.quality_score for p in public.points] == [70, 70]
    text = repr(public)
    assert CANARY not in text and "777001" not in text and "777002" not in text and "secret" not in text
    full = line_of(git_repo.path, "plans/hush.md")
    assert [p.figures.goal_actual for p in full.points] == [777001, 777002, 90000, 95000]
    assert full.since == date(2026, 2, 1)
    same_with_cache(git_repo.path, "plans/hush.md", public=True)


def test_a_broken_or_deleted_version_of_a_confidential_plan_stays_out_of_the_public_timeline(git_repo: GitRepo) -> None:
    """An invalid version cannot be judged, but its front matter still says confidential: it is left out, and so
    are a version that does not parse at all and a deletion while the plan was confidential (their dates and
    subjects would otherwise tell when a confidential plan was worked on)."""
    secret = {"kind: one-page\n": "kind: one-page\nconfidential: true\n"}
    broken = {**secret, "target: 500000": "target: lots"}
    unparsed = {**secret, STATEMENT: "statement: TODO: no: yaml"}
    files = [
        ("2026-02-01", plan_text("hide", **secret)),
        ("2026-02-10", plan_text("hide", **broken)),
        ("2026-02-20", plan_text("hide", **unparsed)),
        ("2026-03-01", None),
        ("2026-03-10", plan_text("hide", **secret)),
        ("2026-04-01", plan_text("hide", **actual(1000))),
        ("2026-04-10", plan_text("hide", **{"target: 500000": "target: lots"})),
    ]
    for day, text in files:
        if text is None:
            git_repo.git("rm", "-q", "plans/hide.md")
            git_repo.git("commit", "-q", "-m", f"on {day}", when=at(git_repo, day))
        else:
            git_repo.commit(f"on {day}", at(git_repo, day), **{"plans__hide.md": text})
    full = line_of(git_repo.path, "plans/hide.md")
    assert [p.figures.kind for p in full.points] == [
        "valid",
        "invalid",
        "invalid",
        "deleted",
        "valid",
        "valid",
        "invalid",
    ]
    public = line_of(git_repo.path, "plans/hide.md", public=True)
    # Public from 2026-04-01; the invalid version after it is the public plan's and is shown.
    assert [(p.day.isoformat(), p.figures.kind) for p in public.points] == [
        ("2026-04-01", "valid"),
        ("2026-04-10", "invalid"),
    ]
    assert public.since == date(2026, 4, 1)
    same_with_cache(git_repo.path, "plans/hide.md", public=True)


def test_a_shallow_clone_starts_its_history_at_the_oldest_commit_it_has(git_repo: GitRepo, tmp_path: Path) -> None:
    rising(git_repo)
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{git_repo.path}", str(clone)], check=True, capture_output=True
    )
    line = line_of(clone, "plans/rise.md")
    assert line.shallow
    assert [p.day.isoformat() for p in line.points] == DAYS[4:]
    assert line.since == date(2026, 9, 10)
    assert [p.figures.goal_actual for p in line.points] == [310000, 380000]
    assert [p.figures.quality_score for p in line.points] == [70, 70]
    full = line_of(git_repo.path, "plans/rise.md")
    assert not full.shallow and full.since == date(2026, 1, 10)
    same_with_cache(clone, "plans/rise.md")


def test_an_invalid_middle_version_counts_its_errors(git_repo: GitRepo) -> None:
    git_repo.commit("good", at(git_repo, "2026-02-01"), **{"plans__mid.md": plan_text("mid", **actual(10000))})
    # Two errors: a target that is text (wrong-type) and a kind that is none of one-page, full (bad-value).
    bad = {**actual(20000), "target: 500000": "target: lots", "kind: one-page": "kind: weird"}
    git_repo.commit("bad", at(git_repo, "2026-03-01"), **{"plans__mid.md": plan_text("mid", **bad)})
    # Not YAML at all (a colon in an unquoted value): one error.
    git_repo.commit(
        "worse", at(git_repo, "2026-03-15"), **{"plans__mid.md": plan_text("mid", **{STATEMENT: "statement: TODO: x"})}
    )
    git_repo.commit("fixed", at(git_repo, "2026-04-01"), **{"plans__mid.md": plan_text("mid", **actual(30000))})
    line = line_of(git_repo.path, "plans/mid.md")
    assert [p.figures.kind for p in line.points] == ["valid", "invalid", "invalid", "valid"]
    assert [p.figures.errors for p in line.points] == [0, 2, 1, 0]
    assert [p.figures.goal_actual for p in line.points] == [10000, None, None, 30000]
    assert [p.figures.quality_score for p in line.points] == [70, None, None, 70]
    config = load_config(cwd=git_repo.path)
    history = read_history(config.root, config.plans_path)
    then = version_at("plans/mid.md", history, Judge(config, PlanValidator(config)), day=date(2026, 3, 2))
    assert then is not None and then.plan is None
    assert sorted(f.rule for f in then.findings if f.is_error) == ["bad-value", "wrong-type"]
    same_with_cache(git_repo.path, "plans/mid.md")


def checked(root: Path, file: str, day: date) -> Plan | None:
    config = load_config(cwd=root)
    loaded = parse_bytes((root / file).read_bytes(), file)
    return check_loaded(loaded, CheckRun(config, PlanValidator(config), freshness=True, today=day))[1]


@pytest.mark.parametrize("valid", [True, False])
def test_a_change_not_committed_yet_is_the_last_point_judged_today(git_repo: GitRepo, valid: bool) -> None:
    rising(git_repo)
    today = date(2026, 11, 20)
    text = plan_text("rise", **actual(450000)) if valid else plan_text("rise", **{"target: 500000": "target: lots"})
    git_repo.write("plans/rise.md", text)
    current = {"plans/rise.md": checked(git_repo.path, "plans/rise.md", today)}
    line = line_of(git_repo.path, "plans/rise.md", current=current, today=today)
    assert len(line.points) == 7
    last = line.points[-1]
    assert last.sha is None and last.day == today and last.subject == "not committed yet"
    assert [p.sha is None for p in line.points] == [False] * 6 + [True]
    if valid:
        assert last.figures.kind == "valid" and last.figures.goal_actual == 450000
        assert last.figures.quality_score == 70 and last.figures.open_commitments == 1
    else:
        assert last.figures.kind == "invalid" and last.figures.goal_actual is None
    # Committed, the same file is no longer a change of the working tree: six points and a seventh commit.
    git_repo.commit("now", at(git_repo, "2026-11-20"))
    line = line_of(git_repo.path, "plans/rise.md", current=current, today=today)
    assert len(line.points) == 7 and line.points[-1].sha is not None


CHECKED: list[str] = []


class Counting(Judge):
    """A judge that notes each version it checks (the judging is Judge's own)."""

    def check(
        self, raw: bytes, rel: str, day: date, fold: DeliveryFold
    ) -> tuple[Figures, Plan | None, tuple[Finding, ...]]:
        CHECKED.append(rel)
        return super().check(raw, rel, day, fold)


def test_a_text_that_comes_again_on_the_same_day_is_judged_with_the_delivery_before_it(git_repo: GitRepo) -> None:
    """Done, reopened and done again within one day: the third version's text is the first one's, checked once,
    but its figures follow the delivery before it. c-a is due 2026-04-15; every version is of 2026-05-10.

    First version, done: done in the plan's first commit, so done before history, judged by its due date: on
    time, 70. Second, open: overdue, commitment-undelivered, all of delivery's 10: 60. Third, done again:
    done since that day's commit, 25 days late, commitment-late, 10 again: 60 (not the first version's 70)."""
    done = {**actual(50000), "due: 2026-12-15": "due: 2026-04-15", "status: open": "status: done"}
    for hour, replace in (("09", done), ("10", {**actual(50000), "due: 2026-12-15": "due: 2026-04-15"}), ("11", done)):
        git_repo.commit(
            f"at {hour}", f"2026-05-10T{hour}:00:00+00:00", **{"plans__same.md": plan_text("same", **replace)}
        )
    config = load_config(cwd=git_repo.path)
    history = read_history(config.root, config.plans_path)
    facts = history.of("plans/same.md")
    assert facts is not None and facts.blobs[0] == facts.blobs[2]  # the same text twice
    judge = Counting(config, PlanValidator(config))
    line = timelines(["plans/same.md"], history, judge)["plans/same.md"]
    assert CHECKED == ["plans/same.md"] * 2  # three versions, two texts: checked twice
    assert [p.figures.quality_score for p in line.points] == [70, 60, 60]
    assert [p.figures.overdue_commitments for p in line.points] == [0, 1, 0]
    assert [p.figures.done_commitments for p in line.points] == [1, 0, 1]
    # Each version judged alone (version_at reads the versions before it, not the memo), the same figures.
    for point in line.points:
        alone = version_at("plans/same.md", history, judge, sha=point.sha)
        assert alone is not None and alone.point.figures == point.figures
    same_with_cache(git_repo.path, "plans/same.md")


def test_a_confidential_figure_is_missing_in_the_public_view_never_0(git_repo: GitRepo) -> None:
    """goal.target and goal.actual confidential in the first two versions, shown from the third: the public
    view has those versions (the plan was public) without the two figures, the full view with them."""
    hidden = {"kind: one-page\n": "kind: one-page\nconfidential_fields: [goal.target, goal.actual]\n"}
    git_repo.commit("a", at(git_repo, "2026-02-01"), **{"plans__part.md": plan_text("part", **hidden, **actual(111))})
    git_repo.commit("b", at(git_repo, "2026-03-01"), **{"plans__part.md": plan_text("part", **hidden, **actual(222))})
    git_repo.commit("c", at(git_repo, "2026-04-01"), **{"plans__part.md": plan_text("part", **actual(333))})
    public = line_of(git_repo.path, "plans/part.md", public=True)
    assert [p.figures.goal_actual for p in public.points] == [None, None, 333]
    assert [p.figures.goal_target for p in public.points] == [None, None, 500000]
    assert public.since == date(2026, 2, 1)
    # Judged on what is shown, as the site judges today's plan: without the actual, goal-actual-missing costs
    # all of kpis' 10 (70 - 10 = 60); a hidden target is no target of 0, so nothing more.
    assert [p.figures.quality_score for p in public.points] == [60, 60, 70]
    full = line_of(git_repo.path, "plans/part.md")
    assert [p.figures.quality_score for p in full.points] == [70, 70, 70]
    assert [p.figures.goal_actual for p in full.points] == [111, 222, 333]
    assert [p.figures.goal_target for p in full.points] == [500000] * 3
    same_with_cache(git_repo.path, "plans/part.md", public=True)


def test_versions_the_cache_holds_are_not_read_from_git(git_repo: GitRepo) -> None:
    """Three commits cached, three more added: the first three come from the cache, the rest are judged, the
    same figures as with no cache. Once all six are cached, the timeline needs no version's text: with the
    repository's objects gone after the log was read, the warm cache still gives every figure (with no cache,
    every version is one git could not give)."""
    for actual_line, day in list(zip(ACTUALS, DAYS, strict=True))[:3]:
        git_repo.commit(
            f"on {day}", at(git_repo, day), **{"plans__rise.md": plan_text("rise", **{UNIT: UNIT + actual_line})}
        )
    config = load_config(cwd=git_repo.path)
    validator = PlanValidator(config)
    judge = Judge(config, validator)
    first = HistoryCache.for_run(config.root, config, validator.schema)
    timelines(["plans/rise.md"], read_history(config.root, config.plans_path), judge, cache=first)
    for actual_line, day in list(zip(ACTUALS, DAYS, strict=True))[3:]:
        git_repo.commit(
            f"on {day}", at(git_repo, day), **{"plans__rise.md": plan_text("rise", **{UNIT: UNIT + actual_line})}
        )
    history = read_history(config.root, config.plans_path)
    plain = timelines(["plans/rise.md"], history, judge)
    partly = HistoryCache.for_run(config.root, config, validator.schema)
    assert timelines(["plans/rise.md"], history, judge, cache=partly) == plain
    assert (partly.hits, partly.misses) == (3, 3)
    (git_repo.path / ".git").rename(git_repo.path / "git-away")
    warm = HistoryCache.for_run(config.root, config, validator.schema)
    assert timelines(["plans/rise.md"], history, judge, cache=warm) == plain
    assert (warm.hits, warm.misses) == (6, 0)
    without = timelines(["plans/rise.md"], history, judge)["plans/rise.md"]
    assert [(p.figures.kind, p.figures.errors) for p in without.points] == [("invalid", 1)] * 6
    assert [p.figures.goal_actual for p in plain["plans/rise.md"].points] == [
        None,
        50000,
        120000,
        200000,
        310000,
        380000,
    ]
