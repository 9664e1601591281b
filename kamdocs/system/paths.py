"""Where a path really leads, judged against the repository it is named in: the one inside-the-repository check.

A pull request can commit a symlink (``plans/a.md -> /etc/passwd``, ``plans -> /elsewhere``,
``out -> /etc``). What kamdocs reads is judged by where it leads (:func:`where_it_leads`); where
it writes, by the folders on the way (:func:`ensure_real_inside`). Only ``realpath`` and ``lstat``:
nothing is opened, so a FIFO cannot block the check.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kamdocs.system.atomicfile import ensure_real_folder


@dataclass(frozen=True)
class Destination:
    """Where a path leads with every link followed, and the repository's root likewise."""

    real: Path
    root: Path

    @property
    def inside(self) -> bool:
        """Whether the path stays inside the repository: a link is judged by its target, never its name."""
        return self.real.is_relative_to(self.root)


def where_it_leads(path: Path | str, root: Path | str) -> Destination:
    """``path`` and ``root`` with every link followed, to judge whether the one leads out of the other.

    ``os.path.realpath``, not ``Path.resolve()``: before Python 3.13 ``resolve`` raises
    ``RuntimeError`` on a link loop, where ``realpath`` returns the loop's own path (which the
    ``stat`` that follows names); and the root is followed too, so a repository reached through a
    link (``/home -> /data/home``) holds its own files.
    """
    return Destination(Path(os.path.realpath(path)), Path(os.path.realpath(root)))


def ensure_real_inside(folder: Path, root: Path, hint: str = "remove it, or write elsewhere") -> None:
    """Refuse (``NotReplaceable``) a link or a file among the folders from ``root`` down to ``folder``,
    when ``folder`` is inside ``root``: a committed ``out -> /etc`` would take ``-o out/x.json`` there.
    A folder outside the repository is the user's own choice, links and all, and is not judged."""
    absolute = Path(os.path.abspath(folder))
    if absolute.is_relative_to(root):
        ensure_real_folder(absolute, root, hint)


def ensure_real_site_folder(folder: Path, root: Path, hint: str) -> None:
    """Refuse (``NotReplaceable``) a folder a build empties and fills (``site_dir``) that is a link or a
    file, wherever it is, and, inside ``root``, one reached through a link on the way down: a committed
    ``site -> /elsewhere`` would have /elsewhere emptied. The same test for the plugin and ``kamdocs build``."""
    ensure_real_folder(folder, root if folder.is_relative_to(root) else None, hint)


def shown(path: Path, root: Path) -> Path:
    """``path`` relative to ``root`` when it is inside it, as a user would type it there."""
    return path.relative_to(root) if path.is_relative_to(root) else path
