"""Git facts from real repositories with fixed commit dates."""

from __future__ import annotations

import os
import stat
import subprocess
from datetime import date
from pathlib import Path

from kamdocs.history.log import SHALLOW_WARNING, read_history

from .conftest import GitRepo, plan_text


def build_history(repo: GitRepo) -> None:
    repo.commit(
        "Add alpha and beta",
        "2026-01-05T09:00:00+00:00",
        **{"plans__alpha.md": plan_text("alpha"), "plans__beta.md": plan_text("beta")},
    )
    repo.commit(
        "Raise alpha target",
        "2026-02-10T09:00:00+00:00",
        author="Kim KAM",
        **{"plans__alpha.md": plan_text("alpha", **{"target: 500000": "target: 600000"})},
    )
    repo.commit("Touch docs only", "2026-02-11T09:00:00+00:00", **{"README.md": "readme"})
    repo.git("mv", "plans/beta.md", "plans/gamma.md")
    repo.commit("Rename beta to gamma", "2026-03-01T09:00:00+00:00", **{"plans__gamma.md": plan_text("gamma")})
    repo.commit(
        "Review gamma",
        "2026-04-01T09:00:00+00:00",
        author="Bea BAM",
        **{"plans__gamma.md": plan_text("gamma", **{"2026-10-01": "2026-03-31"})},
    )


def test_dates_authors_revisions_and_renames(git_repo: GitRepo) -> None:
    build_history(git_repo)
    history = read_history(git_repo.path, git_repo.path / "plans")
    assert history.available and not history.shallow and history.warnings == ()
    alpha = history.of("plans/alpha.md")
    assert [r.subject for r in alpha.revisions] == ["Raise alpha target", "Add alpha and beta"]
    assert (alpha.first.date.date(), alpha.last.date.date()) == (date(2026, 1, 5), date(2026, 2, 10))
    assert alpha.last.author == "Kim KAM"
    gamma = history.of("plans/gamma.md")
    assert [r.subject for r in gamma.revisions] == ["Review gamma", "Rename beta to gamma", "Add alpha and beta"]
    assert gamma.first.date.date() == date(2026, 1, 5)
    assert history.of("plans/beta.md") is None
    assert not alpha.uncommitted


def test_uncommitted_and_untracked_plans(git_repo: GitRepo) -> None:
    build_history(git_repo)
    git_repo.write("plans/alpha.md", plan_text("alpha", **{"target: 500000": "target: 1"}))
    git_repo.write("plans/new.md", plan_text("new"))
    history = read_history(git_repo.path, git_repo.path / "plans")
    assert history.of("plans/alpha.md").uncommitted
    assert history.of("plans/new.md").uncommitted and history.of("plans/new.md").revisions == ()
    assert not history.of("plans/gamma.md").uncommitted


def test_paths_are_relative_to_the_config_root_not_the_git_root(git_repo: GitRepo) -> None:
    git_repo.commit("Nested", "2026-01-05T09:00:00+00:00", **{"site__plans__a.md": plan_text("a")})
    history = read_history(git_repo.path / "site", git_repo.path / "site" / "plans")
    assert history.of("plans/a.md").last.subject == "Nested"


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    history = read_history(tmp_path, tmp_path / "plans")
    assert not history.available
    assert history.of("plans/a.md") is None
    assert history.warnings == ()


def test_shallow_clone_gives_one_warning_naming_the_fix(git_repo: GitRepo, tmp_path: Path) -> None:
    build_history(git_repo)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{git_repo.path}", str(clone)], check=True)
    history = read_history(clone, clone / "plans")
    assert history.shallow
    assert history.warnings == (SHALLOW_WARNING,)
    assert "fetch-depth: 0" in SHALLOW_WARNING
    # Every plan shows the same single commit: exactly why the dates cannot be trusted.
    assert {len(h.revisions) for h in history.files.values()} == {1}


def test_a_fixed_number_of_git_processes(git_repo: GitRepo, tmp_path: Path) -> None:
    for i in range(30):
        git_repo.write(f"plans/p{i:02d}.md", plan_text(f"p{i:02d}"))
    git_repo.commit("Thirty plans", "2026-01-05T09:00:00+00:00")
    real_git = subprocess.run(["which", "git"], capture_output=True, text=True, check=True).stdout.strip()
    shim = tmp_path / "bin"
    shim.mkdir()
    log = tmp_path / "git-calls.log"
    (shim / "git").write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{real_git}" "$@"\n', encoding="utf-8")
    (shim / "git").chmod(stat.S_IRWXU)
    old_path = os.environ["PATH"]
    os.environ["PATH"] = f"{shim}{os.pathsep}{old_path}"
    try:
        history = read_history(git_repo.path, git_repo.path / "plans")
    finally:
        os.environ["PATH"] = old_path
    assert len(history.files) == 30
    calls = log.read_text(encoding="utf-8").splitlines()
    assert len(calls) == 3
    assert sum(" log " in f" {c} " for c in calls) == 1


def test_a_root_reached_through_a_symlink_keys_paths_from_the_root(git_repo: GitRepo, tmp_path: Path) -> None:
    """git names the real top level; the root is resolved (once) so the keys stay ``plans/…``, the
    uncommitted mark included; a root inside the repository keys them from itself."""
    build_history(git_repo)
    git_repo.write("plans/new.md", plan_text("new"))
    link = tmp_path / "through-link"
    link.symlink_to(git_repo.path, target_is_directory=True)
    history = read_history(link, link / "plans")
    assert sorted(history.files) == ["plans/alpha.md", "plans/gamma.md", "plans/new.md"]
    assert history.of("plans/new.md").uncommitted and not history.of("plans/alpha.md").uncommitted
    inner = read_history(git_repo.path / "plans", git_repo.path / "plans")
    assert sorted(inner.files) == ["alpha.md", "gamma.md", "new.md"]
