"""What ``serve`` on the render path watches: the plans and the docs, polled for changed files."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path


def watch(
    paths: list[Path], interval: float, on_change: Callable[[list[Path]], None], stop: Callable[[], bool]
) -> None:
    """Poll ``paths`` for changed, added or deleted files; call ``on_change`` with them.

    Polling needs no watcher library and sees every file system; a thousand plans cost
    a few milliseconds a round.
    """
    seen = _stamps(paths)
    while not stop():
        time.sleep(interval)
        now = _stamps(paths)
        changed = sorted({p for p in seen.keys() | now.keys() if seen.get(p) != now.get(p)})
        seen = now
        if changed:
            on_change(changed)


def _stamps(paths: list[Path]) -> dict[Path, tuple[int, int]]:
    out = {}
    for top in paths:
        for parent, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                path = Path(parent) / name
                try:
                    status = path.lstat()
                except OSError:
                    continue
                out[path] = (status.st_mtime_ns, status.st_size)
    return out
