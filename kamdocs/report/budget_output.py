"""Renderers of the budget roll-up: terminal table, JSON, CSV and Markdown.

Every form shows the same lines: one per business area × fiscal year × unit,
then each area's totals, then each fiscal year's totals across areas. A
missing figure is written as missing (JSON ``null``), never as 0; amounts
carry their unit and thousands separators and stand right-aligned.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kamdocs.escaping import csv_cell, markdown_cell, markdown_text, one_line, path_text
from kamdocs.report.budget import Budget, BudgetLine, Incomplete
from kamdocs.report.formats import Formats

BUDGET_JSON_VERSION = 1
MISSING = "–"
TOO_LARGE = "too large"


def figure(value: float | None) -> str:
    """1,250,000 or 98.5; missing as –; a sum past the largest float as "too large"."""
    if value is None:
        return MISSING
    if not math.isfinite(value):
        return TOO_LARGE
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def money(value: float | None, unit: str) -> str:
    """An amount with its unit, as every budget output writes it; missing stays a dash."""
    text = figure(value)
    return text if text in (MISSING, TOO_LARGE) else f"{text} {unit}"


def share(value: float | None, signed: bool = False) -> str:
    """A fraction as a percentage, optionally signed, as every budget output writes it."""
    if value is None:
        return MISSING
    return f"{value:+.0%}" if signed else f"{value:.0%}"


def ordered(result: Budget) -> Iterator[tuple[str, BudgetLine]]:
    """(level, line) in reading order: each area's lines then its totals over all years (only when the lines
    span several fiscal years), then the totals per fiscal year."""
    totals: dict[str, list[BudgetLine]] = {}
    for line in result.area_totals:
        totals.setdefault(line.area or "", []).append(line)
    areas: dict[str, list[BudgetLine]] = {}
    for line in result.lines:
        areas.setdefault(line.area or "", []).append(line)
    # An area's total over all years only when there are several: over one it repeats the area's lines.
    several = len(result.years()) > 1
    for area, lines in areas.items():
        for line in lines:
            yield "line", line
        for line in totals.get(area, []) if several else []:
            yield "area-total", line
    for line in sorted(result.year_totals, key=lambda t: (t.fiscal_year.start if t.fiscal_year else date.min, t.unit)):
        yield "year-total", line


def _area(level: str, line: BudgetLine) -> str:
    return "All areas" if level == "year-total" else line.area or ""


def _year(level: str, line: BudgetLine) -> str:
    return "All years" if level == "area-total" else (line.fiscal_year.label if line.fiscal_year else "")


HEADERS = ["Business area", "Fiscal year", "Plans", "Baseline", "No baseline", "Target", "Actual", "No actual",
           "Attainment", "Growth"]  # fmt: skip
NUMERIC = {2, 3, 4, 5, 6, 7, 8, 9}


def cells(level: str, line: BudgetLine) -> list[str]:
    """The display cells of one line, the same in the table, the Markdown and the site."""
    return [
        _area(level, line),
        _year(level, line),
        str(line.plans),
        money(line.baseline, line.unit),
        str(line.baselines_missing) if line.baselines_missing else "",
        money(line.target, line.unit),
        money(line.actual, line.unit),
        str(line.actuals_missing) if line.actuals_missing else "",
        share(line.attainment),
        share(line.growth, signed=True),
    ]


def _number(value: float | None) -> float | int | None:
    """A JSON number: whole amounts as integers; a sum too large for a float as null."""
    if value is None or not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def line_record(level: str, line: BudgetLine) -> dict[str, Any]:
    """One line as JSON values, the same in ``kamdocs budget --format json`` and the site's plans.json."""
    year = line.fiscal_year
    return {
        "level": level,
        "business_area": line.area,
        "fiscal_year": None if year is None else {"label": year.label, "start": year.start.isoformat(),
                                                   "end": year.end.isoformat()},
        "unit": line.unit,
        "money": line.is_money,
        "plans": line.plans,
        "baseline": _number(line.baseline),
        "baselines_missing": line.baselines_missing,
        "target": _number(line.target),
        "target_with_baseline": _number(line.target_with_baseline),
        "actual": _number(line.actual),
        "actuals_missing": line.actuals_missing,
        "target_with_actual": _number(line.target_with_actual),
        "attainment": None if line.attainment is None else round(line.attainment, 4),
        "growth": None if line.growth is None else round(line.growth, 4),
    }  # fmt: skip


def incomplete_text(result: Budget, with_ids: bool = True) -> str:
    """One sentence naming the plans left out of the sums, the same in the table, the Markdown and the site
    (which names accounts only, its readers' words); empty when there are none."""
    if not result.incomplete:
        return ""
    count = len(result.incomplete)
    items = "; ".join(
        f"{i.account}{f' ({i.plan})' if with_ids else ''}: {' and '.join(_field_words(i))}" for i in result.incomplete
    )
    plans = "1 plan still has" if count == 1 else f"{count} plans still have"
    return f"Incomplete, not summed: {plans} a placeholder where the budget needs a value: {items}."


