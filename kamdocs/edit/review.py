"""Marking a plan as reviewed by rewriting only the bytes of one or two values.

A plan file belongs to its authors: their comments, key order, quoting, line
endings, BOM and body must survive a tool touching it. So this module never
re-serialises YAML. It finds the value's exact span from the parser's marks,
replaces those characters in the original text, and then re-parses the result
to prove that nothing but the intended values changed before writing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import Any

from yaml.nodes import MappingNode, ScalarNode

from kamdocs.edit.text import LINE_BREAK, EditError, child, opened, replace_values, single_line_scalar, verify_reparsed
from kamdocs.plan.yamltext import scalar


@dataclass(frozen=True)
class Change:
    key: str
    old: str | None
    new: str


def set_review(raw: bytes, rel: str, reviewed: date, reviewer: str | None = None) -> tuple[bytes, list[Change]]:
    """The file's bytes with ``review.last_reviewed`` (and ``reviewer``) set; nothing else differs."""
    source, lines = opened(raw, rel, "update")
    _, review = child(source.document.root, "review")
    if not isinstance(review, MappingNode) or review.flow_style:
        raise EditError(f"{rel}: expected a block mapping 'review:' with one key per line, found none")
    wanted = {"last_reviewed": reviewed.isoformat()}
    if reviewer is not None:
        wanted["reviewer"] = reviewer
    changes: list[Change] = []
    edits: list[tuple[ScalarNode, str]] = []
    inserts: list[tuple[int, str]] = []
    for key, new_value in wanted.items():
        _, value_node = child(review, key)
        if value_node is None:
            first_key = review.value[0][0]
            line_index = source.yaml_line - 1 + first_key.start_mark.line
            ending = LINE_BREAK.search(lines[line_index])
            indent = " " * first_key.start_mark.column
            inserts.append(
                (
                    line_index,
                    f"{indent}{key}: {scalar(new_value, text=key == 'reviewer')}{ending.group() if ending else os.linesep}",
                )
            )
            changes.append(Change(key, None, new_value))
            continue
        value_node = single_line_scalar(value_node, f"review.{key}", rel)
        if value_node.value == new_value:
            continue
        edits.append((value_node, scalar(new_value, value_node.style, text=key == "reviewer")))
        changes.append(Change(key, value_node.value, new_value))
    if not changes:
        return raw, []
    replace_values(lines, source, edits)
    for line_index, new_line in sorted(inserts, reverse=True):
        lines.insert(line_index, new_line)
    result = "".join(lines).encode("utf-8")
    # Only the wanted values may differ, the body not at all.
    expected: dict[str, Any] = {**source.data, "review": {**source.data["review"], **wanted}}
    verify_reparsed(result, rel, expected, lambda body: body == source.body, "edit")
    return result, changes


__all__ = ["Change", "EditError", "set_review"]
