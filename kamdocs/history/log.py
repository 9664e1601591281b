"""Git history of the plans, read with a fixed, small number of git processes.

One ``git rev-parse``, one ``git log`` over the plans folder and one
``git status``, whatever the number of plans: one ``git log`` per file is
what makes large sites slow. Renames are followed by replaying the log from
newest to oldest. The result is plain data handed to whoever needs it; the
freshness rules never run git themselves.
"""

from __future__ import annotations

import functools
import os
import subprocess
import threading
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import IO

from kamdocs.escaping import visible_text

LOG_FORMAT = "%x1e%H%x1f%cI%x1f%an%x00%s"
"""Each commit's header for :func:`commits`: id and date, then the author and, after a NUL, the subject."""

SHALLOW_WARNING = (
    "this is a shallow git clone, so plan history and last-change dates cannot be trusted; "
    "fetch the full history (in GitHub Actions: actions/checkout with fetch-depth: 0)"
)


@dataclass(frozen=True)
class Revision:
    """One commit that touched a plan: its id, date and author."""

    sha: str
    date: datetime
    author: str
    subject: str


@dataclass(frozen=True)
class FileHistory:
    """One plan's commits, newest first, following renames."""

    revisions: tuple[Revision, ...] = ()
    uncommitted: bool = False
    blobs: tuple[str, ...] = ()
    """The file's git blob id at each of ``revisions``, for readers of its earlier contents."""
    paths: tuple[str, ...] = ()
    """The file's path (relative to the root) at each of ``revisions``: a renamed plan's earlier versions
    are judged under the name they had, as ``kamdocs check`` judged them then."""

    @property
    def last(self) -> Revision | None:
        return self.revisions[0] if self.revisions else None

    @property
    def first(self) -> Revision | None:
        return self.revisions[-1] if self.revisions else None


@dataclass(frozen=True)
class GitHistory:
    """What git knows about the plans; ``available`` is False outside a repository."""

    available: bool = False
    shallow: bool = False
    files: Mapping[str, FileHistory] = field(default_factory=lambda: MappingProxyType({}))
    warnings: tuple[str, ...] = ()

    def of(self, rel: str) -> FileHistory | None:
        return self.files.get(rel) if self.available else None


