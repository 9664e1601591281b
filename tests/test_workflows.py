"""The workflows are valid GitHub Actions workflows and run what they promise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .commands import kamdocs_in_process, mkdocs_build_in_process
from .conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_workflows_pass_the_github_workflow_schema() -> None:
    assert {p.name for p in WORKFLOWS} >= {"plans.yml", "freshness.yml", "pages.yml", "ci.yml", "release.yml"}
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def steps(name: str) -> list[dict]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_freshness_workflow_fetches_full_history_and_fails_on_freshness() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "freshness.yml").read_text(encoding="utf-8"))
    assert "schedule" in workflow[True] and "workflow_dispatch" in workflow[True]  # YAML 1.1 reads 'on' as True
    all_steps = steps("freshness.yml")
    assert all_steps[0]["with"]["fetch-depth"] == 0
    runs = [s.get("run", "") for s in all_steps]
    assert any("kamdocs check --severity freshness=error" in r for r in runs)
    assert any('kamdocs status --format markdown >> "$GITHUB_STEP_SUMMARY"' in r for r in runs)
    assert any("gh issue create" in r for r in runs)


def test_pull_request_workflow_checks_and_summarises() -> None:
    runs = [s.get("run", "") for s in steps("plans.yml")]
    assert "kamdocs check" in runs
    assert any("kamdocs status --format markdown" in r for r in runs)
    assert any('kamdocs quality --changed --base "origin/${BASE_REF}" --format markdown >> "$GITHUB_STEP_SUMMARY"' in r
               for r in runs)  # fmt: skip


def _visibility_step() -> str:
    (step,) = [s for s in steps("pages.yml") if s.get("name") == "Refuse to publish the plans on a public site"]
    assert step["env"]["PUBLIC_SITE_ALLOWED"] == "${{ vars.KAMDOCS_PUBLIC_SITE }}"
    return step["run"]


@pytest.mark.parametrize(
    ("answer", "allowed", "deploys", "says"),
    [
        ("false", "", True, "The Pages site is private"),
        ("true", "", False, "::error title=Not deployed: the Pages site is public::"),
        ("true", "true", True, "::warning title=Public site::"),
        ("true", "yes", False, "set the repository variable KAMDOCS_PUBLIC_SITE to true"),
        (None, "", False, "(public: unknown)"),  # the API failed: treated as public
    ],
)
def test_pages_workflow_refuses_a_public_site_unless_allowed(
    tmp_path: Path, answer: str | None, allowed: str, deploys: bool, says: str
) -> None:
    """The step's own shell script, run with a ``gh`` on PATH that answers as GitHub's API would."""
    gh = tmp_path / "bin" / "gh"
    gh.parent.mkdir()
    gh.write_text("#!/bin/sh\n" + (f"echo {answer}\n" if answer else "echo 'HTTP 404' >&2; exit 1\n"), encoding="utf-8")
    gh.chmod(0o755)
    env = {"PATH": f"{gh.parent}:/usr/bin:/bin", "GITHUB_REPOSITORY": "org/plans", "PUBLIC_SITE_ALLOWED": allowed}
    result = subprocess.run(
        ["bash", "-e", "-c", _visibility_step()], env=env, capture_output=True, text=True, check=False
    )
    assert (result.returncode == 0) is deploys
    assert says in result.stdout


def test_pages_workflow_uploads_the_site_before_the_visibility_check() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    assert any(
        s.get("uses", "").startswith("actions/upload-pages-artifact") for s in workflow["jobs"]["build"]["steps"]
    )
    deploy = [s.get("name") or s.get("id") for s in workflow["jobs"]["deploy"]["steps"]]
    assert deploy == ["Refuse to publish the plans on a public site", "deployment"]


# kamdocs' own release


def _release() -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))


def _step(job: dict, name: str) -> dict:
    (step,) = [s for s in job["steps"] if s.get("name") == name]
    return step


def test_release_publishes_to_pypi_only_when_the_repository_asks() -> None:
    release = _release()
    assert release[True] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {"contents": "read"}  # each job asks for more itself
    pypi = release["jobs"]["pypi"]
    assert pypi["if"] == "vars.PYPI_PUBLISH == 'true'"
    assert pypi["environment"] == "pypi"
    assert pypi["permissions"] == {"id-token": "write"}
    assert "journey" in pypi["needs"]
    assert [s.get("uses") for s in pypi["steps"]][-1].startswith("pypa/gh-action-pypi-publish@")
    attach = release["jobs"]["github-release"]
    assert attach["permissions"] == {"contents": "write"} and "journey" in attach["needs"]
    assert "if" not in attach  # the release on GitHub is made whatever PYPI_PUBLISH says
    for name, job in release["jobs"].items():
        if name not in ("pypi", "github-release"):
            assert "permissions" not in job, name


def test_release_runs_the_journey_on_the_files_it_publishes() -> None:
    jobs = _release()["jobs"]
    built = _step(jobs["build"], "Build the sdist and the wheel")["run"]
    assert "python -m build --outdir dist" in built
    (upload,) = [s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert upload["with"]["path"] == "dist/" and upload["with"]["if-no-files-found"] == "error"
    artifact = upload["with"]["name"]

    def downloaded(job: str) -> str:
        (step,) = [s for s in jobs[job]["steps"] if s.get("uses", "").startswith("actions/download-artifact")]
        assert step["with"]["name"] == artifact, job
        return step["with"]["path"]

    folder = downloaded("journey")
    assert jobs["journey"]["needs"] == "build"
    assert _step(jobs["journey"], "The wheel journey on the built files")["run"] == (
        f"bash scripts/wheel_journey.sh --dist {folder}"
    )
    assert "dist/*" in _step(jobs["github-release"], "Attach the sdist and the wheel to the release")["run"]
    assert downloaded("github-release") == folder == "dist"
    assert jobs["pypi"]["steps"][-1]["with"]["packages-dir"].rstrip("/") == downloaded("pypi")


@pytest.mark.parametrize(
    ("tag", "built", "passes"),
    [("v0.3.0", "0.3.0", True), ("v0.3.0", "0.2.0", False), ("v0.3.0rc1", "0.3.0", False)],
)
def test_release_refuses_a_tag_that_is_not_the_version_built(
    tmp_path: Path, tag: str, built: str, passes: bool
) -> None:
    (tmp_path / "dist").mkdir()
    for name in (f"kamdocs-{built}.tar.gz", f"kamdocs-{built}-py3-none-any.whl"):
        (tmp_path / "dist" / name).write_bytes(b"")
    script = _step(_release()["jobs"]["build"], "The tag names the version built")["run"]
    result = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "TAG": tag},
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert (result.returncode == 0) is passes, result.stdout + result.stderr
    assert ("::error title=Version mismatch::" in result.stdout) is not passes


@pytest.mark.parametrize("exists", [False, True])
def test_release_creates_the_release_or_adds_to_it(tmp_path: Path, exists: bool) -> None:
    """The step's own script, with a ``gh`` on PATH that records its arguments and answers ``release view``."""
    (tmp_path / "dist").mkdir()
    for name in ("kamdocs-0.3.0.tar.gz", "kamdocs-0.3.0-py3-none-any.whl"):
        (tmp_path / "dist" / name).write_bytes(b"")
    gh = tmp_path / "bin" / "gh"
    gh.parent.mkdir()
    gh.write_text(f'#!/bin/sh\necho "$*" >> {tmp_path / "calls"}\n[ "$2" != view ] || exit {0 if exists else 1}\n',
                  encoding="utf-8")  # fmt: skip
    gh.chmod(0o755)
    script = _step(_release()["jobs"]["github-release"], "Attach the sdist and the wheel to the release")["run"]
    env = {"PATH": f"{gh.parent}:/usr/bin:/bin", "TAG": "v0.3.0", "GITHUB_REPOSITORY": "kamdocs/kamdocs"}
    result = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                            check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    files = "dist/kamdocs-0.3.0-py3-none-any.whl dist/kamdocs-0.3.0.tar.gz"
    view = "release view v0.3.0 --repo kamdocs/kamdocs"
    made = (
        f"release upload v0.3.0 {files} --clobber --repo kamdocs/kamdocs"
        if exists
        else f"release create v0.3.0 {files} --verify-tag --generate-notes --title kamdocs 0.3.0 --repo kamdocs/kamdocs"
    )
    assert (tmp_path / "calls").read_text(encoding="utf-8").splitlines() == [view, made]


