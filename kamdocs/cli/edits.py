"""The commands that change a plan file: review, rollover and new."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kamdocs.cli.command import command
from kamdocs.cli.console import Reported, echo
from kamdocs.cli.context import (
    command_config,
    command_day,
    no_plans_folder,
    plan_argument,
    plan_validator,
    start_day,
)
from kamdocs.cli.options import (
    AMOUNT,
    DATE,
    config_option,
    today_option,
    written_today_option,
)
from kamdocs.cli.repository import keep_codeowners_current
from kamdocs.errors import KamdocsError, UsageError
from kamdocs.escaping import hidden_character, one_line
from kamdocs.plan.spellings import number_text
from kamdocs.system.atomicfile import write_atomically
from kamdocs.system.folders import write_new
from kamdocs.system.paths import shown, where_it_leads

if TYPE_CHECKING:
    from kamdocs.config import Config
    from kamdocs.findings import Finding
    from kamdocs.plan.validation import PlanValidator

Edited = TypeVar("Edited")


def _edit_plan(plan: Path, config: Config, force: bool, edit: Callable[[bytes], tuple[bytes | None, Edited]]) -> Edited:
    """Run one of the commands that change a plan file: refuse a plan with errors
    unless ``force``, turn an edit that cannot be made safely into exit 1, and
    write the result atomically at the link's target (the link stays a link).
    ``edit`` returns the new file, or None when there is nothing to change (nothing is written)."""
    from kamdocs.plan.loader import read_bounded
    from kamdocs.report.check_output import CHECK_FORMATS, CheckReport
    from kamdocs.rules.pipeline import CheckRun, check_paths

    validator = plan_validator(config)
    result = check_paths([plan], CheckRun.without_freshness(config, validator))
    if any(f.is_error for f in result.findings) and not force:
        echo(CHECK_FORMATS.text("text", CheckReport(result)), err=True)
        raise Reported(f"kamdocs: {plan} has errors; fix them first, or use --force")
    raw = read_bounded(plan, config.max_bytes)  # a FIFO is refused, even with --force, instead of blocking
    updated, outcome = edit(raw)  # an EditError is one line and exit 1 (KamdocsGroup)
    if updated is not None:
        _refuse_new_errors(plan, updated, result.findings, config, validator)
        write_atomically(plan, updated, follow_links=True)  # the link was judged by plan_argument
    return outcome


def _refuse_new_errors(
    plan: Path, updated: bytes, before: tuple[Finding, ...], config: Config, validator: PlanValidator
) -> None:
    """Never write a plan that ``kamdocs check`` would reject for what the edit did (even with --force).

    Errors the plan already had (allowed by --force) do not count; a new one,
    such as a date the calendar cannot carry a year on from, stops the edit.
    """
    from kamdocs.plan.loader import relative_name
    from kamdocs.rules.pipeline import check_bytes

    known = {(f.rule, f.path) for f in before if f.is_error}
    after = check_bytes(updated, relative_name(plan, config.root), config, validator)
    new = [
        f for f in after if config.severity.get(f.rule, f.severity).value == "error" and (f.rule, f.path) not in known
    ]
    if new:
        for f in new:
            echo(f"{one_line(f.file)}:{f.line}:{f.column}: error[{f.rule}] {one_line(f.message)}", err=True)
        raise KamdocsError(f"the edit would make {plan} invalid; nothing was written")


def _plain_text(label: str, value: str | None) -> None:
    """Refuse a value with a line break or control character: YAML could carry it,
    but a name with a hidden break or escape code is a typo, not a name."""
    if value is None:
        return
    if not value.strip():
        raise UsageError(f"{label}: expected a value, found nothing")
    found = hidden_character(value)
    if found:
        raise UsageError(f"{label}: expected text on one line without control characters, found {found} in {value!r}")


@command()
@click.argument("plan_arg", metavar="PLAN")
@click.option(
    "--date", "reviewed_on", type=DATE, metavar="YYYY-MM-DD", help="The review date. Default: today (see --today)."
)
@click.option("--reviewer", help="Also set review.reviewer, e.g. when another manager did the review.")
@click.option("--force", is_flag=True, help="Update even if the plan has errors or the date is in the future.")
@today_option
@config_option
def review(
    plan_arg: str,
    reviewed_on: date | None,
    reviewer: str | None,
    force: bool,
    today: date | None,
    config_file: Path | None,
) -> None:
    """Mark PLAN as reviewed: set review.last_reviewed (and review.reviewer with
    --reviewer), and nothing else.

    PLAN is a plan file or a plan id. Only the bytes of the value change:
    comments, key order, quoting, line endings, a BOM and the body stay exactly
    as they are, and so does the file mode; a symlinked plan is changed at its
    target. A plan with errors is refused unless --force.
    """
    from kamdocs.edit.review import set_review

    config = command_config(config_file)
    plan = plan_argument(plan_arg, config)
    day = command_day(today, config)
    when = reviewed_on or day
    if when > day and not force:
        raise UsageError(f"--date {when} is after today {day}; a review is recorded once it has happened (or --force)")
    if reviewer is not None and not reviewer.strip():
        raise UsageError("--reviewer: expected a name, e-mail or handle, found nothing")
    _plain_text("--reviewer", reviewer)

    def edit(raw: bytes) -> tuple[bytes | None, list[Any]]:
        updated, changes = set_review(raw, str(plan), when, reviewer)
        return (updated if changes else None), changes

    changes = _edit_plan(plan, config, force, edit)
    if not changes:
        echo(f"{plan}: already reviewed on {when}; nothing changed")
        return
    for change in changes:
        echo(f"{plan}: review.{change.key}: {change.old or '(none)'} -> {change.new}")


@command()
@click.argument("plan_id", metavar="ID")
@click.option("--kind", type=click.Choice(["one-page", "full"]), required=True, help="Plan style.")
@click.option("--account", required=True, help="The customer.")
@click.option("--owner", required=True, help="The key account manager: e-mail or handle.")
@click.option("--area", required=True, help="The business area.")
@click.option("--reviewer", help="The business area manager who judges the plan.")
@written_today_option
@config_option
def new(
    plan_id: str,
    kind: str,
    account: str,
    owner: str,
    area: str,
    reviewer: str | None,
    today: date | None,
    config_file: Path | None,
) -> None:
    """Start plan ID from the template for its kind: plans/ID.md.

    The new plan has today's dates and TODO placeholders that pass the schema;
    'kamdocs check' reports each placeholder (rule todo) until it is replaced.
    """
    from kamdocs.edit.scaffold import PlanDraft, draft_text
    from kamdocs.plan.loader import discover
    from kamdocs.plan.model import PLAN_ID

    config = command_config(config_file)
    if config.source == "defaults" and not config.plans_path.is_dir():
        raise no_plans_folder(config)  # outside a plans repository: as check refuses, not a stray ./plans/
    if not PLAN_ID.fullmatch(plan_id):
        slug = re.sub(r"[^a-z0-9]+", "-", plan_id.lower()).strip("-")
        hint = f"; did you mean '{slug}'?" if slug else "; use lowercase letters, digits and hyphens"
        raise UsageError(
            f"ID: expected a slug (lowercase letters and digits joined by single hyphens), found {plan_id!r}{hint}"
        )
    for label, value in (("--account", account), ("--owner", owner), ("--area", area), ("--reviewer", reviewer)):
        _plain_text(label, value)
    target = config.plans_path / f"{plan_id}.md"
    plans = where_it_leads(config.plans_path, config.root)
    if not plans.inside:  # check would call the new plan symlink-outside
        raise KamdocsError(
            f"{config.plans_dir} leads to {plans.real}, outside the repository {plans.root}; create the plan there"
        )
    existing = [p for p in discover([config.plans_path]) if p.stem == plan_id] if config.plans_path.is_dir() else []
    if target.exists() or existing:
        raise UsageError(f"a plan with id {plan_id!r} already exists: {(existing or [target])[0]}")
    text = draft_text(PlanDraft(plan_id, kind, account, owner, area, reviewer, start_day(command_day(today, config))))
    try:
        write_new(target, text.encode("utf-8"), exclusive=True)
    except FileExistsError:
        raise UsageError(f"a plan with id {plan_id!r} already exists: {target}") from None
    echo(f"Created {shown(target, config.root)}; replace the TODO placeholders, then run kamdocs check.")
    keep_codeowners_current(config)


@command()
@click.argument("plan_arg", metavar="PLAN")
@click.option(
    "--period-start", required=True, type=DATE, metavar="YYYY-MM-DD", help="First day of the next goal period."
)
@click.option("--period-end", required=True, type=DATE, metavar="YYYY-MM-DD", help="Last day of the next goal period.")
@click.option(
    "--actual",
    type=AMOUNT,
    metavar="NUMBER",
    help="The goal's actual in the next period, if already known. Default: none (the key is removed).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Roll over even if the plan has errors, the next period does not start after the current one, "
    "or an obstacle would be left unanswered.",
)
@today_option
@config_option
def rollover(
    plan_arg: str,
    period_start: date,
    period_end: date,
    actual: float | None,
    force: bool,
    today: date | None,
    config_file: Path | None,
) -> None:
    """Start PLAN's next goal period in the same file.

    Carries the chain and the open commitments forward, removes done and
    dropped commitments (listing them in a note at the end of the body) and
    removes the goal's actual: nothing is measured yet, and a missing figure
    is never 0 (--actual sets it). KPIs keep their last actual and as_of.
    Then prints every finding the new plan has, as kamdocs check does. The
    previous period stays in git history. PLAN is a plan file or a plan id.
    The next period must start after the current one ends, and no obstacle
    may be left unanswered by the commitments removed (--force overrides).
    """
    from kamdocs.edit.rollover import rollover as run_rollover
    from kamdocs.plan.safeyaml import MAX_MAGNITUDE, MIN_MAGNITUDE
    from kamdocs.report.check_output import CHECK_FORMATS, CheckReport
    from kamdocs.rules.pipeline import CheckRun, check_paths

    config = command_config(config_file)
    start, end = period_start, period_end
    if start > end:
        raise UsageError(
            f"--period-start {start} is after --period-end {end}; expected a period that starts before it ends"
        )
    if actual is not None and not (
        math.isfinite(actual) and (MIN_MAGNITUDE <= abs(actual) <= MAX_MAGNITUDE or not actual)
    ):
        raise UsageError(
            f"--actual: expected a number from {MIN_MAGNITUDE:g} to {MAX_MAGNITUDE:g} in size (or 0), found {actual:g}"
        )
    written = None if actual is None else number_text(Decimal(str(actual)))
    plan = plan_argument(plan_arg, config)
    summary_ = _edit_plan(
        plan, config, force, lambda raw: run_rollover(raw, str(plan), start, end, force=force, actual=written)
    )
    now = "none yet" if summary_.actual is None else summary_.actual
    echo(f"{plan}: goal period is now {start} to {end}; goal actual: {now}.")
    echo(f"  carried forward: {', '.join(summary_.carried) or 'none'}")
    echo(f"  closed and noted in the body: {', '.join(summary_.closed) or 'none'}")
    if summary_.unanswered:
        echo(f"  left unanswered (--force): {', '.join(summary_.unanswered)}")
    result = check_paths([plan], CheckRun.with_freshness(config, command_day(today, config), plan_validator(config)))
    echo(CHECK_FORMATS.text("text", CheckReport(result)))
    keep_codeowners_current(config)
