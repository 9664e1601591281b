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
    removals: list[tuple[int, int]] = []
    insertions: list[tuple[int, str]] = []
    """(0-based line, text): a line put before the line at that index."""
    actual_key, actual_node = child(goal, "actual")
    if actual is not None:
        expected["goal"]["actual"] = plain_scalar(actual)
        if actual_node is not None:
            replacements.append((_scalar_at(goal, "actual", rel), actual))
        else:
            target_key, target_node = child(goal, "target")
            if target_key is None or target_node is None:
                raise EditError(f"{rel}: expected 'goal.target:', found none")
            line = " " * target_key.start_mark.column + f"actual: {actual}{ending}"
            insertions.append((offset + last_line(target_node) + 1, line))
    elif actual_key is not None and actual_node is not None:
        _scalar_at(goal, "actual", rel)
        removals.append((offset + actual_key.start_mark.line, offset + last_line(actual_node)))
        del expected["goal"]["actual"]

    commitments = data.get("commitments") or []
    closed = [c for c in commitments if c.get("status") in ("done", "dropped")]
    kept = [c for c in commitments if c.get("status") not in ("done", "dropped")]
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
    unanswered = unanswered_obstacles(data)
    if unanswered and not force:
        done = [str(c["id"]) for c in closed if set(map(str, c.get("resolves") or [])) & set(unanswered)]
        raise EditError(
            f"{rel}: rolling over would leave obstacle(s) {', '.join(unanswered)} unanswered: only the closed "
            f"commitment(s) {', '.join(done)} resolve them, and those are removed; add a commitment for the next "
            "period that resolves each, or remove the obstacle; nothing was written (--force to roll over anyway)"
        )

    replace_values(lines, source, [(node, _styled(text, node)) for node, text in replacements])
    edits = [(first, last + 1, []) for first, last in removals] + [(at, at, [text]) for at, text in insertions]
    for first, stop, new_lines in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[first:stop] = new_lines

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
    return result, Rollover(tuple(c["id"] for c in kept), tuple(c["id"] for c in closed), tuple(unanswered), actual)


def _styled(text: str, node: ScalarNode) -> str:
    """A number or date written where ``node`` was: in its quotes if it had them, else plain (a number
    stays a number; :func:`kamdocs.plan.yamltext.scalar` would quote it as text)."""
    return scalar(text, node.style) if node.style in ("'", '"') else text
