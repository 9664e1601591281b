"""The rendered folder on disk: written only where it changed, and never over a file kamdocs did not write.

A manifest (``.kamdocs-render.json``) lists what the last render wrote with
each file's SHA-256, because the downloads cannot carry a "generated" comment.
A file the folder holds that the manifest does not list, or that changed
since, is refused unless ``--force``; a symlink, folder or special file where
a rendered file goes is refused always (exit 2). Every write is atomic.

The manifest is input like any other: anyone who can commit to the folder can
write it. So it is read with a size and a nesting bound, its paths must stay
inside the folder, and it never alone makes a file kamdocs': a listed file is
removed only when it is a regular file inside the folder, unchanged since, and
carries kamdocs' "generated" comment. A user's ``notes.md`` listed with its
correct digest stays, and is reported as a file render did not write.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from kamdocs.errors import KamdocsError
from kamdocs.plan.loader import read_regular_file
from kamdocs.site.render import GENERATED
from kamdocs.system.atomicfile import ensure_real_folder, ensure_replaceable, write_atomically

MANIFEST = ".kamdocs-render.json"
"""What the last render wrote, with each file's SHA-256: the downloads cannot carry a comment, and
the next render must know which files are its own before it replaces or removes anything."""

MANIFEST_MAX_BYTES = 16 * 1024 * 1024
"""A manifest of a million files; a real one lists about two files per plan."""
MANIFEST_MAX_DEPTH = 4
"""How deeply a manifest's JSON may nest; the real one nests two levels (the object, its files).
Checked before the JSON parser sees the text, so nesting cannot exhaust its recursion."""

MARKERS = (f"---\n# {GENERATED}\n".encode(), f"/* {GENERATED} */\n".encode(), f"# {GENERATED}\n".encode())
"""How the files render writes start (a page, the stylesheet and script, the navigation file): the
mark a listed file must carry before render removes it. The downloads carry none and are never removed."""

_DIGEST = re.compile(r"[0-9a-f]{64}")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class RenderError(KamdocsError):
    """The output folder cannot be written as asked; the CLI prints it on one line and exits 1."""


@dataclass(frozen=True)
class Written:
    """What a write changed: files written (new or different), left as they were, removed."""

    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


@dataclass(frozen=True)
class _OnDisk:
    """A regular file of the folder as render judges it: its SHA-256, and whether it carries the mark."""

    digest: str
    marked: bool


def _json_depth_over(text: str, limit: int) -> bool:
    """Whether ``text`` nests arrays and objects more than ``limit`` deep (closed or not), in linear
    time and without recursion: strings are dropped, and the running depth of the brackets left is
    summed by ``accumulate``, in C."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit


def _manifest_path_problem(name: str) -> str | None:
    """Why ``name`` cannot be a file render wrote (absolute, leading out, not normalised), or None."""
    if not name or "\\" in name or "\0" in name or name.startswith("/"):
        return f"the path {name!r}, which is not a relative path inside the folder"
    if posixpath.normpath(name) != name or ".." in name.split("/") or name == MANIFEST:
        return f"the path {name!r}, which leads out of the folder or is not one render writes"
    return None


def _manifest_problem(raw: bytes) -> tuple[dict[str, str], str | None]:
    """The files a manifest lists, or what is wrong with it, in words, for a refusal."""
    if len(raw) > MANIFEST_MAX_BYTES:
        return {}, f"more than {MANIFEST_MAX_BYTES:,} bytes"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {}, f"the byte 0x{raw[exc.start]:02x} at offset {exc.start}, which is not UTF-8"
    if _json_depth_over(text, MANIFEST_MAX_DEPTH):
        return {}, f"JSON nested more than {MANIFEST_MAX_DEPTH} levels deep"
    try:
        data = json.loads(text)
    except ValueError as exc:
        return {}, f"text that is not JSON ({' '.join(str(exc).split())})"
    if not isinstance(data, dict) or data.get("generator") != "kamdocs render":
        return {}, 'JSON without "generator": "kamdocs render"'
    files = data.get("files")
    if not isinstance(files, dict):
        return {}, '"files" that is not a mapping of paths to SHA-256 digests'
    for name, digest in files.items():
        problem = _manifest_path_problem(name)
        if problem:
            return {}, problem
        if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
            return {}, f"the digest {str(digest)[:80]!r} for {name!r}, which is not a SHA-256 in hex"
    return dict(files), None


def _read_manifest(folder: Path, force: bool) -> dict[str, str]:
    """The files the last render wrote, by relative path, with their SHA-256; empty without a manifest.

    A manifest that is a link or special file is refused always (exit 2); one that is too large, too
    deep, not JSON or lists a path leading out of the folder is refused (exit 1) unless ``force``,
    which then trusts none of it.
    """
    path = folder / MANIFEST
    ensure_replaceable(path, within=folder, hint="remove it, or render into an empty folder")
    try:
        raw = read_regular_file(path, MANIFEST_MAX_BYTES, follow_links=False)
    except FileNotFoundError:
        return {}
    files, problem = _manifest_problem(raw)
    if problem is not None and not force:
        raise RenderError(
            f"{path}: expected the list of files kamdocs render wrote, found {problem}; delete the folder and "
            "render again, or give --force to ignore this list (files of the names render writes are then "
            "replaced, every other file left alone)"
        )
    return files