def git_command(args: list[str]) -> tuple[list[str], dict[str, str]]:
    """The command line and environment kamdocs runs git with: no optional locks, C locale, paths unquoted."""
    return ["git", "-c", "core.quotePath=false", *args], {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


def run_git(args: list[str], cwd: Path, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run git as kamdocs always does (:func:`git_command`), its output collected."""
    command, env = git_command(args)
    return subprocess.run(command, cwd=cwd, input=data, capture_output=True, env=env, check=False)


def git_paths(output: bytes) -> str:
    """Git's output of file paths as text that names the same files as :mod:`pathlib` does.

    Git prints paths as the bytes on disk; a folder or plan named in another
    encoding than UTF-8 must neither crash the command nor lose its history,
    so undecodable bytes are kept as the file system's own escapes.
    """
    return os.fsdecode(output)


def _readable(text: str) -> str:
    """Commit text (author, subject) for pages and reports: undecodable bytes shown as U+FFFD, and control,
    bidi and zero-width characters as escapes (:func:`kamdocs.escaping.visible_text`), so a commit cannot
    turn a history row around or send an escape code to whoever prints the page."""
    return visible_text(text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))


def name_status(output: str) -> Iterator[tuple[str, str, str]]:
    """(status, old path, new path) from ``--name-status -z`` output; renames and copies carry both paths."""
    tokens = output.split("\0")
    i = 0
    while i < len(tokens) and tokens[i]:
        code = tokens[i]
        if code[:1] in ("R", "C"):
            yield code, tokens[i + 1], tokens[i + 2]
            i += 3
        else:
            yield code, tokens[i + 1], tokens[i + 1]
            i += 2


def root_relative(toplevel: Path, root: Path, git_path: str) -> str:
    """A path from git (relative to the top level) as findings show it (relative to the root)."""
    return _relative(toplevel / git_path, root.resolve())


def _relative(absolute: Path, resolved_root: Path) -> str:
    try:
        return absolute.relative_to(resolved_root).as_posix()
    except ValueError:
        return absolute.as_posix()


def read_history(root: Path, plans_dir: Path) -> GitHistory:
    """History of every file under ``plans_dir``, keyed by path relative to ``root``."""
    try:
        probe = run_git(["rev-parse", "--show-toplevel", "--is-shallow-repository"], plans_dir)
    except FileNotFoundError:
        return GitHistory(warnings=("git is not installed, so plan history is not shown",))
    except OSError as exc:
        return GitHistory(warnings=(f"git could not be run: {exc}",))
    if probe.returncode != 0:
        message = probe.stderr.decode(errors="replace").strip().splitlines()
        if message and "not a git repository" not in message[0]:
            return GitHistory(warnings=(f"git history unavailable: {message[0]}",))
        return GitHistory()
    toplevel_text, shallow_text = git_paths(probe.stdout).splitlines()[:2]
    toplevel = Path(toplevel_text)
    shallow = shallow_text.strip() == "true"
    log = run_git(
        ["log", "--no-show-signature", "-M", "--raw", "--no-abbrev", "-z", f"--format={LOG_FORMAT}", "--", "."],
        plans_dir,
    )
    status = run_git(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", "."], plans_dir)

    resolved_root = root.resolve()  # once: resolving asks the file system, and there is a path per plan

    @functools.cache
    def rel(git_path: str) -> str:
        return _relative(toplevel / git_path, resolved_root)

    revisions = _replay(git_paths(log.stdout)) if log.returncode == 0 else {}
    dirty = {rel(p) for p in _porcelain_paths(git_paths(status.stdout))}
    files = {
        rel(p): FileHistory(
            tuple(r for r, _, _ in entries),
            rel(p) in dirty,
            tuple(b for _, b, _ in entries),
            tuple(rel(at) for _, _, at in entries),
        )
        for p, entries in revisions.items()
    }
    for path in dirty - files.keys():
        files[path] = FileHistory((), True)
    warnings = (SHALLOW_WARNING,) if shallow else ()
    return GitHistory(True, shallow, MappingProxyType(files), warnings)


def commits(output: str) -> Iterator[tuple[Revision, list[tuple[str, str, str, str]]]]:
    """Each commit of ``git log -z --raw --format=LOG_FORMAT`` output, with its (status, old path, new path,
    blob id) changes, newest first.

    Read token by token (git ends each with NUL, which no commit text or path holds), never split on
    a separator: an author name, a subject or a file name may hold any other character, the
    separators too (a subject with ``\\x1e`` once started a commit of its own and stopped every
    build). The author is the rest of the header after the date, the subject the token after it,
    and each path is counted from its change line. A commit whose date does not read is skipped.
    """
    tokens = output.split("\0")
    revision: Revision | None = None
    changes: list[tuple[str, str, str, str]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        if token.startswith(":"):
            fields = token.split(" ")
            code, blob = fields[-1], fields[3] if len(fields) > 3 else ""
            old = tokens[i + 1] if i + 1 < len(tokens) else ""
            new = tokens[i + 2] if code[:1] in ("R", "C") and i + 2 < len(tokens) else old
            i += 3 if code[:1] in ("R", "C") else 2
            if revision is not None:
                changes.append((code, old, new, blob))
            continue
        if token.startswith("\x1e"):
            if revision is not None:
                yield revision, changes
            sha, _, rest = token[1:].partition("\x1f")
            when, _, author = rest.partition("\x1f")
            subject = tokens[i + 1] if i + 1 < len(tokens) else ""
            try:
                revision = Revision(sha, datetime.fromisoformat(when), _readable(author), _readable(subject))
            except ValueError:
                revision = None
            changes = []
            i += 2
            continue
        i += 1  # the empty token between commits and at the end
    if revision is not None:
        yield revision, changes


def _replay(output: str) -> dict[str, list[tuple[Revision, str, str]]]:
    """Commits (with the file's blob and its path then) per current path, newest to oldest, moving history
    across renames."""
    current: dict[str, str] = {}  # path at some commit -> the path it has today
    history: dict[str, list[tuple[Revision, str, str]]] = {}
    deleted: set[str] = set()
    for revision, changes in commits(output):
        for code, old, new, blob in changes:
            path = current.get(new, new)
            if code == "D" and path == new and new not in history:
                deleted.add(new)  # a plan deleted later has no current path
            if path in deleted:
                continue
            history.setdefault(path, []).append((revision, blob, new))
            if code[:1] == "R":
                current[old] = path
    return history


def stream_blobs(blobs: Sequence[str], cwd: Path) -> Generator[tuple[str, bytes | None], None, None]:
    """Each of ``blobs`` with its contents, in the order asked (None for one git does not have), from one
    ``git cat-file --batch`` whose output is read as it comes: 20,000 versions of 1,000 plans pass through
    a few kilobytes at a time, never held together. Nothing comes out when git cannot be run.

    The request is written from a thread, so git's answers never fill the pipe while it is written; a
    reader that stops early ends git.
    """
    if not blobs:
        return
    command, env = git_command(["cat-file", "--batch"])
    try:
        process = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
        )
    except OSError:
        return
    assert process.stdin is not None and process.stdout is not None
    writer = threading.Thread(target=_feed, args=(process.stdin, ("\n".join(blobs) + "\n").encode()), daemon=True)
    writer.start()
    try:
        for _ in blobs:
            header = process.stdout.readline().rstrip(b"\n").split(b" ")
            if len(header) < 2:
                break
            name = header[0].decode("ascii", "replace")
            if len(header) != 3:  # "<id> missing"
                yield name, None
                continue
            yield name, process.stdout.read(int(header[2]) + 1)[:-1]
    finally:
        if process.poll() is None:  # read to the end, or a reader that stopped early: git is not needed now
            process.kill()
        writer.join()
        process.stdout.close()
        process.wait()


def _feed(stream: IO[bytes], data: bytes) -> None:
    """Write a request to git and close it; git ending early is not an error here (its output says)."""
    try:
        stream.write(data)
        stream.close()
    except OSError:
        pass


def batch_contents(output: bytes) -> dict[str, bytes]:
    """Object id -> content from ``git cat-file --batch`` output; missing objects are left out."""
    out: dict[str, bytes] = {}
    at = 0
    while at < len(output):
        end = output.find(b"\n", at)
        if end < 0:
            break
        header = output[at:end].split(b" ")
        at = end + 1
        if len(header) != 3:  # "<id> missing"
            continue
        size = int(header[2])
        out[header[0].decode("ascii", "replace")] = output[at : at + size]
        at += size + 1
    return out


def _porcelain_paths(output: str) -> list[str]:
    tokens = output.split("\0")
    paths = []
    i = 0
    while i < len(tokens) and tokens[i]:
        entry = tokens[i]
        paths.append(entry[3:])
        i += 2 if entry[:1] in ("R", "C") else 1  # a rename is followed by its old path
    return paths
