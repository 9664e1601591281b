"""Plans as rows of fields, for the workbook ``kamdocs export --format xlsx`` writes and ``kamdocs import`` reads.

plans.xlsx's other sheets are for reading: a row per plan or commitment, with figures worked out. They
cannot give a plan back. The "Plan fields" sheet can: one row per value the plan's front matter holds,
named by its path (``goal.target``, ``commitments[1].status``, ``success_factors[0].conditions[0].id``),
with its type, and the body in pieces. A team can change values in Excel and import the workbook into a
new folder; exported and imported untouched, it gives plans whose ``kamdocs diff`` against the originals is
empty (tests/test_plan_fields.py).

The rows come from the plan model (:func:`kamdocs.plan.model.plan_data`), so they hold what every other
export holds, the public view; a confidential plan or part never reaches them.

The type column makes each value unambiguous whatever a spreadsheet does to the cell: ``text`` (a date's
text included, shown as a date cell), ``number``, ``boolean``, ``null``, and ``list`` / ``mapping`` for an
empty one. Text that a spreadsheet would run as a formula is written with an apostrophe in front, and so is
text that starts with an apostrophe or is blank, so reading drops exactly one apostrophe when there is one.
A value cell emptied in a spreadsheet leaves its key out of the plan: a missing value stays missing.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml

from kamdocs.escaping import looks_like_formula, path_text
from kamdocs.plan.model import Plan, plan_data

SHEET = "Plan fields"
COLUMNS = [("Plan", 20), ("File", 28), ("Field", 44), ("Type", 9), ("Value", 60)]
BODY = "(body)"
"""The field name of the body's pieces: a name no front matter key can be, so it never meets a key."""
BODY_PIECE = 8_000
"""Characters of body per cell: well under the 32,767 a cell holds, counted in either Python's or Excel's units."""
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STEP = re.compile(r"\[(\d+)\]|\.?((?:[^.\[\]\\]|\\.)+)")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_SPECIAL = re.compile(r"([.\[\]\\])")


@dataclass(frozen=True)
class FieldRow:
    """One row of the sheet, the header's order: Plan, File, Field, Type, Value."""

    plan: str
    file: str
    field: str
    type: str
    value: Any


