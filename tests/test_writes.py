"""Every write is atomic and honest, proved on real file systems.

A full disk is a small tmpfs mounted in the test; read-only files and folders
are made immutable with ``chattr +i`` (root ignores permission bits) or live on
a tmpfs remounted read-only; symlinks are real. The commands run through
kamdocs' own command line, in this process (the same exit codes and messages,
without an interpreter's start for each); a test of the command's umask or of
a device runs it in a subprocess.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kamdocs.system.atomicfile import write_atomically

from . import commands
from .conftest import plan_text

TODAY = "2026-11-22"
MKDOCS = "site_name: x\nplugins:\n  - kamdocs:\n      github_handles:\n        bam@example.com: '@bam'\n"

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def kamdocs(*args: str, cwd: Path, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    """kamdocs ``args`` in ``cwd``, in process; with a ``umask`` of its own, in a subprocess
    (``tests/commands.kamdocs``: clean environment, timeout)."""
    if umask is None:
        return commands.kamdocs_in_process(cwd, *args)
    return commands.kamdocs(cwd, *args, umask=umask)


def tree(root: Path) -> dict[str, bytes | str]:
    """Every entry under ``root``: file contents, ``dir`` or the symlink's target."""
    out: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = path.read_bytes()
    return out


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kamdocs: error: "), lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def write_repo(root: Path) -> Path:
    (root / "plans").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (root / "plans" / "a.md").write_text(plan_text("a"), encoding="utf-8")
    return root


