"""Promises about the project itself: README commands, CI, architecture."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

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


def _on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run a command with stdout on a pseudo-terminal, as a user's shell would."""
    main, child = pty.openpty()
    process = subprocess.Popen(args, cwd=cwd, stdout=child, stderr=child, env=env)
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait()
    os.close(main)
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "bad.md").write_text("---\nid: bad\nkind: x\n---\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "GITHUB_ACTIONS")}
    coloured = _on_a_terminal([sys.executable, "-m", "kamdocs", "check"], tmp_path, env)
    plain = _on_a_terminal([sys.executable, "-m", "kamdocs", "check"], tmp_path, {**env, "NO_COLOR": "1"})
    assert "\x1b[" in coloured
    assert "\x1b[" not in plain
    assert "plans/bad.md:" in plain


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
