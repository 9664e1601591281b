"""The ``kamdocs`` command: a thin adapter from the terminal to the core.

It parses options, loads the one configuration, calls the core and maps the
result to an exit code: 0 clean, 1 findings that fail, 2 usage or config.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TypeVar

import click

from kamdocs import __version__
from kamdocs.checker import check_paths
from kamdocs.clock import ClockError, parse_date, resolve_today
from kamdocs.codeowners import merged, owners_block
from kamdocs.config import Config, ConfigError, load_config, parse_severities
from kamdocs.diff_output import render_diff
from kamdocs.freshness import STATES
from kamdocs.gitrevisions import (
    RevisionError,
    default_base,
    files_at,
    open_repository,
    renames,
    resolve,
    working_tree_files,
)
from kamdocs.loader import discover
from kamdocs.plandiff import diff_trees
from kamdocs.reporters import REPORTERS, step_summary
from kamdocs.review_edit import EditError, set_review, write_atomically
from kamdocs.rollover_edit import rollover as run_rollover
from kamdocs.rollup import filter_rows, roll_up
from kamdocs.scaffold import NewPlan, plan_text, repository_files
from kamdocs.site.exports import commitments_ics, plans_csv, plans_json
from kamdocs.status_output import STATUS_FORMATS, render_table
from kamdocs.validation import PlanValidator

config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="mkdocs.yml whose 'kamdocs' plugin entry holds the options. Default: the nearest mkdocs.yml.",
)


SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

today_option = click.option(
    "--today",
    metavar="YYYY-MM-DD",
    help="The date to judge freshness on. Default: SOURCE_DATE_EPOCH if set, otherwise the local date.",
)


def _config(config_file: Path | None, severities: tuple[str, ...] = ()) -> Config:
    try:
        config = load_config(config_file)
        if config.notice:
            click.echo(f"kamdocs: note: {config.notice}", err=True)
        if severities:
            pairs = [_split_severity(s) for s in severities]
            config = replace(config, severity={**config.severity, **parse_severities(pairs, "--severity")})
        return config
    except ConfigError as exc:
        raise _fail(str(exc)) from None


def _split_severity(text: str) -> tuple[str, str]:
    rule, sep, level = text.partition("=")
    if not sep:
        raise ConfigError(f"--severity: expected RULE=error or RULE=warning, found {text!r}")
    return rule.strip(), level.strip()


def _today(text: str | None) -> date:
    try:
        return resolve_today(text)
    except ClockError as exc:
        raise _fail(str(exc)) from None


def _date(text: str, label: str) -> date:
    try:
        return parse_date(text, label)
    except ClockError as exc:
        raise _fail(str(exc)) from None


def _validator(config: Config) -> PlanValidator:
    try:
        return PlanValidator(config)
    except ConfigError as exc:
        raise _fail(str(exc)) from None


def _fail(message: str) -> click.exceptions.Exit:
    click.echo(f"kamdocs: error: {message}", err=True)
    return click.exceptions.Exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kamdocs")
def main() -> None:
    """Key account plans as code: check plans and publish them with MkDocs."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(REPORTERS)),
    help="Output format. Default: github when GITHUB_ACTIONS=true, otherwise text.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only, without hints or summary.")
@click.option("-v", "--verbose", is_flag=True, help="Also print the JSON path of each finding.")
@click.option("--no-freshness", is_flag=True, help="Only the format and structure checks; no dates are judged.")
@click.option(
    "--severity",
    "severities",
    multiple=True,
    metavar="RULE=LEVEL",
    help="Set a rule's severity to error or warning; RULE 'freshness' means every freshness rule. Repeatable.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes. Default: one per core (up to 4) from 400 plans on, otherwise 1.",
)
@today_option
@config_option
def check(
    paths: tuple[Path, ...],
    output_format: str | None,
    strict: bool,
    quiet: bool,
    verbose: bool,
    no_freshness: bool,
    severities: tuple[str, ...],
    jobs: int | None,
    today: str | None,
    config_file: Path | None,
) -> None:
    """Check plans against the schema and the plan rules.

    PATHS are plan files or folders; the default is the configured plans
    folder. Exit status: 0 no errors, 1 errors (or warnings with --strict),
    2 a usage or configuration problem.
    """
    config = _config(config_file, severities)
    day = None if no_freshness else _today(today or config.today)
    _require_plans(paths, config)
    result = check_paths(list(paths), config, _validator(config), day, keep_plans=False, jobs=jobs)
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    color = output_format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    text = REPORTERS[output_format](result, color=color, verbose=-1 if quiet else int(verbose))
    if text:
        click.echo(text, color=color)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(step_summary(result))
    failed = result.errors > 0 or (strict and result.warnings > 0)
    sys.exit(1 if failed else 0)


