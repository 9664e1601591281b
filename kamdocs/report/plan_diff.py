"""What changed between two versions of the plans, in business terms.

The inputs are plain: two sets of file contents (read from git or the
working tree by :mod:`kamdocs.history.revisions`) and the renames git found. Each
plan version goes through the same loader and schema as ``kamdocs check``;
only then are the two models compared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from kamdocs import i18n
from kamdocs.i18n import N_, _
from kamdocs.plan.loader import parse_bytes
from kamdocs.plan.model import Commitment, Plan, plan_from_data
from kamdocs.plan.spellings import number_text
from kamdocs.plan.validation import PlanValidator
from kamdocs.rules.checks import check_dates, check_id_matches_file

DIFF_JSON_VERSION = 1


@dataclass(frozen=True)
class Change:
    kind: str
    item: str | None = None
    """The commitment, obstacle, success factor or KPI id, for item changes."""
    old: Any = None
    new: Any = None
    unit: str | None = None
    """For a figure: ``old`` and ``new`` are numbers, and this is the new one's unit."""
    old_unit: str | None = None
    """For a figure whose unit changed: the old one's unit."""

    def record(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.item is not None:
            out["id"] = self.item
        if self.old_unit is not None and self.unit is not None:  # two units: each figure as text with its own
            out["old"], out["new"] = f"{plain(self.old)} {self.old_unit}", f"{plain(self.new)} {self.unit}"
            return out
        out["old"] = self.old
        out["new"] = self.new
        if self.unit is not None:
            out["unit"] = self.unit
        return out


@dataclass(frozen=True)
class PlanDiff:
    """What changed in one plan between two revisions, in business terms."""

    id: str
    file: str
    account: str
    status: str
    """added, deleted, renamed, modified or invalid."""
    old_file: str | None = None
    changes: tuple[Change, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Version:
    plan: Plan | None
    data: dict[str, Any] | None
    body: str
    errors: int


def read_version(raw: bytes, rel: str, validator: PlanValidator, default_interval: str = "quarterly") -> Version:
    """One plan file's bytes at a revision, parsed into what the diff compares."""
    source = parse_bytes(raw, rel).source
    if source is None:
        return Version(None, None, "", 1)
    # The same errors as kamdocs check: a renamed file whose id still names the old file is invalid too.
    errors = [f for f in [*validator.check(source), *check_id_matches_file(source)] if f.is_error]
    if errors:
        return Version(None, source.data, source.body, len(errors))
    try:
        plan = plan_from_data(source.data, rel, source.body, source.body_line, source.line_map())
    except (KeyError, TypeError, ValueError):
        return Version(None, source.data, source.body, 1)
    # An interval or date past the calendar's end is an error for check too; it would break the score.
    dates = [f for f in check_dates(plan, source, default_interval) if f.is_error]
    if dates:
        return Version(None, source.data, source.body, len(dates))
    return Version(plan, source.data, source.body, 0)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def compare(
    old: Plan, new: Plan, old_data: Mapping[str, Any], new_data: Mapping[str, Any], bodies_equal: bool
) -> list[Change]:
    """What changed between two valid versions of a plan, in the order ``kamdocs diff`` lists it: the diff's
    and the plan page's "Since the last review" share these words."""
    changes: list[Change] = []
    og, ng = old.goal, new.goal
    if og.unit != ng.unit:
        changes.append(Change("goal-target", None, og.target, ng.target, ng.unit, og.unit))
    elif og.target != ng.target:
        changes.append(Change("goal-target", None, og.target, ng.target, og.unit))
    if og.statement != ng.statement:
        changes.append(Change("goal-statement", None, og.statement, ng.statement))
    if og.period != ng.period:
        changes.append(
            Change(
                "goal-period", None, f"{og.period.start} to {og.period.end}", f"{ng.period.start} to {ng.period.end}"
            )
        )
    if old.owner != new.owner:
        changes.append(Change("owner", None, old.owner, new.owner))
    if old.review.reviewer != new.review.reviewer:
        changes.append(Change("reviewer", None, old.review.reviewer, new.review.reviewer))
    changes += _commitments(old.commitments, new.commitments)
    changes += _items(
        "success-factor",
        {f.id: f.statement for f in old.success_factors},
        {f.id: f.statement for f in new.success_factors},
    )
    changes += _items(
        "obstacle", {o.id: o.statement for o in old.obstacles}, {o.id: o.statement for o in new.obstacles}
    )
    old_kpis = {k.id: k for k in old.kpis}
    for kpi in new.kpis:
        before = old_kpis.get(kpi.id)
        if before is not None and before.unit != kpi.unit:
            changes.append(Change("kpi-actual", kpi.id, before.actual, kpi.actual, kpi.unit, before.unit))
        elif before is not None and before.actual != kpi.actual:
            changes.append(Change("kpi-actual", kpi.id, before.actual, kpi.actual, kpi.unit))
    if (
        old.review.last_reviewed != new.review.last_reviewed
        and bodies_equal
        and _without_review_date(old_data) == _without_review_date(new_data)
    ):
        changes.append(
            Change("review-without-changes", None, _iso(old.review.last_reviewed), _iso(new.review.last_reviewed))
        )
    return changes


def grouped(value: float) -> str:
    """A figure as the diff writes it: 1,350,000 or 0.125, every digit the plan gave kept (``:g`` wrote 1.35e+06);
    grouped as the reader's locale does on a page (1’350’000 in de-CH)."""
    if float(value).is_integer():
        return i18n.decimal(int(value), "#,##0")
    return i18n.decimal(value, "#,##0.######")


def plain(value: float) -> str:
    """A figure as a machine reads it in JSON text: digits, a point, no grouping, no exponent (1e-12 too)."""
    return number_text(Decimal(repr(float(value))))


def figure_change(old: float, new: float, unit: str) -> str:
    """``1,200,000 → 1,350,000 CHF (+150,000, +12.5 %)``: the change and its share of the old figure.

    The share is left out when the old figure is 0, where it has no meaning.
    """
    delta = new - old
    sign = "+" if delta > 0 else "-" if delta < 0 else "±"
    parts = [f"{sign}{grouped(abs(delta))}"]
    if old:
        percent = delta / abs(old) * 100
        parts.append(f"{'+' if percent > 0 else '-' if percent < 0 else '±'}{i18n.decimal(abs(percent), '0.0')} %")
    return f"{grouped(old)} → {grouped(new)} {unit} ({', '.join(parts)})"


def _without_review_date(data: Mapping[str, Any]) -> dict[str, Any]:
    copy = dict(data)
    review = dict(copy.get("review") or {})
    review.pop("last_reviewed", None)
    copy["review"] = review
    return copy


def _commitments(old: tuple[Commitment, ...], new: tuple[Commitment, ...]) -> list[Change]:
    changes: list[Change] = []
    before = {c.id: c for c in old}
    after = {c.id: c for c in new}
    for c in new:
        previous = before.get(c.id)
        if previous is None:
            changes.append(Change("commitment-added", c.id, None, f"{c.action} ({c.owner}, due {c.due})"))
            continue
        if c.status != previous.status and c.status == "done":
            changes.append(Change("commitment-completed", c.id, previous.status, c.status))
        elif c.status != previous.status and c.status == "dropped":
            changes.append(Change("commitment-dropped", c.id, previous.status, c.status))
        if c.due != previous.due:
            changes.append(Change("commitment-due-moved", c.id, previous.due.isoformat(), c.due.isoformat()))
    for c in old:
        if c.id not in after:
            changes.append(Change("commitment-removed", c.id, f"{c.action} ({c.status})", None))
    return changes


def _items(kind: str, old: Mapping[str, str], new: Mapping[str, str]) -> list[Change]:
    added = [Change(f"{kind}-added", i, None, new[i]) for i in new if i not in old]
    removed = [Change(f"{kind}-removed", i, old[i], None) for i in old if i not in new]
    return added + removed


def diff_trees(
    old_files: Mapping[str, bytes],
    new_files: Mapping[str, bytes],
    renames: Mapping[str, str],
    validator: PlanValidator,
    score: Callable[[Plan], int] | None = None,
    default_interval: str = "quarterly",
) -> list[PlanDiff]:
    """Semantic differences between two sets of plan files (path -> bytes); ``renames`` maps new path to old.

    With ``score``, a plan's quality score is compared too, and an added plan shows its score.
    """
    # Plans share most of their structure, so git may pair two different plans as a
    # rename. A plan is only renamed if it is still about the same account.
    renames = {new: old for new, old in renames.items() if _same_account(old_files.get(old), new_files.get(new))}
    renamed_from = {old: new for new, old in renames.items() if old in old_files and new in new_files}

    def read(raw: bytes | None, rel: str) -> Version | None:
        return read_version(raw, rel, validator, default_interval) if raw is not None else None

    result: list[PlanDiff] = []
    for path in sorted(set(old_files) | set(new_files)):
        if path in renamed_from:
            continue  # reported under its new name
        old_path = renames.get(path) if path in new_files and renames.get(path) in old_files else None
        before_raw = old_files.get(old_path or path)
        after_raw = new_files.get(path)
        if before_raw is not None and before_raw == after_raw and old_path is None:
            continue
        diff = _plan_diff(path, old_path, read(before_raw, old_path or path), read(after_raw, path), score)
        if diff is not None:
            result.append(diff)
    return result


def _plan_diff(
    path: str, old_path: str | None, before: Version | None, after: Version | None, score: Callable[[Plan], int] | None
) -> PlanDiff | None:
    """One file's difference (``old_path`` when it was renamed from there), or None when nothing the diff
    compares changed."""
    plan = (after.plan if after else None) or (before.plan if before else None)
    plan_id = plan.id if plan else PurePosixPath(path).stem
    account = plan.account if plan else ""
    if before is None:
        scored = (Change("quality", None, None, score(after.plan)),) if score and after and after.plan else ()
        return PlanDiff(plan_id, path, account, "added", None, scored)
    if after is None:
        return PlanDiff(plan_id, path, account, "deleted")
    if before.plan is None or after.plan is None:
        which = "the new version" if after.plan is None else "the old version"
        return PlanDiff(plan_id, path, account, "invalid", old_path, (Change("invalid", None, None, which),))
    changes = _changes(before, after, score)
    if old_path is not None:
        return PlanDiff(plan_id, path, account, "renamed", old_path, changes)
    return PlanDiff(plan_id, path, account, "modified", None, changes) if changes else None


def _changes(before: Version, after: Version, score: Callable[[Plan], int] | None) -> tuple[Change, ...]:
    """What changed between two valid versions of a plan, its quality score last."""
    assert before.plan is not None and after.plan is not None
    assert before.data is not None and after.data is not None
    changes = compare(before.plan, after.plan, before.data, after.data, before.body == after.body)
    if score is not None and (old_score := score(before.plan)) != (new_score := score(after.plan)):
        changes.append(Change("quality", None, old_score, new_score))
    return tuple(changes)


def _same_account(old: bytes | None, new: bytes | None) -> bool:
    if old is None or new is None:
        return False
    before, after = parse_bytes(old, "old").source, parse_bytes(new, "new").source
    return bool(before and after and before.data.get("account") == after.data.get("account"))


LABELS = {
    "goal-target": N_("goal target"),
    "goal-statement": N_("goal"),
    "goal-period": N_("goal period"),
    "owner": N_("owner"),
    "reviewer": N_("reviewer"),
    "commitment-added": N_("commitment added"),
    "commitment-completed": N_("commitment completed"),
    "commitment-dropped": N_("commitment dropped"),
    "commitment-due-moved": N_("commitment due date moved"),
    "commitment-removed": N_("commitment removed"),
    "success-factor-added": N_("success factor added"),
    "success-factor-removed": N_("success factor removed"),
    "obstacle-added": N_("obstacle added"),
    "obstacle-removed": N_("obstacle removed"),
    "kpi-actual": N_("KPI actual"),
    "quality": N_("quality score"),
    "review-without-changes": N_("review date bumped with nothing else changed: question this review"),
    "invalid": N_("has errors, so it cannot be compared; run kamdocs check on"),
}


def describe(change: Change) -> str:
    """One change as a sentence for the text and Markdown diffs."""
    label = _(LABELS[change.kind]) if change.kind in LABELS else change.kind
    item = f" {change.item}" if change.item else ""
    if change.unit is not None and change.old_unit is not None:
        return f"{label}{item}: {grouped(change.old)} {change.old_unit} → {grouped(change.new)} {change.unit}"
    if change.unit is not None:
        return f"{label}{item}: {figure_change(change.old, change.new, change.unit)}"
    if change.old is not None and change.new is not None:
        return f"{label}{item}: {change.old} → {change.new}"
    return f"{label}{item}: {change.new if change.new is not None else change.old}"
