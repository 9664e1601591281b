"""``kamdocs check`` and ``kamdocs schema``: the plans judged, and the schema they are judged by."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

import click

from kamdocs.cli.command import command
from kamdocs.cli.console import Reported, echo
from kamdocs.cli.context import (
    command_config,
    command_day,
    plan_validator,
    require_plans,
)
from kamdocs.cli.options import (
    Later,
    SeverityParam,
    config_option,
    format_option,
    today_option,
)
from kamdocs.errors import KamdocsError


@command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@format_option(
    Later("kamdocs.report.check_output", "CHECK_FORMATS"),
    help="Output format. Default: github when GITHUB_ACTIONS=true, otherwise text.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only, without hints or summary.")
@click.option("-v", "--verbose", is_flag=True, help="Also print the JSON path of each finding.")
@click.option("--no-freshness", is_flag=True, help="Only the format and structure checks; no dates are judged.")
@click.option(
    "--severity",
    "severities",
    type=SeverityParam(),
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
    severities: tuple[tuple[str, str], ...],
    jobs: int | None,
    today: date | None,
    config_file: Path | None,
) -> None:
    """Check plans against the schema and the plan rules.

    PATHS are plan files or folders; the default is the configured plans
    folder. Exit status: 0 no errors, 1 errors (or warnings with --strict),
    2 a usage or configuration problem.
    """
    from kamdocs.report.check_output import CHECK_FORMATS, CheckReport, step_summary
    from kamdocs.rules.pipeline import CheckRun, check_paths

    config = command_config(config_file, severities)
    day = None if no_freshness else command_day(today, config)
    require_plans(paths, config)
    run = CheckRun(config, plan_validator(config), freshness=not no_freshness, today=day, keep_plans=False, jobs=jobs)
    result = check_paths(list(paths), run)
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    color = output_format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    text = CHECK_FORMATS.text(output_format, CheckReport(result, color, -1 if quiet else int(verbose), strict))
    if text:
        echo(text, color=color)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        _append_step_summary(summary_file, step_summary(result))
    if result.errors > 0 or (strict and result.warnings > 0):
        raise Reported()  # the findings are the report


def _append_step_summary(path: str, text: str) -> None:
    """Append to ``$GITHUB_STEP_SUMMARY`` without ever blocking, naming the file in any failure.

    Opened non-blocking, a named pipe nobody reads is an error (no reader)
    instead of a hang; a write error such as a full disk names the file, which
    the operating system's own message would not.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o666)
        try:
            os.set_blocking(fd, True)
            with open(fd, "a", encoding="utf-8", closefd=False) as handle:
                handle.write(text)
        finally:
            os.close(fd)
    except OSError as exc:
        raise KamdocsError(f"{path}: {exc.strerror or exc}") from None


@command()
@click.option(
    "--for-editor",
    is_flag=True,
    help="Print frontmatter.json for Front Matter CMS (VS Code) instead: this schema's fields, "
    "which the editor completes and checks as you type.",
)
@config_option
def schema(for_editor: bool, config_file: Path | None) -> None:
    """Print the JSON Schema in force as one document that holds everything it refers to.

    The repository's own schema, or the bundled one, with kamdocs' plan format copied
    in: a Draft 2020-12 validator that checks the date format judges plans with it
    as kamdocs' schema check does.
    With --for-editor: the editor's file made from it (kamdocs init writes it).
    """
    from kamdocs.edit.editor_files import front_matter_json

    config = command_config(config_file)
    document = plan_validator(config).self_contained()
    if for_editor:
        echo(front_matter_json(document, config.plans_dir), nl=False)
    else:
        echo(json.dumps(document, indent=2, ensure_ascii=False))
