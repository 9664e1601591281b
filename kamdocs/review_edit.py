"""Marking a plan as reviewed by rewriting only the bytes of one or two values.

A plan file belongs to its authors: their comments, key order, quoting, line
endings, BOM and body must survive a tool touching it. So this module never
re-serialises YAML. It finds the value's exact span from the parser's marks,
replaces those characters in the original text, and then re-parses the result
to prove that nothing but the intended values changed before writing.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from kamdocs.loader import SourceFile, parse_bytes
from kamdocs.safeyaml import plain_scalar

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class EditError(Exception):
    """The edit cannot be made safely; the message says why."""


@dataclass(frozen=True)
class Change:
    key: str
    old: str | None
    new: str


def _split_lines(text: str) -> list[str]:
    """Lines with their own line endings kept, split exactly as the loader counts lines."""
    parts = _LINE_BREAK.split(text)
    breaks = _LINE_BREAK.findall(text)
    return [part + (breaks[i] if i < len(breaks) else "") for i, part in enumerate(parts)]


def _child(node: Node | None, key: str) -> tuple[Node | None, Node | None]:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return key_node, value_node
    return None, None


def _quote(value: str, style: str | None) -> str:
    """``value`` written in the original style, or the plainest style that reads back as text."""
    if style == '"':
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "'" or plain_scalar(value) != value or not _plain_safe(value):
        return "'" + value.replace("'", "''") + "'"
    return value


def _plain_safe(value: str) -> bool:
    return bool(value) and value == value.strip() and not re.search(r"^[-?:,\[\]{}#&*!|>'\"%@`]|: | #|:$", value)


def set_review(raw: bytes, rel: str, reviewed: date, reviewer: str | None = None) -> tuple[bytes, list[Change]]:
    """The file's bytes with ``review.last_reviewed`` (and ``reviewer``) set; nothing else differs."""
    loaded = parse_bytes(raw, rel)
    source = loaded.source
    if source is None:
        raise EditError(f"{rel}: cannot update a file whose front matter does not parse; run kamdocs check")
    text = raw.decode("utf-8")
    lines = _split_lines(text)
    _, review = _child(source.document.root, "review")
    if not isinstance(review, MappingNode) or review.flow_style:
        raise EditError(f"{rel}: expected a block mapping 'review:' with one key per line, found none")
    wanted = {"last_reviewed": reviewed.isoformat()}
    if reviewer is not None:
        wanted["reviewer"] = reviewer
    changes: list[Change] = []
    edits: list[tuple[int, int, int, str]] = []  # (line index, start col, end col, new text)
    inserts: list[tuple[int, str]] = []
    for key, new_value in wanted.items():
        _, value_node = _child(review, key)
        if value_node is None:
            first_key = review.value[0][0]
            line_index = source.yaml_line - 1 + first_key.start_mark.line
            ending = _LINE_BREAK.search(lines[line_index])
            indent = " " * first_key.start_mark.column
            inserts.append(
                (line_index, f"{indent}{key}: {_quote(new_value, None)}{ending.group() if ending else os.linesep}")
            )
            changes.append(Change(key, None, new_value))
            continue
        if not isinstance(value_node, ScalarNode) or value_node.start_mark.line != value_node.end_mark.line:
            raise EditError(f"{rel}: expected review.{key} to be a single-line value, found something else")
        if value_node.value == new_value:
            continue
        line_index = source.yaml_line - 1 + value_node.start_mark.line
        start, end = value_node.start_mark.column, value_node.end_mark.column
        edits.append((line_index, start, end, _quote(new_value, value_node.style)))
        changes.append(Change(key, value_node.value, new_value))
    if not changes:
        return raw, []
    for line_index, start, end, new_text in sorted(edits, reverse=True):
        line = lines[line_index]
        lines[line_index] = line[:start] + new_text + line[end:]
    for line_index, new_line in sorted(inserts, reverse=True):
        lines.insert(line_index, new_line)
    result = "".join(lines).encode("utf-8")
    _verify(source, result, rel, wanted)
    return result, changes


def _verify(before: SourceFile, result: bytes, rel: str, wanted: dict[str, str]) -> None:
    """Re-parse the edited file: only the wanted values may differ, the body not at all."""
    after = parse_bytes(result, rel).source
    expected: dict[str, Any] = dict(before.data)
    expected["review"] = {**before.data["review"], **wanted}
    if after is None or after.data != expected or after.body != before.body:
        raise EditError(f"{rel}: the edit could not be made without changing anything else; nothing was written")


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step, keeping its permissions."""
    mode = path.stat().st_mode
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
