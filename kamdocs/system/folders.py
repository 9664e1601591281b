"""Files written where folders may be missing: the folders made, and removed again if the write fails.

``init``, ``new``, ``export -o`` and ``codeowners --file`` create what is missing on the way, and
leave nothing behind when they cannot finish (a full disk, a read-only folder part-way down).
"""

from __future__ import annotations

import os
from pathlib import Path

from kamdocs.system.atomicfile import write_atomically


def make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created, outermost first."""
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    created: list[Path] = []
    try:
        for path in reversed(missing):
            path.mkdir()
            created.append(path)
    except OSError:
        remove_created(created)
        raise
    return created


def remove_created(created: list[Path]) -> None:
    """Undo a command that failed part-way: remove what it created, newest first."""
    for path in reversed(created):
        try:
            path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
        except OSError:
            continue


def write_new(path: Path, data: bytes, exclusive: bool = False, hint: str | None = None) -> None:
    """Write ``path`` atomically, creating missing folders, and remove those folders again on failure."""
    created = make_folders(path.parent)
    try:
        write_atomically(path, data, exclusive=exclusive, hint=hint)
    except OSError:
        remove_created(created)
        raise
