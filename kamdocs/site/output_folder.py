"""The rendered folder on disk: written only where it changed, and never over a file kamdocs did not write.

A manifest (``.kamdocs-render.json``) lists what the last render wrote with
each file's SHA-256, because the downloads cannot carry a "generated" comment.
A file the folder holds that the manifest does not list, or that changed
since, is refused unless ``--force``; a symlink, folder or special file where
a rendered file goes is refused always. Every write is atomic.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kamdocs.errors import KamdocsError
from kamdocs.plan.loader import read_regular_file
from kamdocs.system.atomicfile import write_atomically
from kamdocs.system.filekinds import kind_of

MANIFEST = ".kamdocs-render.json"
"""What the last render wrote, with each file's SHA-256: the downloads cannot carry a comment, and
the next render must know which files are its own before it replaces or removes anything."""


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


def _read_manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads(read_regular_file(folder / MANIFEST, 16 * 1024 * 1024))
        files = data["files"] if data.get("generator") == "kamdocs render" else {}
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return {}


def _present(folder: Path) -> dict[str, Path]:
    """Everything in ``folder``, by relative path; symlinks and special files are listed, never followed."""
    found: dict[str, Path] = {}
    for parent, dirs, names in os.walk(folder):
        for name in sorted(names) + [d for d in dirs if os.path.islink(os.path.join(parent, d))]:
            path = Path(parent) / name
            found[path.relative_to(folder).as_posix()] = path
    return found


def _file_digest(path: Path) -> str | None:
    """The SHA-256 of a regular file; None for a symlink, a folder, a special file or one unreadable."""
    if path.is_symlink() or not path.is_file():
        return None
    try:
        return _digest(path.read_bytes())
    except OSError:
        return None


def _what(path: Path) -> str:
    """What is at ``path``, in words, for a refusal."""
    if path.is_symlink():
        return "a symlink"
    return "a file" if path.is_file() else kind_of(os.lstat(path).st_mode)


def write_rendered(folder: Path, files: Mapping[str, bytes], force: bool = False, trusted: bool = False) -> Written:
    """Write ``files`` into ``folder``, touching only what changed, and record them in the manifest.

    A file the folder holds that the last render did not write, or that was changed since, is
    refused (``RenderError``, nothing written) unless ``force``; with ``force`` it is overwritten
    only when a rendered file has its name, and otherwise left alone. Files the last render wrote
    and this one does not (a plan deleted) are removed. Every write is atomic.

    Each file in the folder is read and hashed once. ``trusted`` skips even that: for a folder only
    kamdocs writes (``serve``'s temporary overlay), the manifest alone says what is there, and a
    round stays fast.
    """
    if folder.exists() and (folder.is_symlink() or not folder.is_dir()):
        found = _what(folder) + (", which kamdocs never writes through" if folder.is_symlink() else "")
        raise RenderError(f"{folder}: expected a folder to render into, found {found}")
    folder.mkdir(parents=True, exist_ok=True)
    before = _read_manifest(folder)
    if trusted:
        present = {name: folder / name for name in before}
        on_disk: dict[str, str | None] = dict(before)
    else:
        present = {name: path for name, path in _present(folder).items() if name != MANIFEST}
        on_disk = {name: _file_digest(path) for name, path in present.items()}
    foreign = sorted(name for name, digest in on_disk.items() if digest is None or digest != before.get(name))
    if foreign and not force:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise RenderError(
            f"{folder}: expected an empty folder or one kamdocs render wrote, found {len(foreign)} file(s) it did "
            f"not write or that changed since: {shown}; render into another folder, or give --force"
        )
    for name in [*sorted(files), MANIFEST]:  # every refusal before the first write; the manifest too
        target = folder / name
        for parent in [*reversed(target.relative_to(folder).parents[:-1]), Path(name)]:
            place = folder / parent
            if place.is_symlink() or (place.exists() and parent == Path(name) and not place.is_file()):
                raise RenderError(
                    f"{place}: expected a file kamdocs may replace, found {_what(place)}; kamdocs never writes "
                    "through a symlink or into a special file, not even with --force: remove it"
                )
    digests = {name: _digest(data) for name, data in files.items()}
    written, unchanged = [], 0
    for name, data in sorted(files.items()):
        if on_disk.get(name) == digests[name]:
            unchanged += 1
            continue
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
        written.append(name)
    removed = []
    for name, digest in sorted(before.items()):
        if name not in files and name in present and on_disk.get(name) == digest:
            present[name].unlink()
            removed.append(name)
            _prune(folder, present[name].parent)
    listing = json.dumps({"generator": "kamdocs render", "files": dict(sorted(digests.items()))}, indent=1) + "\n"
    if digests != before or not (folder / MANIFEST).is_file():  # a render that changed nothing writes nothing
        write_atomically(folder / MANIFEST, listing.encode("utf-8"))
    return Written(tuple(written), unchanged, tuple(removed))


def _prune(top: Path, folder: Path) -> None:
    """Remove folders a removed file leaves empty, up to ``top``."""
    while folder != top and folder.is_relative_to(top):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
