"""Renderers of a plan's history (``kamdocs history``): a terminal table, JSON, CSV and Markdown, and the
one-line figures that ``kamdocs show`` prints under a plan as it was.

Each row is one version that changed a figure (:meth:`kamdocs.report.timeline.Timeline.changes`), judged on
its own day. The JSON shape is versioned (:data:`HISTORY_JSON_VERSION`) and documented in docs/history.md;
its fields and the CSV columns have the same names. An unknown figure is empty (None in JSON), never 0.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from kamdocs.escaping import csv_cell, markdown_cell, one_line, path_text
from kamdocs.findings import plural
from kamdocs.report.figures import Figures
from kamdocs.report.formats import Formats
from kamdocs.report.plan_diff import grouped
from kamdocs.report.timeline import Point

HISTORY_JSON_VERSION = 1

FIELDS = (
    "date",
    "commit",
    "author",
    "subject",
    "file",
    "kind",
    "errors",
    "goal_actual",
    "goal_target",
    "goal_unit",
    "quality_score",
    "quality_band",
    "freshness",
    "open_commitments",
    "overdue_commitments",
    "done_commitments",
    "stale_contacts",
)
"""The fields of each version in JSON and the first columns of the CSV, in this order; the CSV then has
one ``kpi:ID`` column per KPI any row shows, and JSON a ``kpis`` list."""


@dataclass(frozen=True)
class HistoryReport:
    """The input of every ``kamdocs history`` format: one plan's changing versions, cut to the period asked."""

    file: str
    """The plan file's path today."""
    points: Sequence[Point]
    today: date
    since: date | None = None
    until: date | None = None
    starts: date | None = None
    """The day of the oldest version git holds of the plan (None: none committed yet)."""
    shallow: bool = False
    """Read from a shallow clone: older versions exist but are not in it."""
    width: int = 1_000_000
    """The terminal's width, for the table: its free-text columns are shortened to fit."""

    @property
    def notes(self) -> list[str]:
        """What the rows cannot show: a history cut off by a shallow clone, a plan in no commit yet."""
        out = []
        if self.shallow and self.starts is not None:
            out.append(f"history starts on {self.starts.isoformat()} (shallow clone)")
        if self.starts is None:
            out.append(f"{path_text(self.file)} is not committed yet: only the working tree's version is shown")
        return out


def kind_label(point: Point) -> str:
    """What a version was, in words: ``valid``, ``invalid: 2 errors``, ``deleted``."""
    figures = point.figures
    if figures.kind == "invalid":
        return f"invalid: {plural(figures.errors, 'error')}"
    return figures.kind


def record(point: Point) -> dict[str, Any]:
    """One version as plain data: the :data:`FIELDS` and its KPIs, dates ISO, text made visible."""
    f = point.figures
    return {
        "date": point.day.isoformat(),
        "commit": point.sha,
        "author": point.author,
        "subject": point.subject,
        "file": path_text(point.file),
        "kind": f.kind,
        "errors": f.errors,
        "goal_actual": f.goal_actual,
        "goal_target": f.goal_target,
        "goal_unit": f.goal_unit,
        "quality_score": f.quality_score,
        "quality_band": f.quality_band,
        "freshness": f.freshness,
        "open_commitments": f.open_commitments,
        "overdue_commitments": f.overdue_commitments,
        "done_commitments": f.done_commitments,
        "stale_contacts": f.stale_contacts,
        "kpis": [{"id": kpi, "actual": actual, "unit": unit} for kpi, actual, unit in f.kpis],
    }


