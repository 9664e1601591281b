"""What a path that is not a regular file is, in words, for one-line messages.

Plans, ``mkdocs.yml`` and the files kamdocs updates must be regular files: a
FIFO would block the reader and a device would swallow a write. The loader
and the configuration both name what they found instead, the same way.
"""

from __future__ import annotations

import stat

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words: "a named pipe (FIFO)"."""
    return next((name for test, name in _KINDS if test(mode)), "a special file")
