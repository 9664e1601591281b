"""Renderers of the status roll-up: terminal table, JSON, CSV and Markdown.

The JSON shape is versioned (``STATUS_JSON_VERSION``) and documented in
docs/cli.md; CSV cells are guarded against formula injection; Markdown cells
are escaped for the job summary and issue bodies.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from kamdocs.escaping import markdown_cell, one_line, path_text
from kamdocs.findings import plural
from kamdocs.report.formats import Formats
from kamdocs.report.review_issues import render_issues
from kamdocs.report.rollup import StatusRow, iso, row_record, rows_csv, summary

STATUS_JSON_VERSION = 1


@dataclass(frozen=True)
class StatusReport:
    """The input of every ``kamdocs status`` format."""

    rows: Sequence[StatusRow]
    today: date
    warnings: Sequence[str] = ()
    invalid: Sequence[str] = ()
    """Plan files left out because they have errors."""
    width: int = 80
    """The terminal's width, for the table."""


def render_json(report: StatusReport) -> str:
    """The versioned status JSON documented in docs/cli.md."""
    rows, today, warnings, invalid = report.rows, report.today, report.warnings, report.invalid
    document = {
        "version": STATUS_JSON_VERSION,
        "today": today.isoformat(),
        "summary": summary(rows),
        "plans": [row_record(r) for r in rows],
        "invalid": [path_text(file) for file in invalid],
        "warnings": [path_text(warning) for warning in warnings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def render_csv(report: StatusReport) -> str:
    """The status rows as CSV (:func:`kamdocs.report.rollup.rows_csv`, as the site's plans.csv)."""
    return rows_csv(report.rows)


def state_label(row: StatusRow) -> str:
    fresh = row.freshness
    if fresh.state == "overdue":
        return f"overdue {fresh.days_overdue}d"
    if fresh.state == "due-soon":
        return f"due in {fresh.days_left}d"
    return fresh.state


def _progress(row: StatusRow) -> str:
    if row.progress is None:
        return ""
    return ">999%" if row.progress >= 10 else f"{row.progress:.0%}"


def quality_label(row: StatusRow, compact: bool = False) -> str:
    """The score, with its band unless ``compact``: ``72 fair``; drafts and archived plans show the score alone."""
    quality = row.quality
    if quality is None:
        return ""
    return str(quality.score) if compact or quality.band is None else f"{quality.score} {quality.band}"


def _commitments(row: StatusRow) -> str:
    return f"{row.freshness.open_commitments}/{row.freshness.overdue_commitments}"


def render_markdown(report: StatusReport) -> str:
    """The status table for a job summary or an issue body, every cell escaped."""
    rows, today, warnings, invalid = report.rows, report.today, report.warnings, report.invalid
    counts = summary(rows)
    out = [
        f"### Plan status on {today.isoformat()}",
        "",
        f"{plural(counts['plans'], 'plan')}: {counts['overdue']} overdue, {counts['due_soon']} due soon, "
        f"{plural(counts['overdue_commitments'], 'overdue commitment')}.",
        "",
        "| Plan | Account | Owner | Business area | Next review | Freshness | Commitments open/overdue | Goal | Quality | Last change |",
        "|---|---|---|---|---|---|---:|---:|---:|---|",
    ]
    for row in rows:
        plan = row.plan
        cells = [plan.id, plan.account, plan.owner, plan.business_area, iso(row.freshness.next_review) or "",
                 state_label(row), _commitments(row), _progress(row), quality_label(row), iso(row.last_change) or ""]  # fmt: skip
        out.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
    out += [""] + [f"> **Warning:** {markdown_cell(w)}" for w in warnings]
    if invalid:
        out.append(f"> {len(invalid)} plan file(s) with errors are not shown; run `kamdocs check`.")
    return "\n".join(out).rstrip() + "\n"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[StatusRow, bool], str]
    """The cell text, in full or in compact form (``compact=True``)."""
    least: int = 0
    """For free text: the narrowest it is shortened to, with an ellipsis, to make the table fit."""
    right: bool = False
    short: str = ""
    """The header in the compact form, for a column whose header is wider than its values."""

    def title(self, compact: bool) -> str:
        return self.short if compact and self.short else self.header


def _date(value: date | None, compact: bool) -> str:
    if value is None:
        return "-"
    return value.strftime("%y-%m-%d") if compact else value.isoformat()


def _state(row: StatusRow, compact: bool) -> str:
    if not compact:
        return state_label(row)
    fresh = row.freshness
    short = {"overdue": f"late {fresh.days_overdue}d", "due-soon": f"due {fresh.days_left}d", "never-reviewed": "never"}
    return short.get(fresh.state, fresh.state)


def _owner(owner: str) -> str:
    """An e-mail by its name part, to save width; a ``@handle`` whole, or nothing would be left."""
    return owner if owner.startswith("@") else owner.split("@")[0]


def _changed(row: StatusRow, compact: bool) -> str:
    return _date(row.last_change, compact) + ("*" if row.uncommitted else "")


COLUMNS = (
    Column("plan", lambda r, c: r.plan.id, least=9),
    Column("account", lambda r, c: r.plan.account, least=6),
    Column("owner", lambda r, c: _owner(r.plan.owner), least=5),
    Column("area", lambda r, c: r.plan.business_area, least=4),
    Column("kind", lambda r, c: ("1pg" if r.plan.kind == "one-page" else "full") if c else r.plan.kind),
    Column("reviewed", lambda r, c: _date(r.plan.review.last_reviewed, c)),
    Column("next", lambda r, c: _date(r.freshness.next_review, c)),
    Column("freshness", _state),
    Column("c/od", lambda r, c: _commitments(r), right=True),
    Column("goal", lambda r, c: _progress(r), right=True),
    Column("quality", quality_label, right=True, short="q"),
    Column("changed", _changed),
)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def render_table(report: StatusReport) -> str:
    """Every column, one line per plan, as narrow as ``width`` allows.

    To fit, the table first uses single spaces between columns, then compact
    dates and labels, then shortens the free-text columns (longest first)
    with an ellipsis, the most expendable first. Rows are never wrapped.
    """
    rows, today, invalid, width = report.rows, report.today, report.invalid, report.width
    for gap, compact in ((2, False), (1, False), (1, True)):
        cells = [[one_line(c.value(r, compact)) for c in COLUMNS] for r in rows]
        widths = [max([len(c.title(compact)), *(len(row[i]) for row in cells)]) for i, c in enumerate(COLUMNS)]
        if sum(widths) + gap * (len(widths) - 1) <= width:
            break
    budget = width - gap * (len(widths) - 1)
    while sum(widths) > budget:
        candidates = [i for i, c in enumerate(COLUMNS) if widths[i] > max(c.least, 1) and c.least]
        if not candidates:
            break  # narrower than this is unreadable; let the terminal scroll instead
        widths[max(candidates, key=lambda i: widths[i] - COLUMNS[i].least)] -= 1

    def line(values: Sequence[str]) -> str:
        parts = [
            (_fit(v, w).rjust(w) if c.right else _fit(v, w).ljust(w))
            for c, v, w in zip(COLUMNS, values, widths, strict=True)
        ]
        return (" " * gap).join(parts).rstrip()

    lines = [line([c.title(compact) for c in COLUMNS]), *(line(row) for row in cells)]
    counts = summary(rows)
    lines.append(
        f"{plural(counts['plans'], 'plan')} on {today.isoformat()}: {counts['overdue']} overdue, "
        f"{counts['due_soon']} due soon, {plural(counts['overdue_commitments'], 'overdue commitment')}."
    )
    lines.append(
        "c/od: open/overdue commitments; goal: actual/target; "
        + ("q: quality" if compact else "quality: see kamdocs quality")
        + "; *: uncommitted."
    )
    if invalid:
        lines.append(f"{len(invalid)} plan file(s) with errors not shown; run kamdocs check.")
    return "\n".join(lines)


STATUS_FORMATS: Formats[StatusReport] = Formats(
    {
        "table": render_table,
        "json": render_json,
        "csv": render_csv,
        "markdown": render_markdown,
        "issues": lambda report: render_issues(report.rows),
    },
    default="table",
)
