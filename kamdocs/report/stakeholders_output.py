"""Renderers of the stakeholder index: terminal table, JSON and CSV, from the same records.

:func:`record` is the plain data of one person (JSON values only), which the
JSON output writes as it is and the site page renders; every other form reads
the same fields, so a person looks the same wherever they are listed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kamdocs.escaping import csv_cell, one_line, path_text
from kamdocs.report.formats import Formats
from kamdocs.report.stakeholders import Person, StakeholderSummary, summarise

STAKEHOLDERS_JSON_VERSION = 1
HEADERS = ["Name", "Title", "Organisation", "Role", "Attitude", "Influence", "Our contact", "Last contact", "Plan"]
MISSING = "–"
STALE_RULE = (
    "Stale: no contact for more than two review intervals of the plan (the contact-stale rule of kamdocs check). "
    "Archived plans are left out."
)


def record(person: Person) -> dict[str, Any]:
    """One person: who they are, then one entry per plan they appear in, each with that plan's view."""
    return {
        "name": person.name,
        "email": person.email,
        "title": person.title,
        "stale": person.stale,
        "last_contact": _iso(person.last_contact),
        "accounts": [
            {
                "account": a.account,
                "plan": a.plan_id,
                "file": path_text(a.plan_file),
                "name": a.contact.name,
                "title": a.contact.title,
                "role": a.contact.role,
                "attitude": a.contact.attitude,
                "influence": a.contact.influence,
                "our_contact": a.contact.relationship_owner,
                "plan_owner": a.plan_owner,
                "last_contact": _iso(a.contact.last_contact),
                "stale": a.stale,
                "finding": a.stale_message,
            }
            for a in person.appearances
        ],
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def summary_record(summary: StakeholderSummary) -> dict[str, Any]:
    return {
        "people": summary.people,
        "accounts": summary.accounts,
        "attitudes": dict(summary.attitudes),
        "stale": summary.stale,
        "stale_by_owner": dict(summary.stale_by_owner),
    }


@dataclass(frozen=True)
class StakeholderReport:
    """The input of every ``kamdocs stakeholders`` format."""

    people: Sequence[Person]
    today: date


def render_json(report: StakeholderReport) -> str:
    people, today = report.people, report.today
    document = {
        "version": STAKEHOLDERS_JSON_VERSION,
        "today": today.isoformat(),
        "summary": summary_record(summarise(people)),
        "people": [record(p) for p in people],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


CSV_FIELDS = ["person", "name", "email", "title", "account", "role", "attitude", "influence", "our_contact",
              "plan_owner", "last_contact", "stale", "plan", "file"]  # fmt: skip


def render_csv(report: StakeholderReport) -> str:
    """One line per person and plan, flat for a spreadsheet; ``person`` numbers the people, so lines group."""
    people = report.people
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for number, person in enumerate(people, start=1):
        data = record(person)
        for entry in data["accounts"]:
            values = {**entry, "person": number, "name": person.name, "email": person.email, "title": entry["title"]}
            writer.writerow([csv_cell(values[f]) for f in CSV_FIELDS])
    return "\ufeff" + buffer.getvalue()


def text_lines(person: Person) -> list[list[str]]:
    """Table cells, one line per plan the person is in; name and title only on the first."""
    out = []
    for i, a in enumerate(person.appearances):
        c = a.contact
        last = (c.last_contact.isoformat() if c.last_contact else MISSING) + (" stale" if a.stale else "")
        who = (
            [person.name + (f" <{person.email}>" if person.email else ""), person.title or MISSING]
            if i == 0
            else ["", ""]
        )
        out.append([*who, a.account, c.role, c.attitude or MISSING, c.influence or MISSING,
                    c.relationship_owner or MISSING, last, a.plan_id])  # fmt: skip
    return out


def summary_lines(summary: StakeholderSummary) -> list[str]:
    attitudes = ", ".join(f"{n} {name}" for name, n in summary.attitudes if n or name != "not given")
    owners = ", ".join(f"{one_line(owner)} {n}" for owner, n in summary.stale_by_owner) or "none"
    return [
        f"{summary.people} people in {summary.accounts} accounts. Attitudes: {attitudes}.",
        f"Stale contacts per owner (our contact, else the plan owner): {owners}.",
    ]


def render_table(report: StakeholderReport) -> str:
    people, today = report.people, report.today
    rows = [[one_line(cell) for cell in line] for person in people for line in text_lines(person)]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(HEADERS)]
    last = len(HEADERS) - 1

    def line(values: Sequence[str]) -> str:
        return "  ".join(v if i == last else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True)))

    out = [line(HEADERS), *(line(r) for r in rows)]
    if not rows:
        out.append("No buying-centre contacts in the plans.")
    out += ["", *summary_lines(summarise(people)), f"As of {today}. {STALE_RULE}"]
    return "\n".join(out) + "\n"


STAKEHOLDER_FORMATS: Formats[StakeholderReport] = Formats(
    {"table": render_table, "json": render_json, "csv": render_csv}, default="table"
)