@contextlib.contextmanager
def tmpfs(where: Path, size: str = "64k") -> Iterator[Path]:
    if not IS_ROOT:
        pytest.skip("mounting a tmpfs needs root; the full-disk and read-only-mount cases run in CI as root")
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path) -> Path:
    """Write until the file system is full; return the filler so the test can free it."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for chunk in (4096, 1):  # whole pages, then the last bytes a smaller write could still use
            with contextlib.suppress(OSError):
                while True:
                    handle.write(b"x" * chunk)
    return filler


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed; root ignores permission bits, so there is no read-only file to test")
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"chattr +i does not work here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


# A full disk

FULL_DISK_COMMANDS = {
    "new": (["new", "b", "--kind", "one-page", "--account", "B", "--owner", "o@example.com", "--area", "x",
             "--today", TODAY], "plans/b.md"),
    "new-full": (["new", "b", "--kind", "full", "--account", "B", "--owner", "o@example.com", "--area", "x",
                  "--today", TODAY], "plans/b.md"),
    "codeowners": (["codeowners"], ".github/CODEOWNERS"),
    "export-json": (["export", "--format", "json", "-o", "out/deep/plans.json", "--today", TODAY],
                    "out/deep/plans.json"),
    "export-ics": (["export", "--format", "ics", "-o", "plans.ics", "--today", TODAY], "plans.ics"),
    "review": (["review", "plans/a.md", "--today", TODAY], "plans/a.md"),
    "rollover": (["rollover", "plans/a.md", "--period-start", "2027-01-01", "--period-end", "2027-12-31"],
                 "plans/a.md"),
    "init": (["init", "fresh", "--today", TODAY], "fresh"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(FULL_DISK_COMMANDS))
def test_a_full_disk_leaves_nothing_behind(tmp_path: Path, name: str) -> None:
    args, target = FULL_DISK_COMMANDS[name]
    with tmpfs(tmp_path / "fs") as fs:
        repo = write_repo(fs / "repo")
        filler = fill(fs)
        before = tree(repo)
        result = kamdocs(*args, cwd=repo)
        assert_one_line_error(result, 1, target, "No space left on device")
        assert tree(repo) == before  # no 0-byte, partial or temporary file, and no folder left over
        filler.unlink()
        if name.startswith("new"):
            again = kamdocs(*args, cwd=repo)
            assert again.returncode == 0, again.stderr
            assert kamdocs("check", "--no-freshness", "plans/b.md", cwd=repo).returncode == 0


def test_atomic_write_on_a_full_disk_raises_naming_the_target(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "fs") as fs:
        (fs / "keep.txt").write_bytes(b"old")
        fill(fs)
        for exclusive, name in ((False, "keep.txt"), (True, "new.txt")):
            with pytest.raises(OSError) as caught:
                write_atomically(fs / name, b"y" * 20_000, exclusive=exclusive)
            assert caught.value.filename == str(fs / name)
        assert sorted(p.name for p in fs.iterdir()) == ["filler", "keep.txt"]
        assert (fs / "keep.txt").read_bytes() == b"old"


# Read-only files, folders and file systems


def test_a_read_only_plan_is_not_changed(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "repo")
    plan = repo / "plans/a.md"
    before = tree(repo)
    with immutable(plan):
        review = kamdocs("review", "plans/a.md", "--today", TODAY, cwd=repo)
        assert_one_line_error(review, 1, "plans/a.md", "Operation not permitted")
        rollover = kamdocs("rollover", "a", "--period-start", "2027-01-01", "--period-end", "2027-12-31", cwd=repo)
        assert_one_line_error(rollover, 1, "plans/a.md", "Operation not permitted")
    assert tree(repo) == before


def test_a_read_only_folder_gets_no_file(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "repo")
    (repo / ".github").mkdir()
    before = tree(repo)
    with immutable(repo / "plans"), immutable(repo / ".github"):
        new = kamdocs("new", "b", "--kind", "one-page", "--account", "B", "--owner", "o", "--area", "x", cwd=repo)
        assert_one_line_error(new, 1, "plans/b.md", "Operation not permitted")
        review = kamdocs("review", "plans/a.md", "--today", TODAY, cwd=repo)
        assert_one_line_error(review, 1, "plans/a.md", "Operation not permitted")
        owners = kamdocs("codeowners", cwd=repo)
        assert_one_line_error(owners, 1, ".github/CODEOWNERS", "Operation not permitted")
    assert tree(repo) == before


def test_a_read_only_file_system(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "fs", size="1m") as fs:
        repo = write_repo(fs / "repo")
        before = tree(repo)
        remounted = subprocess.run(["mount", "-o", "remount,ro", str(fs)], capture_output=True)
        if remounted.returncode != 0:
            pytest.skip(f"cannot remount the tmpfs read-only: {remounted.stderr.decode(errors='replace').strip()}")
        cases = [
            (["new", "b", "--kind", "full", "--account", "B", "--owner", "o", "--area", "x"], "plans/b.md"),
            (["review", "a", "--today", TODAY], "plans/a.md"),
            (["rollover", "a", "--period-start", "2027-01-01", "--period-end", "2027-12-31"], "plans/a.md"),
            (["codeowners"], ".github"),
            (["export", "--format", "csv", "-o", "x/plans.csv", "--today", TODAY], "x"),
            (["init", "fresh"], "fresh"),
        ]
        for args, needle in cases:
            assert_one_line_error(kamdocs(*args, cwd=repo), 1, needle, "Read-only file system")
        assert tree(repo) == before


def test_a_folder_where_a_file_should_be_and_a_file_where_a_folder_should_be(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "repo")
    (repo / "out.json").mkdir()
    (repo / "afile").write_text("mine", encoding="utf-8")
    (repo / ".github").write_text("not a folder", encoding="utf-8")
    before = tree(repo)
    for folder in ("out.json", "plans"):  # click's own usage error
        assert kamdocs("export", "--format", "json", "-o", folder, cwd=repo).returncode == 2
    assert_one_line_error(kamdocs("export", "--format", "json", "-o", "", cwd=repo), 2, "found the folder")
    assert_one_line_error(kamdocs("export", "--format", "json", "-o", "afile/x.json", cwd=repo), 1, "afile")
    assert_one_line_error(kamdocs("codeowners", cwd=repo), 1, ".github", "Not a directory")
    init = kamdocs("init", "afile", cwd=repo)
    assert init.returncode == 2 and "'afile' is a file" in init.stderr and "Traceback" not in init.stderr
    assert_one_line_error(kamdocs("init", "afile/repo", cwd=repo), 1, "afile/repo", "Not a directory")
    assert tree(repo) == before


def test_export_creates_missing_folders(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "repo")
    result = kamdocs("export", "--format", "json", "-o", "site/data/2026/plans.json", "--today", TODAY, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert '"id":"a"' in (repo / "site/data/2026/plans.json").read_text(encoding="utf-8")


def test_init_that_fails_midway_removes_what_it_wrote(tmp_path: Path) -> None:
    """Free a few pages at a time: init fails on later and later files, and never leaves a half repository."""
    with tmpfs(tmp_path / "fs", size="256k") as fs:
        (fs / "mine").mkdir()
        filler = fill(fs)
        size = filler.stat().st_size
        failed_on = []
        for pages in range(1, 64):
            os.truncate(filler, max(size - pages * 4096, 0))
            result = kamdocs("init", "mine/fresh", "--today", TODAY, cwd=fs)
            if result.returncode == 0:
                break
            assert_one_line_error(result, 1, "No space left on device")
            failed_on.append(result.stderr.split(": ")[2])
            assert sorted(p.name for p in fs.iterdir()) == ["filler", "mine"]
            assert list((fs / "mine").iterdir()) == []
        assert result.returncode == 0, failed_on
        assert len(set(failed_on)) > 2  # it really did fail after writing some files, more than once
        assert (fs / "mine/fresh/plans/example-full.md").is_file()


# Exclusive creation


def test_exclusive_write_never_clobbers_an_existing_file(tmp_path: Path) -> None:
    for existing in ("a file", "a dangling symlink"):
        target = tmp_path / existing.replace(" ", "-")
        if existing == "a file":
            target.write_bytes(b"theirs")
        else:
            target.symlink_to(tmp_path / "nowhere")
        with pytest.raises(FileExistsError):
            write_atomically(target, b"ours", exclusive=True)
        assert os.path.lexists(target)
        assert existing != "a file" or target.read_bytes() == b"theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-dangling-symlink", "a-file"]


# Symlinks


def test_a_symlinked_plan_inside_the_repository_is_edited_at_its_target(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "repo")
    (repo / "shared").mkdir()
    (repo / "plans/a.md").rename(repo / "shared/a.md")
    (repo / "plans/a.md").symlink_to("../shared/a.md")
    result = kamdocs("review", "plans/a.md", "--today", TODAY, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "plans/a.md").is_symlink() and os.readlink(repo / "plans/a.md") == "../shared/a.md"
    assert f"last_reviewed: {TODAY}" in (repo / "shared/a.md").read_text(encoding="utf-8")
    rolled = kamdocs("rollover", "a", "--period-start", "2027-01-01", "--period-end", "2027-12-31", cwd=repo)
    assert rolled.returncode == 0, rolled.stderr
    assert (repo / "plans/a.md").is_symlink()
    assert "start: 2027-01-01" in (repo / "shared/a.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in (repo / "plans").iterdir()) == ["a.md"]
    assert sorted(p.name for p in (repo / "shared").iterdir()) == ["a.md"]


def test_a_symlink_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "repo")
    outside = tmp_path / "elsewhere" / "a.md"
    outside.parent.mkdir()
    (repo / "plans/a.md").rename(outside)
    for link in (str(outside), "../../elsewhere/a.md"):
        (repo / "plans/a.md").unlink(missing_ok=True)
        (repo / "plans/a.md").symlink_to(link)
        before = outside.read_bytes()
        for args in (["review", "plans/a.md", "--today", TODAY, "--force"],
                     ["review", "a", "--today", TODAY, "--force"],
                     ["rollover", "plans/a.md", "--period-start", "2027-01-01", "--period-end", "2027-12-31",
                      "--force"]):  # fmt: skip
            result = kamdocs(*args, cwd=repo)
            assert_one_line_error(result, 1, "outside the repository")
            assert outside.read_bytes() == before
            assert (repo / "plans/a.md").is_symlink()
        assert sorted(p.name for p in outside.parent.iterdir()) == ["a.md"]


def test_a_plan_in_a_symlinked_folder_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "plans/a.md").rename(elsewhere / "a.md")
    (repo / "plans/ext").symlink_to(elsewhere)
    before = (elsewhere / "a.md").read_bytes()
    result = kamdocs("review", "plans/ext/a.md", "--today", TODAY, "--force", cwd=repo)
    assert_one_line_error(result, 1, "outside the repository")
    assert (elsewhere / "a.md").read_bytes() == before


def test_a_plan_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "repo")
    os.mkfifo(repo / "plans/fifo.md")
    (repo / "plans/dangling.md").symlink_to("nowhere.md")
    for name in ("fifo", "dangling"):
        result = kamdocs("review", f"plans/{name}.md", "--today", TODAY, "--force", cwd=repo)
        assert_one_line_error(result, 1, f"plans/{name}.md: expected a regular file")


# File modes


@pytest.mark.parametrize("mode", [0o640, 0o755, 0o600, 0o664, 0o2775, 0o1644, 0o4750, 0o6755])
def test_review_and_rollover_keep_the_file_mode(tmp_path: Path, mode: int) -> None:
    repo = write_repo(tmp_path / "repo")
    plan = repo / "plans/a.md"
    os.chmod(plan, mode)
    if stat.S_IMODE(plan.stat().st_mode) != mode:
        pytest.skip(f"this file system or user cannot set mode {mode:o} (setgid needs the file's group)")
    review = kamdocs("review", "plans/a.md", "--today", TODAY, cwd=repo)
    assert review.returncode == 0, review.stderr
    assert f"last_reviewed: {TODAY}" in plan.read_text(encoding="utf-8")
    assert stat.S_IMODE(plan.stat().st_mode) == mode
    rolled = kamdocs("rollover", "plans/a.md", "--period-start", "2027-01-01", "--period-end", "2027-12-31", cwd=repo)
    assert rolled.returncode == 0, rolled.stderr
    assert "end: 2027-12-31" in plan.read_text(encoding="utf-8")
    assert stat.S_IMODE(plan.stat().st_mode) == mode


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_new_files_get_the_mode_open_would_give(tmp_path: Path, umask: int) -> None:
    repo = write_repo(tmp_path / "repo")
    result = kamdocs("new", "b", "--kind", "one-page", "--account", "B", "--owner", "o", "--area", "x",
                     cwd=repo, umask=umask)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((repo / "plans/b.md").stat().st_mode) == 0o666 & ~umask
    exported = kamdocs("export", "--format", "csv", "-o", "out.csv", cwd=repo, umask=umask)
    assert exported.returncode == 0, exported.stderr
    assert stat.S_IMODE((repo / "out.csv").stat().st_mode) == 0o666 & ~umask


# Rollover periods


def test_export_never_writes_into_a_device_and_says_where_standard_output_is(tmp_path: Path) -> None:
    """``-o /dev/null`` or ``-o /dev/stdout`` is refused (exit 2) like every special file and link:
    standard output is where export writes without ``-o``."""
    repo = write_repo(tmp_path / "repo")
    for device, found in (("/dev/null", "a character device"), ("/dev/stdout", "a symlink to /proc/self/fd/1")):
        result = commands.kamdocs(repo, "export", "--format", "json", "-o", device)
        assert_one_line_error(result, 2, device, found, "leave out -o to write to standard output")
        assert result.stdout == ""
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not [p for p in Path("/dev").glob(".null.*.tmp")]
