"""The downloads: plans.json, plans.csv, commitments.ics and (from :mod:`kamdocs.site.xlsx`) plans.xlsx.

The same bytes whether the site, ``kamdocs render`` or ``kamdocs export``
writes them (one registry, :data:`EXPORT_FORMATS`). Deterministic: sorted
input, no timestamps but "today", stable key order.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kamdocs.calendar.fiscal import DEFAULT_START
from kamdocs.escaping import path_text
from kamdocs.plan.model import Plan
from kamdocs.report.budget import budget, goal_fiscal_year
from kamdocs.report.budget_output import line_record, ordered
from kamdocs.report.figures import Figures
from kamdocs.report.formats import Formats
from kamdocs.report.rollup import StatusRow, filled, row_record, rows_csv
from kamdocs.report.timeline import Point, Timeline
from kamdocs.rules.quality import Reason
from kamdocs.site.xlsx import plans_xlsx

PLANS_JSON_VERSION = 3
"""Version 3 (issue 22) added each plan's ``history``, its public timeline's changes (:func:`history_record`);
every version-2 key is unchanged, so a version-2 reader that ignores unknown keys reads it as before.

Version 2 (issue 21) dropped what version 1 said twice or worked out at length: the status row's copies of
the goal and the score (``goal_target``, ``goal_actual``, ``goal_unit``, ``period_start``, ``period_end``,
``quality_score``, ``quality_band``: they are in ``goal`` and ``quality``) and each quality reason's category,
path and message (``kamdocs quality --format json`` has them). Ten thousand plans' file was more than twice
their front matter."""

ROW_DUPLICATES = (
    "goal_target",
    "goal_actual",
    "goal_unit",
    "period_start",
    "period_end",
    "quality_score",
    "quality_band",
)
"""Keys of the status row that plans.json holds once, in ``goal`` and ``quality``."""


def plan_record(row: StatusRow, today: date, fiscal_year_start: str = DEFAULT_START) -> dict[str, Any]:
    """A plan, normalised, with its computed state: the status record plus the full content."""
    plan = row.plan
    record = row_record(row)
    for key in ROW_DUPLICATES:
        del record[key]
    record.update(
        {
            "team": list(plan.team),
            "region": plan.region,
            "tier": plan.tier,
            "tags": list(plan.tags),
            "crm_id": plan.crm_id,
            "goal": {
                "statement": plan.goal.statement,
                "metric": plan.goal.metric,
                "target": plan.goal.target,
                "unit": filled(plan.goal.unit),
                "baseline": plan.goal.baseline,
                "actual": plan.goal.actual,
                "period": {"start": plan.goal.period.start.isoformat(), "end": plan.goal.period.end.isoformat()},
            },
            "success_factors": [
                {
                    "id": f.id,
                    "statement": f.statement,
                    "conditions": [
                        {
                            "id": c.id,
                            "statement": c.statement,
                            "obstacles": [{"id": o.id, "statement": o.statement} for o in c.obstacles],
                        }
                        for c in f.conditions
                    ],
                }
                for f in plan.success_factors
            ],
            "commitments": [
                {
                    "id": c.id,
                    "action": c.action,
                    "owner": filled(c.owner),
                    "due": c.due.isoformat(),
                    "status": c.status,
                    "resolves": list(c.resolves),
                    "percent_complete": c.percent_complete,
                    "overdue": c.overdue_on(today),
                    "done_on": _iso(row.delivery.done_on.get(c.id) if row.delivery and c.status == "done" else None),
                }
                for c in plan.commitments
            ],
            "kpis": [
                {
                    "id": k.id,
                    "name": k.name,
                    "unit": filled(k.unit),
                    "target": k.target,
                    "actual": k.actual,
                    "as_of": k.as_of.isoformat(),
                    "direction": k.direction,
                }
                for k in plan.kpis
            ],
            "buying_center": [
                {
                    "name": c.name,
                    "title": c.title,
                    "role": c.role,
                    "attitude": c.attitude,
                    "influence": c.influence,
                    "reports_to": c.reports_to,
                    "relationship_owner": c.relationship_owner,
                    "last_contact": c.last_contact.isoformat() if c.last_contact else None,
                }
                for c in plan.buying_center
            ],
        }
    )
    year = goal_fiscal_year(plan, fiscal_year_start)
    record["fiscal_year"] = {"label": year.label, "start": year.start.isoformat(), "end": year.end.isoformat()}
    if row.quality is not None:
        record["quality"] = {
            "score": row.quality.score,
            "band": row.quality.band,
            "reasons": [_reason(r) for r in row.quality.reasons],
        }
    return record


def _reason(reason: Reason) -> dict[str, Any]:
    """A quality reason, short: its rule, points and line; ``essential`` only when it is (an absent key is false)."""
    short: dict[str, Any] = {"rule": reason.rule, "points": reason.points, "line": reason.line}
    if reason.essential:
        short["essential"] = True
    return short


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def figures_record(figures: Figures) -> dict[str, Any]:
    """One version's figures, the keys of :class:`Figures`, a figure not known then (None) left out, so that
    twenty versions of a thousand plans stay small; ``kind`` is always there, ``errors`` only when some."""
    record: dict[str, Any] = {}
    for f in dataclasses.fields(figures):
        value = getattr(figures, f.name)
        if value is None or (f.name == "errors" and not value) or (f.name == "kpis" and not value):
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif f.name == "kpis":
            value = [{"id": k, "actual": actual, "unit": filled(unit)} for k, actual, unit in value]
        elif f.name == "goal_unit":
            value = filled(value)
        record[f.name] = value
    return record


def _change(point: Point, file: str) -> dict[str, Any]:
    record: dict[str, Any] = {"day": point.day.isoformat(), "commit": point.sha}
    if point.file != file:
        record["file"] = path_text(point.file)  # the plan's earlier name, before a rename
    record["figures"] = figures_record(point.figures)
    return record


def history_record(timeline: Timeline | None) -> dict[str, Any] | None:
    """A plan's history in plans.json: its public timeline's changes (the versions that changed a figure),
    oldest first, each with its day, commit (null for changes not committed yet) and figures. None when the
    history was not read (no git, ``kamdocs export``); ``shallow`` when git's history is cut (a shallow clone):
    the plan is older than its first change here. Versions in which the plan was confidential are not in
    the public timeline, so nothing of them (not even their day) is here."""
    if timeline is None or not timeline.known:
        return None
    return {"shallow": timeline.shallow, "changes": [_change(p, timeline.file) for p in timeline.changes()]}


def plans_json(
    rows: Sequence[StatusRow],
    today: date,
    fiscal_year_start: str = DEFAULT_START,
    timelines: Mapping[str, Timeline] | None = None,
) -> str:
    """plans.json, version 3: every plan with freshness, quality, fiscal year, commitments and history (from
    ``timelines``, the public ones by file; ``null`` without them), and the budget's lines (``kamdocs budget
    --format json``'s), whose ``attainment`` is the one the site shows per area, fiscal year and unit: actuals
    over the targets of the plans that give one."""
    # Compact: Python's C encoder only runs without indent, and this file is for machines. Each plan's
    # record is encoded as it is made, so the build never holds every record's dicts at once (some
    # 200 MB at 10,000 plans); JSON is compositional, so the bytes are those of one json.dumps.
    lines_of = timelines or {}
    plans = ",".join(
        _json({**plan_record(r, today, fiscal_year_start), "history": history_record(lines_of.get(r.plan.file))})
        for r in sorted(rows, key=lambda r: r.plan.id)
    )
    lines = [line_record(level, line) for level, line in ordered(budget([r.plan for r in rows], fiscal_year_start))]
    head = _json({"version": PLANS_JSON_VERSION, "today": today.isoformat()})[:-1]
    return f'{head},"plans":[{plans}],"budget":{_json(lines)}}}\n'


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def plans_csv(rows: Sequence[StatusRow], today: date) -> str:
    """plans.csv: the status rows sorted by plan id, opened safely by spreadsheets."""
    return rows_csv(sorted(rows, key=lambda r: r.plan.id))


_ICS_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Controls an iCalendar TEXT value cannot hold (RFC 5545 3.3.11); line breaks are escaped before."""


