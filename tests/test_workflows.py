"""The workflows are valid GitHub Actions workflows and run what they promise."""

from __future__ import annotations

import subprocess
import sys

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
