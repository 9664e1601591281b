"""The budget page's table: the figures a budget round acts on first, and the counts that qualify them under them.

The terminal, Markdown and CSV outputs keep one column per figure (``budget_output.HEADERS``); ten
columns do not fit a 1366 px screen beside the navigation, so the site groups them into seven:
area (with its number of plans under it), fiscal year, target, actual (with the plans that give
none under it), attainment, baseline (likewise) and growth. On a phone each line is a block of
labelled cells. The texts are ``budget_output.cells``, so every output words a figure alike.
"""

from __future__ import annotations

from collections.abc import Iterable

from kamdocs.report.budget import BudgetLine
from kamdocs.report.budget_output import HEADERS, cells, money
from kamdocs.site.html import esc, nowrap, second_line, sort_cell, table

COLUMNS = ("Business area", "Fiscal year", "Target", "Actual", "Attainment", "Baseline", "Growth")
NUMERIC = {2, 3, 4, 5, 6}


def _count(n: int, what: str) -> str:
    return f"{n} plan{'s' if n != 1 else ''} {what}" if n else ""


def budget_table(lines: Iterable[tuple[str, BudgetLine]]) -> str:
    """A sortable table of ``(level, line)`` in reading order (``budget_output.ordered``); totals in bold."""
    rows, classes = [], []
    for level, line in lines:
        text = dict(zip(HEADERS, cells(level, line), strict=True))
        year = line.fiscal_year.start.isoformat() if line.fiscal_year else "9999"
        plans = f"{line.plans} plan{'s' if line.plans != 1 else ''}"
        rows.append(
            [
                sort_cell(second_line(esc(text["Business area"]), esc(plans)), text["Business area"]),
                sort_cell(nowrap(esc(text["Fiscal year"])), year),
                _figure(text["Target"], line.target),
                _figure(text["Actual"], line.actual, _count(line.actuals_missing, "without actual")),
                _figure(text["Attainment"], line.attainment, _of(line)),
                _figure(text["Baseline"], line.baseline, _count(line.baselines_missing, "without baseline")),
                _figure(text["Growth"], line.growth),
            ]
        )
        classes.append("" if level == "line" else "kd-total")
    return table(COLUMNS, rows, css="kd-table kd-budget", sortable=True, row_classes=classes, numeric=NUMERIC,
                 stacked=True)  # fmt: skip


def _of(line: BudgetLine) -> str:
    """What the attainment is of, when that is not the Target beside it: the targets of the plans with an
    actual. Without it a reader dividing the actual by the target cell gets another percentage."""
    if not line.actuals_missing or line.actual is None:
        return ""
    return f"of {money(line.target_with_actual, line.unit)}"


def _figure(text: str, key: float | None, detail: str = "") -> str:
    return sort_cell(second_line(esc(text), esc(detail)), "" if key is None else key)