@pytest.mark.parametrize(
    ("arguments", "code", "says"),
    [
        (["--dist"], 2, "usage: bash scripts/wheel_journey.sh [--dist DIR]"),
        (["--build"], 2, "usage: bash scripts/wheel_journey.sh [--dist DIR]"),
        (["--dist", "no-such-folder"], 2, "--dist no-such-folder: expected a folder holding the sdist and the wheel"),
        (["--dist", "empty"], 1, "holds 0 kamdocs wheels, expected one"),
    ],
)
def test_wheel_journey_takes_a_dist_folder_or_nothing(
    tmp_path: Path, arguments: list[str], code: int, says: str
) -> None:
    """Only what it refuses before it installs anything; the whole journey runs in .ci/run and the release."""
    (tmp_path / "empty").mkdir()
    result = subprocess.run(["bash", str(ROOT / "scripts/wheel_journey.sh"), *arguments], cwd=tmp_path,
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == code, result.stdout + result.stderr
    assert says in result.stderr


EPOCH = "1793534400"  # 2026-11-01 12:00 UTC: the day both the gate and the build judge on


def gate_commands(repo: Path) -> list[tuple[dict[str, str], list[str]]]:
    """The ``kamdocs check`` steps of the plans.yml that init wrote, as (environment, argv)."""
    import shlex

    import yaml

    workflow = yaml.safe_load((repo / ".github" / "workflows" / "plans.yml").read_text(encoding="utf-8"))
    commands = []
    for step in workflow["jobs"]["check"]["steps"]:
        words = shlex.split(step.get("run", ""), comments=True)
        env = {}
        while words and "=" in words[0] and not words[0].startswith("-"):
            key, _, value = words.pop(0).partition("=")
            env[key] = value
        if words[:2] == ["kamdocs", "check"]:
            commands.append((env, words[1:]))
    return commands


def gate_passes(repo: Path) -> bool:
    summary = repo.parent / "summary.md"
    for env, args in gate_commands(repo):
        step_env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "SOURCE_DATE_EPOCH": EPOCH, **env}
        result = kamdocs_in_process(repo, *args, env=step_env)
        assert result.returncode in (0, 1), result.stderr
        if result.returncode:
            return False
    return True


