"""Day one of a team that adopts kamdocs, played for real: a new plans repository passes its own workflows.

kamdocs' wheel, built once per session, goes into a fresh virtual environment
outside the checkout, as a user installs it. With it the team runs
``kamdocs init x --install tools/<wheel>``, keeps the wheel in the repository
under ``tools/``, starts plans of both kinds, fills in the placeholders,
commits and pushes to a local bare repository standing in for the forge. Then
every ``run:`` step of the three generated workflows runs, read from their
YAML (tests/actions.py), in a clone of that origin, in a second fresh virtual
environment that only the workflows' own ``Install kamdocs`` step fills, with
a recording ``gh`` first on PATH:

- ``plans.yml`` for a pull request that changes a plan (``origin/main`` present,
  the pull-request-only step runs),
- ``pages.yml`` for the push of the merge to main (the site is built, the
  visibility check asks ``gh`` and deploys a private site),
- ``freshness.yml`` on its schedule, with one plan overdue on purpose: it opens
  exactly one issue, for that plan, and its last step fails on that plan alone,
  which is what the workflow is for; once the plan is reviewed, it runs green.

The clock is pinned: SOURCE_DATE_EPOCH (the reproducible-builds convention
kamdocs reads for "today") is 2026-11-24 for the team's commands and the
runner's, and every commit carries that date. It is the one variable the test
adds to what the workflows give their steps.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from .actions import Event, StepRun, condition, recorded_calls, recording_gh, run_workflow
from .wheel import Built, fresh_venv, user_env

pytestmark = pytest.mark.e2e  # installs the wheel into fresh virtual environments

TODAY = "2026-11-24"
EPOCH = str(int(datetime(2026, 11, 24, 9, tzinfo=timezone.utc).timestamp()))
WHEN = f"{TODAY}T09:00:00+00:00"
WORKFLOWS = ("plans.yml", "pages.yml", "freshness.yml")
LATE = "acme-late"
"""The plan started last March from an older plan and never reviewed since: overdue on purpose."""


def sh(command: str, cwd: Path, env: dict[str, str]) -> str:
    """``command`` as a person types it, in bash; it must succeed. Its output."""
    result = subprocess.run(
        ["bash", "-e", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@dataclass(frozen=True)
class DayOne:
    repo: Path  # the team's working copy
    wheel_name: str
    pull_request: list[StepRun]
    pull_request_summary: str
    push: list[StepRun]
    pages: list[StepRun]
    pages_workspace: Path
    freshness: list[StepRun]
    freshness_summary: str
    freshness_calls: list[dict]
    after_review: list[StepRun]
    after_review_calls: list[dict]
    pages_calls: list[dict]


class Runner:
    """A CI runner: clones the bare origin at a ref into a new workspace and runs a workflow there."""

    def __init__(self, root: Path, origin: Path) -> None:
        self.root, self.origin, self.count = root, origin, 0
        # One fresh, empty virtual environment for the module (not one per run, to keep the test short):
        # the first workflow's Install kamdocs step installs into it, the later ones find it installed.
        self.venv_bin = fresh_venv(root / "runner-venv")
        self.record = root / "gh-calls.jsonl"
        recording_gh(
            root / "gh-bin",
            self.record,
            {"api": "false", "issue list": "", "issue create": "https://github.com/example-org/plans/issues/1"},
        )
        self.env = user_env(
            root / "runner-home",
            root / "gh-bin",
            self.venv_bin,
            SOURCE_DATE_EPOCH=EPOCH,
        )

    def run(self, workflow: str, event: Event, checkout: str) -> tuple[list[StepRun], Path, str, list[dict]]:
        """The workflow's steps, the workspace, the job summaries and the gh calls of this run."""
        self.count += 1
        workspace, temp = self.root / f"run-{self.count}" / "plans", self.root / f"run-{self.count}" / "temp"
        temp.mkdir(parents=True)
        # What actions/checkout with fetch-depth: 0 does: all history, origin/* branches, the ref checked out.
        sh(f"git clone -q {self.origin} {workspace} && git -C {workspace} checkout -q --detach {checkout}",
           self.root, self.env)  # fmt: skip
        before = len(recorded_calls(self.record))
        runs = run_workflow(workspace / ".github" / "workflows" / workflow, workspace, self.env, event, temp)
        summary = "".join(p.read_text(encoding="utf-8") for p in sorted(temp.glob("*-summary.md")))
        return runs, workspace, summary, recorded_calls(self.record)[before:]


