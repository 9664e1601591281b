"""Files the commands write besides plans: output guards, missing folders made and removed again."""

from __future__ import annotations

import os
from pathlib import Path

from kamdocs.cli.console import fail
from kamdocs.config import Config
from kamdocs.plan.loader import discover, read_bounded
from kamdocs.system.atomicfile import ensure_real_folder, ensure_replaceable, write_atomically


def safe_output(path: Path, config: Config, option: str, hint: str = "remove it, or write elsewhere") -> None:
    """Refuse an output file that is a plan, a symlink or a special file, before any work is done.

    Only new, review and rollover change plan files. And a pull request can
    add a symlink where CI writes (``.github/CODEOWNERS -> /etc/passwd``), or a
    FIFO that would block the writer: kamdocs writes through no link and into
    no special file (:func:`ensure_replaceable`, exit 2), wherever it leads,
    nor into a folder of the repository that is a link (``out -> /etc``).
    """
    try:
        target = Path(os.path.realpath(path))
        plans = {Path(os.path.realpath(p)) for p in discover([config.plans_path])}
    except (OSError, RuntimeError):
        plans = set()  # a folder that cannot be listed holds no plan to protect; the write reports its own error
    if target in plans:
        raise fail(f"{option}: expected a file that is not a plan, found the plan {path}; write to another file")
    ensure_replaceable(path, hint=hint)
    absolute = Path(os.path.abspath(path))
    if absolute.parent.is_relative_to(config.root):  # a committed ``out -> /etc`` would take -o out/x.json there
        ensure_real_folder(absolute.parent, config.root, hint)


def existing_text(path: Path, max_bytes: int) -> str:
    """A file kamdocs updates in place (CODEOWNERS): its text, or "" when there is none yet.

    It must be a regular UTF-8 file: a FIFO would block the read, and a link
    to a device would swallow the write.
    """
    if not os.path.lexists(path):
        return ""
    try:
        return read_bounded(path, max_bytes).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OSError(
            0, f"expected UTF-8 text, found the byte 0x{exc.object[exc.start]:02x} at offset {exc.start}", str(path)
        ) from None


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
        remove(created)
        raise
    return created


def remove(created: list[Path]) -> None:
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
        remove(created)
        raise
