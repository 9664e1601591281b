"""Writing a file so that it is either all there or not changed at all, and never through a link.

Every command that writes (``new``, ``init``, ``review``, ``rollover``,
``codeowners``, ``export -o``, ``render``, ``build`` and ``serve``) goes through
:func:`write_atomically`. A full disk, a read-only folder or a crash part-way
must never leave a 0-byte, half-written or temporary file behind, because a
later ``kamdocs new`` would then refuse the id, and a half-written plan is
worse than none.

Where a file goes, a symlink or a special file is refused
(:func:`ensure_replaceable`): anyone who can open a pull request can commit a
symlink where CI writes, and its target (``~/.bashrc``, a system file) would be
overwritten; a FIFO would block the writer for ever. Only an edit of a plan,
whose link ``review`` has judged, follows a link (``follow_links``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from kamdocs.errors import UsageError
from kamdocs.system.filekinds import kind_of

_DIRECTORY_FSYNC_UNSUPPORTED = {errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EISDIR}


def _default_mode() -> int:
    """What ``open()`` would give a new file: 0o666 less the umask (0o644 with the usual 022)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; some file systems cannot sync a folder, which is harmless."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _DIRECTORY_FSYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


class NotReplaceable(UsageError, OSError):
    """A symlink, a special file or a folder where kamdocs was to write a file: exit 2, one line
    naming the path and what is there. An ``OSError`` too, so that code undoing a failed write
    undoes this one as well."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(errno.EPERM, message, str(path))
        self.message = f"{path}: {message}"

    def __str__(self) -> str:
        return self.message


NEVER_THROUGH = "kamdocs never writes through a symlink or into a special file, whatever the options"
"""Why a link or special file is refused, in every refusal's words."""


def what_is_at(path: Path | str) -> str:
    """What is at ``path``, in words, without following a link and without opening anything (a FIFO
    opened would block): "a symlink to /etc/passwd", "a dangling symlink to nowhere.md", "a folder"."""
    status = os.lstat(path)
    if stat.S_ISLNK(status.st_mode):
        target = os.readlink(path)
        try:
            pointed = os.stat(path).st_mode
        except OSError:
            return f"a dangling symlink to {target}"
        return f"a symlink to {target}" + ("" if stat.S_ISREG(pointed) else f", {kind_of(pointed)}")
    return "a file" if stat.S_ISREG(status.st_mode) else kind_of(status.st_mode)


def ensure_real_folder(folder: Path, within: Path | None = None, hint: str = "remove it, or write elsewhere") -> bool:
    """Refuse (:class:`NotReplaceable`) unless ``folder``, and with ``within`` every folder from
    ``within`` down to it, is missing or a real folder, not a link to one; return whether
    ``folder`` exists. Only ``lstat``: nothing is followed, opened or blocked on."""
    top = folder if within is None else within
    for place in [top / parent for parent in reversed(folder.relative_to(top).parents)] + [folder]:
        try:
            status = os.lstat(place)
        except FileNotFoundError:
            return False  # nor is anything below it
        if not stat.S_ISDIR(status.st_mode):
            raise NotReplaceable(
                place, f"expected a folder kamdocs may write into, found {what_is_at(place)}; {NEVER_THROUGH}: {hint}"
            )
    return True


def ensure_replaceable(path: Path, within: Path | None = None, hint: str = "remove it, or write elsewhere") -> None:
    """Refuse (:class:`NotReplaceable`) unless ``path`` is missing or a regular file, and, with
    ``within``, unless ``within`` and every folder between it and ``path`` is missing or a real
    folder (:func:`ensure_real_folder`). Only ``lstat``: nothing is followed, opened or blocked on.

    The one test of "may kamdocs put a file here", for every write: ``render``'s pages and manifest,
    the files the plugin has MkDocs write, ``export -o``, CODEOWNERS, a new plan.
    """
    if within is not None and not ensure_real_folder(path.parent, within, hint):
        return
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(status.st_mode):
        raise NotReplaceable(
            path, f"expected a file kamdocs may replace, found {what_is_at(path)}; {NEVER_THROUGH}: {hint}"
        )


def write_atomically(
    path: Path, data: bytes, *, exclusive: bool = False, follow_links: bool = False, hint: str | None = None
) -> None:
    """Put ``data`` at ``path`` in one step: a temporary file in the same folder is
    written, flushed, synced, given the target's mode, and renamed over the target.

    A symlink, folder or special file at ``path`` is refused (:func:`ensure_replaceable`, with
    ``hint`` for the refusal), and the rename replaces a name, never writes through one: a link
    put there meanwhile is replaced, its target untouched. Only with ``follow_links`` (an edit of a
    plan, whose link the caller has judged) is a symlink followed, so the link stays a link and its
    target changes. With ``exclusive`` the target must not exist, and a file that appears
    meanwhile is not overwritten (``FileExistsError``). Any failure raises an ``OSError`` that
    names ``path`` (not the temporary file) and leaves nothing behind.
    """
    if exclusive and os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    if not follow_links:
        ensure_replaceable(path, hint=hint or "remove it, or write elsewhere")
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    folder = target.parent
    try:
        status = os.stat(target)
        mode = status.st_mode & 0o7777
    except FileNotFoundError:
        status = None
        mode = _default_mode()
    except OSError as exc:
        raise _named(exc, path) from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if status is not None and not stat.S_ISREG(status.st_mode):
        # A device or pipe (``-o /dev/stdout``) is written to, never replaced by a file.
        try:
            with open(target, "wb") as stream:
                stream.write(data)
        except OSError as exc:
            raise _named(exc, path) from None
        return
    temporary: str | None = None
    claimed = False
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name[:40]}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        if exclusive:
            claimed = _link_exclusively(temporary, target)
        else:
            os.replace(temporary, target)
            temporary = None
        _fsync_folder(folder)
    except OSError as exc:
        if claimed:
            with contextlib.suppress(OSError):
                os.unlink(target)
        raise _named(exc, path) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _link_exclusively(temporary: str, target: Path) -> bool:
    """Give the finished temporary file the target's name unless that name is taken.

    ``os.link`` fails if the name exists, so a file created by someone else in the
    meantime is never clobbered. File systems without hard links get the same
    guarantee from claiming the name with ``O_EXCL`` and renaming over the claim.
    Returns whether the target now exists by our doing (only for cleanup on a
    later failure); the temporary file is left for the caller to remove.
    """
    try:
        os.link(temporary, target)
        return True
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise
    return True


def _named(exc: OSError, path: Path) -> OSError:
    """The same error, naming the file the user asked for rather than a temporary one."""
    return type(exc)(exc.errno, exc.strerror or str(exc), str(path)) if exc.errno else exc


def describe(exc: OSError) -> str:
    """One line for the user: the path and the reason, as the operating system gives it."""
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason
