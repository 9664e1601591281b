"""The workflows ``kamdocs init`` writes, and this repository's own, against what an attacker would try.

- Read as YAML: each job asks for its own permissions and the workflow for none;
  a job that runs code from the repository (kamdocs, mkdocs and the hooks
  mkdocs.yml names) may only read it; a job that may write (Pages, issues)
  checks nothing out and runs no kamdocs. Every action is pinned to a full
  commit with its tag in a comment, the same pin everywhere, and checkout
  leaves no token behind.
- Run: the pull-request step that lists the changed plans, in a real git
  repository whose plans sit in ``plans/zürich/``, ``plans/north america/`` and a
  folder with quotes; the freshness workflow's two issue jobs, with plan values
  that are links, mentions, images and HTML, and a recording ``gh``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from kamdocs.edit.scaffold import DEPENDABOT, repository_files, workflow_text
from kamdocs.escaping import markdown_code
from kamdocs.system.package_data import WORKFLOWS

from .actions import Event, recorded_calls, recording_gh, run_workflow
from .commands import ENV, write_repo
from .conftest import ROOT, plan_text

OURS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
GENERATED = {name: workflow_text(name, "python -m pip install kamdocs==0.2.0") for name in WORKFLOWS}
TEXTS = {f"init: {name}": text for name, text in GENERATED.items()} | {
    f"ours: {path.name}": path.read_text(encoding="utf-8") for path in OURS
}
"""Every workflow file: the three ``init`` writes and this repository's own."""

PIN = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$")
WRITES = {"pages", "issues", "contents", "id-token", "pull-requests", "packages", "actions", "statuses"}


def jobs(text: str) -> dict[str, dict]:
    return yaml.safe_load(text)["jobs"]


def runs_repository_code(job: dict) -> bool:
    """Whether a job checks the repository out or runs kamdocs or mkdocs (and with it the repository's hooks)."""
    steps = job["steps"]
    return any(s.get("uses", "").startswith("actions/checkout") for s in steps) or any(
        re.search(r"\b(kamdocs|mkdocs|python)\b", s.get("run", "")) for s in steps
    )


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_every_job_asks_for_only_what_it_needs(name: str) -> None:
    text = TEXTS[name]
    workflow = yaml.safe_load(text)
    assert workflow["permissions"] in ({}, {"contents": "read"}), workflow["permissions"]
    for job_name, job in workflow["jobs"].items():
        granted = job.get("permissions", workflow["permissions"])
        writes = {scope for scope, level in granted.items() if level == "write"}
        assert writes <= WRITES
        if runs_repository_code(job) and job_name != "github-release":
            # The build runs mkdocs and with it whatever hooks mkdocs.yml names: read only.
            assert granted in ({"contents": "read"}, {}), (job_name, granted)
        if writes:
            assert "permissions" in job, job_name  # a write is the job's own, never the workflow's
    if name.startswith("init: "):
        assert workflow["permissions"] == {}
        assert all("permissions" in job for job in workflow["jobs"].values())


