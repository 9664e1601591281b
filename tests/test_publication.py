"""Freshness never blocks publication: a stale plan is published as stale, not withheld.

The site is where staff see which plans are overdue, so the build that
publishes it must not stop on the very facts it exists to show. Invalid plans
still stop it; see test_plugin.py for that half.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kamdocs.edit.scaffold import WORKFLOWS, workflow_text

from .conftest import run


@pytest.mark.e2e
def test_an_initialised_repository_whose_plans_are_all_overdue_builds_strict(tmp_path: Path) -> None:
    repo = tmp_path / "plans-repo"
    assert run(["init", str(repo), "--today", "2020-01-15"], tmp_path).exit_code == 0
    checked = run(["check", "--today", "2026-11-24"], repo)
    assert checked.exit_code == 0, checked.output
    assert "warning[review-overdue]" in checked.output
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795478400"}  # 2026-11-24
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
    )
    assert built.returncode == 0, built.stderr
    # Both examples were reviewed 2020-01-15 and are judged on 2026-11-24: the log counts them at INFO.
    assert "INFO    -  kamdocs: freshness: 2 overdue reviews [review-overdue]; most overdue: " in built.stderr
    for plan in ("example-one-page", "example-full"):
        page = (tmp_path / "site/plans/accounts" / plan / "index.html").read_text(encoding="utf-8")
        assert "overdue" in page.lower(), plan


def _runs(name: str) -> list[str]:
    document = yaml.safe_load(workflow_text(name, "pip install kamdocs"))
    return [step["run"] for job in document["jobs"].values() for step in job["steps"] if "run" in step]


def test_the_workflows_init_writes_follow_the_publication_rule() -> None:
    """Pull requests warn, the schedule fails on freshness, the site build ignores it."""
    assert set(WORKFLOWS) == {"plans.yml", "freshness.yml", "pages.yml"}
    pull_request = " ".join(_runs("plans.yml"))
    assert "kamdocs check" in pull_request
    assert "freshness=error" not in pull_request
    # What the site build refuses (every warning but freshness), the pull request refuses first.
    assert any("kamdocs check --strict --no-freshness" in r for r in _runs("plans.yml"))
    assert any("kamdocs check --severity freshness=error" in r for r in _runs("freshness.yml"))
    assert "mkdocs build --strict" in _runs("pages.yml")


@pytest.mark.e2e
def test_the_pull_request_gate_equals_the_deploy(tmp_path: Path) -> None:
    """A plan the pull-request gate lets through builds under --strict, and one the build refuses, the gate refuses.

    A fresh ``kamdocs new`` plan still has TODO placeholders (warnings): both refuse it.
    Once filled in but years overdue, both accept it.
    """
    repo = tmp_path / "r"
    assert run(["init", str(repo), "--today", "2020-01-15"], tmp_path).exit_code == 0
    new = ["new", "acme", "--kind", "one-page", "--account", "Acme", "--owner", "o@example.com", "--area", "Lab"]
    assert run([*new, "--today", "2020-01-15"], repo).exit_code == 0
    gate = ["check", "--strict", "--no-freshness", "--quiet", "--format", "text"]

    def build() -> int:
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1795478400"}
        args = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")]
        return subprocess.run(args, cwd=repo, capture_output=True, text=True, env=env).returncode

    refused = run(gate, repo)
    assert refused.exit_code == 1
    assert "warning[todo]" in refused.output
    assert build() == 1
    plan = repo / "plans/acme.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("TODO: ", "Filled in: "), encoding="utf-8")
    assert run(gate, repo).exit_code == 0
    assert build() == 0
