"""``kamdocs rollover`` keeps figures honest: the new period has no actual unless one is given,
no obstacle is left unanswered without a word, and every finding of the new plan is printed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kamdocs.edit.rollover import rollover
from kamdocs.edit.text import EditError

from . import test_writes as writes
from .commands import MKDOCS, mkdocs_build_in_process
from .conftest import EXAMPLES, check_clean, form_written, plan_text, replaced, run

NEXT = ["--period-start", "2027-01-01", "--period-end", "2027-12-31", "--today", "2026-12-01"]
"""The next period, judged on a day before the minimal plan's commitment or review falls due."""
WITH_ACTUAL = plan_text("r", **{"  unit: CHF\n": "  unit: CHF\n  actual: 123000\n"})
DONE_ANSWERS_OBS_B = plan_text(
    "r",
    **{
        "            statement: The old spec names a competitor\n": (
            "            statement: The old spec names a competitor\n"
            "          - id: obs-b\n            statement: Budget freeze at the customer\n"
        ),
        "    resolves: [obs-a]\n": (
            "    resolves: [obs-a]\n  - id: c-done\n    action: Unfreeze the budget\n"
            "    owner: sales@example.com\n    due: 2026-06-01\n    status: done\n    resolves: [obs-b]\n"
        ),
    },
)


def rolled(text: str) -> str:
    """The period dates of the minimal plan moved on a year, worked out here by hand."""
    return text.replace("start: 2026-01-01", "start: 2027-01-01").replace("end: 2026-12-31", "end: 2027-12-31")


NOTE_NOTHING = "\nCarried over from the period 2026-01-01 to 2026-12-31. Closed in that period:\n\n- nothing\n"


def test_the_new_period_has_no_actual(make_repo) -> None:
    """A missing figure is missing, never 0: the goal's actual line goes, and nothing else changes."""
    repo = make_repo({"plans/r.md": WITH_ACTUAL})
    result = run(["rollover", "r", *NEXT], repo)
    assert result.exit_code == 0, result.output
    after = (repo / "plans/r.md").read_text(encoding="utf-8")
    assert after == rolled(WITH_ACTUAL).replace("  actual: 123000\n", "") + NOTE_NOTHING
    assert "goal actual: none yet" in result.output
    assert run(["check", "--strict", "--no-freshness", "plans/r.md"], repo).exit_code == 0


def test_the_new_actual_can_be_given(make_repo) -> None:
    repo = make_repo({"plans/r.md": WITH_ACTUAL, "plans/s.md": plan_text("s")})
    assert run(["rollover", "r", *NEXT, "--actual", "45000"], repo).exit_code == 0
    after = (repo / "plans/r.md").read_text(encoding="utf-8")
    assert after == rolled(WITH_ACTUAL).replace("  actual: 123000\n", "  actual: 45000\n") + NOTE_NOTHING
    # A plan without an actual gets one, beside its target and indented as it is.
    result = run(["rollover", "s", *NEXT, "--actual", "1250.5"], repo)
    assert result.exit_code == 0, result.output
    after = (repo / "plans/s.md").read_text(encoding="utf-8")
    assert after == rolled(plan_text("s")).replace("  target: 500000\n", "  target: 500000\n  actual: 1250.5\n") + (
        NOTE_NOTHING
    )
    assert "goal actual: 1250.5" in result.output


def test_kpis_keep_their_last_measurement(make_repo) -> None:
    """A KPI's actual is what was measured on its as_of date, which stays true; it is not made 0."""
    full = (EXAMPLES / "positive" / "full-minimal.md").read_text(encoding="utf-8")
    repo = make_repo({"plans/full-minimal.md": full})
    assert run(["rollover", "full-minimal", *NEXT], repo).exit_code == 0
    assert (repo / "plans/full-minimal.md").read_text(encoding="utf-8") == rolled(full) + NOTE_NOTHING


