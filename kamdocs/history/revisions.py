"""Plan files as they were at a git revision, in a fixed number of git processes.

``git ls-tree`` lists the plans at a revision and one ``git cat-file --batch``
reads them all; ``git diff -M`` names the renames. The working tree is read
from disk.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from kamdocs.errors import UsageError
from kamdocs.history.log import batch_contents, git_paths, name_status, root_relative, run_git
from kamdocs.plan.loader import discover, read_regular_file
from kamdocs.system.paths import where_it_leads


class RevisionError(UsageError):
    """A revision git does not know, or no repository; the CLI exits 2 with the message."""


@dataclass(frozen=True)
class Repository:
    toplevel: Path
    root: Path
    plans_dir: Path

    def git(self, *args: str, data: bytes | None = None) -> bytes:
        result = run_git(list(args), self.toplevel, data)
        if result.returncode != 0:
            message = result.stderr.decode(errors="replace").strip().splitlines()
            raise RevisionError(message[-1] if message else f"git {' '.join(args)} failed")
        return result.stdout

    def rel(self, git_path: str) -> str:
        return root_relative(self.toplevel, self.root, git_path)

    @property
    def plans_pathspec(self) -> str:
        try:
            return Path(os.path.realpath(self.plans_dir)).relative_to(self.toplevel).as_posix() or "."
        except ValueError:
            raise RevisionError(
                f"the plans folder {self.plans_dir} is outside the git repository {self.toplevel}"
            ) from None


def open_repository(root: Path, plans_dir: Path) -> Repository:
    """The git repository holding the plans, or a RevisionError saying why there is none."""
    folder = plans_dir if plans_dir.is_dir() else root
    try:
        result = run_git(["rev-parse", "--show-toplevel"], folder)
    except FileNotFoundError:
        raise RevisionError("git is not installed") from None
    if result.returncode != 0:
        raise RevisionError(f"{folder} is not in a git repository (kamdocs diff compares git revisions)")
    return Repository(Path(git_paths(result.stdout).strip()).resolve(), root.resolve(), plans_dir)


def resolve(repo: Repository, revision: str) -> str:
    """The commit id a revision name (branch, tag, sha) stands for, or a RevisionError."""
    try:
        return repo.git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    except RevisionError:
        hint = "; the repository has no commits yet" if revision == "HEAD" else ""
        raise RevisionError(f"unknown git revision {revision!r}{hint}") from None


@dataclass(frozen=True)
class Base:
    """The revision ``kamdocs diff`` compares with when none is given, and how it was found."""

    sha: str
    branch: str | None
    """The default branch whose merge-base with HEAD this is; None when HEAD itself is the base."""

    @property
    def fallback(self) -> bool:
        return self.branch is None

    @property
    def description(self) -> str:
        if self.branch is None:
            return (
                f"no default branch ({', '.join(DEFAULT_BRANCHES)}) to compare with; "
                f"comparing with HEAD ({self.sha[:10]})"
            )
        return f"comparing with the merge-base of HEAD and {self.branch} ({self.sha[:10]})"


DEFAULT_BRANCHES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")


def default_base(repo: Repository) -> Base:
    """The merge-base of HEAD with the default branch (origin's HEAD, else main or master), else HEAD."""
    candidates = []
    with contextlib.suppress(RevisionError):
        candidates.append(git_paths(repo.git("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD")).strip())
    candidates += list(DEFAULT_BRANCHES[1:])
    for branch in candidates:
        try:
            return Base(repo.git("merge-base", "HEAD", branch).decode().strip(), branch)
        except RevisionError:
            continue
    return Base(resolve(repo, "HEAD"), None)


def files_at(repo: Repository, revision: str) -> dict[str, bytes]:
    """Every plan file's bytes at a revision, by repository-relative path."""
    listing = git_paths(repo.git("ls-tree", "-r", "-z", "--full-name", revision, "--", repo.plans_pathspec))
    entries = []
    for record in listing.split("\0"):
        if not record:
            continue
        meta, _, path = record.partition("\t")
        _, kind, sha = meta.split()
        name = path.rsplit("/", 1)[-1]
        if kind == "blob" and name.endswith(".md") and not name.startswith((".", "_")):
            entries.append((path, sha))
    if not entries:
        return {}
    contents = batch_contents(repo.git("cat-file", "--batch", data="".join(f"{sha}\n" for _, sha in entries).encode()))
    return {repo.rel(path): contents[sha] for path, sha in entries if sha in contents}


WORKING_TREE_LIMIT = 64 * 1024 * 1024
"""The most ``diff`` reads of one plan on disk; far above any ``max_bytes``, it only bounds memory."""


def working_tree_files(repo: Repository, limit: int = WORKING_TREE_LIMIT) -> dict[str, bytes]:
    """The plan files on disk, read only as ``kamdocs check`` reads them.

    Only regular files inside the repository are read, through the loader's
    non-blocking reader: a FIFO would hang ``diff``, a link to ``/dev/zero``
    would fill memory, and a link out of the repository names no file git
    knows. Those, and files that cannot be read or are larger than ``limit``,
    are left out, as if absent; ``kamdocs check`` names each of them.
    """
    files = {}
    for path in discover([repo.plans_dir]):
        where = where_it_leads(path, repo.toplevel)
        if not where.inside:
            continue
        try:
            data = read_regular_file(where.real, limit)
        except OSError:  # NotRegularFile too: the reader opens without blocking and checks the type
            continue
        if len(data) <= limit:
            files[repo.rel(where.real.relative_to(where.root).as_posix())] = data
    return files


def renames(repo: Repository, base: str, head: str | None) -> dict[str, str]:
    """New path -> old path for plans git sees as renamed between ``base`` and ``head`` (None: working tree)."""
    args = ["diff", "--find-renames=70%", "--name-status", "-z", base]
    if head:
        args.append(head)
    output = git_paths(repo.git(*args, "--", repo.plans_pathspec))
    return {repo.rel(new): repo.rel(old) for code, old, new in name_status(output) if code.startswith("R")}