def _fill_in(plan: Path) -> None:
    """What an account manager does in the editor: every placeholder replaced by the plan's own words."""
    text = plan.read_text(encoding="utf-8")
    unit = "'TODO: CHF, EUR, units...'"
    assert unit in text
    text = text.replace(unit, "CHF").replace("TODO: ", "Agreed with the account team: ")
    plan.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def day_one(built: Built, tmp_path_factory: pytest.TempPathFactory) -> DayOne:
    root = tmp_path_factory.mktemp("day-one")
    env = user_env(root / "home", fresh_venv(root / "venv"), SOURCE_DATE_EPOCH=EPOCH,
                   GIT_AUTHOR_DATE=WHEN, GIT_COMMITTER_DATE=WHEN)  # fmt: skip
    shutil.copy(built.wheel, root)
    wheel = built.wheel.name
    sh(f"python -m pip install -q ./{wheel}", root, env)

    sh(f"kamdocs init x --install tools/{wheel}", root, env)
    repo = root / "x"
    (repo / "tools").mkdir()
    shutil.copy(built.wheel, repo / "tools" / wheel)
    sh("git init -q -b main", repo, env)
    sh('kamdocs new acme-one --kind one-page --account "Acme AG" --owner anna@example.com '
       '--area "Process Analytics" --reviewer "@petra"', repo, env)  # fmt: skip
    sh('kamdocs new acme-full --kind full --account "Acme Full AG" --owner "@anna" '
       '--area "Laboratory Instruments" --reviewer "@urs"', repo, env)  # fmt: skip
    sh(f'kamdocs new {LATE} --kind one-page --account "Late AG" --owner "@lea" '
       '--area "Process Analytics" --reviewer "@petra" --today 2026-03-02', repo, env)  # fmt: skip
    for plan in ("acme-one", "acme-full", LATE):
        _fill_in(repo / "plans" / f"{plan}.md")
    sh("kamdocs check", repo, env)
    sh('git add -A && git commit -q -m "Start the plans repository"', repo, env)
    origin = root / "origin.git"
    sh(f"git init -q --bare -b main {origin} && git remote add origin {origin} && git push -q -u origin main",
       repo, env)  # fmt: skip

    # A pull request: a branch that changes one plan's goal target.
    sh("git switch -q -c raise-acme-target", repo, env)
    plan = repo / "plans" / "acme-one.md"
    text = plan.read_text(encoding="utf-8")
    assert "\n  target: 0\n" in text
    plan.write_text(text.replace("\n  target: 0\n", "\n  target: 1200000\n"), encoding="utf-8")
    sh('git commit -q -am "acme-one: the target agreed for the year" && git push -q -u origin raise-acme-target',
       repo, env)  # fmt: skip

    runner = Runner(root / "runner", origin)
    pr = Event("pull_request", "refs/pull/1/merge", base_ref="main", head_ref="raise-acme-target")
    pull_request, _, pr_summary, _ = runner.run("plans.yml", pr, "origin/raise-acme-target")

    # Merged: main moves to the branch, and the push to main runs plans.yml and pages.yml.
    sh("git switch -q main && git merge -q --ff-only raise-acme-target && git push -q origin main", repo, env)
    on_main = Event("push", "refs/heads/main")
    push, _, _, _ = runner.run("plans.yml", on_main, "origin/main")
    pages, pages_workspace, _, pages_calls = runner.run("pages.yml", on_main, "origin/main")

    scheduled = Event("schedule", "refs/heads/main")
    freshness, _, freshness_summary, freshness_calls = runner.run("freshness.yml", scheduled, "origin/main")
    # The overdue plan reviewed and its late commitment delivered, merged: the next scheduled run is green
    # and opens nothing.
    late = repo / "plans" / f"{LATE}.md"
    text = late.read_text(encoding="utf-8")
    assert text.count("status: open") == 1
    late.write_text(text.replace("status: open", "status: done"), encoding="utf-8")
    sh(f'kamdocs review {LATE} && git commit -q -am "{LATE}: reviewed with @petra" && git push -q origin main',
       repo, env)  # fmt: skip
    after_review, _, _, after_review_calls = runner.run("freshness.yml", scheduled, "origin/main")
    return DayOne(repo, wheel, pull_request, pr_summary, push, pages, pages_workspace, freshness, freshness_summary,
                  freshness_calls, after_review, after_review_calls, pages_calls)  # fmt: skip


