"""A new plans repository installs kamdocs from wherever the team keeps it, and is
green on its first day: ``kamdocs init --install``, its first steps, CODEOWNERS
and .gitignore, on real folders and real git repositories."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

from kamdocs import __version__

from .conftest import run

TODAY = "2026-11-22"
WORKFLOW_FILES = ("plans.yml", "pages.yml", "freshness.yml")

FIRST_STEPS = [
    "git init -b main",
    "kamdocs check",
    'git add -A && git commit -m "Start the plans repository"',
    'kamdocs new ID --kind one-page --account "Name" --owner you@example.com --area "Business area"',
    "mkdocs serve",
]
"""The first steps, as docs/start.md follows them: written out here, not taken from kamdocs."""

EMPTY_CODEOWNERS = (
    "# BEGIN kamdocs: each plan's reviewer must approve changes to it (kamdocs codeowners)\n# END kamdocs\n"
)


def install_steps(repo: Path) -> list[str]:
    """The ``run`` of the 'Install kamdocs' step of each generated workflow."""
    found = []
    for name in WORKFLOW_FILES:
        workflow = yaml.safe_load((repo / ".github/workflows" / name).read_text(encoding="utf-8"))
        steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
        found += [step["run"] for step in steps if step.get("name") == "Install kamdocs"]
    return found


def pip_arguments(command: str, tmp_path: Path) -> list[str]:
    """The arguments ``command`` hands to ``python`` when bash runs it, as GitHub's runner does:
    a recording ``python`` first on PATH writes them one per NUL-terminated record."""
    tools = tmp_path / "recording-bin"
    tools.mkdir(exist_ok=True)
    record = tmp_path / "arguments"
    python = tools / "python"
    python.write_text(f'#!/bin/sh\nprintf "%s\\0" "$@" > {record}\n', encoding="utf-8")
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-e", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return record.read_text(encoding="utf-8").split("\0")[:-1]


@pytest.mark.parametrize(
    "spec",
    [
        "kamdocs==0.3.0",
        "kamdocs @ git+https://git.example.com/sales/kamdocs.git@v0.3.0",
        "tools/kamdocs-0.3.0-py3-none-any.whl",
        "kamdocs'; touch pwned; echo '",
        '"kamdocs"$(touch pwned)',
        "`touch pwned`kamdocs",
        "kamdocs #not a comment: nor a key",
        "kamdocs && touch pwned || ${HOME}",
    ],
)
def test_install_reaches_pip_as_written_in_every_workflow(tmp_path: Path, spec: str) -> None:
    result = run(["init", str(tmp_path / "r"), "--install", spec, "--today", TODAY], tmp_path)
    assert result.exit_code == 0, result.output
    commands = install_steps(tmp_path / "r")
    assert len(commands) == 3
    for command in commands:
        assert pip_arguments(command, tmp_path) == ["-m", "pip", "install", spec]
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    ("spec", "found"),
    [
        ("kamdocs==0.3.0\ntouch pwned", "U+000A"),
        ("kamdocs==0.3.0\r", "U+000D"),
        ("kamdocs\t==0.3.0", "U+0009"),
        ("kamdocs\x1b[2J", "U+001B"),
        ("", "found nothing"),
        (" kamdocs", "spaces around it"),
        ("--index-url=https://evil.example.com/simple", "pip option"),
    ],
)
def test_install_refuses_what_is_not_one_spec_on_one_line(tmp_path: Path, spec: str, found: str) -> None:
    result = run(["init", str(tmp_path / "r"), "--install", spec], tmp_path)
    assert result.exit_code == 2
    assert result.output.startswith("kamdocs: error: --install: expected")
    assert found in result.output
    assert not (tmp_path / "r").exists()


def test_without_install_init_writes_the_running_version_and_says_where_to_change_it(tmp_path: Path) -> None:
    result = run(["init", str(tmp_path / "r"), "--today", TODAY], tmp_path)
    assert result.exit_code == 0, result.output
    assert install_steps(tmp_path / "r") == [f"python -m pip install kamdocs=={__version__}"] * 3
    readme = (tmp_path / "r/README.md").read_text(encoding="utf-8")
    for text in (result.output, readme):
        assert "No public package index serves kamdocs" in " ".join(text.split())
        assert "Install kamdocs" in text and "--install" in text
        assert "docs/install.md" in text
    assert "pypi.org" not in readme
    assert f"    python -m pip install kamdocs=={__version__}\n" in readme


def test_a_wheel_to_commit_is_named_where_it_must_go(tmp_path: Path) -> None:
    wheel = "tools/kamdocs-0.3.0-py3-none-any.whl"
    result = run(["init", str(tmp_path / "r"), "--install", wheel], tmp_path)
    assert f"Copy that wheel to {tmp_path / 'r' / wheel} and commit it" in result.output
    assert "No public package index" not in result.output
    readme = (tmp_path / "r/README.md").read_text(encoding="utf-8")
    assert f"python -m pip install {wheel}" in readme


def _next_steps(output: str) -> list[str]:
    return [line.strip() for line in output.split("Next:\n", 1)[1].splitlines()]


def test_next_steps_are_the_first_steps_and_the_readme_lists_the_same(tmp_path: Path) -> None:
    result = run(["init", "my plans", "--today", TODAY], tmp_path)
    assert result.output.startswith("Created a plans repository in my plans.\n")
    assert _next_steps(result.output) == ["cd 'my plans'", *FIRST_STEPS]
    readme = (tmp_path / "my plans/README.md").read_text(encoding="utf-8")
    block = readme.split("## First steps\n", 1)[1].split("then open", 1)[0]
    assert [line[4:] for line in block.splitlines() if line.startswith("    ")] == FIRST_STEPS


def test_init_in_the_current_folder_speaks_of_it(tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    result = run(["init", ".", "--today", TODAY], tmp_path / "here")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Created a plans repository in the current folder.\n")
    assert _next_steps(result.output) == FIRST_STEPS
    assert " in .." not in result.output and "cd ." not in result.output