def test_an_obstacle_only_a_done_commitment_answered_stops_the_rollover(make_repo) -> None:
    repo = make_repo({"plans/r.md": DONE_ANSWERS_OBS_B})
    plan = repo / "plans/r.md"
    result = run(["rollover", "r", *NEXT], repo)
    assert result.exit_code == 1
    assert "would leave obstacle(s) obs-b unanswered" in result.output
    assert "c-done" in result.output and "--force" in result.output
    assert plan.read_text(encoding="utf-8") == DONE_ANSWERS_OBS_B


def test_forced_it_says_so_and_prints_the_finding_in_checks_words(make_repo) -> None:
    repo = make_repo({"plans/r.md": DONE_ANSWERS_OBS_B})
    result = run(["rollover", "r", *NEXT, "--force"], repo)
    assert result.exit_code == 0, result.output
    assert "left unanswered (--force): obs-b" in result.output
    check = run(["check", "--no-freshness", "plans/r.md"], repo)
    assert check.exit_code == 0
    # Every line check prints for the new plan (its warning, hint and summary) is in rollover's output.
    assert "warning[obstacle-unresolved]" in check.output
    for line in check.output.strip().splitlines():
        assert line in result.output
    after = (repo / "plans/r.md").read_text(encoding="utf-8")
    assert "  - id: c-done\n" not in after
    assert after.endswith("- c-done (done): Unfreeze the budget\n")


def test_rollover_prints_the_findings_the_new_plan_has(make_repo) -> None:
    text = plan_text("r", **{"reviewer: bam@example.com": "reviewer: 'TODO: the business area manager'"})
    repo = make_repo({"plans/r.md": text})
    result = run(["rollover", "r", *NEXT], repo)
    assert result.exit_code == 0, result.output
    assert "plans/r.md:10:13: warning[todo] expected a real value, found the placeholder" in result.output
    assert "Checked 1 plan: 0 errors, 1 warning." in result.output


def test_a_clean_rollover_says_the_plan_checks_clean(make_repo) -> None:
    repo = make_repo({"plans/r.md": WITH_ACTUAL})
    result = run(["rollover", "r", *NEXT], repo)
    assert result.output.rstrip().endswith("Checked 1 plan: 0 errors, 0 warnings.")


def test_an_actual_no_plan_figure_can_have_is_refused(make_repo) -> None:
    repo = make_repo({"plans/r.md": WITH_ACTUAL})
    for value in ("1e16", "inf", "nan"):
        result = run(["rollover", "r", *NEXT, "--actual", value], repo)
        assert result.exit_code == 2, result.output
        assert "--actual: expected a number from 1e-12 to 1e+15 in size (or 0)" in result.output
    assert (repo / "plans/r.md").read_text(encoding="utf-8") == WITH_ACTUAL


def test_after_a_rollover_the_site_builds_strict_and_a_refused_one_changes_nothing(make_repo) -> None:
    """The issue's path: a rollover that removed an obstacle's only answer made the next strict build fail.
    Now that rollover is refused, and one whose obstacles stay answered builds with --strict."""
    answered = DONE_ANSWERS_OBS_B.replace(
        "    resolves: [obs-a]\n  - id: c-done", "    resolves: [obs-a, obs-b]\n  - id: c-done"
    )
    repo = make_repo({"plans/r.md": DONE_ANSWERS_OBS_B, "plans/s.md": answered.replace("id: r\n", "id: s\n"),
                      "docs/index.md": "# Plans\n"}, mkdocs=MKDOCS)  # fmt: skip
    assert run(["rollover", "r", *NEXT], repo).exit_code == 1
    rolled_s = run(["rollover", "s", *NEXT], repo)
    assert rolled_s.exit_code == 0, rolled_s.output
    assert "Checked 1 plan: 0 errors, 0 warnings." in rolled_s.output
    assert "  - id: c-done\n" not in (repo / "plans/s.md").read_text(encoding="utf-8")
    build = mkdocs_build_in_process(repo, "--strict")
    assert build.returncode == 0, build.stderr
    # What the refusal prevents: forced, the rollover leaves obs-b unanswered and the strict build fails on it.
    assert run(["rollover", "r", *NEXT, "--force"], repo).exit_code == 0
    build = mkdocs_build_in_process(repo, "--strict")
    assert build.returncode == 1 and "obs-b" in build.stderr, build.stderr


