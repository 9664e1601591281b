"""plans.xlsx: the plans, their commitments and the budget roll-up as a workbook.

Budget people live in spreadsheets. Three sheets, each with a frozen header
row and an auto-filter (``kamdocs export`` adds a fourth, "Plan fields", every value of every plan, which
``kamdocs import`` reads back: :mod:`kamdocs.edit.plan_fields`):

- **Plans**: one row per plan, numbers as numbers, dates as dates;
- **Commitments**: one row per commitment, with the day git saw it done;
- **Budget**: the lines of :mod:`kamdocs.report.budget` as figures, then the totals
  per business area and per fiscal year as real formulas over those lines
  (``=SUMIF($P$2:$P$9,3,$I$2:$I$9)`` over the lines marked as adding into
  that total; attainment ``=IF(...,K/M)``), each with its computed value
  stored too, so a reader without a calculation engine sees the same numbers.
  A missing actual is an empty cell, never 0, and stays out of every formula.

Written with XlsxWriter: pure Python, write-only (kamdocs never reads a
workbook), real formulas, and the same bytes for the same plans and day.
Every text cell is written as a string (never parsed as a formula, number or
link) and gets the CSV's formula guard as well, for readers that re-parse
cells on export.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_range_abs, xl_rowcol_to_cell

from kamdocs import i18n
from kamdocs.edit import plan_fields
from kamdocs.escaping import spreadsheet_text
from kamdocs.report.budget import BudgetLine, budget, goal_fiscal_year
from kamdocs.report.rollup import StatusRow, filled

EXCEL_FIRST_YEAR = 1900
"""Excel has no dates before 1900: such a date is written as its ISO text."""


class _Sheet:
    """One worksheet with the cell writers kamdocs needs: text, number, date, formula."""

    def __init__(
        self, book: Any, formats: dict[str, Any], name: str, headers: Sequence[str], widths: Sequence[int]
    ) -> None:
        self.sheet = book.add_worksheet(name)
        self.formats = formats
        for column, (title, width) in enumerate(zip(headers, widths, strict=True)):
            self.sheet.write_string(0, column, title, self.formats["head"])
            self.sheet.set_column(column, column, width)
        self.sheet.freeze_panes(1, 0)
        self.columns = len(headers)
        self.row = 0

    def next_row(self) -> int:
        self.row += 1
        return self.row

    def text(self, column: int, value: object) -> None:
        if value is None or value == "":
            self.sheet.write_blank(self.row, column, None)
        else:
            self.sheet.write_string(self.row, column, spreadsheet_text(str(value)))

    def number(self, column: int, value: float | int | None, style: str = "amount") -> None:
        if value is None:
            self.sheet.write_blank(self.row, column, None)
        else:
            self.sheet.write_number(self.row, column, value, self.formats[style])

    def day(self, column: int, value: date | None) -> None:
        if value is None:
            self.sheet.write_blank(self.row, column, None)
        elif value.year < EXCEL_FIRST_YEAR:
            self.sheet.write_string(self.row, column, value.isoformat())
        else:
            self.sheet.write_datetime(
                self.row, column, datetime(value.year, value.month, value.day), self.formats["date"]
            )

    def formula(self, column: int, formula: str, value: float | int | str | None, style: str = "amount") -> None:
        self.sheet.write_formula(self.row, column, formula, self.formats[style], "" if value is None else value)

    def finish(self) -> None:
        self.sheet.autofilter(0, 0, max(self.row, 1), self.columns - 1)


STREAMED_ABOVE = 2_000
"""Plans above which the workbook's rows are flushed as they are written (XlsxWriter's ``constant_memory``).

