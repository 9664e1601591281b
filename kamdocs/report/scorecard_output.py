"""Renderers of the scorecard: terminal table, JSON, CSV and Markdown, with the same columns."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kamdocs.escaping import csv_cell, markdown_cell, one_line
from kamdocs.report.budget_output import figure
from kamdocs.report.formats import Formats
from kamdocs.report.scorecard import Attainment, Period, ScorecardRow

SCORECARD_JSON_VERSION = 1
BY_TITLES = {"owner": "Owner", "reviewer": "Reviewer", "business_area": "Business area"}
HEADERS = ["Plans", "Quality avg", "Lowest", "Overdue plans", "Days overdue", "Commitments due", "On time", "Late",
           "Overdue", "Open", "Reviews on time", "Goal attainment"]  # fmt: skip
NUMERIC = set(range(1, 12))


def attainment_text(items: Sequence[Attainment]) -> str:
    """``81% of 2,700,000 CHF; 43% of 14 units (1 without actual)``; ``–`` when nothing counts."""
    parts = []
    for a in items:
        ratio = a.ratio
        text = f"{ratio:.0%} of {figure(a.target)} {a.unit}" if ratio is not None else f"no actual in {a.unit}"
        if a.missing and ratio is not None:
            text += f" ({a.missing} without actual)"
        parts.append(text)
    return "; ".join(parts) or "–"


def reviews_text(row: ScorecardRow) -> str:
    """``2 of 3``; ``not known (no git history)`` when history cannot tell; since when, if history began late."""
    if row.reviews_due is None:
        return "not known (no git history)"
    counted = "none due" if row.reviews_due == 0 else f"{row.reviews_on_time} of {row.reviews_due}"
    return f"{counted} since git history began on {row.reviews_since}" if row.reviews_since else counted


def cells(row: ScorecardRow) -> list[str]:
    """A scorecard row as the text cells every table output shares."""
    average = "–" if row.quality_average is None else f"{row.quality_average:.0f}"
    lowest = "–" if row.quality_lowest is None else f"{row.quality_lowest} ({row.lowest_account})"
    days = f"{row.days_overdue_total} (most {row.days_overdue_most})" if row.overdue_plans else "0"
    return [
        str(row.plans), average, lowest, str(row.overdue_plans), days, str(row.commitments_due),
        str(row.done_on_time), str(row.done_late), str(row.overdue), str(row.open),
        reviews_text(row), attainment_text(row.attainment),
    ]  # fmt: skip


def record(row: ScorecardRow, by: str) -> dict[str, Any]:
    return {
        by: row.key,
        "plans": list(row.plan_ids),
        "quality_average": None if row.quality_average is None else round(row.quality_average, 1),
        "quality_lowest": row.quality_lowest,
        "lowest_plan": row.lowest_plan,
        "lowest_account": row.lowest_account,
        "overdue_plans": row.overdue_plans,
        "days_overdue_total": row.days_overdue_total,
        "days_overdue_most": row.days_overdue_most,
        "commitments_due": row.commitments_due,
        "done_on_time": row.done_on_time,
        "done_late": row.done_late,
        "overdue": row.overdue,
        "open": row.open,
        "reviews_due": row.reviews_due,
        "reviews_on_time": row.reviews_on_time,
        "reviews_since": row.reviews_since.isoformat() if row.reviews_since else None,
        "attainment": [
            {
                "unit": a.unit,
                "actual": a.actual,
                "target": a.target,
                "plans": a.plans,
                "missing": a.missing,
                "ratio": None if a.ratio is None else round(a.ratio, 4),
            }
            for a in row.attainment
        ],
    }


@dataclass(frozen=True)
class ScorecardReport:
    """The input of every ``kamdocs scorecard`` format."""

    rows: Sequence[ScorecardRow]
    by: str
    period: Period
    today: date


def render_json(report: ScorecardReport) -> str:
    rows, by, period, today = report.rows, report.by, report.period, report.today
    document = {
        "version": SCORECARD_JSON_VERSION,
        "today": today.isoformat(),
        "by": by,
        "period": {"label": period.label, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "rows": [record(r, by) for r in rows],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_csv(report: ScorecardReport) -> str:
    """One line per person; attainment as one text column per the table, plus the counts as numbers."""
    rows, by, period = report.rows, report.by, report.period
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    fields = [by, "plans", "quality_average", "quality_lowest", "lowest_plan", "lowest_account", "overdue_plans",
              "days_overdue_total", "days_overdue_most", "commitments_due", "done_on_time", "done_late", "overdue",
              "open", "reviews_due", "reviews_on_time", "reviews_since", "attainment", "period_start",
              "period_end"]  # fmt: skip
    writer.writerow(fields)
    for row in rows:
        values = record(row, by)
        values.update(plans=row.plans, attainment=attainment_text(row.attainment),
                      period_start=period.start.isoformat(), period_end=period.end.isoformat())  # fmt: skip
        writer.writerow([csv_cell(values[f]) for f in fields])
    return "\ufeff" + buffer.getvalue()


def _footnote(period: Period, today: date) -> str:
    span = (
        f"{period.label[0].upper() + period.label[1:]}, {period.start} to {period.end}"
        if period.fiscal_year
        else (f"From {period.start} to {period.end}")
    )
    return (
        f"{span}, on {today}. Commitments due in "
        "the period = on time + late + overdue + open (not due yet); done dates come from git history. Quality "
        "counts active plans; attainment is actuals over the targets of the plans that give one, per unit."
    )


def render_markdown(report: ScorecardReport) -> str:
    rows, by, period, today = report.rows, report.by, report.period, report.today
    headers = [BY_TITLES[by], *HEADERS]
    out = [f"### Scorecard by {BY_TITLES[by].lower()}, {period.label}", "", "| " + " | ".join(headers) + " |",
           "|" + "|".join("---:" if i in NUMERIC else "---" for i in range(len(headers))) + "|"]  # fmt: skip
    for row in rows:
        out.append("| " + " | ".join(markdown_cell(c) for c in [row.key, *cells(row)]) + " |")
    out += ["", _footnote(period, today)]
    return "\n".join(out) + "\n"


def render_table(report: ScorecardReport) -> str:
    rows, by, period, today = report.rows, report.by, report.period, report.today
    headers = [BY_TITLES[by], *HEADERS]
    body = [[one_line(c) for c in (row.key, *cells(row))] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(headers)]
    last = len(headers) - 1

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v if i == last else v.rjust(w) if i in NUMERIC else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    out = [line(headers), *(line(r) for r in body)]
    if not body:
        out.append(f"No plan's goal period overlaps {period.label}.")
    out.append(_footnote(period, today))
    return "\n".join(out) + "\n"


SCORECARD_FORMATS: Formats[ScorecardReport] = Formats(
    {"table": render_table, "json": render_json, "csv": render_csv, "markdown": render_markdown}, default="table"
)