def roll(text: str, force: bool = False, actual: str | None = None) -> bytes:
    """``rollover`` itself into the next calendar year, for refusals the command would stop before it."""
    return rollover(text.encode("utf-8"), "plans/r.md", date(2027, 1, 1), date(2027, 12, 31), force, actual)[0]


def refusal(text: str, force: bool = False, actual: str | None = None) -> str:
    with pytest.raises(EditError) as refused:
        roll(text, force, actual)
    return str(refused.value)


GOAL = "goal:\n  statement: Grow order intake to CHF 500k\n  target: 500000\n  unit: CHF\n"
PERIOD = "  period:\n    start: 2026-01-01\n    end: 2026-12-31\n"
FLOW_COMMITMENTS = (
    "commitments: [{id: c-a, action: Run, owner: kam@example.com, due: 2026-12-15, status: open, "
    "resolves: [obs-a]}, {id: c-b, action: Call, owner: kam@example.com, due: 2026-06-01, status: dropped}]\n"
    "---\n\nBody text.\n"
)


def test_rollover_refuses_what_it_cannot_edit_line_by_line() -> None:
    """Each refusal names the file and what was expected; nothing is returned to write."""
    with pytest.raises(EditError, match=r"^--period-start 2027-12-31 is after --period-end 2027-01-01$"):
        rollover(plan_text("r").encode(), "plans/r.md", date(2027, 12, 31), date(2027, 1, 1))
    flow_goal = plan_text(
        "r",
        **{
            GOAL
            + PERIOD: "goal: {statement: Grow, target: 5, unit: CHF, period: {start: 2026-01-01, end: 2026-12-31}}\n"
        },
    )
    assert refusal(flow_goal) == "plans/r.md: expected a block mapping 'goal:', found none"
    flow_period = plan_text("r", **{PERIOD: "  period: {start: 2026-01-01, end: 2026-12-31}\n"})
    assert refusal(flow_period) == "plans/r.md: expected a block mapping 'goal.period:', found none"
    no_target = plan_text("r", **{"  target: 500000\n": ""})
    assert refusal(no_target, actual="10") == "plans/r.md: expected 'goal.target:', found none"
    all_closed = plan_text("r", **{"    status: open\n": "    status: done\n"})
    assert refusal(all_closed, force=True) == (
        "plans/r.md: every commitment is done or dropped, so none would be carried forward; "
        "add the next period's commitments first, then roll over"
    )
    plan = plan_text("r")
    flow_list = plan[: plan.index("commitments:")] + FLOW_COMMITMENTS
    assert refusal(flow_list) == "plans/r.md: expected 'commitments:' as a block list, found a flow list"


def test_a_body_without_a_last_line_break_gets_one_before_the_note() -> None:
    plan = plan_text("r").rstrip("\n")
    assert plan.endswith("Body text.")
    assert roll(plan).decode("utf-8") == rolled(plan) + "\n" + NOTE_NOTHING


@pytest.mark.parametrize(
    ("period", "named"),
    [
        ("  period:\n    start: 2026-01-01\n", "goal.period.end"),
        ("  period:\n    end: 2026-12-31\n", "goal.period.start"),
        ("  period:\n    end: 2026-12-31\n    start:\n      - 2026-01-01\n", "goal.period.start"),
    ],
    ids=["no-end", "no-start", "start-a-list"],
)
def test_a_period_without_its_dates_is_refused_in_words_even_forced(period: str, named: str) -> None:
    """``--force`` rolls a plan with errors over, but a period missing a date cannot be moved: it was an
    internal error (KeyError) before; now the refusal names the field, and nothing is returned to write."""
    message = refusal(plan_text("r", **{PERIOD: period}), force=True)
    assert message.startswith(f"plans/r.md: expected {named} to be a single-line value, found ")