def _present(folder: Path) -> dict[str, Path]:
    """Everything in ``folder``, by relative path; symlinks and special files are listed, never followed."""
    found: dict[str, Path] = {}
    for parent, dirs, names in os.walk(folder):
        for name in sorted(names) + [d for d in dirs if os.path.islink(os.path.join(parent, d))]:
            path = Path(parent) / name
            found[path.relative_to(folder).as_posix()] = path
    return found


def _on_disk(path: Path) -> _OnDisk | None:
    """A regular file's digest and mark; None for a symlink, a folder, a special file or one unreadable."""
    try:
        data = read_regular_file(path, 1 << 62, follow_links=False)
    except OSError:
        return None
    return _OnDisk(_digest(data), data.startswith(MARKERS))


def write_rendered(folder: Path, files: Mapping[str, bytes], force: bool = False, trusted: bool = False) -> Written:
    """Write ``files`` into ``folder``, touching only what changed, and record them in the manifest.

    A symlink, a folder or a special file where a rendered file (or the manifest) goes, or a link
    among the folders on the way, is refused always (:class:`NotReplaceable`, exit 2). A file the
    folder holds that the last render did not write, or that was changed since, is refused
    (``RenderError``, nothing written) unless ``force``; with ``force`` it is overwritten only when a
    rendered file has its name, and otherwise left alone. Files the last render wrote, carrying its
    mark, and this one does not (a plan deleted) are removed. Every write is atomic.

    Each file in the folder is read and hashed once. ``trusted`` skips even that: for a folder only
    kamdocs writes (``serve``'s temporary overlay), the manifest alone says what is there, and a
    round stays fast.
    """
    _ready_folder(folder, files)
    before = _read_manifest(folder, force)
    present, ours = _ours(folder, files, before, trusted)
    foreign = sorted(set(present) - ours)
    if foreign and not force:
        _refuse_foreign(folder, foreign)
    digests = {name: _digest(data) for name, data in files.items()}
    written, unchanged = _write_changed(folder, files, digests, {n for n in ours if before.get(n) == digests.get(n)})
    removed = [name for name in sorted(ours - set(files)) if _remove_and_prune(folder, name)]
    listing = json.dumps({"generator": "kamdocs render", "files": dict(sorted(digests.items()))}, indent=1) + "\n"
    if digests != before or not (folder / MANIFEST).is_file():  # a render that changed nothing writes nothing
        write_atomically(folder / MANIFEST, listing.encode("utf-8"))
    return Written(tuple(written), unchanged, tuple(removed))


def _ready_folder(folder: Path, files: Mapping[str, bytes]) -> None:
    """Make ``folder`` if need be, and refuse it, before the first write, if it or any place a file goes is
    not a real folder or a replaceable file."""
    if os.path.isfile(folder) and not os.path.islink(folder):
        raise RenderError(f"{folder}: expected a folder to render into, found a file")
    ensure_real_folder(folder, hint="render into a real folder")  # a link or a special file: exit 2
    folder.mkdir(parents=True, exist_ok=True)
    for name in [MANIFEST, *sorted(files)]:  # every refusal before the first write
        ensure_replaceable(folder / name, within=folder, hint="remove it; not even --force writes there")


def _ours(
    folder: Path, files: Mapping[str, bytes], before: Mapping[str, str], trusted: bool
) -> tuple[dict[str, Path], set[str]]:
    """What the folder holds (the manifest aside), and which of it the last render wrote and nobody changed
    since: as the manifest lists it and still marked (or about to be replaced). ``trusted``: the manifest
    alone says."""
    if trusted:
        return {name: folder / name for name in before}, set(before)
    present = {name: path for name, path in _present(folder).items() if name != MANIFEST}
    seen = {name: _on_disk(path) for name, path in present.items()}
    ours = {
        name
        for name, found in seen.items()
        if found is not None and found.digest == before.get(name) and (found.marked or name in files)
    }
    return present, ours


def _refuse_foreign(folder: Path, foreign: list[str]) -> None:
    shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
    raise RenderError(
        f"{folder}: expected an empty folder or one kamdocs render wrote, found {len(foreign)} file(s) it did "
        f"not write or that changed since: {shown}; render into another folder, or give --force"
    )


def _write_changed(
    folder: Path, files: Mapping[str, bytes], digests: Mapping[str, str], current: set[str]
) -> tuple[list[str], int]:
    """Write every file but those ``current`` (ours, with the same content already): the names written, in
    order, and how many were left as they were."""
    written, unchanged = [], 0
    for name, data in sorted(files.items()):
        if name in current:
            unchanged += 1
            continue
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
        written.append(name)
    return written, unchanged


def _remove_and_prune(folder: Path, name: str) -> bool:
    """Remove a file the last render wrote and this one does not, then the folders it leaves empty."""
    if not _remove_own(folder, name):
        return False
    _prune(folder, (folder / name).parent)
    return True


def _remove_own(folder: Path, name: str) -> bool:
    """Remove the file render wrote at ``name``, if it is still a regular file reached through real
    folders only (the manifest's paths are input, and a folder may have become a link meanwhile)."""
    path = folder / name
    try:
        ensure_replaceable(path, within=folder)
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        path.unlink()
    except OSError:  # NotReplaceable too
        return False
    return True


def _prune(top: Path, folder: Path) -> None:
    """Remove folders a removed file leaves empty, up to ``top``."""
    while folder != top and folder.is_relative_to(top):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