class FieldsProblem(ValueError):
    """A row of the sheet that cannot be read back: ``row`` is its 1-based row in the sheet, ``column`` a letter."""

    def __init__(self, row: int, column: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.row, self.column, self.message, self.hint = row, column, message, hint
        self.file = ""
        """The plan file the row belongs to, where known."""


def field_rows(plan: Plan, plans_folder: str = "") -> Iterator[FieldRow]:
    """Every value of ``plan``'s front matter as a row, then its body in pieces. The File column names the
    plan inside ``plans_folder`` (the repository's, relative to its root), where ``kamdocs import`` writes it
    back, whichever folder the importing repository keeps its plans in."""
    folder = posixpath.normpath(plans_folder or ".")  # plans_dir as configured: plans, ./plans or plans/
    prefix = "" if folder == "." else folder + "/"
    file = plan.file[len(prefix) :] if prefix and plan.file.startswith(prefix) else plan.file
    file = path_text(file)  # a name that is not UTF-8 as its escape (caf\xe9.md), as every output shows it
    for path, value in _leaves(plan_data(plan), ""):
        yield FieldRow(plan.id, file, path, *_typed(value))
    for start in range(0, len(plan.body), BODY_PIECE):
        yield FieldRow(plan.id, file, BODY, "text", cell_text(plan.body[start : start + BODY_PIECE]))


def cell_text(text: str) -> str:
    """``text`` for a cell of this sheet: never run as a formula, and read back exactly by :func:`text_of_cell`.
    Empty and blank text gets the apostrophe too, since a spreadsheet (and the import) takes a blank cell for
    no value at all."""
    guarded = not text.strip() or text.startswith("'") or looks_like_formula(text)
    return "'" + text if guarded else text


def date_of(text: str) -> date | None:
    """The date ``text`` is written as (``2027-12-31``), for a date cell; None for any other text."""
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def text_of_cell(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def _leaves(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{_key(key)}" if path else _key(key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from _leaves(item, f"{path}[{index}]")
    else:
        yield path, value


def _key(key: Any) -> str:
    return _SPECIAL.sub(r"\\\1", str(key))


def _typed(value: Any) -> tuple[str, Any]:
    if value is None:
        return "null", None
    if isinstance(value, bool):
        return "boolean", value
    if isinstance(value, (int, float)):
        return "number", value
    if isinstance(value, list):
        return "list", None
    if isinstance(value, dict):
        return "mapping", None
    return "text", cell_text(str(value))


def plan_texts(rows: Iterable[Sequence[object]]) -> list[tuple[str, str]]:
    """Each plan's file path and whole text, from the sheet's rows (the header first), in the sheet's order.

    Raises :class:`FieldsProblem` at the first row that cannot be read, naming its cell."""
    texts, problems = read_sheet(rows)
    if problems:
        raise problems[0]
    return texts


def read_sheet(rows: Iterable[Sequence[object]]) -> tuple[list[tuple[str, str]], list[FieldsProblem]]:
    """Each plan's file path and whole text, and the first row of each plan that cannot be read: a plan
    with such a row is left out whole (never made from some of its rows), and the others still come back.
    A sheet without the export's header raises :class:`FieldsProblem`."""
    rows = iter(rows)
    header = [str(c).strip() if c is not None else "" for c in next(rows, [])]
    expected = [name for name, _ in COLUMNS]
    if header[: len(expected)] != expected:
        raise FieldsProblem(1, "A", f"expected the header {', '.join(expected)}, found {', '.join(header)}",
                            f"use the '{SHEET}' sheet of a workbook kamdocs export wrote")  # fmt: skip
    plans: dict[str, tuple[dict[str, Any], list[str]]] = {}
    problems: dict[str, FieldsProblem] = {}
    for number, row in enumerate(rows, start=2):
        cells = [*row, *[None] * len(expected)][: len(expected)]
        if all(c is None or c == "" for c in cells):
            continue
        file = str(cells[1] or "").strip()
        try:
            if not file:
                raise FieldsProblem(number, "B", "expected the plan's file, found an empty cell",
                                    "copy it from the row above")  # fmt: skip
            if file not in problems:
                _read_row(plans.setdefault(file, ({}, [])), number, cells)
        except FieldsProblem as problem:
            problem.file = file
            problems.setdefault(file, problem)
    texts = [(file, _text(data, "".join(body))) for file, (data, body) in plans.items() if file not in problems]
    return texts, list(problems.values())


def _read_row(plan: tuple[dict[str, Any], list[str]], number: int, cells: list[object]) -> None:
    data, body = plan
    field, kind, value = str(cells[2] or "").strip(), str(cells[3] or "").strip(), cells[4]
    if field == BODY:
        body.append(text_of_cell(str(value or "")))
    elif value is None and kind in ("text", "number", "boolean"):
        return  # emptied in a spreadsheet: the key is left out, as a plan leaves out what it does not have
    else:
        _put(data, _steps(field, number), _value(kind, value, number), number)


def _steps(field: str, number: int) -> list[str | int]:
    steps: list[str | int] = []
    at = 0
    while at < len(field):
        match = _STEP.match(field, at)
        if match is None or (at and match.group(2) is not None and field[at] != "."):
            raise FieldsProblem(number, "C", f"expected a field such as goal.target or commitments[0].status, "
                                f"found {field!r}", "keep the Field column as the export wrote it")  # fmt: skip
        index, key = match.groups()
        steps.append(int(index) if index is not None else re.sub(r"\\(.)", r"\1", key))
        at = match.end()
    if not steps:
        raise FieldsProblem(number, "C", "expected a field name, found an empty cell", "copy it from the export")
    return steps


def _value(kind: str, value: object, number: int) -> Any:
    if kind == "null":
        return None
    if kind == "list":
        return []
    if kind == "mapping":
        return {}
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if kind == "number" and isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value.strip()):
        # A number a spreadsheet kept as text, written plainly (1250000, -3.5); anything else is refused.
        return float(value) if "." in value else int(value)
    if kind == "text":
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        return text_of_cell(str(value))
    raise FieldsProblem(number, "E", f"expected a {kind or 'value'} as the Type column says, found {value!r}",
                        "write a number as digits with a dot for decimals (1250000, 0.5), "
                        "a boolean as TRUE or FALSE")  # fmt: skip


def _put(data: dict[str, Any], steps: list[str | int], value: Any, number: int) -> None:
    node: Any = data
    for step, following in zip(steps, [*steps[1:], None], strict=True):
        empty: Any = value if following is None else ([] if isinstance(following, int) else {})
        if isinstance(step, int) != isinstance(node, list):
            raise FieldsProblem(number, "C", f"expected {'a list item [n]' if isinstance(node, list) else 'a key'}, "
                                f"found {step!r}", "keep the Field column as the export wrote it")  # fmt: skip
        present = step < len(node) if isinstance(step, int) else step in node
        if following is None and present:
            raise FieldsProblem(number, "C", "expected each field once, found it again",
                                "delete one of the two rows")  # fmt: skip
        if isinstance(step, int) and step > len(node):
            raise FieldsProblem(number, "C", f"expected the items of a list in order, found item {step}",
                                "keep the rows in the order the export wrote them")  # fmt: skip
        if not present and isinstance(step, int):
            node.append(empty)
        elif not present:
            node[step] = empty
        node = node[step]


class _PlanDumper(yaml.SafeDumper):
    """A date written plain (``2027-12-31``), as people write it, not quoted; no anchors or aliases.

    The loader reads a plain date as its ISO text, the form the model's data holds dates in. Any other text
    a YAML reader would take for a timestamp (``2027-12-31 10:00``) stays quoted."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # a list's items indented under their key, as plans are written

    def represent_str(self, data: str) -> yaml.ScalarNode:
        if _TIMESTAMP.match(data) and not ISO_DATE.fullmatch(data):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="'")
        return super().represent_str(data)


_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_TIMESTAMP = next(
    pattern for resolvers in yaml.SafeDumper.yaml_implicit_resolvers.values() for tag, pattern in resolvers
    if tag == _TIMESTAMP_TAG
)  # fmt: skip
_PlanDumper.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
_PlanDumper.add_representer(str, _PlanDumper.represent_str)


def _text(data: dict[str, Any], body: str) -> str:
    front = yaml.dump(data, Dumper=_PlanDumper, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{front}---\n{body}"
