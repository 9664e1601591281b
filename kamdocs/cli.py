"""The ``kamdocs`` command: a thin adapter from the terminal to the core.

It parses options, loads the one configuration, calls the core and maps the
result to an exit code: 0 clean, 1 findings that fail, 2 usage or config.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import click

from kamdocs import __version__
from kamdocs.checker import check_paths
from kamdocs.clock import ClockError, resolve_today
from kamdocs.config import Config, ConfigError, load_config, parse_severities
from kamdocs.freshness import STATES
from kamdocs.githistory import GitHistory, read_history
from kamdocs.reporters import REPORTERS, step_summary
from kamdocs.review_edit import EditError, set_review, write_atomically
from kamdocs.rollup import filter_rows, status_rows
from kamdocs.status_output import STATUS_FORMATS, render_table
from kamdocs.validation import PlanValidator

config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="mkdocs.yml whose 'kamdocs' plugin entry holds the options. Default: the nearest mkdocs.yml.",
)


today_option = click.option(
    "--today",
    metavar="YYYY-MM-DD",
    help="The date to judge freshness on. Default: SOURCE_DATE_EPOCH if set, otherwise the local date.",
)


def _config(config_file: Path | None, severities: tuple[str, ...] = ()) -> Config:
    try:
        config = load_config(config_file)
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
    result = check_paths(list(paths), config, _validator(config))
    history = read_history(config.root, config.plans_path) if config.git else GitHistory()
    rows = filter_rows(status_rows(result.plans, day, config, history), owners, areas, states)
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
    when = _today(reviewed_on) if reviewed_on else day
    if when > day and not force:
        raise _fail(f"--date {when} is after today {day}; a review is recorded once it has happened (or --force)")
    if reviewer is not None and not reviewer.strip():
        raise _fail("--reviewer: expected a name, e-mail or handle, found nothing")
    result = check_paths([plan], config, _validator(config))
    errors = [f for f in result.findings if f.is_error]
    if errors and not force:
        click.echo(REPORTERS["text"](result), err=True)
        click.echo(f"kamdocs: {plan} has errors; fix them first, or use --force", err=True)
        sys.exit(1)
    try:
        updated, changes = set_review(plan.read_bytes(), str(plan), when, reviewer)
    except EditError as exc:
        click.echo(f"kamdocs: error: {exc}", err=True)
        sys.exit(1)
    if not changes:
        click.echo(f"{plan}: already reviewed on {when}; nothing changed")
        return
    write_atomically(plan, updated)
    for change in changes:
        click.echo(f"{plan}: review.{change.key}: {change.old or '(none)'} -> {change.new}")
