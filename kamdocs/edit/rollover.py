"""Starting the follow-up plan for the next goal period, in the same file.

The chain and the open commitments are carried forward; done and dropped
commitments are removed from the front matter and listed in a note appended
to the body. The goal's actual is removed, because nothing is measured yet in
the new period and a missing figure is missing, never 0 (or it is set to the
value the user gives). KPIs keep their last actual with its ``as_of`` date,
which stays true; ``kpi-stale`` says when it needs a new measurement. The
previous period stays in git history.
Like ``kamdocs review``, only the bytes that must change are changed, and the
result is re-parsed to prove it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
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
from kamdocs.plan.loader import SourceFile
from kamdocs.plan.safeyaml import plain_scalar
from kamdocs.plan.yamltext import scalar


@dataclass(frozen=True)
class Rollover:
    """What a rollover did, for the command to say."""

    carried: tuple[str, ...]
    closed: tuple[str, ...]
    """Commitment ids removed because they were done or dropped."""
    unanswered: tuple[str, ...] = ()
    """Obstacle ids that only closed commitments resolved: unanswered in the new period (with ``force``)."""
    actual: str | None = None
    """The goal's actual in the new period as written, or None when it has none yet."""


def unanswered_obstacles(data: dict[str, Any]) -> list[str]:
    """Obstacles a commitment answers now, but none that a rollover carries forward (open, in progress).

    Removing a done commitment would otherwise leave its obstacle unanswered without a word, and
    the next ``mkdocs build --strict`` would fail on ``obstacle-unresolved``.
    """
    commitments = [c for c in data.get("commitments") or [] if isinstance(c, dict)]

    def answered(items: list[dict[str, Any]]) -> set[str]:
        return {str(target) for c in items for target in c.get("resolves") or []}

    before = answered([c for c in commitments if c.get("status") != "dropped"])
    after = answered([c for c in commitments if c.get("status") not in ("done", "dropped")])
    obstacles = [
        str(obstacle.get("id"))
        for factor in data.get("success_factors") or []
        for condition in (factor.get("conditions") or [] if isinstance(factor, dict) else [])
        for obstacle in (condition.get("obstacles") or [] if isinstance(condition, dict) else [])
        if isinstance(obstacle, dict)
    ]
    return [o for o in obstacles if o in before and o not in after]


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


def rollover(
    raw: bytes, rel: str, start: date, end: date, force: bool = False, actual: str | None = None
) -> tuple[bytes, Rollover]:
    """The file's bytes for the next period from ``start`` to ``end``; ``actual`` is the goal's
    actual in it as a YAML number, or None for none yet.

    The next period must start after the current one ends: rolling into the
    period the plan already covers would drop its actual without a word. Nor
    may removing done commitments leave an obstacle unanswered. ``force``
    allows both.
    """
    if start > end:
        raise EditError(f"--period-start {start} is after --period-end {end}")
    source, lines = opened(raw, rel, "roll over")
    data = source.data
    if not force:
        _check_next_period(data, rel, start)
    ending = next((m.group() for line in lines if (m := LINE_BREAK.search(line))), "\n")
    edits = _LineEdits(source.yaml_line - 1)
    expected: dict[str, Any] = copy.deepcopy(data)
    goal = _block_mapping(source.document.root, "goal", "goal", rel)
    old_start, old_end = _move_period(goal, rel, start, end, edits, expected)
    _set_actual(goal, rel, actual, ending, edits, expected)
    kept, closed = _drop_closed(source.document.root, data, rel, edits, expected)
    unanswered = unanswered_obstacles(data)
    if unanswered and not force:
        _refuse_unanswered(rel, closed, unanswered)
    edits.apply(lines, source)
    text = _with_note(lines, ending, _closing_note(old_start, old_end, closed))
    result = text.encode("utf-8")
    verify_reparsed(result, rel, expected, lambda body: body.startswith(source.body.rstrip("\n")), "rollover")
    return result, Rollover(tuple(c["id"] for c in kept), tuple(c["id"] for c in closed), tuple(unanswered), actual)


@dataclass(frozen=True)
class _LineEdits:
    """The edits a rollover makes, gathered first and applied together, so that every node's line
    numbers stay true until then. ``offset`` turns a YAML line into a line of the file."""

    offset: int
    replacements: list[tuple[ScalarNode, str]] = field(default_factory=list)
    removals: list[tuple[int, int]] = field(default_factory=list)
    """(first, last) 0-based file lines, both removed."""
    insertions: list[tuple[int, str]] = field(default_factory=list)
    """(0-based line, text): a line put before the line at that index."""

    def remove(self, first: Node, last: Node) -> None:
        """Remove the lines from ``first``'s start to ``last``'s end (a key and its value, or an item)."""
        self.removals.append((self.offset + first.start_mark.line, self.offset + last_line(last)))

    def insert_after(self, node: Node, text: str) -> None:
        self.insertions.append((self.offset + last_line(node) + 1, text))

    def apply(self, lines: list[str], source: SourceFile) -> None:
        """Replace the values in place, then remove and insert lines from the bottom up."""
        replace_values(lines, source, [(node, _styled(text, node)) for node, text in self.replacements])
        edits: list[tuple[int, int, list[str]]] = [(first, last + 1, []) for first, last in self.removals]
        edits += [(at, at, [text]) for at, text in self.insertions]
        for first, stop, new_lines in sorted(edits, key=lambda e: e[0], reverse=True):
            lines[first:stop] = new_lines


