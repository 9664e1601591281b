"""The reviewer's view of plan quality: one plan's score explained, before and after a change.

A pull request changes a plan; the business area manager wants to know
whether it got better and why. :class:`QualityReport` holds the score at the
base revision and now, and the reasons that came or went, compared by rule
and message (an index in a path moves when an item is inserted; the message
names the item by id).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kamdocs.config import Config
from kamdocs.escaping import markdown_cell, one_line, path_text
from kamdocs.plan.validation import PlanValidator
from kamdocs.report.formats import Formats
from kamdocs.report.plan_diff import read_version
from kamdocs.report.rollup import StatusRow
from kamdocs.rules.quality import Quality, Reason, quality_of

QUALITY_JSON_VERSION = 1


@dataclass(frozen=True)
class QualityReport:
    plan_id: str
    file: str
    account: str
    reviewer: str
    after: Quality
    before: Quality | None = None
    """The score at the base revision; None when there is no base or the plan is new there."""
    base: str | None = None
    """The base revision's name, when one was compared."""

    @property
    def came(self) -> tuple[Reason, ...]:
        """Reasons now that the base did not have: what the change cost."""
        old = {_key(r) for r in self.before.reasons} if self.before else set()
        return tuple(r for r in self.after.reasons if _key(r) not in old) if self.before else ()

    @property
    def went(self) -> tuple[Reason, ...]:
        """Reasons the base had that are gone: what the change fixed."""
        if self.before is None:
            return ()
        new = {_key(r) for r in self.after.reasons}
        return tuple(r for r in self.before.reasons if _key(r) not in new)

    @property
    def change(self) -> int | None:
        return None if self.before is None else self.after.score - self.before.score


def _key(reason: Reason) -> tuple[str, str]:
    return (reason.rule, reason.message)


def _band(quality: Quality) -> str:
    return quality.band or "not judged"


def _signed(number: int) -> str:
    return f"+{number}" if number > 0 else f"−{-number}" if number < 0 else "±0"


def reason_record(reason: Reason) -> dict[str, Any]:
    return {
        "rule": reason.rule,
        "category": reason.category,
        "points": reason.points,
        "line": reason.line,
        "path": reason.path,
        "message": reason.message,
        "essential": reason.essential,
    }


def quality_record(quality: Quality) -> dict[str, Any]:
    """The JSON form of ``kamdocs quality --format json`` (plans.json has a shorter one, see site.exports)."""
    return {"score": quality.score, "band": quality.band, "reasons": [reason_record(r) for r in quality.reasons]}


def render_json(reports: Sequence[QualityReport]) -> str:
    document = {
        "version": QUALITY_JSON_VERSION,
        "plans": [
            {
                "id": r.plan_id,
                "file": path_text(r.file),
                "account": r.account,
                **quality_record(r.after),
                "base": r.base,
                "before": None if r.before is None else quality_record(r.before),
                "came": [reason_record(x) for x in r.came],
                "went": [reason_record(x) for x in r.went],
            }
            for r in reports
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_text(reports: Sequence[QualityReport]) -> str:
    """For a terminal: the score, then one ``file:line`` line per reason, as ``kamdocs check`` prints findings."""
    out = []
    for r in reports:
        head = f"{one_line(r.file)}: quality {r.after.score}/100, {_band(r.after)}"
        if r.before is not None and r.change is not None:
            head += f" (was {r.before.score} at {one_line(r.base or '')}, {_signed(r.change)})"
        out.append(head)
        for reason in r.after.reasons:
            mark = (" new" if reason in r.came else "") + (" essential" if reason.essential else "")
            out.append(
                f"  {one_line(r.file)}:{reason.line}: -{reason.points} {reason.category}[{reason.rule}]{mark} "
                + one_line(reason.message)
            )
        for reason in r.went:
            out.append(f"  fixed: +{reason.points} {reason.category}[{reason.rule}] {one_line(reason.message)}")
        if not r.after.reasons:
            out.append("  no points lost")
    if not reports:
        out.append("No plan to score.")
    return "\n".join(out) + "\n"


def render_markdown(reports: Sequence[QualityReport]) -> str:
    """For the pull request's job summary: the score before and after, and the reasons that came or went."""
    out = ["### Plan quality", ""]
    if not reports:
        out.append("No plan changed.")
    for r in reports:
        title = f"{r.plan_id} ({r.account})" if r.account else r.plan_id
        out.append(f"#### {markdown_cell(title)}")
        out.append("")
        if r.before is not None and r.change is not None:
            out.append(
                f"Quality **{r.before.score} → {r.after.score}** ({_signed(r.change)}), "
                f"{_band(r.before)} → {_band(r.after)}. Reviewer: {markdown_cell(r.reviewer)}."
            )
        else:
            basis = f" (new since {markdown_cell(r.base)})" if r.base else ""
            out.append(f"Quality **{r.after.score}**{basis}, {_band(r.after)}. Reviewer: {markdown_cell(r.reviewer)}.")
        out.append("")
        rows = [("fixed", f"+{x.points}", x, "") for x in r.went]
        rows += [("new" if x in r.came else "", f"−{x.points}", x, str(x.line)) for x in r.after.reasons]
        if rows:
            out.append("| | Points | Rule | Line | Reason |")
            out.append("|---|---:|---|---:|---|")
            for mark, points, x, line in rows:
                cells = [mark, points, x.rule + (" (essential)" if x.essential else ""), line, x.message]
                out.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
        else:
            out.append("No points lost.")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


QUALITY_FORMATS: Formats[Sequence[QualityReport]] = Formats(
    {"text": render_text, "json": render_json, "markdown": render_markdown}, default="text"
)


def reports(
    rows: Sequence[StatusRow],
    config: Config,
    validator: PlanValidator,
    today: date,
    base: tuple[str, Mapping[str, bytes], Mapping[str, str]] | None = None,
) -> list[QualityReport]:
    """A report per row; with ``base`` (its name, its plan files by path, and renames new path → old),
    each plan is also scored as it was there, with the same today and the same git facts."""
    out = []
    for row in rows:
        plan, before = row.plan, None
        if base is not None:
            _, files, moved = base
            old_path = moved.get(plan.file, plan.file)
            raw = files.get(old_path)
            old = read_version(raw, old_path, validator, config.default_interval).plan if raw is not None else None
            if old is not None:
                before = quality_of(old, today, config, row.delivery)
        assert row.quality is not None
        out.append(
            QualityReport(
                plan.id,
                plan.file,
                plan.account,
                plan.review.reviewer,
                row.quality,
                before,
                base[0] if base else None,
            )
        )
    return out
