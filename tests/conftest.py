"""Shared fixtures: real plan repositories written into tmp_path from text."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "example-files"


def plan_text(plan_id: str, **replace: str) -> str:
    """The minimal valid one-page plan, with ``old=new`` text replacements."""
    text = (EXAMPLES / "positive" / "one-page-minimal.md").read_text(encoding="utf-8")
    text = text.replace("id: one-page-minimal", f"id: {plan_id}")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


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