def test_a_period_without_its_end_is_an_error_message_not_a_traceback(make_repo) -> None:
    text = plan_text("r", **{PERIOD: "  period:\n    start: 2026-01-01\n"})
    repo = make_repo({"plans/r.md": text})
    result = run(["rollover", "r", *NEXT, "--force"], repo)
    assert result.exit_code == 1, result.output
    assert "expected goal.period.end to be a single-line value, found it missing" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert (repo / "plans/r.md").read_text(encoding="utf-8") == text


def test_rollover_carries_open_commitments_and_notes_closed_ones(make_repo) -> None:
    text = plan_text("r", **{"  unit: CHF\n": "  unit: CHF\n  actual: 123000\n"}).replace(
        "    resolves: [obs-a]\n",
        "    resolves: [obs-a]\n  # a comment the author keeps\n  - id: c-done\n    action: Finished thing\n"
        "    owner: kam@example.com\n    due: 2026-06-01\n    status: done\n    resolves: [obs-a]\n",
    )  # fmt: skip
    repo = make_repo({"plans/r.md": text})
    result = run(["rollover", "plans/r.md", "--period-start", "2027-01-01", "--period-end", "2027-12-31"], repo)
    assert result.exit_code == 0, result.output
    after = (repo / "plans/r.md").read_text(encoding="utf-8")
    expected = (
        text.replace("  actual: 123000\n", "")
        .replace("start: 2026-01-01", "start: 2027-01-01")
        .replace("end: 2026-12-31", "end: 2027-12-31")
        .replace(
            "  - id: c-done\n    action: Finished thing\n    owner: kam@example.com\n    due: 2026-06-01\n"
            "    status: done\n    resolves: [obs-a]\n",
            "",
        )
        + "\nCarried over from the period 2026-01-01 to 2026-12-31. Closed in that period:\n\n"
        "- c-done (done): Finished thing\n"
    )
    assert after == expected
    assert "# a comment the author keeps" in after
    assert run(["check", "--no-freshness", "plans/r.md"], repo).exit_code == 0


def test_rollover_refuses_when_nothing_would_be_carried(make_repo) -> None:
    repo = make_repo({"plans/r.md": plan_text("r", **{"status: open": "status: done"})})
    before = (repo / "plans/r.md").read_bytes()
    result = run(["rollover", "plans/r.md", "--period-start", "2027-01-01", "--period-end", "2027-12-31"], repo)
    assert result.exit_code == 1
    assert "none would be carried forward" in result.output
    assert (repo / "plans/r.md").read_bytes() == before


# Periods, through the installed command (the file-writing helpers of test_writes).


@pytest.mark.parametrize(
    ("start", "end", "why"),
    [
        ("2026-01-01", "2026-12-31", "start after the current period's start"),  # the same period
        ("2025-01-01", "2025-12-31", "start after the current period's start"),  # an earlier one
        ("2026-06-01", "2027-05-31", "overlaps"),
        ("2026-12-31", "2027-12-30", "overlaps"),  # the last day of the current period
    ],
)
def test_rollover_refuses_a_period_that_is_not_next(tmp_path: Path, start: str, end: str, why: str) -> None:
    repo = writes.write_repo(tmp_path / "repo")
    plan = repo / "plans/a.md"
    plan.write_text(plan_text("a", **{"  unit: CHF\n": "  unit: CHF\n  actual: 123000\n"}), encoding="utf-8")
    before = plan.read_bytes()
    result = writes.kamdocs("rollover", "a", "--period-start", start, "--period-end", end, cwd=repo)
    writes.assert_one_line_error(result, 1, why, "--force")
    assert plan.read_bytes() == before
    forced = writes.kamdocs("rollover", "a", "--period-start", start, "--period-end", end, "--force", cwd=repo)
    assert forced.returncode == 0, forced.stderr
    assert "actual:" not in plan.read_text(encoding="utf-8")  # none measured yet in the new period


def test_rollover_into_the_next_day_is_allowed(tmp_path: Path) -> None:
    repo = writes.write_repo(tmp_path / "repo")
    result = writes.kamdocs("rollover", "a", "--period-start", "2027-01-01", "--period-end", "2027-01-01", cwd=repo)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("start", "end"), [("2027-12-31", "2027-01-01"), ("2027-01-02", "2027-01-01")])