def _report(runs: list[StepRun]) -> str:
    return "\n\n".join(map(str, runs))


def _ran(runs: list[StepRun]) -> list[StepRun]:
    return [r for r in runs if r.skipped is None]


def _steps(repo: Path, workflow: str) -> list[dict]:
    data = yaml.safe_load((repo / ".github" / "workflows" / workflow).read_text(encoding="utf-8"))
    return [step for job in data["jobs"].values() for step in job["steps"]]


def test_every_workflow_installs_the_wheel_the_repository_keeps(day_one: DayOne) -> None:
    tracked = subprocess.run(["git", "ls-files", "tools"], cwd=day_one.repo, capture_output=True, text=True,
                             check=True).stdout.split()  # fmt: skip
    assert tracked == [f"tools/{day_one.wheel_name}"], "the wheel must be committed for the workflows to find it"
    for workflow in WORKFLOWS:
        (install,) = [s for s in _steps(day_one.repo, workflow) if s.get("name") == "Install kamdocs"]
        assert f"tools/{day_one.wheel_name}" in install["run"], (workflow, install["run"])
    first = next(r for r in day_one.pull_request if r.name == "Install kamdocs")
    assert "Successfully installed" in first.stdout and "kamdocs-0" in first.stdout, first


def _run_steps(repo: Path, workflow: str) -> list[str]:
    return [s.get("name") or s["run"] for s in _steps(repo, workflow) if "run" in s]


def test_every_run_step_of_every_workflow_ran(day_one: DayOne) -> None:
    """Only uses: steps were skipped (tests/actions.py says what stands in for each), and, on a push,
    the pull-request-only step: the runner skipped nothing else."""
    for workflow, runs in (("plans.yml", day_one.pull_request), ("pages.yml", day_one.pages),
                           ("freshness.yml", day_one.freshness), ("freshness.yml", day_one.after_review)):  # fmt: skip
        assert [r.name for r in _ran(runs)] == _run_steps(day_one.repo, workflow), workflow
        assert all(r.uses for r in runs if r.skipped), workflow
    on_push = [r.name for r in _ran(day_one.push)]
    assert on_push == [n for n in _run_steps(day_one.repo, "plans.yml") if n != "What changed in the plans"]


def test_the_pull_request_run_passes_every_step(day_one: DayOne) -> None:
    runs = day_one.pull_request
    assert all(r.returncode == 0 for r in _ran(runs)), _report(runs)
    assert {r.uses.split("@")[0] for r in runs if r.skipped} == {"actions/checkout", "actions/setup-python"}


def test_the_pull_request_summary_shows_the_change_in_business_terms(day_one: DayOne) -> None:
    summary = day_one.pull_request_summary
    # kamdocs check's table (freshness stays a warning in a pull request), then the last step's three commands:
    # the diff, the quality before and after, the changed plans' status.
    check, _, rest = summary.partition("### Plan changes ")
    assert check.startswith("### kamdocs check\n\nChecked 5 plans: 0 errors, 2 warnings."), check
    assert "| plans/acme-late.md | 10 | warning | review-overdue |" in check
    diff, _, rest = rest.partition("### Plan quality")
    quality, _, status = rest.partition("### Plan status on 2026-11-24")
    assert "- **plans/acme-one.md (Acme AG)**" in diff
    assert "goal target: 0 → 1,200,000 CHF (+1,200,000)" in diff, diff
    assert "acme-full" not in diff and "acme-late" not in diff, "only the changed plan is in the diff"
    assert "#### acme-one (Acme AG)" in quality and "acme-full" not in quality
    rows = [line for line in status.splitlines() if line.startswith("| acme")]
    assert len(rows) == 1 and rows[0].startswith("| acme-one | Acme AG |"), status


def test_the_push_to_main_passes_plans_and_skips_the_pull_request_step(day_one: DayOne) -> None:
    runs = day_one.push
    assert all(r.returncode == 0 for r in _ran(runs)), _report(runs)
    (changed,) = [r for r in runs if r.name == "What changed in the plans"]
    assert changed.skipped and "pull_request" in changed.skipped