Edited = TypeVar("Edited")


def _edit_plan(plan: Path, config: Config, force: bool, edit: Callable[[bytes], Edited]) -> Edited:
    """Run one of the commands that change a plan file: refuse a plan with errors
    unless ``force``, and turn an edit that cannot be made safely into exit 1."""
    result = check_paths([plan], config, _validator(config))
    if any(f.is_error for f in result.findings) and not force:
        click.echo(REPORTERS["text"](result), err=True)
        click.echo(f"kamdocs: {plan} has errors; fix them first, or use --force", err=True)
        sys.exit(1)
    try:
        return edit(plan.read_bytes())
    except EditError as exc:
        click.echo(f"kamdocs: error: {exc}", err=True)
        sys.exit(1)


def _require_plans(paths: tuple[Path, ...], config: Config) -> None:
    if not paths and not config.plans_path.is_dir():
        raise _fail(f"plans folder not found: {config.plans_path} (set plans_dir in {config.source})")


@main.command()
@config_option
def schema(config_file: Path | None) -> None:
    """Print the JSON Schema in force: the repository's own, or the bundled one."""
    click.echo(json.dumps(_validator(_config(config_file)).schema, indent=2, ensure_ascii=False))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(sorted(STATUS_FORMATS)), default="table", show_default=True
)
@click.option(
    "--owner", "owners", multiple=True, help="Only plans of this owner (handle, or e-mail before '@'). Repeatable."
)
@click.option("--area", "areas", multiple=True, help="Only plans of this business area. Repeatable.")
@click.option(
    "--state", "states", multiple=True, type=click.Choice(STATES), help="Only plans in this state. Repeatable."
)
@today_option
@config_option
def status(
    paths: tuple[Path, ...],
    output_format: str,
    owners: tuple[str, ...],
    areas: tuple[str, ...],
    states: tuple[str, ...],
    today: str | None,
    config_file: Path | None,
) -> None:
    """Show every plan's freshness, most urgent first.

    One row per valid plan: owner, business area, last and next review,
    freshness, open and overdue commitments, goal progress and the last
    change in git. Plans with errors are counted, not shown: run
    'kamdocs check' for them.
    """
    config = _config(config_file)
    day = _today(today or config.today)
    _require_plans(paths, config)
    result, history, all_rows = roll_up(config, _validator(config), day, list(paths))
    rows = filter_rows(all_rows, owners, areas, states)
    invalid = sorted({f.file for f in result.findings if f.is_error})
    for warning in history.warnings:
        click.echo(f"kamdocs: warning: {warning}", err=True)
    if output_format == "table":
        width = shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
        text = render_table(rows, day, history.warnings, invalid, width=width)
    else:
        text = STATUS_FORMATS[output_format](rows, day, history.warnings, invalid)
    click.echo(text, nl=not text.endswith("\n"))


