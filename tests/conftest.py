"""Shared fixtures: real plan repositories written into tmp_path from text."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kamdocs.cli import main

from .tiers import unmarked_e2e
from .wheel import Built, build_archives

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "example-files"
FORM_FILES = ROOT / "tests" / "editor-files"
"""Plans as the form editor (Decap CMS) saved them, captured from tests/test_editor_saves.py."""


def plan_text(plan_id: str, **replace: str) -> str:
    """The minimal valid one-page plan, with ``old=new`` text replacements."""
    text = (EXAMPLES / "positive" / "one-page-minimal.md").read_text(encoding="utf-8")
    text = text.replace("id: one-page-minimal", f"id: {plan_id}")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def replaced(text: str, *changes: tuple[str, str]) -> str:
    """``text`` with each ``(old, new)`` made; each old text must be there exactly once."""
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def form_written(make_repo: Callable[..., Path], *names: str) -> Path:
    """A ``make_repo`` repository holding the named plans of FORM_FILES, as the form saved them."""
    return make_repo({f"plans/{name}": (FORM_FILES / name).read_bytes() for name in names})


def check_clean(repo: Path, name: str, today: str = "2026-11-25") -> None:
    """``kamdocs check`` finds no error in ``plans/name``."""
    result = run(["check", "--today", today, f"plans/{name}"], repo)
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


CLEAN_ENV = {
    "GITHUB_ACTIONS": "",
    "GITHUB_STEP_SUMMARY": "",
    "NO_COLOR": "",
    "SOURCE_DATE_EPOCH": "",
    "COLUMNS": "",
    "LINES": "",
}
"""Variables a command's output depends on, unset unless a test sets them: pytest-xdist's workers export the
terminal's size (COLUMNS=80), which would cut the status table of a run that is no terminal."""


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Result:
    """Run the kamdocs command in ``cwd`` in-process, with GitHub and colour variables cleared."""
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        merged = {**CLEAN_ENV, **(env or {})}
        return runner.invoke(main, args, env={k: (v or None) for k, v in merged.items()}, catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """Write a plans repository: ``make_repo({"plans/a.md": text}, mkdocs="...")``."""

    def make(files: dict[str, str | bytes] | None = None, mkdocs: str | None = None) -> Path:
        repo = tmp_path / "repo"
        repo.mkdir(exist_ok=True)
        (repo / "plans").mkdir(exist_ok=True)
        for name, content in (files or {}).items():
            path = repo / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8")
        if mkdocs is not None:
            (repo / "mkdocs.yml").write_text(textwrap.dedent(mkdocs), encoding="utf-8")
        return repo

    return make


@pytest.fixture
def bundled_plans(tmp_path: Path) -> Path:
    """A copy of this repository's sample plans and mkdocs.yml, to run commands on."""
    repo = tmp_path / "bundled"
    shutil.copytree(ROOT / "plans", repo / "plans")
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    return repo


class GitRepo:
    """A real git repository whose commits have fixed author and committer dates."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Test Author")
        self.git("config", "user.email", "author@example.com")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, when: str = "2026-01-01T12:00:00+00:00", author: str | None = None) -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_DATE": when,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        if author:
            env["GIT_AUTHOR_NAME"] = author
        result = subprocess.run(["git", *args], cwd=self.path, env=env, capture_output=True, text=True, check=True)
        return result.stdout

    def write(self, name: str, text: str) -> Path:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, message: str, when: str, author: str | None = None, **files: str) -> None:
        for name, text in files.items():
            self.write(name.replace("__", "/"), text)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, when=when, author=author)


@pytest.fixture
def git_repo(tmp_path: Path) -> GitRepo:
    return GitRepo(tmp_path / "repo")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's chromium through Playwright, one per test module (scripts/browser.py says how it is launched)."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "scripts"))
    from browser import CHROMIUM_FLAGS, chromium_path

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """kamdocs' sdist and wheels, built once per session (tests/wheel.py) for every module that installs them."""
    return build_archives(tmp_path_factory.mktemp("build"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a run in which a test that drives Chromium, LibreOffice, a fresh virtual environment or the
    package build lacks the ``e2e`` mark: it would slow the fast loop (tests/tiers.py says how it is told)."""
    unmarked = unmarked_e2e(items)
    if unmarked:
        raise pytest.UsageError("mark these tests @pytest.mark.e2e (tests/tiers.py):\n  " + "\n  ".join(unmarked))