def test_a_reversed_period_is_a_usage_error(tmp_path: Path, start: str, end: str) -> None:
    repo = writes.write_repo(tmp_path / "repo")
    before = writes.tree(repo)
    for force in ([], ["--force"]):
        result = writes.kamdocs("rollover", "a", "--period-start", start, "--period-end", end, *force, cwd=repo)
        writes.assert_one_line_error(result, 2, f"--period-start {start} is after --period-end {end}")
    assert writes.tree(repo) == before


# -- plans as the form editor (Decap CMS) saves them (tests/editor-files/, from tests/test_editor_saves.py)


def test_rollover_removes_a_folded_commitment_whole_and_notes_it_after_an_empty_body(make_repo) -> None:
    repo = form_written(make_repo, "acme.md")
    path = repo / "plans" / "acme.md"
    # The template was sent: its status set to done (as the form would write it: one line).
    done_text = replaced(path.read_text(encoding="utf-8"), ("    status: in-progress\n", "    status: done\n"))
    path.write_text(done_text, encoding="utf-8")
    result = run(
        [
            "rollover",
            "plans/acme.md",
            "--period-start",
            "2028-01-01",
            "--period-end",
            "2028-12-31",
            "--today",
            "2026-11-25",
        ],
        repo,
    )
    assert result.exit_code == 0, result.output
    removed = (
        "  - id: c-template\n"
        "    action: Send Acme engineering a specification template that names our part\n"
        "      number for each tank size\n"
        "    owner: product.team@example.com\n"
        "    due: 2027-03-31\n"
        "    status: done\n"
        "    resolves:\n"
        "      - obs-old-spec\n"
    )
    note = (
        "\nCarried over from the period 2027-01-01 to 2027-12-31. Closed in that period:\n\n"
        "- c-template (done): Send Acme engineering a specification template that names our part number for each"
        " tank size\n"
    )
    assert path.read_text(encoding="utf-8") == replaced(
        done_text,
        ("    start: 2027-01-01\n    end: 2027-12-31\n", "    start: 2028-01-01\n    end: 2028-12-31\n"),
        (removed, ""),
        ("      - obs-old-spec\n---\n", "      - obs-old-spec\n---\n" + note),
    )
    check_clean(repo, "acme.md")


def test_rollover_of_a_sample_plan_the_form_rewrote(make_repo) -> None:
    repo = form_written(make_repo, "novaris-pharma.md")
    path = repo / "plans" / "novaris-pharma.md"
    before = path.read_text(encoding="utf-8")
    args = ["rollover", "plans/novaris-pharma.md", "--period-start", "2028-01-01", "--period-end", "2028-12-31"]
    # c-qa-resident, marked done in the form, is the only answer to obs-qa-capacity: refused, unless --force.
    refused = run([*args, "--today", "2026-11-25"], repo)
    assert refused.exit_code == 1
    assert path.read_text(encoding="utf-8") == before
    result = run([*args, "--force", "--today", "2026-11-25"], repo)
    assert result.exit_code == 0, result.output
    removed = (
        "  - id: c-qa-resident\n"
        "    action: Second a validation engineer to Novaris QA for six weeks\n"
        "    owner: tom.huber@example.com\n"
        "    due: 2027-01-31\n"
        "    status: done\n"
        "    resolves:\n"
        "      - obs-qa-capacity\n"
    )
    note = (
        "\nCarried over from the period 2027-01-01 to 2027-12-31. Closed in that period:\n\n"
        "- c-qa-resident (done): Second a validation engineer to Novaris QA for six weeks\n"
    )
    assert path.read_text(encoding="utf-8") == replaced(
        before,
        ("  actual: 1320000\n", ""),
        ("    start: 2027-01-01\n    end: 2027-12-31\n", "    start: 2028-01-01\n    end: 2028-12-31\n"),
        (removed, ""),
        ("not price.\n", "not price.\n" + note),
    )
    check_clean(repo, "novaris-pharma.md")