def render_json(report: HistoryReport) -> str:
    """The versioned history JSON documented in docs/history.md."""
    document = {
        "version": HISTORY_JSON_VERSION,
        "file": path_text(report.file),
        "today": report.today.isoformat(),
        "since": _iso(report.since),
        "until": _iso(report.until),
        "history_starts": _iso(report.starts),
        "shallow": report.shallow,
        "versions": [record(p) for p in report.points],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _kpi_ids(points: Sequence[Point]) -> list[str]:
    """Every KPI id any version shows, in the order they first appear."""
    ids: dict[str, None] = {}
    for point in points:
        for kpi, _, _ in point.figures.kpis:
            ids.setdefault(kpi, None)
    return list(ids)


def render_csv(report: HistoryReport) -> str:
    """The versions as CSV: the :data:`FIELDS`, then each KPI's actual; every cell formula-guarded and a
    byte-order mark first, as the status CSV (:func:`kamdocs.report.rollup.rows_csv`)."""
    kpis = _kpi_ids(report.points)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(name) for name in (*FIELDS, *(f"kpi:{k}" for k in kpis))])
    for point in report.points:
        values = record(point)
        actuals = {kpi: actual for kpi, actual, _ in point.figures.kpis}
        writer.writerow([csv_cell(values[name]) for name in FIELDS] + [csv_cell(actuals.get(k)) for k in kpis])
    return "\ufeff" + buffer.getvalue()


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _number(value: float | None) -> str:
    return "-" if value is None else grouped(value)


def goal_text(figures: Figures) -> str:
    """``120,000 / 500,000 CHF``: the goal's actual and target, grouped, ``-`` for one not given."""
    if figures.goal_actual is None and figures.goal_target is None:
        return "-"
    unit = f" {figures.goal_unit}" if figures.goal_unit else ""
    return f"{_number(figures.goal_actual)} / {_number(figures.goal_target)}{unit}"


def quality_text(figures: Figures) -> str:
    """``72 fair``; the score alone for a plan without a band (a draft or an archived plan)."""
    if figures.quality_score is None:
        return "-"
    return f"{figures.quality_score} {figures.quality_band}" if figures.quality_band else str(figures.quality_score)


def commitments_text(figures: Figures) -> str:
    """``3/1/2``: open, overdue and done commitments."""
    counts = (figures.open_commitments, figures.overdue_commitments, figures.done_commitments)
    return "/".join("-" if n is None else str(n) for n in counts)


def kpis_text(figures: Figures) -> str:
    """``nps 42, share 18.5 %``: each KPI's actual with its unit, ``-`` for one not reported."""
    parts = []
    for kpi, actual, unit in figures.kpis:
        parts.append(f"{kpi} {_number(actual)}" + (f" {unit}" if unit and actual is not None else ""))
    return ", ".join(parts)


def _who(point: Point) -> str:
    return point.author if point.sha is not None else point.subject


@dataclass(frozen=True)
class _Layout:
    """Which columns the table and the Markdown show: a file column only for a renamed plan, a KPI column
    only when a version has KPIs; ``compact`` dates and commit ids for a narrow terminal."""

    renamed: bool
    kpis: bool
    compact: bool = False

    @property
    def headers(self) -> list[str]:
        return ["date", "commit", "author", *(["file"] if self.renamed else []), "goal", "quality", "freshness",
                "o/od/d", "stale", *(["KPIs"] if self.kpis else [])]  # fmt: skip

    def cells(self, point: Point) -> list[str]:
        """One row's cells: a version with no figures says what it was instead."""
        f = point.figures
        day = point.day.strftime("%y-%m-%d") if self.compact else point.day.isoformat()
        head = [day, point.sha[: 7 if self.compact else 10] if point.sha else "-", _who(point)]
        if self.renamed:
            head.append(path_text(point.file))
        if f.kind != "valid":
            return [*head, kind_label(point), "", "", "", "", *([""] if self.kpis else [])]
        stale = "-" if f.stale_contacts is None else str(f.stale_contacts)
        cells = [*head, goal_text(f), quality_text(f), f.freshness or "-", commitments_text(f), stale]
        return cells + ([kpis_text(f)] if self.kpis else [])


def _layout(report: HistoryReport) -> _Layout:
    return _Layout(any(p.file != report.file for p in report.points), any(p.figures.kpis for p in report.points))


_RIGHT = {"goal", "quality", "o/od/d", "stale"}
_SHORTENED = {"author": 6, "file": 12, "KPIs": 8}
"""The free-text columns the table shortens, with an ellipsis, to fit a terminal; the narrowest each gets."""
LEGEND = "goal: actual / target; o/od/d: open/overdue/done commitments; stale: stale contacts."


