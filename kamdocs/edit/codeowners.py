"""CODEOWNERS lines that make each plan's reviewer a required reviewer.

kamdocs owns one block of the file, between two marker lines, and leaves
every other line alone, so a repository can keep its own rules around it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kamdocs.config import GITHUB_HANDLE
from kamdocs.plan.loader import read_bounded
from kamdocs.plan.model import Plan

BEGIN = "# BEGIN kamdocs: each plan's reviewer must approve changes to it (kamdocs codeowners)"
END = "# END kamdocs"
MAX_BYTES = 3 * 1024 * 1024
"""GitHub ignores a CODEOWNERS file larger than 3 MB."""


@dataclass(frozen=True)
class Owners:
    """kamdocs' block of CODEOWNERS, and the plans it could give no line."""

    block: str
    unmapped: tuple[str, ...]
    """Reviewers with no GitHub handle: their plans get no line."""
    unsafe: tuple[str, ...] = ()
    """Plan paths CODEOWNERS cannot hold safely (control characters, ``#``, backslash, bytes that are not
    UTF-8, which a UTF-8 file cannot spell): no line."""


def handle_of(person: str, handles: Mapping[str, str]) -> str | None:
    """The reviewer's GitHub handle, or None.

    Plan text is written by anyone who can open a pull request, and a line
    break or tab in a reviewer would add CODEOWNERS rules of the author's
    choosing; so only a whole, well-formed handle is ever written.
    """
    handle = handles.get(person, person)
    return handle if GITHUB_HANDLE.fullmatch(handle) else None


_UNSAFE_PATH = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029#\\\ud800-\udfff]")


def owners_block(plans: Iterable[Plan], handles: Mapping[str, str]) -> Owners:
    """The CODEOWNERS lines that route each plan to its owner, and the owners without a handle."""
    lines = [BEGIN]
    unmapped: set[str] = set()
    unsafe: list[str] = []
    for plan in sorted(plans, key=lambda p: p.file):
        handle = handle_of(plan.review.reviewer, handles)
        if handle is None:
            unmapped.add(plan.review.reviewer)
            continue
        if _UNSAFE_PATH.search(plan.file):
            unsafe.append(plan.file)
            continue
        path = "/" + plan.file.replace(" ", "\\ ")
        lines.append(f"{path} {handle}")
    lines.append(END)
    return Owners("\n".join(lines) + "\n", tuple(sorted(unmapped)), tuple(unsafe))


def merged(existing: str, block: str) -> str:
    """``existing`` with kamdocs' block replaced, or appended when there is none."""
    if BEGIN in existing and END in existing:
        head, _, rest = existing.partition(BEGIN)
        _, _, tail = rest.partition(END)
        return head + block.rstrip("\n") + tail if tail.startswith("\n") else head + block + tail
    if not existing:
        return block
    return existing.rstrip("\n") + "\n\n" + block


def current_text(path: Path) -> str:
    """The CODEOWNERS file kamdocs updates in place: its text, or "" when there is none yet.

    It must be a regular UTF-8 file: a FIFO would block the read, and a link
    to a device would swallow the write.
    """
    if not os.path.lexists(path):
        return ""
    try:
        return read_bounded(path, MAX_BYTES).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OSError(
            0, f"expected UTF-8 text, found the byte 0x{exc.object[exc.start]:02x} at offset {exc.start}", str(path)
        ) from None
