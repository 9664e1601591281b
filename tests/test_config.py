"""mkdocs.yml problems are configuration errors: one line on stderr, exit 2, naming mkdocs.yml and the key.

The CLI and ``mkdocs build`` read the same entry and must agree: what MkDocs
refuses, the CLI refuses too, instead of quietly using the defaults.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .commands import mkdocs_build_in_process
from .conftest import plan_text, run

BAD = {
    # name: (the plugins block, the key the message must name)
    "impossible-date": ("  - kamdocs:\n      today: 2026-02-30\n", "today"),
    "year-10000": ("  - kamdocs:\n      today: 10000-01-01\n", "today"),
    "today-yes": ("  - kamdocs:\n      today: yes\n", "today"),
    "today-number": ("  - kamdocs:\n      today: 20260101\n", "today"),
    "quoted-number": ('  - kamdocs:\n      due_soon_days: "14"\n', "due_soon_days"),
    "negative-number": ("  - kamdocs:\n      due_soon_days: -1\n", "due_soon_days"),
    "group-by-text": ("  - kamdocs:\n      group_by: business_area\n", "group_by"),
    "severity-list": ("  - kamdocs:\n      severity: [x]\n", "severity"),
    "interval-zero": ("  - kamdocs:\n      default_interval: P0D\n", "default_interval"),
    "interval-huge": ("  - kamdocs:\n      default_interval: P99999Y\n", "default_interval"),
    "options-as-siblings": ("  - kamdocs:\n    due_soon_days: 7\n", "kamdocs"),
    "options-as-siblings-2": ("  - search\n  - kamdocs:\n    git: false\n    today: 2026-01-01\n", "kamdocs"),
    "options-not-a-mapping": ("  - kamdocs: 7\n", "kamdocs"),
    "options-a-list": ("  - kamdocs: [git]\n", "kamdocs"),
    "plugins-a-number": (" 7\n", "plugins"),
}
MKDOCS_ITSELF_CRASHES = {"impossible-date"}
"""MkDocs' own YAML loader raises ValueError on 2026-02-30 before any plugin runs (a traceback of MkDocs')."""


def write(tmp_path: Path, plugins: str, extra: str = "") -> Path:
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True, exist_ok=True)
    (repo / "docs").mkdir(exist_ok=True)
    (repo / "docs" / "index.md").write_text("# Plans\n", encoding="utf-8")
    (repo / "plans" / "good.md").write_text(plan_text("good"), encoding="utf-8")
    (repo / "mkdocs.yml").write_text(f"site_name: Plans\n{extra}plugins:{plugins}", encoding="utf-8")
    return repo


def cli(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in-process (fast); the hostile-input tests run it as a subprocess."""
    result = run(list(args), repo)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize(
    ("name", "command"),
    [(name, ["check", "--today", "2026-11-01"]) for name in sorted(BAD)]
    + [
        (name, command)
        for name in ("impossible-date", "options-as-siblings", "quoted-number")
        for command in (["status", "--today", "2026-11-01"], ["export", "--format", "json"], ["codeowners", "--check"])
    ],
)
def test_bad_option_is_one_line_exit_2_naming_the_file_and_key(tmp_path: Path, name: str, command: list[str]) -> None:
    plugins, key = BAD[name]
    repo = write(tmp_path, "\n" + plugins if not plugins.startswith(" 7") else plugins)
    result = cli(repo, *command)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kamdocs: error: mkdocs.yml")
    assert key in lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize("name", sorted(set(BAD) - MKDOCS_ITSELF_CRASHES))
def test_mkdocs_build_refuses_what_the_cli_refuses(tmp_path: Path, name: str) -> None:
    plugins, key = BAD[name]
    repo = write(tmp_path, "\n" + plugins if not plugins.startswith(" 7") else plugins)
    result = mkdocs_build_in_process(repo)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert key in result.stderr or "Invalid Plugins configuration" in result.stderr
    assert not (tmp_path / "site" / "plans").exists()


@pytest.mark.parametrize("depth", [101, 3000, 20000])
@pytest.mark.parametrize("where", ["extra", "plugin-option"])
def test_deep_nesting_in_mkdocs_yml_is_a_configuration_error(tmp_path: Path, depth: int, where: str) -> None:
    nested = "[" * depth + "]" * depth
    if where == "extra":
        repo = write(tmp_path, "\n  - kamdocs\n", extra=f"extra:\n  deep: {nested}\n")
        top = "extra"
    else:
        repo = write(tmp_path, f"\n  - kamdocs:\n      x-deep: {nested}\n")
        top = "plugins"
    result = cli(repo, "check")
    assert result.returncode == 2, result.stderr
    line = result.stderr.strip()
    assert "\n" not in line
    assert line.startswith("kamdocs: error: mkdocs.yml:")
    assert f"under '{top}'" in line and "levels of nesting" in line


def test_nesting_within_the_limit_is_read(tmp_path: Path) -> None:
    nested = "[" * 90 + "]" * 90
    repo = write(tmp_path, "\n  - kamdocs\n", extra=f"extra:\n  deep: {nested}\n")
    result = cli(repo, "check", "--today", "2026-11-01")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "plugins", ["\n  - search\n", " []\n", "\n  search: {}\n", ""], ids=["search-only", "empty-list", "dict", "none"]
)
def test_mkdocs_yml_without_a_kamdocs_entry_says_defaults_are_in_use(tmp_path: Path, plugins: str) -> None:
    repo = write(tmp_path, plugins)
    result = cli(repo, "check", "--today", "2026-11-01")
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.strip()]
    assert notes == ["kamdocs: note: mkdocs.yml has no kamdocs entry under plugins; the default settings are in use"]


@pytest.mark.parametrize(
    "plugins", ["\n  - kamdocs\n", "\n  - kamdocs:\n", "\n  - kamdocs:\n      git: false\n", "\n  kamdocs: {}\n"]
)
def test_a_kamdocs_entry_gives_no_notice(tmp_path: Path, plugins: str) -> None:
    repo = write(tmp_path, plugins)
    result = cli(repo, "check", "--today", "2026-11-01")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_options_under_the_entry_are_used_by_both(tmp_path: Path) -> None:
    """The right indentation is read, so the same text that failed as siblings works when indented."""
    repo = write(tmp_path, "\n  - kamdocs:\n      git: false\n      today: 2026-11-01\n      due_soon_days: 7\n")
    result = cli(repo, "status", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"today": "2026-11-01"' in result.stdout
    assert mkdocs_build_in_process(repo).returncode == 0
