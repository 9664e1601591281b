"""The one hardened loader: a plan file in, a parsed document or findings out.

Every reader of plans (check, status, the site) goes through :func:`load`, so
the protections live in one place: size cap, symlinks, UTF-8, BOM, CRLF,
front-matter delimiters and the hardened YAML of :mod:`kamdocs.plan.safeyaml`.
Line numbers in findings are lines of the ``.md`` file as an editor shows it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamdocs.findings import Finding, finding, json_path
from kamdocs.plan.linemap import LineMap
from kamdocs.plan.safeyaml import YamlDocument, YamlProblem, parse
from kamdocs.system.filekinds import kind_of
from kamdocs.system.paths import where_it_leads

QUALITY_KEYS = frozenset(
    {
        "goal",
        "review",
        "commitments",
        "kpis",
        "success_factors",
        "conditions",
        "obstacles",
        "buying_center",
        "id",
        "owner",
        "due",
        "status",
        "resolves",
        "target",
        "baseline",
        "actual",
        "metric",
        "unit",
        "period",
        "last_reviewed",
        "interval",
        "as_of",
        "last_contact",
        "team",
        "kind",
        "statement",
        "action",
        "name",
    }
)
"""Keys whose lines the plan model keeps (see :meth:`SourceFile.line_map`)."""


@dataclass(frozen=True)
class SourceFile:
    """A plan file whose front matter parsed to a mapping.

    ``yaml_line`` is the 1-based file line where the YAML text starts, so a
    0-based YAML mark ``m`` sits on file line ``yaml_line + m``.
    """

    path: Path
    rel: str
    yaml_line: int
    document: YamlDocument
    body: str
    body_line: int
    closing_line: int
    yaml_text: str = ""

    @property
    def data(self) -> dict[str, Any]:
        return self.document.data

    def position(self, path: Sequence[str | int], at_value: bool = False) -> tuple[int, int]:
        """1-based (line, column) in the file for a path into the front matter."""
        where = self.document.value_position(path) if at_value else None
        line, column = where if where is not None else self.document.locate(path)
        return (self.yaml_line + line, column + 1)

    def line_map(self) -> LineMap:
        """File lines of the front-matter places a plan's quality reasons point at, by JSON path."""
        return self.document.key_lines(QUALITY_KEYS, self.yaml_line)

    def finding(
        self, rule: str, path: Sequence[str | int], message: str, hint: str = "", at_value: bool = False
    ) -> Finding:
        line, column = self.position(path, at_value)
        return finding(rule, self.rel, line, column, json_path(path), message, hint)


@dataclass(frozen=True)
class Loaded:
    """What loading one file gave: a source, or the findings that stopped it."""

    rel: str
    source: SourceFile | None
    findings: tuple[Finding, ...] = ()


def _problem(rel: str, rule: str, line: int, column: int, message: str, hint: str = "") -> Loaded:
    return Loaded(rel, None, (finding(rule, rel, line, column, "$", message, hint),))


