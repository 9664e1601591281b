"""Starting the follow-up plan for the next goal period, in the same file.

The chain and the open commitments are carried forward; done and dropped
commitments are removed from the front matter and listed in a note appended
to the body; the actuals are reset. The previous period stays in git history.
Like ``kamdocs review``, only the bytes that must change are changed, and the
result is re-parsed to prove it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kamdocs.edit.text import (
    LINE_BREAK,
    EditError,
    child,
    last_line,
    opened,
    replace_values,
    single_line_scalar,
    verify_reparsed,
)
from kamdocs.escaping import markdown_text
from kamdocs.plan.yamltext import scalar


@dataclass(frozen=True)
class Rollover:
    carried: tuple[str, ...]
    closed: tuple[str, ...]
    """Commitment ids removed because they were done or dropped."""


def _check_next_period(data: dict[str, Any], rel: str, start: date) -> None:
    """Refuse a next period that does not start after the current period, with the dates named."""
    goal = data.get("goal")
    period = goal.get("period") if isinstance(goal, dict) else None
    if not isinstance(period, dict):
        return
    try:
        current_start = date.fromisoformat(str(period.get("start")))
        current_end = date.fromisoformat(str(period.get("end")))
    except ValueError:
        return
    if start <= current_start:
        raise EditError(
            f"{rel}: expected the next period to start after the current period's start {current_start}, "
            f"found --period-start {start}; nothing was written (--force to roll over anyway)"
        )
    if start <= current_end:
        raise EditError(
            f"{rel}: expected the next period to start after the current period {current_start} to {current_end}, "
            f"found --period-start {start}, which overlaps it; nothing was written (--force to roll over anyway)"
        )


def _scalar_at(mapping: Node | None, key: str, rel: str) -> ScalarNode:
    return single_line_scalar(child(mapping, key)[1], key, rel)


def rollover(raw: bytes, rel: str, start: date, end: date, force: bool = False) -> tuple[bytes, Rollover]:
    """The file's bytes for the next period from ``start`` to ``end``.

    The next period must start after the current one ends: rolling into the
    period the plan already covers would reset its actuals without a word.
    ``force`` allows it.
    """
    if start > end:
        raise EditError(f"--period-start {start} is after --period-end {end}")
    source, lines = opened(raw, rel, "roll over")
    data = source.data
    if not force:
        _check_next_period(data, rel, start)
    root = source.document.root
    offset = source.yaml_line - 1
    ending = next((m.group() for line in lines if (m := LINE_BREAK.search(line))), "\n")

    _, goal = child(root, "goal")
    if not isinstance(goal, MappingNode) or goal.flow_style:
        raise EditError(f"{rel}: expected a block mapping 'goal:', found none")
    _, period = child(goal, "period")
    if not isinstance(period, MappingNode) or period.flow_style:
        raise EditError(f"{rel}: expected a block mapping 'goal.period:', found none")
    old_start, old_end = str(data["goal"]["period"]["start"]), str(data["goal"]["period"]["end"])
    replacements: list[tuple[Node, str]] = [
        (_scalar_at(period, "start", rel), start.isoformat()),
        (_scalar_at(period, "end", rel), end.isoformat()),
    ]
    expected: dict[str, Any] = copy.deepcopy(data)
    expected["goal"]["period"] = {**data["goal"]["period"], "start": start.isoformat(), "end": end.isoformat()}
    if "actual" in data["goal"]:
        replacements.append((_scalar_at(goal, "actual", rel), "0"))
        expected["goal"]["actual"] = 0
    _, kpis = child(root, "kpis")
    if isinstance(kpis, SequenceNode):
        for index, item in enumerate(kpis.value):
            if "actual" in data["kpis"][index]:
                replacements.append((_scalar_at(item, "actual", rel), "0"))
                replacements.append((_scalar_at(item, "as_of", rel), start.isoformat()))
                expected["kpis"][index] = {**data["kpis"][index], "actual": 0, "as_of": start.isoformat()}

    commitments = data.get("commitments") or []
    closed = [c for c in commitments if c.get("status") in ("done", "dropped")]
    kept = [c for c in commitments if c.get("status") not in ("done", "dropped")]
    removals: list[tuple[int, int]] = []
    if closed:
        if not kept:
            raise EditError(
                f"{rel}: every commitment is done or dropped, so none would be carried forward; "
                "add the next period's commitments first, then roll over"
            )
        _, sequence = child(root, "commitments")
        if not isinstance(sequence, SequenceNode) or sequence.flow_style:
            raise EditError(f"{rel}: expected 'commitments:' as a block list, found a flow list")
        for item_node, item in zip(sequence.value, commitments, strict=True):
            if item.get("status") in ("done", "dropped"):
                removals.append((offset + item_node.start_mark.line, offset + last_line(item_node)))
        expected["commitments"] = kept

    replace_values(lines, source, [(node, _styled(text, node)) for node, text in replacements])
    for first, last in sorted(removals, reverse=True):
        del lines[first : last + 1]

    # Front-matter text was escaped on the page; in the body it would be live Markdown and HTML.
    period = f"{markdown_text(old_start)} to {markdown_text(old_end)}"
    note = [f"Carried over from the period {period}. Closed in that period:", ""]
    note += [
        f"- {markdown_text(str(c['id']))} ({markdown_text(str(c['status']))}): {markdown_text(str(c.get('action', '')))}"
        for c in closed
    ] or ["- nothing"]
    text = "".join(lines)
    if not text.endswith(("\n", "\r")):
        text += ending
    text += ending + ending.join(note) + ending
    result = text.encode("utf-8")
    verify_reparsed(result, rel, expected, lambda body: body.startswith(source.body.rstrip("\n")), "rollover")
    return result, Rollover(tuple(c["id"] for c in kept), tuple(c["id"] for c in closed))


def _styled(text: str, node: ScalarNode) -> str:
    """A number or date written where ``node`` was: in its quotes if it had them, else plain (a number
    stays a number; :func:`kamdocs.plan.yamltext.scalar` would quote it as text)."""
    return scalar(text, node.style) if node.style in ("'", '"') else text