XlsxWriter otherwise keeps every cell until it writes the file: 19 MB at 1,000 plans, 190 MB at 10,000,
on top of the whole build. Flushed rows cost a third more time (0.3 to 0.5 s of a 1,000-plan build),
so a workbook of fewer plans is made whole in memory. Both give the same cells; the flushed one keeps
its strings in the sheets instead of a shared table."""


def plans_xlsx(
    rows: Sequence[StatusRow],
    today: date,
    fiscal_year_start: str,
    *,
    streamed: bool | None = None,
    fields: str | None = None,
) -> bytes:
    """The workbook's bytes; the same plans and day give the same bytes. ``streamed``: whether rows are
    flushed as they are written; by default when there are more than :data:`STREAMED_ABOVE` plans. ``fields``:
    the plans folder, relative to the repository's root, for the "Plan fields" sheet that gives the plans back
    (``kamdocs export`` writes it); None for no such sheet (the site's download)."""
    buffer = io.BytesIO()
    flushed = len(rows) > STREAMED_ABOVE if streamed is None else streamed
    # constant_memory writes each sheet's rows to an unlinked temporary file; in_memory keeps the cells.
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    options["constant_memory" if flushed else "in_memory"] = True
    book = xlsxwriter.Workbook(buffer, options)
    book.set_properties({"title": "Key account plans", "created": datetime(today.year, today.month, today.day)})
    formats = {
        "head": book.add_format({"bold": True, "bottom": 1}),
        "amount": book.add_format({"num_format": "#,##0.00"}),
        "count": book.add_format({"num_format": "0"}),
        "share": book.add_format({"num_format": "0.0%"}),
        "date": book.add_format({"num_format": date_format()}),
        "total": book.add_format({"bold": True}),
        "general": book.add_format({"num_format": "General"}),
    }
    ordered = sorted(rows, key=lambda r: r.plan.id)
    _plans(_Sheet(book, formats, "Plans", *zip(*PLAN_COLUMNS, strict=True)), ordered, fiscal_year_start)
    _commitments(_Sheet(book, formats, "Commitments", *zip(*COMMITMENT_COLUMNS, strict=True)), ordered, today)
    _budget(
        _Sheet(book, formats, "Budget", *zip(*BUDGET_COLUMNS, strict=True)),
        [r.plan for r in ordered],
        fiscal_year_start,
    )
    if fields is not None:
        _fields(_Sheet(book, formats, plan_fields.SHEET, *zip(*plan_fields.COLUMNS, strict=True)), ordered, fields)
    book.close()
    return buffer.getvalue()


PLAN_COLUMNS = [
    ("Plan", 20), ("Account", 28), ("Kind", 9), ("Status", 9), ("Owner", 26), ("Business area", 22),
    ("Reviewer", 26), ("Freshness", 14), ("Next review", 12), ("Days overdue", 8), ("Goal", 40), ("Metric", 18),
    ("Unit", 8), ("Baseline", 14), ("Target", 14), ("Actual", 14), ("Period start", 12), ("Period end", 12),
    ("Fiscal year", 10), ("Open commitments", 8), ("Overdue commitments", 8), ("Quality", 8), ("Quality band", 10),
]  # fmt: skip


def _plans(sheet: _Sheet, rows: Sequence[StatusRow], fiscal_year_start: str) -> None:
    for row in rows:
        plan, fresh, goal = row.plan, row.freshness, row.plan.goal
        sheet.next_row()
        cells: list[tuple[Callable[..., None], object]] = [
            (sheet.text, plan.id), (sheet.text, plan.account), (sheet.text, plan.kind), (sheet.text, plan.status),
            (sheet.text, filled(plan.owner)), (sheet.text, filled(plan.business_area)),
            (sheet.text, filled(plan.review.reviewer)),
            (sheet.text, fresh.state), (sheet.day, fresh.next_review), (_count(sheet), fresh.days_overdue),
            (sheet.text, goal.statement), (sheet.text, goal.metric), (sheet.text, filled(goal.unit)),
            (sheet.number, goal.baseline), (sheet.number, goal.target), (sheet.number, goal.actual),
            (sheet.day, goal.period.start), (sheet.day, goal.period.end),
            (sheet.text, goal_fiscal_year(plan, fiscal_year_start).label),
            (_count(sheet), fresh.open_commitments), (_count(sheet), fresh.overdue_commitments),
            (_count(sheet), row.quality.score if row.quality else None),
            (sheet.text, row.quality.band if row.quality else None),
        ]  # fmt: skip
        for column, (write, value) in enumerate(cells):
            write(column, value)
    sheet.finish()


def _fields(sheet: _Sheet, rows: Sequence[StatusRow], plans_folder: str) -> None:
    """Every value of every plan, for ``kamdocs import`` to give the plans back (:mod:`kamdocs.edit.plan_fields`).
    Its texts carry that module's own reversible formula guard, so they are written as they come."""
    for row in rows:
        for field in plan_fields.field_rows(row.plan, plans_folder):
            sheet.next_row()
            for column, value in enumerate((field.plan, field.file, field.field, field.type)):
                sheet.sheet.write_string(sheet.row, column, value)
            day = plan_fields.date_of(field.value) if field.type == "text" else None
            if day is not None:
                sheet.day(4, day)
            elif field.type == "text":
                sheet.sheet.write_string(sheet.row, 4, field.value)
            elif field.type == "boolean":
                sheet.sheet.write_boolean(sheet.row, 4, field.value)
            elif field.type == "number":
                sheet.number(4, field.value, "general")
            else:
                sheet.sheet.write_blank(sheet.row, 4, None)
    sheet.finish()


def _count(sheet: _Sheet) -> Callable[[int, Any], None]:
    return lambda column, value: sheet.number(column, value, "count")


COMMITMENT_COLUMNS = [
    ("Plan", 20), ("Account", 28), ("Commitment", 18), ("Action", 44), ("Owner", 26), ("Due", 12),
    ("Status", 12), ("Resolves", 22), ("Overdue", 8), ("Done on (git)", 12),
]  # fmt: skip


SHORT_DATE = 14
"""Excel's built-in short date, which Excel shows as the reader's own system writes dates (31.12.2027 in
Switzerland). The amount, count and share formats need no such choice: ``#,##0.00`` is drawn with the
reader's separators wherever the file is opened."""


def date_format() -> str | int:
    """The date cells' format: ISO on an English site with no ``locale:`` (as its pages write dates), else
    the reader's short date; the cell is a date either way, never text."""
    return "yyyy-mm-dd" if i18n.speech().iso_dates else SHORT_DATE


def _commitments(sheet: _Sheet, rows: Sequence[StatusRow], today: date) -> None:
    for row in rows:
        for c in row.plan.commitments:
            sheet.next_row()
            done = row.delivery.done_on.get(c.id) if row.delivery and c.status == "done" else None
            sheet.text(0, row.plan.id)
            sheet.text(1, row.plan.account)
            sheet.text(2, c.id)
            sheet.text(3, c.action)
            sheet.text(4, c.owner)
            sheet.day(5, c.due)
            sheet.text(6, c.status)
            sheet.text(7, ", ".join(c.resolves))
            sheet.text(8, "yes" if c.overdue_on(today) else "no")
            sheet.day(9, done)
    sheet.finish()


BUDGET_COLUMNS = [
    ("Business area", 24), ("Fiscal year", 10), ("Year start", 12), ("Year end", 12), ("Unit", 8), ("Plans", 7),
    ("Baseline", 16), ("No baseline", 8), ("Target", 16), ("Target with baseline", 16), ("Actual", 16),
    ("No actual", 8), ("Target with actual", 16), ("Attainment", 10), ("Growth", 10), ("Area total no.", 6),
    ("Year total no.", 6),
]  # fmt: skip
# Column numbers of the summed figures and of the keys, for the formulas.
PLANS, BASELINE, NO_BASELINE, TARGET, TARGET_B, ACTUAL, NO_ACTUAL, TARGET_A, ATTAIN, GROWTH = range(5, 15)
AREA_KEY, YEAR_KEY = 15, 16


def _budget(sheet: _Sheet, plans: list[Any], fiscal_year_start: str) -> None:
    """Lines as figures; area and fiscal-year totals as formulas over the lines of the same unit.

    Each line carries, in two narrow key columns, the number of the area total
    and of the fiscal-year total it adds into (each total is one area or year in
    one unit, so no formula ever adds two units). A total is ``SUMIF`` over the
    lines whose key is its number: the formula has the same short length for 3
    lines or 30,000 (naming each line's cell breaks Excel's and LibreOffice's
    limit of 255 arguments past 255 business areas in one year), and it matches
    a number the workbook wrote, never an area or unit name, which ``SUMIF``
    would read as a pattern (``*``, ``?``) or a comparison (``>1``).
    """
    result = budget(plans, fiscal_year_start)
    area_key = {(t.area, t.unit): n for n, t in enumerate(result.area_totals, 1)}
    year_key = {(t.fiscal_year, t.unit): n for n, t in enumerate(result.year_totals, 1)}
    for line in result.lines:
        sheet.next_row()
        year = line.fiscal_year
        assert year is not None
        sheet.text(0, line.area)
        sheet.text(1, year.label)
        sheet.day(2, year.start)
        sheet.day(3, year.end)
        sheet.text(4, line.unit)
        sheet.number(PLANS, line.plans, "count")
        sheet.number(BASELINE, line.baseline)
        sheet.number(NO_BASELINE, line.baselines_missing, "count")
        sheet.number(TARGET, line.target)
        sheet.number(TARGET_B, line.target_with_baseline)
        sheet.number(ACTUAL, line.actual)
        sheet.number(NO_ACTUAL, line.actuals_missing, "count")
        sheet.number(TARGET_A, line.target_with_actual)
        _ratios(sheet, line)
        sheet.number(AREA_KEY, area_key[(line.area, line.unit)], "count")
        sheet.number(YEAR_KEY, year_key[(year, line.unit)], "count")
    last_line = sheet.row
    for key in (AREA_KEY, YEAR_KEY):
        sheet.sheet.set_column(key, key, BUDGET_COLUMNS[key][1], None, {"hidden": True})
    sheet.next_row()  # a blank row between the lines and the totals
    for key_column, totals in ((AREA_KEY, result.area_totals), (YEAR_KEY, result.year_totals)):
        for number, line in enumerate(totals, 1):
            _total(sheet, line, key_column, number, last_line)
    sheet.sheet.autofilter(0, 0, max(last_line, 1), sheet.columns - 1)


def _ratios(sheet: _Sheet, line: BudgetLine) -> None:
    """Attainment and growth as formulas on the row's own cells; empty when a side is missing or 0."""
    r = sheet.row
    cell = {c: xl_rowcol_to_cell(r, c) for c in (BASELINE, TARGET_B, ACTUAL, TARGET_A)}
    sheet.formula(
        ATTAIN,
        f'=IF(OR({cell[ACTUAL]}="",{cell[TARGET_A]}=0),"",{cell[ACTUAL]}/{cell[TARGET_A]})',
        line.attainment,
        "share",
    )
    sheet.formula(
        GROWTH,
        f'=IF(OR({cell[BASELINE]}="",{cell[BASELINE]}=0),"",({cell[TARGET_B]}-{cell[BASELINE]})/ABS({cell[BASELINE]}))',
        line.growth,
        "share",
    )


def _total(sheet: _Sheet, line: BudgetLine, key_column: int, number: int, last_line: int) -> None:
    """A total row: each figure ``SUMIF`` over the lines whose key column holds this total's number.

    A baseline or actual that no line gives stays empty (never 0): the row's
    own counts say so, when every plan it adds is missing one."""
    r = sheet.next_row()
    sheet.sheet.write_string(r, 0, spreadsheet_text(line.area) if line.area else "All areas", sheet.formats["total"])
    sheet.sheet.write_string(r, 1, line.fiscal_year.label if line.fiscal_year else "All years", sheet.formats["total"])
    sheet.text(4, line.unit)
    sheet.number(key_column, number, "count")
    keys = xl_range_abs(1, key_column, last_line, key_column)

    def sumif(column: int) -> str:
        return f"SUMIF({keys},{number},{xl_range_abs(1, column, last_line, column)})"

    def cell(column: int) -> str:
        return xl_rowcol_to_cell(r, column)

    for column, value, style in (
        (PLANS, line.plans, "count"),
        (NO_BASELINE, line.baselines_missing, "count"),
        (TARGET, line.target, "amount"),
        (TARGET_B, line.target_with_baseline, "amount"),
        (NO_ACTUAL, line.actuals_missing, "count"),
        (TARGET_A, line.target_with_actual, "amount"),
    ):
        sheet.formula(column, f"={sumif(column)}", value, style)
    for column, missing, total in ((BASELINE, NO_BASELINE, line.baseline), (ACTUAL, NO_ACTUAL, line.actual)):
        sheet.formula(column, f'=IF({cell(missing)}={cell(PLANS)},"",{sumif(column)})', total)
    _ratios(sheet, line)