def relative_name(path: Path, root: Path) -> str:
    """The path as findings show it: relative to the root when it is inside."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def load(path: Path, root: Path, max_bytes: int) -> Loaded:
    """Read and parse one plan file; never raises for anything in the file."""
    root = Path(os.path.abspath(root))
    rel = relative_name(path, root)
    absolute = Path(os.path.abspath(path))
    if absolute.is_relative_to(root):
        where = where_it_leads(absolute, root)  # a link loop is its own path here, and stat below names it
        if not where.inside:
            return _problem(
                rel,
                "symlink-outside",
                1,
                1,
                f"expected a file inside the repository, found a symlink to {where.real}",
                "copy the plan into the repository instead of linking to it",
            )
    try:
        info = absolute.stat()
        if not stat.S_ISREG(info.st_mode):
            return _not_regular(rel, info.st_mode)
        if info.st_size > max_bytes:
            return _too_large(rel, info.st_size, max_bytes)
        raw = read_regular_file(absolute, max_bytes)
    except NotRegularFile as exc:
        return _not_regular(rel, exc.mode)
    except OSError as exc:
        return _problem(rel, "unreadable", 1, 1, f"cannot read the file: {exc.strerror or exc}")
    if len(raw) > max_bytes:
        return _too_large(rel, len(raw), max_bytes)
    return parse_bytes(raw, rel)


class NotRegularFile(OSError):
    """A plan path that is a FIFO, socket, device or folder, seen without reading from it.

    An OSError, so that every command's one-line file-error handling covers it.
    """

    def __init__(self, path: Path, mode: int) -> None:
        super().__init__(0, f"expected a regular file, found {kind_of(mode)}", str(path))
        self.mode = mode


def read_regular_file(path: Path, max_bytes: int, follow_links: bool = True) -> bytes:
    """The bytes of a regular file, read so that nothing else can block the reader.

    Any other reader of plan files (``diff``'s working tree, ``review``)
    should read through this, or a FIFO in plans/ hangs it.

    The caller has already seen a regular file through ``stat``; the file is
    opened non-blocking and checked again, so a FIFO swapped in between cannot
    hang the run. At most one byte past ``max_bytes`` is read. With ``follow_links=False`` a link
    is an ``OSError`` (ELOOP) too: a file kamdocs wrote itself (render's manifest) is never a link.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    handle = os.open(path, flags if follow_links else flags | getattr(os, "O_NOFOLLOW", 0))
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, mode)
        chunks = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(handle, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """:func:`read_regular_file`, with an OSError naming ``path`` when it holds more than ``max_bytes``.

    For the commands that must have the whole file (an edit, CODEOWNERS): a
    cut-off read would be worse than none.
    """
    raw = read_regular_file(path, max_bytes)
    if len(raw) > max_bytes:
        raise OSError(0, f"expected at most {max_bytes} bytes, found more", str(path))
    return raw


def _not_regular(rel: str, mode: int) -> Loaded:
    kind = kind_of(mode)
    return _problem(
        rel,
        "not-a-file",
        1,
        1,
        f"expected a regular file, found {kind}",
        "plans are ordinary files; remove it, or rename it so it does not end in .md",
    )


def _too_large(rel: str, size: int, max_bytes: int) -> Loaded:
    return _problem(
        rel,
        "file-too-large",
        1,
        1,
        f"expected at most {max_bytes} bytes, found {size}",
        "a plan is a page or a few; raise max_bytes in the configuration if this one really is that large",
    )


def parse_bytes(raw: bytes, rel: str) -> Loaded:
    """Parse the bytes of a plan file; ``rel`` names it in findings."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return _problem(
            rel,
            "not-utf8",
            line,
            column,
            f"expected UTF-8 text, found the byte 0x{raw[exc.start]:02x} at byte offset {exc.start}",
            "save the file as UTF-8",
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return _problem(rel, "empty-file", 1, 1, "expected a plan with front matter, found an empty file")
    return _split(text, rel)


def _split(text: str, rel: str) -> Loaded:
    lines = text.split("\n")
    opening = next(i for i, line in enumerate(lines) if line.strip())
    if lines[opening].rstrip() != "---":
        return _problem(
            rel,
            "frontmatter-missing",
            opening + 1,
            1,
            f"expected front matter starting with a '---' line, found {lines[opening][:40]!r}",
            "start the file with '---', the YAML keys, then another '---'",
        )
    closing = next(
        (i for i in range(opening + 1, len(lines)) if lines[i].rstrip() in ("---", "...")),
        None,
    )
    if closing is None:
        return _problem(
            rel,
            "frontmatter-unclosed",
            opening + 1,
            1,
            "expected a closing '---' line after the front matter, found the end of the file",
            "add a line with only '---' after the last key",
        )
    yaml_line = opening + 2
    yaml_text = "\n".join(lines[opening + 1 : closing])
    try:
        document = parse(yaml_text, line_offset=yaml_line - 1)
    except YamlProblem as exc:
        return _problem(rel, exc.rule, yaml_line + exc.line, exc.column + 1, exc.message, exc.hint)
    if not isinstance(document.data, dict):
        found = "nothing" if document.data is None else f"a {_kind(document.data)}"
        line, column = document.locate(())
        return _problem(
            rel,
            "frontmatter-not-mapping",
            yaml_line + line,
            column + 1,
            f"expected the front matter to be a mapping of keys to values, found {found}",
            "write one 'key: value' per line",
        )
    body = "\n".join(lines[closing + 1 :])
    return Loaded(rel, SourceFile(Path(rel), rel, yaml_line, document, body, closing + 2, closing + 1, yaml_text))


def _kind(value: Any) -> str:
    return {list: "list", str: "text", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__
    )


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """Plan files under ``paths``: every ``*.md``, except names starting with ``_`` or ``.``.

    Files named explicitly are taken as they are. Folders are walked in sorted
    order without following symlinked folders, so output is stable. A file
    named twice (``kamdocs check plans plans/a.md``) is checked once.
    """
    seen: set[str] = set()
    for path in paths:
        found = [path] if not path.is_dir() else _walk(path)
        for item in found:
            key = os.path.abspath(item)
            if key not in seen:
                seen.add(key)
                yield item


def _walk(folder: Path) -> Iterator[Path]:
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith((".", "_")):
                yield Path(parent) / name