def test_only_the_deploy_job_may_publish_and_it_runs_no_code_of_the_repository() -> None:
    pages = jobs(GENERATED["pages.yml"])
    assert pages["build"]["permissions"] == {"contents": "read"}
    assert pages["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["deploy"]["needs"] == "build"
    assert not runs_repository_code(pages["deploy"])
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in pages["build"]["steps"])
    assert pages["deploy"]["steps"][-1]["uses"].startswith("actions/deploy-pages@")
    freshness = jobs(GENERATED["freshness.yml"])
    assert freshness["issues"]["permissions"] == {"issues": "write"}
    assert not runs_repository_code(freshness["issues"])
    assert freshness["report"]["permissions"] == {"contents": "read"}
    assert jobs(GENERATED["plans.yml"])["check"]["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_every_action_is_pinned_to_a_commit_with_its_tag(name: str) -> None:
    text = TEXTS[name]
    uses = [line for line in text.splitlines() if re.match(r"^\s*(- )?uses:", line)]
    assert uses
    for line in uses:
        assert PIN.match(line), line


def test_each_action_has_one_pin_everywhere() -> None:
    pins: dict[str, set[tuple[str, str]]] = {}
    for text in TEXTS.values():
        for line in text.splitlines():
            match = PIN.match(line)
            if match:
                pins.setdefault(match[1], set()).add((match[2], match[3]))
    assert {"actions/checkout", "actions/setup-python", "actions/deploy-pages"} <= set(pins)
    assert all(len(found) == 1 for found in pins.values()), pins


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_checkout_leaves_no_token_behind(name: str) -> None:
    for job in jobs(TEXTS[name]).values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, (name, step)


def test_dependabot_keeps_the_pins_current(tmp_path: Path) -> None:
    """init writes the same Dependabot file as this repository's own, valid for GitHub, for the actions."""
    written = repository_files(date(2026, 11, 24))[".github/dependabot.yml"]
    assert written == DEPENDABOT == (ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8")
    (tmp_path / "dependabot.yml").write_text(written, encoding="utf-8")
    checked = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.dependabot",
                              str(tmp_path / "dependabot.yml")], capture_output=True, text=True, check=False)  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert yaml.safe_load(written)["updates"] == [
        {"package-ecosystem": "github-actions", "directory": "/", "schedule": {"interval": "monthly"}}
    ]


# --- the pull request's changed plans, with names git would quote ----------------------------------

FOLDERS = ("zürich", "north america", 'o\'brien "q"')


def git(repo: Path, *args: str) -> str:
    env = {**ENV, "GIT_AUTHOR_DATE": "2026-11-20T09:00:00Z", "GIT_COMMITTER_DATE": "2026-11-20T09:00:00Z"}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def trimmed(workflow: str, keep: dict[str, tuple[str, ...] | None], folder: Path) -> Path:
    """A copy of a generated workflow with only the jobs in ``keep``, each with only the steps named there
    (None: all of its steps): the runner runs just those, the rest is done by the test."""
    data = yaml.safe_load(GENERATED[workflow])
    data["jobs"] = {
        job: {
            **data["jobs"][job],
            "steps": [s for s in data["jobs"][job]["steps"] if steps is None or s.get("name") in steps],
        }
        for job, steps in keep.items()
    }
    path = folder / workflow
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def runner_env(tmp_path: Path, *extra: Path) -> dict[str, str]:
    """The runner's environment: any ``extra`` folders (a recording gh), then this Python's kamdocs, on PATH.

    The day kamdocs judges on is the one the test repository's mkdocs.yml names (2026-11-01)."""
    path = ":".join([*map(str, extra), str(Path(sys.executable).parent), "/usr/bin", "/bin"])
    return {**ENV, "PATH": path, "HOME": str(tmp_path)}


