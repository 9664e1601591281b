"""The output file a command is given (``export -o``, ``codeowners --file``): never a plan, a link or a special file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from kamdocs.errors import UsageError
from kamdocs.system.atomicfile import ensure_replaceable
from kamdocs.system.paths import ensure_real_inside

if TYPE_CHECKING:
    from kamdocs.config import Config


def safe_output(path: Path, config: Config, option: str, hint: str = "remove it, or write elsewhere") -> None:
    """Refuse an output file that is a plan, a symlink or a special file, before any work is done.

    Only new, review and rollover change plan files. And a pull request can
    add a symlink where CI writes (``.github/CODEOWNERS -> /etc/passwd``), or a
    FIFO that would block the writer: kamdocs writes through no link and into
    no special file (:func:`ensure_replaceable`, exit 2), wherever it leads,
    nor into a folder of the repository that is a link (``out -> /etc``).
    """
    from kamdocs.plan.loader import discover

    try:
        target = Path(os.path.realpath(path))
        plans = {Path(os.path.realpath(p)) for p in discover([config.plans_path])}
    except (OSError, RuntimeError):
        plans = set()  # a folder that cannot be listed holds no plan to protect; the write reports its own error
    if target in plans:
        raise UsageError(f"{option}: expected a file that is not a plan, found the plan {path}; write to another file")
    ensure_replaceable(path, hint=hint)
    ensure_real_inside(Path(os.path.abspath(path)).parent, config.root, hint)
