"""The ``kamdocs`` command: a thin adapter from the terminal to the core.

It parses options, loads the one configuration, calls the core and maps the
result to an exit code: 0 clean, 1 findings that fail, 2 usage or config.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from kamdocs import __version__
from kamdocs.checker import check_paths
from kamdocs.config import Config, ConfigError, load_config
from kamdocs.reporters import REPORTERS, step_summary
from kamdocs.validation import PlanValidator

config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="mkdocs.yml whose 'kamdocs' plugin entry holds the options. Default: the nearest mkdocs.yml.",
)


def _config(config_file: Path | None) -> Config:
    try:
        return load_config(config_file)
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
@config_option
def check(
    paths: tuple[Path, ...],
    output_format: str | None,
    strict: bool,
    quiet: bool,
    verbose: bool,
    config_file: Path | None,
) -> None:
    """Check plans against the schema and the plan rules.

    PATHS are plan files or folders; the default is the configured plans
    folder. Exit status: 0 no errors, 1 errors (or warnings with --strict),
    2 a usage or configuration problem.
    """
    config = _config(config_file)
    if not paths and not config.plans_path.is_dir():
        raise _fail(f"plans folder not found: {config.plans_path} (set plans_dir in {config.source})")
    try:
        validator = PlanValidator(config)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    result = check_paths(list(paths), config, validator)
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


@main.command()
@config_option
def schema(config_file: Path | None) -> None:
    """Print the JSON Schema in force: the repository's own, or the bundled one."""
    config = _config(config_file)
    try:
        validator = PlanValidator(config)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    click.echo(json.dumps(validator.schema, indent=2, ensure_ascii=False))