def ics_text(text: str) -> str:
    """TEXT value escaping of RFC 5545: backslash, semicolon, comma and line breaks; other controls dropped."""
    escaped = (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    ).replace("\r", "\\n")
    return _ICS_CONTROLS.sub("", escaped)


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character.

    Counts each character's octets once (the quadratic re-encoding of the growing line was
    a tenth of a thousand-plan site build).
    """
    if len(line) <= 75 and (line.isascii() or len(line.encode("utf-8")) <= 75):
        return line
    out: list[str] = []
    start = size = 0
    for i, char in enumerate(line):
        octets = 1 if char < "\x80" else len(char.encode("utf-8", "surrogatepass"))
        limit = 75 if not out else 74
        if size + octets > limit:
            out.append(line[start:i])
            start, size = i, 0
        size += octets
    out.append(line[start:])
    return "\r\n ".join(out)


EMAIL = re.compile(
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
"""An address a calendar can invite: no quote, colon, semicolon, comma or space can reach ``mailto:``.
Anything else (``@handle``, a name) stays in the event's description only."""


def _ics_date(day: date) -> str:
    return day.isoformat().replace("-", "")


def commitments_ics(plans: Sequence[Plan], today: date) -> str:
    """Each open commitment as an all-day event on its due date, with its owner.

    The owner is an ``ATTENDEE`` only when it is an e-mail address. An event due
    on the last day of the calendar (9999-12-31) has no ``DTEND``: RFC 5545 then
    makes it one day long, as every other event is.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//kamdocs//key account plans//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Key account commitments",
    ]
    stamp = _ics_date(today) + "T000000Z"
    for plan in sorted(plans, key=lambda p: p.id):
        for c in sorted(plan.commitments, key=lambda c: c.id):
            if not c.is_open:
                continue
            description = f"Owner: {c.owner}\nStatus: {c.status}\nAccount: {plan.account}\nPlan: {path_text(plan.file)}"
            if c.overdue_on(today):
                description += f"\nOverdue since {c.due.isoformat()}"
            lines += [
                "BEGIN:VEVENT",
                f"UID:{plan.id}.{c.id}@kamdocs",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{_ics_date(c.due)}",
            ]
            if c.due < date.max:
                lines.append(f"DTEND;VALUE=DATE:{_ics_date(c.due + timedelta(days=1))}")
            lines += [
                f"SUMMARY:{ics_text(c.action + ' (' + plan.account + ')')}",
                f"DESCRIPTION:{ics_text(description)}",
                f"CATEGORIES:{ics_text(plan.business_area)}",
            ]
            if EMAIL.fullmatch(c.owner):
                lines.append(f"ATTENDEE;CN={ics_param(c.owner)}:mailto:{c.owner}")
            lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def ics_param(text: str) -> str:
    """A quoted parameter value, with RFC 6868's escapes for what a quoted value cannot hold.

    ``^`` is ``^^``, a double quote ``^'`` and a line break ``^n``; other controls are dropped.
    """
    escaped = text.replace("^", "^^").replace('"', "^'").replace("\r\n", "^n").replace("\n", "^n").replace("\r", "^n")
    return '"' + _ICS_CONTROLS.sub("", escaped) + '"'


@dataclass(frozen=True)
class ExportInput:
    """The input of every download: the rows that may be published, and the day and fiscal year they are
    judged by."""

    rows: Sequence[StatusRow]
    today: date
    fiscal_year_start: str = DEFAULT_START
    timelines: Mapping[str, Timeline] | None = None
    """The plans' public timelines by file, for plans.json's ``history``; None when not read."""
    fields: str | None = None
    """The plans folder (relative to the root) for plans.xlsx's "Plan fields" sheet, which gives the plans back to ``kamdocs import``: in
    ``kamdocs export``'s workbook, not the site's download, where it would treble the workbook's size and
    time (2.6 MB and 5.5 s more at 1,000 plans) for something only the command line uses."""


EXPORT_FORMATS: Formats[ExportInput] = Formats(
    {
        "json": lambda e: plans_json(e.rows, e.today, e.fiscal_year_start, e.timelines),
        "csv": lambda e: plans_csv(e.rows, e.today),
        "ics": lambda e: commitments_ics([r.plan for r in e.rows], e.today),
        "xlsx": lambda e: plans_xlsx(e.rows, e.today, e.fiscal_year_start, fields=e.fields),
    },
    binary=frozenset({"xlsx"}),
)
"""``kamdocs export --format`` and the site's downloads, one registry for both."""
EXPORT_FILES = {"json": "plans.json", "csv": "plans.csv", "ics": "commitments.ics", "xlsx": "plans.xlsx"}
"""The file name of each download on the site, under ``url_prefix``."""