def _field_words(item: Incomplete) -> list[str]:
    words = {"goal.unit": "the unit", "business_area": "the business area"}
    return [words.get(field, field) for field in item.fields]


def incomplete_record(item: Incomplete) -> dict[str, Any]:
    """An incomplete plan as JSON values: which plan, and which fields to fill in; never the placeholder."""
    year = item.fiscal_year
    return {
        "plan": item.plan,
        "account": item.account,
        "file": path_text(item.file),
        "business_area": item.business_area,
        "fiscal_year": {"label": year.label, "start": year.start.isoformat(), "end": year.end.isoformat()},
        "placeholders": list(item.fields),
    }


@dataclass(frozen=True)
class BudgetReport:
    """The input of every ``kamdocs budget`` format."""

    result: Budget
    today: date
    fiscal_year_start: str


def render_json(report: BudgetReport) -> str:
    result, today, fiscal_year_start = report.result, report.today, report.fiscal_year_start
    document = {
        "version": BUDGET_JSON_VERSION,
        "today": today.isoformat(),
        "fiscal_year_start": fiscal_year_start,
        "lines": [line_record(level, line) for level, line in ordered(result)],
        "incomplete": [incomplete_record(item) for item in result.incomplete],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


CSV_FIELDS = ("level", "business_area", "fiscal_year", "fiscal_year_start", "fiscal_year_end", "unit", "plans",
              "baseline", "baselines_missing", "target", "actual", "actuals_missing", "attainment", "growth",
              "plan", "placeholders")  # fmt: skip
"""``plan`` and ``placeholders`` are filled only on ``incomplete`` rows: one per plan left out of the sums."""


def render_csv(report: BudgetReport) -> str:
    """Numbers as plain numbers (no separators), missing as an empty cell; text cells formula-guarded."""
    result = report.result
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for level, line in ordered(result):
        record = line_record(level, line)
        year = record.pop("fiscal_year") or {}
        row = {**record, "fiscal_year": year.get("label"), "fiscal_year_start": year.get("start"),
               "fiscal_year_end": year.get("end")}  # fmt: skip
        writer.writerow([csv_cell(row.get(name)) for name in CSV_FIELDS])
    for item in result.incomplete:
        record = incomplete_record(item)
        year = record.pop("fiscal_year")
        row = {"level": "incomplete", "business_area": item.business_area, "fiscal_year": year["label"],
               "fiscal_year_start": year["start"], "fiscal_year_end": year["end"], "plans": 1, "plan": item.plan,
               "placeholders": " ".join(item.fields)}  # fmt: skip
        writer.writerow([csv_cell(row.get(name)) for name in CSV_FIELDS])
    return "\ufeff" + buffer.getvalue()


def render_markdown(report: BudgetReport) -> str:
    result, today, fiscal_year_start = report.result, report.today, report.fiscal_year_start
    out = [
        f"### Budget roll-up on {today.isoformat()}",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join("---:" if i in NUMERIC else "---" for i in range(len(HEADERS))) + "|",
    ]
    for level, line in ordered(result):
        row = [markdown_cell(c) for c in cells(level, line)]
        if level != "line":
            row[:2] = [f"**{row[0]}**", f"**{row[1]}**"]
        out.append("| " + " | ".join(row) + " |")
    incomplete = incomplete_text(result)
    out += ["", *([markdown_text(incomplete), ""] if incomplete else []), _footnote(fiscal_year_start)]
    return "\n".join(out) + "\n"


def _footnote(fiscal_year_start: str) -> str:
    return (
        f"Goals count in the fiscal year their period ends in (fiscal years start on {fiscal_year_start}). "
        "Attainment and growth compare only plans that give an actual or a baseline; "
        "units and currencies are never added together; archived plans are left out."
    )


def render_table(report: BudgetReport) -> str:
    """The budget as a terminal table, with the fiscal-year footnote."""
    result, fiscal_year_start = report.result, report.fiscal_year_start
    rows = [[one_line(c) for c in cells(level, line)] for level, line in ordered(result)]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(HEADERS)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if i in NUMERIC else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    out = [line(HEADERS), *(line(r) for r in rows)]
    if not rows:
        out.append("No plans to sum.")
    if result.incomplete:
        out.append(one_line(incomplete_text(result)))
    out.append(_footnote(fiscal_year_start))
    return "\n".join(out) + "\n"


BUDGET_FORMATS: Formats[BudgetReport] = Formats(
    {"table": render_table, "json": render_json, "csv": render_csv, "markdown": render_markdown}, default="table"
)