@main.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--date", "reviewed_on", metavar="YYYY-MM-DD", help="The review date. Default: today (see --today).")
@click.option("--reviewer", help="Also set review.reviewer, e.g. when another manager did the review.")
@click.option("--force", is_flag=True, help="Update even if the plan has errors or the date is in the future.")
@today_option
@config_option
def review(
    plan: Path,
    reviewed_on: str | None,
    reviewer: str | None,
    force: bool,
    today: str | None,
    config_file: Path | None,
) -> None:
    """Mark PLAN as reviewed: set review.last_reviewed, and nothing else.

    Only the bytes of the value change: comments, key order, quoting, line
    endings, a BOM and the body stay exactly as they are. A plan with errors
    is refused unless --force.
    """
    config = _config(config_file)
    day = _today(today or config.today)
    when = _date(reviewed_on, "--date") if reviewed_on else day
    if when > day and not force:
        raise _fail(f"--date {when} is after today {day}; a review is recorded once it has happened (or --force)")
    if reviewer is not None and not reviewer.strip():
        raise _fail("--reviewer: expected a name, e-mail or handle, found nothing")
    updated, changes = _edit_plan(plan, config, force, lambda raw: set_review(raw, str(plan), when, reviewer))
    if not changes:
        click.echo(f"{plan}: already reviewed on {when}; nothing changed")
        return
    write_atomically(plan, updated)
    for change in changes:
        click.echo(f"{plan}: review.{change.key}: {change.old or '(none)'} -> {change.new}")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@today_option
def init(directory: Path, today: str | None) -> None:
    """Scaffold a plans repository in DIRECTORY that works as it stands.

    It writes mkdocs.yml (Material and the plugin), a schema/ extension stub,
    plans/ with one example of each kind, the three GitHub workflows, a
    pre-commit configuration and a README for plan authors. It refuses a
    directory that exists and is not empty.
    """
    if directory.exists() and any(directory.iterdir()):
        raise _fail(f"{directory} exists and is not empty; kamdocs init only writes into a new or empty directory")
    day = _today(today)
    for rel, text in repository_files(day).items():
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    click.echo(f"Created a plans repository in {directory}. Next:")
    click.echo(f"  cd {directory} && git init && kamdocs check && mkdocs serve")


@main.command()
@click.argument("plan_id", metavar="ID")
@click.option("--kind", type=click.Choice(["one-page", "full"]), required=True, help="Plan style.")
@click.option("--account", required=True, help="The customer.")
@click.option("--owner", required=True, help="The key account manager: e-mail or handle.")
@click.option("--area", required=True, help="The business area.")
@click.option("--reviewer", help="The business area manager who judges the plan.")
@today_option
@config_option
def new(
    plan_id: str,
    kind: str,
    account: str,
    owner: str,
    area: str,
    reviewer: str | None,
    today: str | None,
    config_file: Path | None,
) -> None:
    """Start plan ID from the template for its kind: plans/ID.md.

    The new plan has today's dates and TODO placeholders that pass the schema;
    'kamdocs check' reports each placeholder (rule todo) until it is replaced.
    """
    config = _config(config_file)
    if not SLUG.fullmatch(plan_id):
        raise _fail(f"ID: expected a slug (lowercase letters and digits joined by single hyphens), found {plan_id!r}")
    for label, value in (("--account", account), ("--owner", owner), ("--area", area), ("--reviewer", reviewer)):
        if value is not None and not value.strip():
            raise _fail(f"{label}: expected a value, found nothing")
    target = config.plans_path / f"{plan_id}.md"
    existing = [p for p in discover([config.plans_path]) if p.stem == plan_id] if config.plans_path.is_dir() else []
    if target.exists() or existing:
        raise _fail(f"a plan with id {plan_id!r} already exists: {(existing or [target])[0]}")
    text = plan_text(NewPlan(plan_id, kind, account, owner, area, reviewer, _today(today or config.today)))
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    click.echo(f"Created {target.relative_to(config.root) if target.is_relative_to(config.root) else target}; "
               "replace the TODO placeholders, then run kamdocs check.")  # fmt: skip


