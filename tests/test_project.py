"""Promises about the project itself: README commands, CI, architecture."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    assert commands[0].endswith("kamdocs check plans && mkdocs build --strict")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert setup_commands()[1] in ci.splitlines()


VENV = ["python3 -m venv .venv", ". .venv/bin/activate"]
"""How both set-up commands start their work: a virtual environment, never the system Python."""


def test_both_setup_commands_install_into_a_virtual_environment() -> None:
    for command in setup_commands():
        steps = command.split(" && ")
        made = steps.index(VENV[0])
        assert steps[made + 1] == VENV[1], command
        installs = [i for i, step in enumerate(steps) if "pip install" in step]
        assert installs and min(installs) > made + 1, command
        assert all(steps[i].startswith("python -m pip install ") for i in installs), command
        assert not [step for step in steps[made + 2 :] if step.startswith(("python3 ", "sudo "))], command
    assert "/.venv/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()  # never committed or packed


def test_ci_runs_the_readme_commands_in_the_virtual_environment_they_make() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    test_command = ci.index(setup_commands()[1])
    main = setup_commands()[0].split(" && ")
    main_job = " && ".join(main[max(i for i, step in enumerate(main) if "pip install" in step) + 1 :])
    assert main_job == "kamdocs check plans && mkdocs build --strict"
    assert main_job in ci[test_command + 1 :]  # the README's main job, after the test command installed kamdocs
    later = "\n".join(line for line in ci[test_command + 1 :] if not line.lstrip().startswith("#"))
    assert "python3 -m ruff check ." in later and "bash scripts/wheel_journey.sh" in later
    for leaving in ("deactivate", "venv", "activate", "/usr/bin/python", "pip install"):
        assert leaving not in later.replace("VIRTUAL_ENV", ""), leaving
    assert "set -euo pipefail" in ci and '[ -z "${VIRTUAL_ENV:-}" ]' in later


@pytest.mark.e2e
def test_the_setup_commands_virtual_environment_works_under_cis_shell_options(tmp_path: Path) -> None:
    """The README's first two steps, run as .ci/run runs them: python and pip are then the new environment's."""
    script = f"set -euo pipefail\n{' && '.join(VENV)} && command -v python && python -m pip --version\n"
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    python, pip = done.stdout.splitlines()
    assert python == str(tmp_path / ".venv/bin/python")
    assert f"from {tmp_path / '.venv'}/" in pip


def test_core_never_imports_mkdocs() -> None:
    package = ROOT / "kamdocs"
    core = sorted(
        ".".join(("kamdocs", *p.relative_to(package).with_suffix("").parts)).removesuffix(".__init__")
        for p in package.rglob("*.py")
        if p.stem not in ("plugin", "__main__")
    )
    script = (
        "import importlib, sys\n"
        f"for name in {core!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert len(core) >= 40 and "kamdocs.site.render" in core


def test_the_readme_check_sample_is_what_kamdocs_prints() -> None:
    """The README's `kamdocs check` output is reproducible: its command, run here, prints exactly it."""
    section = README.split("## `kamdocs check`", 1)[1]
    block = re.search(r"```console\n\$ (kamdocs [^\n]+)\n(.*?)\n```", section, flags=re.S)
    assert block is not None
    command, shown = block.group(1), block.group(2)
    assert "--today" in command, "the sample must not depend on the day it is run"
    result = subprocess.run(
        [sys.executable, "-m", "kamdocs", *command.split()[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")},
    )
    assert result.returncode == 1
    assert result.stdout.rstrip("\n") == shown
