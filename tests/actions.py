"""Running a GitHub Actions workflow's ``run:`` steps on this machine, as a runner would, read from its YAML.

Enough of the runner for the workflows ``kamdocs init`` writes, and no more:
jobs in the order their ``needs`` allow, each ``run:`` step in order with
bash as GitHub runs it (``bash -e`` by default, ``bash --noprofile --norc -eo
pipefail`` for ``shell: bash``), the workflow's, job's and step's ``env:``,
the runner's own variables (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY, ...), and
``${{ }}`` expressions and ``if:`` conditions over the few contexts those
workflows use. An expression or a shell this does not know fails the test
rather than being guessed at.

``uses:`` steps are not run: they are actions from the marketplace. What each
one does is done by the test around the run, and :data:`STAND_INS` says how;
an action without an entry there fails the run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

STAND_INS = {
    "actions/checkout": "the test clones the bare origin (full history, as fetch-depth: 0) and checks out the ref",
    "actions/setup-python": "the runner's python is a fresh virtual environment's, first on PATH",
    "actions/upload-pages-artifact": "the test looks at the site folder the build wrote, which is what it uploads",
    "actions/deploy-pages": "deploying is GitHub's; the test stops at the visibility check before it",
    "actions/upload-artifact": "every job runs in the one workspace here, so the file stays where it was written",
    "actions/download-artifact": "the file the upload named is already in the workspace, where the download puts it",
}
"""The actions the generated workflows use, and what stands in for each when the workflow runs here."""


@dataclass(frozen=True)
class Event:
    """What triggered the run: the ``github`` and ``vars`` contexts the workflows read."""

    name: str  # github.event_name: pull_request, push, schedule, workflow_dispatch
    ref: str  # refs/heads/main, or refs/pull/1/merge
    base_ref: str = ""  # github.base_ref: the pull request's target branch
    head_ref: str = ""
    repository: str = "example-org/plans"
    token: str = "dummy-token-for-the-recording-gh"
    variables: dict[str, str] = field(default_factory=dict)  # vars.*: none set unless given

    def lookup(self, name: str) -> str:
        github = {
            "event_name": self.name,
            "ref": self.ref,
            "base_ref": self.base_ref,
            "head_ref": self.head_ref,
            "repository": self.repository,
            "token": self.token,
        }
        scope, _, key = name.partition(".")
        if scope == "github" and key in github:
            return github[key]
        if scope == "vars":
            return self.variables.get(key, "")  # an unset variable is the empty string, as on GitHub
        if scope == "secrets" and key == "GITHUB_TOKEN":
            return self.token
        raise AssertionError(f"the test's runner does not know the expression context {name!r}")


@dataclass(frozen=True)
class StepRun:
    """One step as the run went: ``skipped`` says why it did not run, else its exit code and output."""

    job: str
    name: str
    run: str | None
    uses: str | None
    skipped: str | None
    returncode: int | None
    stdout: str
    stderr: str

    def __str__(self) -> str:
        head = f"{self.job} / {self.name}: "
        if self.skipped:
            return head + f"skipped ({self.skipped})"
        return head + f"exit {self.returncode}\n--- stdout\n{self.stdout[-4000:]}\n--- stderr\n{self.stderr[-4000:]}"


EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))|(?P<call>[a-z]+)\(\)|(?P<name>[A-Za-z_][\w.-]*))"
)
STATUS = ("always", "success", "failure", "cancelled")


def expand(text: str, event: Event) -> str:
    """``text`` with each ``${{ context.name }}`` replaced by its value, as GitHub does before a step runs."""
    return EXPRESSION.sub(lambda m: event.lookup(m.group(1)), text)


def condition(expression: str | bool | None, event: Event, failed: bool) -> bool:
    """Whether a step with this ``if:`` runs, after earlier steps of the job did (not) fail.

    The operators GitHub's expressions share with Python are translated; a
    condition without a status function is ``success() && (...)``, as on GitHub.
    """
    if expression is None:
        return not failed
    if isinstance(expression, bool):
        return expression and not failed
    text = EXPRESSION.sub(lambda m: m.group(1), expression).strip()
    python, position = [], 0
    uses_status = False
    while position < len(text):
        match = TOKEN.match(text, position)
        assert match, f"the test's runner cannot read the condition {expression!r} at {text[position:]!r}"
        position = match.end()
        if match["str"]:
            python.append(repr(match["str"][1:-1].replace("''", "'")))
        elif match["op"]:
            python.append({"&&": " and ", "||": " or ", "!": " not "}.get(match["op"], match["op"]))
        elif match["call"]:
            assert match["call"] in STATUS, f"unknown function {match['call']}() in {expression!r}"
            uses_status = True
            value = {"always": True, "success": not failed, "failure": failed, "cancelled": False}[match["call"]]
            python.append(repr(value))
        else:
            python.append(repr(event.lookup(match["name"])))
    value = bool(eval("".join(python), {"__builtins__": {}}))  # only literals and operators, built above
    return value if uses_status else (value and not failed)


SHELLS = {None: ["bash", "-e"], "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail"]}
"""How GitHub's Linux runners start a ``run:`` script: with no ``shell:``, and with ``shell: bash``."""


