"""``kamdocs diff``: plan changes in business terms between two revisions, and the working tree read
as ``check`` reads it (special files and links skipped, never a hang)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .commands import MKDOCS, kamdocs
from .conftest import GitRepo, plan_text, run


def committed_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write("mkdocs.yml", MKDOCS)
    repo.commit("Add the plan", "2026-10-01T12:00:00+00:00", **{"plans/good.md": plan_text("good")})
    repo.write("plans/good.md", plan_text("good", **{"target: 500000": "target: 650000"}))
    return repo


def diff_json(repo: Path) -> dict:
    result = kamdocs(repo, "diff", "HEAD", "--format", "json", timeout=20)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_diff_skips_fifos_devices_and_links_out_of_the_repository_without_hanging(tmp_path: Path) -> None:
    repo = committed_repo(tmp_path)
    plans = repo.path / "plans"
    os.mkfifo(plans / "fifo.md")
    os.symlink("/dev/zero", plans / "zero.md")  # read to the end, it never ends
    os.symlink("/dev/urandom", plans / "random.md")
    os.symlink("/etc/passwd", plans / "passwd.md")  # a regular file outside the repository
    os.symlink("loop.md", plans / "loop.md")
    (plans / "folder.md").mkdir()

    report = diff_json(repo.path)

    assert [(p["file"], p["status"]) for p in report["plans"]] == [("plans/good.md", "modified")]
    assert report["plans"][0]["changes"] == [{"kind": "goal-target", "old": 500000, "new": 650000, "unit": "CHF"}]


def test_diff_with_a_plans_folder_that_is_a_fifo_or_a_loop_does_not_hang(tmp_path: Path) -> None:
    for kind in ("fifo", "loop"):
        repo = GitRepo(tmp_path / kind)
        repo.write("mkdocs.yml", MKDOCS)
        repo.commit("Add the plan", "2026-10-01T12:00:00+00:00", **{"plans/good.md": plan_text("good")})
        (repo.path / "plans" / "good.md").unlink()
        (repo.path / "plans").rmdir()
        if kind == "fifo":
            os.mkfifo(repo.path / "plans")
        else:
            os.symlink("plans", repo.path / "plans")

        result = kamdocs(repo.path, "diff", "HEAD", "--format", "json", timeout=20)

        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, (kind, result.stderr)
        assert result.returncode in (0, 2), (kind, result.stderr)


TODAY = "2026-11-22"


def test_diff_reports_a_renamed_plan_whose_id_no_longer_matches_as_invalid(git_repo: GitRepo) -> None:
    files = {"plans__alpha.md": plan_text("alpha"), "plans__beta.md": plan_text("beta")}
    git_repo.commit("start", "2026-11-01T10:00:00+00:00", **files)
    git_repo.git("mv", "plans/alpha.md", "plans/omega.md")
    git_repo.write("plans/beta.md", plan_text("beta").replace("id: beta", "id: gamma"))
    document = json.loads(run(["diff", "--format", "json"], git_repo.path).stdout)
    statuses = {p["file"]: (p["status"], p["old_file"]) for p in document["plans"]}
    assert statuses == {"plans/omega.md": ("invalid", "plans/alpha.md"), "plans/beta.md": ("invalid", None)}
    git_repo.write("plans/omega.md", plan_text("omega"))
    git_repo.git("add", "-A")
    fixed = json.loads(run(["diff", "--format", "json"], git_repo.path).stdout)
    assert {p["file"]: p["status"] for p in fixed["plans"]}["plans/omega.md"] == "renamed"


def test_diff_says_when_it_falls_back_to_head(git_repo: GitRepo) -> None:
    git_repo.commit("start", "2026-11-01T10:00:00+00:00", **{"plans__a.md": plan_text("a")})
    on_main = run(["diff"], git_repo.path)
    assert on_main.exit_code == 0 and on_main.stderr == ""
    git_repo.git("branch", "-m", "topic")
    head = git_repo.git("rev-parse", "HEAD").strip()
    fallback = run(["diff"], git_repo.path)
    assert fallback.exit_code == 0
    assert fallback.stdout == "No plan changed in business terms.\n"
    assert fallback.stderr == (
        "kamdocs: no default branch (origin/HEAD, origin/main, origin/master, main, master) to compare with; "
        f"comparing with HEAD ({head[:10]})\n"
    )


def test_diff_and_edits_never_block_on_a_fifo(git_repo: GitRepo) -> None:
    """A FIFO in plans/ is skipped by diff and refused by review --force, within seconds."""
    git_repo.write("plans/a.md", plan_text("a"))
    git_repo.commit("a plan", "2026-01-05T12:00:00+00:00")
    os.mkfifo(git_repo.path / "plans/pipe.md")
    for args in (["diff"], ["review", "--force", "plans/pipe.md"], ["review", "--force", "pipe"]):
        done = subprocess.run(
            [sys.executable, "-m", "kamdocs", *args, *(["--today", TODAY] if args[0] == "review" else [])],
            cwd=git_repo.path,
            capture_output=True,
            text=True,
            timeout=20,
        )
        assert "Traceback" not in done.stderr
        assert done.returncode == (0 if args == ["diff"] else 1), done.stderr


def test_links_that_lead_nowhere_are_one_line_errors_and_diff_skips_them(git_repo: GitRepo) -> None:
    """A link loop, a dangling link and a link out of the repository: no traceback, no hang."""
    git_repo.write("plans/a.md", plan_text("a"))
    git_repo.commit("a plan", "2026-01-05T12:00:00+00:00")
    plans = git_repo.path / "plans"
    os.symlink("loop2.md", plans / "loop1.md")
    os.symlink("loop1.md", plans / "loop2.md")
    os.symlink("nowhere.md", plans / "dangling.md")
    os.symlink("/etc/hostname", plans / "outside.md")
    os.symlink("/dev/zero", plans / "zero.md")
    for plan in ("plans/loop1.md", "loop1", "plans/dangling.md"):
        done = run(["review", "--force", plan, "--today", TODAY], git_repo.path)
        assert done.exit_code == 1, done.output
        assert "expected a regular file, found a link that leads nowhere (dangling or a loop)" in done.output
    diffed = subprocess.run(
        [sys.executable, "-m", "kamdocs", "diff"], cwd=git_repo.path, capture_output=True, text=True, timeout=20
    )
    assert diffed.returncode == 0, diffed.stderr
    assert "Traceback" not in diffed.stderr