def _period(report: HistoryReport) -> str:
    if report.since and report.until:
        return f" from {report.since.isoformat()} to {report.until.isoformat()}"
    if report.since:
        return f" since {report.since.isoformat()}"
    if report.until:
        return f" until {report.until.isoformat()}"
    return ""


def title(report: HistoryReport) -> str:
    """``plans/acme.md: 4 versions changed its figures``, with the period asked."""
    return f"{path_text(report.file)}: {plural(len(report.points), 'version')} changed its figures{_period(report)}"


def render_text(report: HistoryReport) -> str:
    """The table for a terminal: one line per version, oldest first, numbers grouped as ``kamdocs diff``
    groups them, then what the columns mean and any note (a shallow clone, a plan in no commit yet).

    To fit the terminal, as the status table does: single spaces between the columns first, then short
    dates and commit ids, then the author, file and KPI columns shortened with an ellipsis.
    """
    base = _layout(report)
    for gap, layout in ((2, base), (1, base), (1, replace(base, compact=True))):
        headers = layout.headers
        rows = [[one_line(c) for c in layout.cells(p)] for p in report.points]
        widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
        if sum(widths) + gap * (len(headers) - 1) <= report.width:
            break
    budget = report.width - gap * (len(headers) - 1)
    while sum(widths) > budget:
        wider = [i for i, h in enumerate(headers) if widths[i] > _SHORTENED.get(h, widths[i])]
        if not wider:
            break  # narrower than this is unreadable: the terminal wraps instead
        widths[max(wider, key=lambda i: widths[i] - _SHORTENED[headers[i]])] -= 1

    def line(values: Sequence[str]) -> str:
        parts = [
            (_fit(v, w).rjust(w) if h in _RIGHT else _fit(v, w).ljust(w))
            for h, v, w in zip(headers, values, widths, strict=True)
        ]
        return (" " * gap).join(parts).rstrip()

    out = [title(report) + "."]
    if rows:
        out += ["", line(headers), *(line(r) for r in rows), "", LEGEND]
        if layout.renamed:
            out.append("file: the plan's name in that version.")
    out += [f"Note: {n}." for n in report.notes]
    return "\n".join(out) + "\n"


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def render_markdown(report: HistoryReport) -> str:
    """The history for a pull request or an issue, every cell escaped."""
    layout = _layout(report)
    headers = layout.headers
    out = [f"### {markdown_cell(title(report))}", ""]
    if report.points:
        out.append("| " + " | ".join(headers) + " |")
        out.append("|" + "|".join("---:" if h in _RIGHT else "---" for h in headers) + "|")
        for point in report.points:
            out.append("| " + " | ".join(markdown_cell(c) for c in layout.cells(point)) + " |")
        out += ["", LEGEND]
    out += [f"> **Note:** {markdown_cell(n)}." for n in report.notes]
    return "\n".join(out) + "\n"


def figures_line(figures: Figures) -> str:
    """The figures of one version in one sentence, as ``kamdocs show`` ends with them."""
    if figures.kind == "invalid":
        return f"Figures: none, the version is invalid ({plural(figures.errors, 'error')})."
    if figures.kind != "valid":
        return f"Figures: none, the plan is {figures.kind} in this version."
    stale = "-" if figures.stale_contacts is None else str(figures.stale_contacts)
    parts = [
        f"goal {goal_text(figures)}",
        f"quality {quality_text(figures)}",
        f"freshness {figures.freshness or '-'}",
        f"commitments {commitments_text(figures)} (open/overdue/done)",
        f"stale contacts {stale}",
    ]
    if figures.kpis:
        parts.append(f"KPIs {kpis_text(figures)}")
    return "Figures: " + "; ".join(one_line(p) for p in parts) + "."


HISTORY_FORMATS: Formats[HistoryReport] = Formats(
    {"text": render_text, "json": render_json, "csv": render_csv, "markdown": render_markdown},
    default="text",
)
