"""Changing a plan file by replacing exact character spans, never by re-serialising.

Shared by ``kamdocs review`` and ``kamdocs rollover``: both locate values with
the parser's marks, edit the original text, and re-parse to verify.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from kamdocs.errors import KamdocsError
from kamdocs.plan.loader import SourceFile, parse_bytes

LINE_BREAK = re.compile(r"\r\n|\r|\n")


class EditError(KamdocsError):
    """The edit cannot be made safely; the message says why."""


def split_lines(text: str) -> list[str]:
    """Lines with their own line endings kept, split exactly as the loader counts lines."""
    parts = LINE_BREAK.split(text)
    breaks = LINE_BREAK.findall(text)
    return [part + (breaks[i] if i < len(breaks) else "") for i, part in enumerate(parts)]


def child(node: Node | None, key: str) -> tuple[Node | None, Node | None]:
    """The key node and value node of ``key`` in a YAML mapping node, for edits at exact positions."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return key_node, value_node
    return None, None


def last_line(node: Node) -> int:
    """The last line (0-based, in the YAML text) that holds part of ``node``'s content."""
    if isinstance(node, ScalarNode):
        return node.end_mark.line - (
            1 if node.end_mark.column == 0 and node.end_mark.line > node.start_mark.line else 0
        )
    children = [v for pair in node.value for v in pair] if isinstance(node, MappingNode) else list(node.value)
    return max([node.start_mark.line, *(last_line(c) for c in children)])


def opened(raw: bytes, rel: str, action: str) -> tuple[SourceFile, list[str]]:
    """The parsed file and its lines (endings kept), or an EditError if it does not parse."""
    source = parse_bytes(raw, rel).source
    if source is None:
        raise EditError(f"{rel}: cannot {action} a file whose front matter does not parse; run kamdocs check")
    return source, split_lines(raw.decode("utf-8"))


def single_line_scalar(node: Node | None, what: str, rel: str) -> ScalarNode:
    """``node`` if it is a value written on one line, the only kind these edits replace."""
    if node is None:
        raise EditError(
            f"{rel}: expected {what} to be a single-line value, found it missing; write it, or run kamdocs check"
        )
    if not isinstance(node, ScalarNode) or node.start_mark.line != node.end_mark.line:
        raise EditError(f"{rel}: expected {what} to be a single-line value, found something else")
    return node


def replace_values(lines: list[str], source: SourceFile, edits: list[tuple[ScalarNode, str]]) -> None:
    """Put each new text in place of its value node's exact characters, last first so spans stay valid."""
    offset = source.yaml_line - 1
    for node, text in sorted(edits, key=lambda e: (e[0].start_mark.line, e[0].start_mark.column), reverse=True):
        index = offset + node.start_mark.line
        line = lines[index]
        lines[index] = line[: node.start_mark.column] + text + line[node.end_mark.column :]


def verify_reparsed(result: bytes, rel: str, data: Any, body_ok: Callable[[str], bool], what: str) -> None:
    """Re-parse an edited file: its front matter must read as exactly ``data`` and its body pass
    ``body_ok``, or the edit is refused (``EditError``) and nothing is written."""
    after = parse_bytes(result, rel).source
    if after is None or after.data != data or not body_ok(after.body):
        raise EditError(f"{rel}: the {what} could not be made without changing anything else; nothing was written")
