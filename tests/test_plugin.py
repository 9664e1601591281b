"""Real `mkdocs build`s into tmp_path: the plugin checks plans at build time."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, plan_text

MKDOCS = """\
site_name: Plans
theme:
  name: material
  font: false
plugins:
  - search
  - kamdocs
"""


def build(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(repo.parent / "site"), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def test_this_repository_builds_strict_and_docs_dir_is_untouched(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for name in ("docs", "plans"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    before = digest(repo / "docs")
    result = build(repo, "--strict")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "format" / "index.html").is_file()
    assert digest(repo / "docs") == before
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html


def test_invalid_plan_stops_the_build_with_every_finding(make_repo) -> None:
    repo = make_repo(
        {
            "docs/index.md": "# Plans\n",
            "plans/good.md": plan_text("good"),
            "plans/bad.md": plan_text("bad", **{"kind: one-page": "kind: onepage", "target: 500000": "target: lots"}),
        },
        mkdocs=MKDOCS,
    )
    result = build(repo)
    assert result.returncode == 1
    assert "kamdocs: 2 error(s) in the plans" in result.stderr
    assert "plans/bad.md:4: expected one of 'one-page', 'full'" in result.stderr
    assert "plans/bad.md:13: expected a number" in result.stderr
    assert "Traceback" not in result.stderr


def test_warnings_are_logged_and_fail_strict(make_repo) -> None:
    repo = make_repo(
        {"docs/index.md": "# Plans\n", "plans/warn.md": plan_text("warn", **{"status: open": "status: dropped"})},
        mkdocs=MKDOCS,
    )
    assert build(repo).returncode == 0
    strict = build(repo, "--strict")
    assert strict.returncode == 1
    assert "plans/warn.md:25: expected a commitment that resolves obstacle 'obs-a'" in strict.stderr


def test_bad_option_is_a_config_error(make_repo) -> None:
    repo = make_repo(
        {"docs/index.md": "# Plans\n"},
        mkdocs=MKDOCS.replace("  - kamdocs\n", "  - kamdocs:\n      due_soon_days: soon\n"),
    )
    result = build(repo)
    assert result.returncode == 1
    assert "due_soon_days" in result.stderr
    assert "Traceback" not in result.stderr
