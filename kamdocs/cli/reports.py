"""The read-only reports: status, quality, budget, scorecard, stakeholders and diff."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kamdocs.calendar.fiscal import fiscal_year_of, starting_in
from kamdocs.cli.command import command
from kamdocs.cli.console import echo
from kamdocs.cli.context import (
    command_config,
    command_day,
    plan_argument,
    plan_validator,
    require_plans,
    warn_left_out,
)
from kamdocs.cli.options import (
    DATE,
    Later,
    LaterChoice,
    config_option,
    format_option,
    today_option,
)
from kamdocs.errors import KamdocsError, UsageError
from kamdocs.escaping import path_text, shell_word

if TYPE_CHECKING:
    from kamdocs.config import Config
    from kamdocs.plan.model import Plan


@command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@format_option(Later("kamdocs.report.status_output", "STATUS_FORMATS"))
@click.option(
    "--owner", "owners", multiple=True, help="Only plans of this owner (handle, or e-mail before '@'). Repeatable."
)
@click.option("--area", "areas", multiple=True, help="Only plans of this business area. Repeatable.")
@click.option(
    "--state",
    "states",
    multiple=True,
    type=LaterChoice(Later("kamdocs.rules.freshness", "STATES")),
    help="Only plans in this state. Repeatable.",
)
@today_option
@config_option
def status(
    paths: tuple[Path, ...],
    output_format: str,
    owners: tuple[str, ...],
    areas: tuple[str, ...],
    states: tuple[str, ...],
    today: date | None,
    config_file: Path | None,
) -> None:
    """Show every plan's freshness, most urgent first.

    One row per valid plan: owner, business area, last and next review,
    freshness, open and overdue commitments, goal progress and the last
    change in git. Plans with errors are counted, not shown: run
    'kamdocs check' for them.
    """
    from kamdocs.report.rollup import filter_rows, roll_up
    from kamdocs.report.status_output import STATUS_FORMATS, StatusReport

    config = command_config(config_file)
    day = command_day(today, config)
    require_plans(paths, config)
    result, history, all_rows = roll_up(config, plan_validator(config), day, list(paths))
    rows = filter_rows(all_rows, owners, areas, states)
    invalid = sorted({f.file for f in result.findings if f.is_error})
    for warning in history.warnings:
        echo(f"kamdocs: warning: {warning}", err=True)
    report = StatusReport(rows, day, history.warnings, invalid, width=_table_width())
    text = STATUS_FORMATS.text(output_format, report)
    echo(text, nl=not text.endswith("\n"))


@command()
@click.argument("plan_args", nargs=-1, metavar="[PLAN]...")
@format_option(Later("kamdocs.report.quality_output", "QUALITY_FORMATS"))
@click.option(
    "--base",
    metavar="REV",
    help="Also score each plan as it is at REV (branch, tag or commit) and show what came and went. "
    "Default with --format markdown or --changed: the merge-base with the default branch, as kamdocs diff.",
)
@click.option("--changed", is_flag=True, help="Only plans that differ from the base: the pull request's plans.")
@today_option
@config_option
def quality(
    plan_args: tuple[str, ...],
    output_format: str,
    base: str | None,
    changed: bool,
    today: date | None,
    config_file: Path | None,
) -> None:
    """Explain the quality score of each PLAN (a file or an id; default: every valid plan).

    Every point lost is a reason with its rule, points and line in the file;
    docs/quality.md describes the rules. The Markdown form is made for a pull
    request: the score before and after the change and the reasons that came
    or went. The score never fails a command: it is the reviewer's aid.
    """
    from kamdocs.plan.loader import relative_name
    from kamdocs.report.quality_output import QUALITY_FORMATS, reports
    from kamdocs.report.rollup import roll_up

    config = command_config(config_file)
    day = command_day(today, config)
    require_plans((), config)
    validator = plan_validator(config)
    rows = roll_up(config, validator, day).rows
    by_file = {row.plan.file: row for row in rows}
    if plan_args:
        chosen = []
        for text in plan_args:
            rel = relative_name(plan_argument(text, config), config.root)
            if rel not in by_file:
                raise KamdocsError(
                    f"{path_text(rel)}: has errors, so it has no quality score; run: kamdocs check {shell_word(rel)}"
                )
            chosen.append(by_file[rel])
    else:
        chosen = sorted(rows, key=lambda r: r.plan.file)
    compared = None
    if base is not None or changed or output_format == "markdown":
        compared = _base_files(config, base)
    if changed and compared is not None:
        current = _working_files(config)
        chosen = [
            r for r in chosen if compared[1].get(compared[2].get(r.plan.file, r.plan.file)) != current.get(r.plan.file)
        ]
    echo(QUALITY_FORMATS.text(output_format, reports(chosen, config, validator, day, compared)), nl=False)


@command()
@format_option(Later("kamdocs.report.budget_output", "BUDGET_FORMATS"))
@click.option("--area", "areas", multiple=True, help="Only this business area (any letter case). Repeatable.")
@click.option(
    "--fiscal-year",
    "years",
    multiple=True,
    type=click.IntRange(1, 9999),
    metavar="YYYY",
    help="Only the fiscal year that starts in YYYY. Repeatable.",
)
@today_option
@config_option
def budget(
    output_format: str, areas: tuple[str, ...], years: tuple[int, ...], today: date | None, config_file: Path | None
) -> None:
    """The budget roll-up: goals summed per business area, fiscal year and currency or unit.

    Per line: plans, sums of baselines, targets and actuals, attainment
    (actuals over the targets of the plans that give one) and growth (targets
    over baselines, likewise), then totals per area and per fiscal year. A
    goal counts in the fiscal year its period ends in (fiscal_year_start).
    Archived plans are left out; units are never added together.
    """
    from kamdocs.report.budget import budget as build_budget
    from kamdocs.report.budget import goal_fiscal_year
    from kamdocs.report.budget_output import BUDGET_FORMATS, BudgetReport
    from kamdocs.rules.pipeline import CheckRun, check_paths

    config = command_config(config_file)
    day = command_day(today, config)
    require_plans((), config)
    result = check_paths(None, CheckRun.without_freshness(config, plan_validator(config)))
    wanted_areas = {a.casefold() for a in areas}
    wanted_years = {starting_in(y, config.fiscal_year_start) for y in years}
    plans = [
        p
        for p in result.plans
        if (not areas or p.business_area.casefold() in wanted_areas)
        and (not years or goal_fiscal_year(p, config.fiscal_year_start) in wanted_years)
    ]
    warn_left_out(result)
    report = BudgetReport(build_budget(plans, config.fiscal_year_start), day, config.fiscal_year_start)
    text = BUDGET_FORMATS.text(output_format, report)
    echo(text, nl=False)


@command()
@click.option(
    "--by",
    type=LaterChoice(Later("kamdocs.report.scorecard", "GROUPINGS"), sorted),
    default="owner",
    show_default=True,
    help="One row per owner (the key account manager), reviewer or business area.",
)
@click.option(
    "--period",
    "fiscal_year",
    type=click.IntRange(1, 9999),
    metavar="YYYY",
    help="The fiscal year that starts in YYYY. Default: the current fiscal year.",
)
@click.option("--from", "start", type=DATE, metavar="YYYY-MM-DD", help="First day of a period of your own (with --to).")
@click.option("--to", "end", type=DATE, metavar="YYYY-MM-DD", help="Last day of a period of your own (with --from).")
@format_option(Later("kamdocs.report.scorecard_output", "SCORECARD_FORMATS"))
@today_option
@config_option
def scorecard(
    by: str,
    fiscal_year: int | None,
    start: date | None,
    end: date | None,
    output_format: str,
    today: date | None,
    config_file: Path | None,
) -> None:
    """The key account manager's scorecard: one row per owner, reviewer or business area.

    Over a period (default: the current fiscal year): plans, average and lowest
    quality, plans overdue for review, commitments due in the period (on time,
    late, overdue, open; done dates from git history), reviews on time of those
    due, and goal attainment per currency. docs/scorecard.md defines each figure.
    """
    from kamdocs.report.rollup import roll_up
    from kamdocs.report.scorecard import Period, fiscal_period
    from kamdocs.report.scorecard import scorecard as build_scorecard
    from kamdocs.report.scorecard_output import SCORECARD_FORMATS, ScorecardReport

    config = command_config(config_file)
    day = command_day(today, config)
    if fiscal_year is not None and (start or end):
        raise UsageError("--period: expected either --period or --from and --to, found both")
    if bool(start) != bool(end):
        raise UsageError(f"{'--to' if start else '--from'}: expected --from and --to together, found only one")
    if start and end:
        first, last = start, end
        if first > last:
            raise UsageError(f"--from {first} is after --to {last}; expected a period that starts before it ends")
        period = Period(first, last, f"{first} to {last}")
    else:
        year = starting_in(fiscal_year, config.fiscal_year_start) if fiscal_year else None
        period = fiscal_period(year or fiscal_year_of(day, config.fiscal_year_start))
    require_plans((), config)
    result, history, rows = roll_up(config, plan_validator(config), day)
    for warning in history.warnings:
        echo(f"kamdocs: warning: {warning}", err=True)
    warn_left_out(result)
    table_rows = build_scorecard(rows, by, period, day, config.default_interval, config.fiscal_year_start)
    echo(SCORECARD_FORMATS.text(output_format, ScorecardReport(table_rows, by, period, day)), nl=False)


@command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@format_option(Later("kamdocs.report.stakeholders_output", "STAKEHOLDER_FORMATS"))
@today_option
@config_option
def stakeholders(paths: tuple[Path, ...], output_format: str, today: date | None, config_file: Path | None) -> None:
    """The stakeholder index: every buying-centre person across all plans, once.

    PATHS are plan files or folders; the default is the configured plans
    folder. A person is matched by e-mail when the plan gives one, otherwise
    by name and account; per plan: role, attitude, influence, our contact,
    last contact and whether the contact is stale (contact-stale). Archived
    plans are left out. Then people per attitude and stale contacts per owner.
    """
    from kamdocs.report.stakeholders import stakeholders as build_stakeholders
    from kamdocs.report.stakeholders_output import STAKEHOLDER_FORMATS, StakeholderReport
    from kamdocs.rules.pipeline import CheckRun, check_paths

    config = command_config(config_file)
    day = command_day(today, config)
    require_plans(paths, config)
    result = check_paths(list(paths), CheckRun.without_freshness(config, plan_validator(config)))
    warn_left_out(result)
    people = build_stakeholders(result.plans, day, config.default_interval)
    echo(STAKEHOLDER_FORMATS.text(output_format, StakeholderReport(people, day)), nl=False)


def _base_files(config: Config, base: str | None) -> tuple[str, dict[str, bytes], dict[str, str]] | None:
    """The plan files at ``base`` (default: the merge-base), with renames since; None without a base to use."""
    from kamdocs.history.revisions import RevisionError, default_base, files_at, open_repository, renames, resolve

    try:
        repo = open_repository(config.root, config.plans_path)
        if base:
            sha, name = resolve(repo, base), base
        else:
            chosen = default_base(repo)
            sha, name = chosen.sha, chosen.sha[:10]
            if chosen.fallback:
                echo(f"kamdocs: {chosen.description}", err=True)
        return name, files_at(repo, sha), renames(repo, sha, None)
    except RevisionError as exc:
        if base:
            raise
        echo(f"kamdocs: warning: no base to compare with ({exc}); scores are shown without one", err=True)
        return None


def _working_files(config: Config) -> dict[str, bytes]:
    from kamdocs.history.revisions import RevisionError, open_repository, working_tree_files

    try:
        return working_tree_files(open_repository(config.root, config.plans_path))
    except RevisionError:
        return {}


def _table_width() -> int:
    """COLUMNS if set, else the terminal's width; unlimited into a pipe or file, where
    cutting cells would only lose text."""
    columns = os.environ.get("COLUMNS", "")
    if columns.strip().isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    return UNLIMITED_WIDTH


UNLIMITED_WIDTH = 1_000_000


@command()
@click.argument("base", required=False)
@click.argument("head", required=False)
@format_option(Later("kamdocs.report.diff_output", "DIFF_FORMATS"))
@today_option
@config_option
def diff(base: str | None, head: str | None, output_format: str, today: date | None, config_file: Path | None) -> None:
    """What changed in the plans between BASE and HEAD, in business terms.

    BASE defaults to the merge-base with the default branch, HEAD to the
    working tree. Per plan: added, deleted or renamed; goal target, statement
    or period; commitments added, completed, dropped or with a due date moved;
    success factors and obstacles added or removed; KPI actuals; owner or
    reviewer; a review date bumped while nothing else changed; and the
    quality score, when it changed (see kamdocs quality).
    """
    from kamdocs.history.revisions import default_base, files_at, open_repository, renames, resolve, working_tree_files
    from kamdocs.report.diff_output import DIFF_FORMATS, DiffReport
    from kamdocs.report.plan_diff import diff_trees
    from kamdocs.report.rollup import roll_up
    from kamdocs.rules.quality import quality_of

    config = command_config(config_file)
    repo = open_repository(config.root, config.plans_path)  # a RevisionError is exit 2 (KamdocsGroup)
    if base:
        base_sha = resolve(repo, base)
    else:
        chosen = default_base(repo)
        base_sha = chosen.sha
        if chosen.fallback:
            echo(f"kamdocs: {chosen.description}", err=True)
    head_sha = resolve(repo, head) if head else None
    old_files = files_at(repo, base_sha)
    new_files = files_at(repo, head_sha) if head_sha else working_tree_files(repo)
    moved = renames(repo, base_sha, head_sha)
    validator = plan_validator(config)
    day = command_day(today, config)
    facts = {row.plan.id: row.delivery for row in roll_up(config, validator, day).rows}

    def score(plan: Plan) -> int:
        return quality_of(plan, day, config, facts.get(plan.id)).score

    plans = diff_trees(old_files, new_files, moved, validator, score, config.default_interval)
    echo(DIFF_FORMATS.text(output_format, DiffReport(plans, base_sha, head_sha)), nl=False)