GATE_CASES = {
    # name: (init --today, plan written by `kamdocs new`?, replacement in the example plan, site builds --strict?)
    "fresh": ("2026-11-01", False, None, True),
    "every-plan-overdue": ("2020-01-01", False, None, True),
    "a-new-plan-with-todos": ("2026-11-01", True, None, False),
    "an-unresolved-obstacle": ("2026-11-01", False, ("    resolves: [obs-no-reference]\n", ""), False),
}


@pytest.mark.parametrize("name", sorted(GATE_CASES))
def test_the_pull_request_gate_init_writes_fails_where_the_strict_site_build_fails(tmp_path: Path, name: str) -> None:
    day, new, replace, builds = GATE_CASES[name]
    repo = tmp_path / "repo"
    assert kamdocs_in_process(tmp_path, "init", "repo", "--today", day).returncode == 0
    if new:
        made = kamdocs_in_process(
            repo,
            "new",
            "acme",
            "--kind",
            "one-page",
            "--account",
            "Acme AG",
            "--owner",
            "o@example.com",
            "--area",
            "Process Analytics",
            "--today",
            day,
        )
        assert made.returncode == 0, made.stderr
    if replace:
        plan = repo / "plans" / "example-one-page.md"
        text = plan.read_text(encoding="utf-8")
        assert replace[0] in text
        plan.write_text(text.replace(*replace), encoding="utf-8")

    build = mkdocs_build_in_process(repo, "--strict", site=tmp_path / "site", env={"SOURCE_DATE_EPOCH": EPOCH})

    assert (build.returncode == 0) is builds, build.stderr
    assert gate_passes(repo) is builds