def _jobs_in_order(jobs: dict[str, Any]) -> list[str]:
    order: list[str] = []
    while len(order) < len(jobs):
        ready = [
            name for name, job in jobs.items() if name not in order and set(_as_list(job.get("needs"))) <= set(order)
        ]
        assert ready, f"jobs whose needs are never met: {sorted(set(jobs) - set(order))}"
        order.append(ready[0])
    return order


def _as_list(value: str | list[str] | None) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def run_workflow(
    workflow: Path, workspace: Path, env: dict[str, str], event: Event, runner_temp: Path
) -> list[StepRun]:
    """Every step of ``workflow``, run in ``workspace`` (the checked-out repository), job after job.

    ``env`` is the runner's environment (PATH with its python first, HOME, ...).
    Each job gets its own GITHUB_STEP_SUMMARY file in ``runner_temp``, named
    after the workflow and job; a job whose ``if:`` is false is skipped.
    """
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    triggers = data.get(True, data.get("on"))  # YAML 1.1 reads the key on as True
    assert event.name in triggers, f"{workflow.name} does not run on {event.name}"
    runs: list[StepRun] = []
    for job_name in _jobs_in_order(data["jobs"]):
        job = data["jobs"][job_name]
        assert condition(job.get("if"), event, failed=False), f"{workflow.name}: job {job_name} would not run"
        summary = runner_temp / f"{workflow.stem}-{job_name}-summary.md"
        summary.touch()
        shell_default = job.get("defaults", {}).get("run", {}).get("shell") or data.get("defaults", {}).get(
            "run", {}
        ).get("shell")
        failed = False
        for index, step in enumerate(job["steps"]):
            name = step.get("name") or step.get("uses") or step["run"].splitlines()[0]
            if "uses" in step:
                action = step["uses"].split("@")[0]
                assert action in STAND_INS, f"{workflow.name}: no stand-in for the action {step['uses']}"
                runs.append(StepRun(job_name, name, None, step["uses"], f"uses: {STAND_INS[action]}", None, "", ""))
                continue
            if not condition(step.get("if"), event, failed):
                runs.append(StepRun(job_name, name, step["run"], None, f"if: {step['if']}", None, "", ""))
                continue
            script = runner_temp / f"{workflow.stem}-{job_name}-{index}.sh"
            script.write_text(expand(step["run"], event), encoding="utf-8")
            shell = step.get("shell", shell_default)
            assert shell in SHELLS, f"{workflow.name}: the test's runner does not know shell {shell!r}"
            step_env = {
                **env,
                "CI": "true",
                "GITHUB_ACTIONS": "true",
                "GITHUB_WORKFLOW": data.get("name", workflow.stem),
                "GITHUB_JOB": job_name,
                "GITHUB_EVENT_NAME": event.name,
                "GITHUB_REF": event.ref,
                "GITHUB_BASE_REF": event.base_ref,
                "GITHUB_HEAD_REF": event.head_ref,
                "GITHUB_REPOSITORY": event.repository,
                "GITHUB_WORKSPACE": str(workspace),
                "GITHUB_STEP_SUMMARY": str(summary),
                "GITHUB_OUTPUT": str(runner_temp / "output"),
                "GITHUB_ENV": str(runner_temp / "env"),
                "RUNNER_TEMP": str(runner_temp),
                **{k: expand(str(v), event) for k, v in (data.get("env") or {}).items()},
                **{k: expand(str(v), event) for k, v in (job.get("env") or {}).items()},
                **{k: expand(str(v), event) for k, v in (step.get("env") or {}).items()},
            }
            result = subprocess.run(
                [*SHELLS[shell], str(script)],
                cwd=workspace / step.get("working-directory", "."),
                env=step_env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            failed = failed or result.returncode != 0
            runs.append(
                StepRun(job_name, name, step["run"], None, None, result.returncode, result.stdout, result.stderr)
            )
    return runs


def recording_gh(folder: Path, record: Path, answers: dict[str, str]) -> Path:
    """A ``gh`` in ``folder`` that appends each call (its arguments and its GH_TOKEN) to ``record`` as a JSON line.

    ``answers`` maps the start of a call (``"api"``, ``"issue list"``) to what it
    prints; any other call prints nothing and succeeds. The first matching key wins.
    """
    folder.mkdir(parents=True, exist_ok=True)
    gh = folder / "gh"
    gh.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        f"RECORD, ANSWERS = {str(record)!r}, {json.dumps(answers)!r}\n"
        "args = sys.argv[1:]\n"
        "with open(RECORD, 'a', encoding='utf-8') as out:\n"
        "    out.write(json.dumps({'args': args, 'token': os.environ.get('GH_TOKEN')}) + '\\n')\n"
        "for start, answer in json.loads(ANSWERS).items():\n"
        "    if args[: len(start.split())] == start.split():\n"
        "        print(answer)\n"
        "        break\n",
        encoding="utf-8",
    )
    gh.chmod(0o755)
    return gh


def recorded_calls(record: Path) -> list[dict[str, Any]]:
    """The calls a recording ``gh`` received, in order."""
    if not record.exists():
        return []
    return [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