def test_the_changed_plans_step_takes_any_folder_name(tmp_path: Path) -> None:
    """Plans in plans/zürich/, plans/north america/ and a folder with quotes, changed in a pull request."""
    plans = {f"plan-{i}": plan_text(f"plan-{i}", **{"Example Account AG": f"Account {i}"}) for i in range(4)}
    repo = write_repo(tmp_path, {"plan-3": plans["plan-3"]})
    for i, folder in enumerate(FOLDERS):
        (repo / "plans" / folder).mkdir()
        (repo / "plans" / folder / f"plan-{i}.md").write_text(plans[f"plan-{i}"], encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Plans in folders of every spelling")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")  # what checkout with fetch-depth: 0 gives
    git(repo, "switch", "-q", "-c", "targets")
    for i, folder in enumerate(FOLDERS):  # every plan in an odd folder changes; plan-3 does not
        plan = repo / "plans" / folder / f"plan-{i}.md"
        plan.write_text(plan.read_text(encoding="utf-8").replace("target: 500000", "target: 600000"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "New targets")
    temp = tmp_path / "runner"
    temp.mkdir()
    workflow = trimmed("plans.yml", {"check": ("What changed in the plans",)}, temp)
    event = Event("pull_request", "refs/pull/1/merge", base_ref="main", head_ref="targets")

    (run,) = run_workflow(workflow, repo, runner_env(tmp_path), event, temp)

    assert run.returncode == 0, run
    summary = (temp / "plans-check-summary.md").read_text(encoding="utf-8")
    status = summary.split("### Plan status on 2026-11-01")[-1]
    assert "### Plan status on 2026-11-01" in summary, summary
    rows = sorted(line.split(" | ")[:2] for line in status.splitlines() if line.startswith("| plan-"))
    assert rows == [["| plan-0", "Account 0"], ["| plan-1", "Account 1"], ["| plan-2", "Account 2"]], status
    changed = (temp / "changed-plans").read_bytes().split(b"\0")
    assert sorted(changed) == sorted(
        [b""] + [f"plans/{folder}/plan-{i}.md".encode() for i, folder in enumerate(FOLDERS)]
    )


# --- the freshness issues: plan text never becomes a link, mention, image or HTML ----------------------

HOSTILE = {
    "account": "[x](http://evil) ![i](http://x/i.png)",
    "owner": "@org/team",
    "reviewer": '<img src=x onerror="alert(1)"> www.evil.example `code` ``two``',
}


class Shown(HTMLParser):
    """The elements of rendered HTML, and the text inside ``code`` elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.code: list[str] = []
        self._in_code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_code = tag == "code"

    def handle_endtag(self, tag: str) -> None:
        self._in_code = False

    def handle_data(self, data: str) -> None:
        if self._in_code:
            self.code.append(data)


def rendered(text: str) -> Shown:
    shown = Shown()
    shown.feed(markdown.markdown(text))
    return shown


@pytest.mark.parametrize(
    "value",
    [
        *HOSTILE.values(),
        "`",
        "a``b",
        "`starts",
        "ends`",
        " spaced ",
        "line\nbreak",
        "esc\x1b]0;title\x07",
        "\u202eexe.txt",
        "plans/lat\udce9/",  # a folder name that is not UTF-8, as Python reads it
    ],
)
def test_a_value_as_code_shows_as_itself_and_nothing_else(value: str) -> None:
    shown = rendered(f"Owner: {markdown_code(value)}")
    assert shown.tags == ["p", "code"], shown.tags
    expected = value.strip().replace("\n", "\\n").replace("\x1b", "\\x1b").replace("\x07", "\\x07")
    assert "".join(shown.code) == expected.replace("\u202e", "\\u202e").replace("\udce9", "\\xe9")


def test_freshness_opens_issues_whose_plan_text_is_inert(tmp_path: Path) -> None:
    """The report job's issue texts, then the issues job, with a recording gh: one issue, its values all code."""
    late = plan_text(
        "late-plan",
        **{
            "account: Example Account AG": f"account: {json.dumps(HOSTILE['account'])}",
            "owner: kam@example.com": f"owner: {json.dumps(HOSTILE['owner'])}",
            "reviewer: bam@example.com": f"reviewer: {json.dumps(HOSTILE['reviewer'])}",
            "last_reviewed: 2026-10-01": "last_reviewed: 2026-01-05",
        },
    )
    repo = write_repo(tmp_path, {"fresh-plan": plan_text("fresh-plan")})
    (repo / "plans" / "north america").mkdir()
    (repo / "plans" / "north america" / "late-plan.md").write_text(late, encoding="utf-8")
    temp = tmp_path / "runner"
    temp.mkdir()
    workflow = trimmed("freshness.yml", {"report": ("One issue text per overdue plan",), "issues": None}, temp)
    event = Event("schedule", "refs/heads/main")
    record = tmp_path / "gh-calls.jsonl"
    recording_gh(tmp_path / "gh-bin", record, {"issue list": "[]"})

    runs = run_workflow(workflow, repo, runner_env(tmp_path, tmp_path / "gh-bin"), event, temp)

    made, searched = [r for r in runs if r.run]

    assert made.returncode == 0, made
    (issue,) = json.loads((repo / "overdue-issues.json").read_text(encoding="utf-8"))["issues"]
    assert issue["title"] == "Plan review overdue: late-plan"
    assert issue["assignee"] is None  # a team cannot be assigned
    assert searched.skipped is None and searched.returncode == 0, searched
    calls = [c["args"] for c in recorded_calls(record)]
    assert [c[:2] for c in calls] == [["issue", "list"], ["issue", "create"]], calls
    created = calls[1]
    assert created[created.index("--title") + 1] == "Plan review overdue: late-plan"
    assert "--assignee" not in created
    body = created[created.index("--body") + 1]
    shown = rendered(body)
    assert set(shown.tags) <= {"p", "ul", "li", "code"}, shown.tags  # no a, img or element of the plan's
    code = shown.code
    for value in HOSTILE.values():
        assert value in code, (value, code)
    assert "plans/north america/late-plan.md" in code
    assert "kamdocs review 'plans/north america/late-plan.md'" in code
    outside = re.sub(r"(`+) .*? \1", "", body)  # the body without its code spans: only kamdocs' own words
    assert not re.search(r"[@<>\[\]!]|http|www", outside), outside
    # Counted by hand: quarterly after 2026-01-05 is 2026-04-05; to 2026-11-01 (the day mkdocs.yml names) is
    # 25 (April) + 31 + 30 + 31 + 31 + 30 + 31 (October) + 1 days.
    assert "was due for review on 2026-04-05 and is 210 days overdue" in body, body


def test_the_issue_of_a_plan_in_a_folder_that_is_not_utf8_is_utf8(tmp_path: Path) -> None:
    """The issues document is read by jq and sent to GitHub: the folder's byte is shown as ``\\xe9``."""
    repo = write_repo(tmp_path, {})
    late = plan_text("late-plan", **{"last_reviewed: 2026-10-01": "last_reviewed: 2026-01-05"})
    folder = repo / "plans" / os.fsdecode(b"lat\xe9")  # the name as Python reads it from the file system
    folder.mkdir()
    (folder / "late-plan.md").write_text(late, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kamdocs", "status", "--format", "issues"], cwd=repo, env=ENV,
                          capture_output=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    (issue,) = json.loads(done.stdout.decode("utf-8"))["issues"]  # strict UTF-8: no raw byte of the name
    assert "` plans/lat\\xe9/late-plan.md `" in issue["body"], issue["body"]


def test_an_endless_value_cannot_stop_the_issues(tmp_path: Path) -> None:
    """GitHub refuses an issue body over 65,536 characters; a plan's values are cut to 200 in it."""
    long = "A" * 70_000  # alone over the limit
    plans = {
        "a-late": plan_text("a-late", **{"last_reviewed: 2026-10-01": "last_reviewed: 2026-01-05",
                                         "account: Example Account AG": f"account: {long}",
                                         "owner: kam@example.com": f"owner: {'o' * 70_000}@example.com"}),
        "b-late": plan_text("b-late", **{"last_reviewed: 2026-10-01": "last_reviewed: 2026-01-05"}),
    }  # fmt: skip
    repo = write_repo(tmp_path, plans)
    done = subprocess.run([sys.executable, "-m", "kamdocs", "status", "--format", "issues"], cwd=repo, env=ENV,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    issues = json.loads(done.stdout)["issues"]
    assert sorted(i["plan"] for i in issues) == ["a-late", "b-late"]
    for issue in issues:
        assert len(issue["body"]) < 2_000, len(issue["body"])
    (cut,) = [i["body"] for i in issues if i["plan"] == "a-late"]
    assert "` " + "A" * 200 + "… `" in cut and "A" * 201 not in cut