@main.command()
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--period-start", required=True, metavar="YYYY-MM-DD", help="First day of the next goal period.")
@click.option("--period-end", required=True, metavar="YYYY-MM-DD", help="Last day of the next goal period.")
@click.option("--force", is_flag=True, help="Roll over even if the plan has errors.")
@config_option
def rollover(plan: Path, period_start: str, period_end: str, force: bool, config_file: Path | None) -> None:
    """Start PLAN's next goal period in the same file.

    Carries the chain and the open commitments forward, removes done and
    dropped commitments (listing them in a note at the end of the body) and
    resets the actuals. The previous period stays in git history.
    """
    config = _config(config_file)
    start, end = _date(period_start, "--period-start"), _date(period_end, "--period-end")
    updated, summary_ = _edit_plan(plan, config, force, lambda raw: run_rollover(raw, str(plan), start, end))
    write_atomically(plan, updated)
    click.echo(f"{plan}: goal period is now {start} to {end}; actuals reset.")
    click.echo(f"  carried forward: {', '.join(summary_.carried) or 'none'}")
    click.echo(f"  closed and noted in the body: {', '.join(summary_.closed) or 'none'}")


@main.command()
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if CODEOWNERS is out of date; write nothing.")
@click.option(
    "--file",
    "owners_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Default: .github/CODEOWNERS in the repository root.",
)
@config_option
def codeowners(check_only: bool, owners_file: Path | None, config_file: Path | None) -> None:
    """Write the CODEOWNERS lines that make each plan's reviewer a required reviewer.

    Reviewers are mapped to GitHub handles by the github_handles option; a
    reviewer written as @handle needs no entry. kamdocs owns one marked block
    of the file and leaves every other line alone.
    """
    config = _config(config_file)
    _require_plans((), config)
    result = check_paths(None, config, _validator(config))
    owners = owners_block(result.plans, config.github_handles)
    path = owners_file or config.root / ".github" / "CODEOWNERS"
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    wanted = merged(current, owners.block)
    for person in owners.unmapped:
        click.echo(f"kamdocs: warning: no GitHub handle for reviewer {person!r}; add it to github_handles", err=True)
    if current == wanted:
        click.echo(f"{path} is up to date.")
        return
    if check_only:
        click.echo(f"{path} is out of date; run: kamdocs codeowners", err=True)
        sys.exit(1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(wanted, encoding="utf-8")
    click.echo(f"Wrote {path}.")


@main.command()
@click.option("--format", "output_format", type=click.Choice(["json", "csv", "ics"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@today_option
@config_option
def export(output_format: str, output: Path | None, today: str | None, config_file: Path | None) -> None:
    """Write plans.json, plans.csv or commitments.ics, as the site does, without building it."""
    config = _config(config_file)
    day = _today(today or config.today)
    _require_plans((), config)
    result, _, rows = roll_up(config, _validator(config), day)
    if output_format == "json":
        text = plans_json(rows, day)
    elif output_format == "csv":
        text = plans_csv(rows, day)
    else:
        text = commitments_ics([r.plan for r in rows], day)
    errors = sum(f.is_error for f in result.findings)
    if errors:
        click.echo(f"kamdocs: warning: {errors} error(s) in the plans; plans with errors are left out", err=True)
    if output is None:
        click.echo(text, nl=False)
    else:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        click.echo(f"Wrote {output}.", err=True)


@main.command()
@click.argument("base", required=False)
@click.argument("head", required=False)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True
)
@config_option
def diff(base: str | None, head: str | None, output_format: str, config_file: Path | None) -> None:
    """What changed in the plans between BASE and HEAD, in business terms.

    BASE defaults to the merge-base with the default branch, HEAD to the
    working tree. Per plan: added, deleted or renamed; goal target, statement
    or period; commitments added, completed, dropped or with a due date moved;
    success factors and obstacles added or removed; KPI actuals; owner or
    reviewer; and a review date bumped while nothing else changed.
    """
    config = _config(config_file)
    try:
        repo = open_repository(config.root, config.plans_path)
        base_sha = resolve(repo, base) if base else default_base(repo)
        head_sha = resolve(repo, head) if head else None
        old_files = files_at(repo, base_sha)
        new_files = files_at(repo, head_sha) if head_sha else working_tree_files(repo)
        moved = renames(repo, base_sha, head_sha)
    except RevisionError as exc:
        raise _fail(str(exc)) from None
    plans = diff_trees(old_files, new_files, moved, _validator(config))
    click.echo(render_diff(plans, base_sha, head_sha, output_format), nl=False)
