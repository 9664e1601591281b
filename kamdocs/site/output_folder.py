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


def _own(path: Path, digest: str | None) -> bool:
    """A file the last render wrote and nobody changed since."""
    if digest is None or path.is_symlink() or not path.is_file():
        return False
    try:
        return _digest(path.read_bytes()) == digest
    except OSError:
        return False


def write_rendered(
    folder: Path, files: Mapping[str, bytes], force: bool = False, complete: bool = True, trusted: bool = False
) -> Written:
    """Write ``files`` into ``folder``, touching only what changed, and record them in the manifest.

    A file the folder holds that the last render did not write, or that was changed since, is
    refused (``RenderError``, nothing written) unless ``force``; with ``force`` it is overwritten
    only when a rendered file has its name, and otherwise left alone. Files the last render wrote
    and this one does not (a plan deleted) are removed when ``complete``. Every write is atomic.

    ``trusted`` skips reading the folder back: for a folder only kamdocs writes (``serve``'s
    temporary overlay), the manifest alone says what is there, and a round stays fast.
    """
    if folder.exists() and (folder.is_symlink() or not folder.is_dir()):
        found = "a symlink, which kamdocs never writes through" if folder.is_symlink() else "a file"
        if not folder.is_symlink() and not folder.is_file():
            found = kind_of(os.lstat(folder).st_mode)
        raise RenderError(f"{folder}: expected a folder to render into, found {found}")
    folder.mkdir(parents=True, exist_ok=True)
    before = _read_manifest(folder)
    if trusted:
        present = {name: folder / name for name in before}
        foreign: list[str] = []
    else:
        present = _present(folder)
        foreign = sorted(p for p, path in present.items() if p != MANIFEST and not _own(path, before.get(p)))
    if foreign and not force:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise RenderError(
            f"{folder}: expected an empty folder or one kamdocs render wrote, found {len(foreign)} file(s) it did "
            f"not write or that changed since: {shown}; render into another folder, or give --force"
        )
    written, unchanged = [], 0
    for name in sorted(files):  # every refusal before the first write
        target = folder / name
        for parent in [*reversed(target.relative_to(folder).parents[:-1]), Path(name)]:
            place = folder / parent
            if place.is_symlink() or (place.exists() and parent == Path(name) and not place.is_file()):
                found = "a symlink" if place.is_symlink() else kind_of(os.lstat(place).st_mode)
                raise RenderError(
                    f"{place}: expected a file kamdocs may replace, found {found}; kamdocs never writes through "
                    "a symlink or into a special file, not even with --force: remove it"
                )
    for name, data in sorted(files.items()):
        target = folder / name
        digest = _digest(data)
        if name in present and (before.get(name) == digest if trusted else _own(present[name], digest)):
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
        written.append(name)
    removed = []
    kept = dict(before) if not complete else {}
    if complete:
        for name, digest in sorted(before.items()):
            if name not in files and name in present and (trusted or _own(present[name], digest)):
                present[name].unlink()
                removed.append(name)
                _prune(folder, present[name].parent)
    kept.update({name: _digest(data) for name, data in files.items()})
    listing = json.dumps({"generator": "kamdocs render", "files": dict(sorted(kept.items()))}, indent=1) + "\n"
    if kept != before or not (folder / MANIFEST).is_file():  # a render that changed nothing writes nothing
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