def _block_mapping(parent: Node | None, key: str, name: str, rel: str) -> MappingNode:
    """The block mapping under ``key`` (``name`` is its dotted path, for the refusal)."""
    _, node = child(parent, key)
    if not isinstance(node, MappingNode) or node.flow_style:
        raise EditError(f"{rel}: expected a block mapping '{name}:', found none")
    return node


def _move_period(
    goal: MappingNode, rel: str, start: date, end: date, edits: _LineEdits, expected: dict[str, Any]
) -> tuple[str, str]:
    """The goal period's start and end become the next period's; returns the old ones, as read."""
    period = _block_mapping(goal, "period", "goal.period", rel)
    # The nodes first: a period without its start or end is refused in words before its dates are read.
    start_node = single_line_scalar(child(period, "start")[1], "goal.period.start", rel)
    end_node = single_line_scalar(child(period, "end")[1], "goal.period.end", rel)
    old = expected["goal"]["period"]
    old_start, old_end = str(old["start"]), str(old["end"])
    edits.replacements.append((start_node, start.isoformat()))
    edits.replacements.append((end_node, end.isoformat()))
    expected["goal"]["period"] = {**old, "start": start.isoformat(), "end": end.isoformat()}
    return old_start, old_end


def _set_actual(
    goal: MappingNode, rel: str, actual: str | None, ending: str, edits: _LineEdits, expected: dict[str, Any]
) -> None:
    """The goal's actual becomes ``actual`` (replaced, or written below the target), or goes when it is None."""
    actual_key, actual_node = child(goal, "actual")
    if actual is None:
        if actual_key is not None and actual_node is not None:
            _scalar_at(goal, "actual", rel)
            edits.remove(actual_key, actual_node)
            del expected["goal"]["actual"]
        return
    expected["goal"]["actual"] = plain_scalar(actual)
    if actual_node is not None:
        edits.replacements.append((_scalar_at(goal, "actual", rel), actual))
        return
    target_key, target_node = child(goal, "target")
    if target_key is None or target_node is None:
        raise EditError(f"{rel}: expected 'goal.target:', found none")
    edits.insert_after(target_node, " " * target_key.start_mark.column + f"actual: {actual}{ending}")


def _drop_closed(
    root: Node | None, data: dict[str, Any], rel: str, edits: _LineEdits, expected: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The commitments carried forward and those removed (done or dropped); at least one must be carried."""
    commitments = data.get("commitments") or []
    closed = [c for c in commitments if c.get("status") in _CLOSED]
    kept = [c for c in commitments if c.get("status") not in _CLOSED]
    if not closed:
        return kept, closed
    if not kept:
        raise EditError(
            f"{rel}: every commitment is done or dropped, so none would be carried forward; "
            "add the next period's commitments first, then roll over"
        )
    _, sequence = child(root, "commitments")
    if not isinstance(sequence, SequenceNode) or sequence.flow_style:
        raise EditError(f"{rel}: expected 'commitments:' as a block list, found a flow list")
    for item_node, item in zip(sequence.value, commitments, strict=True):
        if item.get("status") in _CLOSED:
            edits.remove(item_node, item_node)
    expected["commitments"] = kept
    return kept, closed


_CLOSED = ("done", "dropped")
"""The statuses a rollover removes from the front matter (and lists in the note)."""


def _refuse_unanswered(rel: str, closed: list[dict[str, Any]], unanswered: list[str]) -> None:
    done = [str(c["id"]) for c in closed if set(map(str, c.get("resolves") or [])) & set(unanswered)]
    raise EditError(
        f"{rel}: rolling over would leave obstacle(s) {', '.join(unanswered)} unanswered: only the closed "
        f"commitment(s) {', '.join(done)} resolve them, and those are removed; add a commitment for the next "
        "period that resolves each, or remove the obstacle; nothing was written (--force to roll over anyway)"
    )


def _closing_note(old_start: str, old_end: str, closed: list[dict[str, Any]]) -> list[str]:
    """The note's lines: the period that ended and what was closed in it."""
    # Front-matter text was escaped on the page; in the body it would be live Markdown and HTML.
    period = f"{markdown_text(old_start)} to {markdown_text(old_end)}"
    note = [f"Carried over from the period {period}. Closed in that period:", ""]
    items = [
        f"- {markdown_text(str(c['id']))} ({markdown_text(str(c['status']))}): {markdown_text(str(c.get('action', '')))}"
        for c in closed
    ]
    return note + (items or ["- nothing"])


def _with_note(lines: list[str], ending: str, note: list[str]) -> str:
    """The file's text with ``note`` appended after a blank line, in the file's line ending."""
    text = "".join(lines)
    if not text.endswith(("\n", "\r")):
        text += ending
    return text + ending + ending.join(note) + ending


def _styled(text: str, node: ScalarNode) -> str:
    """A number or date written where ``node`` was: in its quotes if it had them, else plain (a number
    stays a number; :func:`kamdocs.plan.yamltext.scalar` would quote it as text)."""
    return scalar(text, node.style) if node.style in ("'", '"') else text
