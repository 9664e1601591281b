"""The workflows are valid GitHub Actions workflows and run what they promise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_workflows_pass_the_github_workflow_schema() -> None:
    assert {p.name for p in WORKFLOWS} >= {"plans.yml", "freshness.yml", "pages.yml", "ci.yml"}
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