def test_pages_builds_the_site_and_deploys_a_private_one(day_one: DayOne) -> None:
    runs = day_one.pages
    assert all(r.returncode == 0 for r in _ran(runs)), _report(runs)
    site = day_one.pages_workspace / "site"
    assert (site / "index.html").is_file()
    page = site / "plans" / "accounts" / "acme-one" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "Acme AG" in html and "1,200,000" in html, "the page shows the target merged from the pull request"
    for plan in ("acme-full", LATE, "example-one-page", "example-full"):
        assert (site / "plans" / "accounts" / plan / "index.html").is_file(), plan
    (visibility,) = [r for r in runs if r.name == "Refuse to publish the plans on a public site"]
    assert "The Pages site is private" in visibility.stdout
    assert [c["args"] for c in day_one.pages_calls] == [["api", "repos/example-org/plans/pages", "--jq", ".public"]]
    assert day_one.pages_calls[0]["token"] == "dummy-token-for-the-recording-gh"


def test_freshness_opens_one_issue_for_the_overdue_plan_only(day_one: DayOne) -> None:
    runs = day_one.freshness
    # The report job's last step fails on purpose; the issues job runs after it all the same.
    (last,) = [r for r in runs if r.name == "Check with freshness rules as errors"]
    assert all(r.returncode == 0 for r in _ran(runs) if r is not last), _report(runs)
    title = "Plan review overdue: acme-late"  # written out by hand, not taken from the workflow
    searches = [c["args"] for c in day_one.freshness_calls if c["args"][:2] == ["issue", "list"]]
    creates = [c["args"] for c in day_one.freshness_calls if c["args"][:2] == ["issue", "create"]]
    assert len(searches) == 1 and f'"{title}" in:title' in searches[0], searches
    assert len(creates) == 1, day_one.freshness_calls
    created = creates[0]
    assert created[created.index("--title") + 1] == title
    assert created[created.index("--assignee") + 1] == "lea"  # the owner's handle, without the @
    body = created[created.index("--body") + 1]
    # Plan values are inline code, so none can be a link, an image, HTML or an @mention on GitHub;
    # 2026-06-02 is quarterly after 2026-03-02.
    assert "` Late AG `" in body and "` plans/acme-late.md `" in body and "2026-06-02" in body
    assert "- Owner: ` @lea `" in body and "- Reviewer: ` @petra `" in body
    assert "175 days overdue" in body  # 2026-06-02 to 2026-11-24: 28 + 31 + 31 + 30 + 31 + 24 days
    assert all(c["token"] == "dummy-token-for-the-recording-gh" for c in day_one.freshness_calls)
    assert "acme-late" in day_one.freshness_summary and "acme-one" in day_one.freshness_summary
    # The last step makes freshness an error: it fails, on the overdue plan alone. That is the workflow's alarm.
    assert last.name == "Check with freshness rules as errors"
    assert last.returncode == 1, last
    # GITHUB_ACTIONS=true: findings are workflow commands, ::error file=...,title=kamdocs RULE::message
    flagged = set(re.findall(r"^::error file=([^,]+),.*title=kamdocs ([a-z-]+)::", last.stdout, re.MULTILINE))
    assert flagged == {("plans/acme-late.md", "review-overdue"), ("plans/acme-late.md", "commitment-overdue")}, (
        last.stdout
    )


def test_once_reviewed_the_freshness_run_is_green_and_opens_nothing(day_one: DayOne) -> None:
    runs = day_one.after_review
    assert all(r.returncode == 0 for r in _ran(runs)), _report(runs)
    assert [c["args"][:2] for c in day_one.after_review_calls] == [], day_one.after_review_calls


@pytest.mark.parametrize(
    ("expression", "event", "failed", "runs"),
    [
        (None, "push", False, True),
        (None, "push", True, False),  # a step after a failed one is skipped
        ("always() && github.event_name == 'pull_request'", "pull_request", True, True),
        ("always() && github.event_name == 'pull_request'", "push", False, False),
        ("github.event_name != 'push'", "pull_request", True, False),  # no status function: success() && (...)
        ("${{ failure() }}", "push", True, True),
        ("!cancelled() && vars.KAMDOCS_PUBLIC_SITE == ''", "push", False, True),  # an unset variable is ''
    ],
)
def test_the_runner_reads_if_conditions_as_github_does(
    expression: str | None, event: str, failed: bool, runs: bool
) -> None:
    assert condition(expression, Event(event, "refs/heads/main", base_ref="main"), failed) is runs
