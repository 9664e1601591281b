"""The ``kamdocs`` command: a thin adapter from the terminal to the core.

It parses options, loads the one configuration, calls the core and maps the
result to an exit code: 0 clean, 1 findings that fail, 2 usage or config.
"""

from __future__ import annotations

import contextlib
import errno
import inspect
import io
import json
import math
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import click

from kamdocs import __version__
from kamdocs.calendar.clock import ClockError, parse_date, resolve_today
from kamdocs.calendar.fiscal import fiscal_year_of, starting_in
from kamdocs.config import Config, ConfigError, load_config, parse_severities, plugin_options, site_document
from kamdocs.edit.codeowners import Owners, merged, owners_block
from kamdocs.edit.editor_files import front_matter_json
from kamdocs.edit.install_spec import install_spec_problem
from kamdocs.edit.review import set_review
from kamdocs.edit.rollover import rollover as run_rollover
from kamdocs.edit.scaffold import (
    INSTALL_DOCS,
    LATEST_START,
    NewPlan,
    default_install,
    first_steps,
    install_command,
    plan_text,
    repository_files,
)
from kamdocs.errors import KamdocsError
from kamdocs.escaping import UNENCODABLE_AS_TEXT, hidden_character, one_line, path_text, shell_word, terminal_text
from kamdocs.findings import Finding, SiteFindings, plural
from kamdocs.history.revisions import (
    RevisionError,
    default_base,
    files_at,
    open_repository,
    renames,
    resolve,
    working_tree_files,
)
from kamdocs.plan.loader import discover, read_bounded, relative_name
from kamdocs.plan.model import PLAN_ID, Plan
from kamdocs.plan.safeyaml import MAX_MAGNITUDE, MIN_MAGNITUDE
from kamdocs.plan.spellings import meant_date, meant_number, number_text, suspicious_float
from kamdocs.plan.validation import PlanValidator
from kamdocs.report.budget import budget as build_budget
from kamdocs.report.budget import goal_fiscal_year
from kamdocs.report.budget_output import BUDGET_FORMATS, BudgetReport
from kamdocs.report.build_log import freshness_counts, summary_lines
from kamdocs.report.check_output import CHECK_FORMATS, CheckReport, step_summary
from kamdocs.report.diff_output import DIFF_FORMATS, DiffReport
from kamdocs.report.plan_diff import diff_trees
from kamdocs.report.quality_output import QUALITY_FORMATS, reports
from kamdocs.report.rollup import filter_rows, public_rows, roll_up
from kamdocs.report.scorecard import GROUPINGS, Period, fiscal_period
from kamdocs.report.scorecard import scorecard as build_scorecard
from kamdocs.report.scorecard_output import SCORECARD_FORMATS, ScorecardReport
from kamdocs.report.stakeholders import stakeholders as build_stakeholders
from kamdocs.report.stakeholders_output import STAKEHOLDER_FORMATS, StakeholderReport
from kamdocs.report.status_output import STATUS_FORMATS, StatusReport
from kamdocs.rules.freshness import STATES
from kamdocs.rules.pipeline import CheckResult, check_bytes, check_paths
from kamdocs.rules.quality import quality_of
from kamdocs.site.engines import (
    ENGINES,
    Engine,
    Overlay,
    RunningEngine,
    check_site_dir,
    engine_args,
    find_engine,
    make_overlay,
    overlay_folder,
    publish,
    run_engine,
    show_errors,
    supervised,
    sync_docs,
    watch,
)
from kamdocs.site.engines import site_dir as engine_site_dir
from kamdocs.site.exports import EXPORT_FORMATS, ExportInput
from kamdocs.site.output_folder import write_rendered
from kamdocs.site.render import SiteRenderer
from kamdocs.system.atomicfile import describe, ensure_real_folder, ensure_replaceable, write_atomically

config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="mkdocs.yml whose 'kamdocs' plugin entry holds the options. Default: the nearest mkdocs.yml.",
)


class DateParam(click.ParamType):
    """A date YYYY-MM-DD on the command line, read when the arguments are: a bad one stops the command
    before it starts, with kamdocs' own message (exit 2). An empty value (an unset variable in a
    script) is a mistake, not "use the default"."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        label, text = (param.opts[0] if param is not None and param.opts else "date"), str(value)
        meant = None if _ISO_LIKE.fullmatch(text) else meant_date(text)
        if meant is not None:  # 31.12.2027: say the date meant, as check does in a plan
            raise ClockError(f"{label}: expected a date YYYY-MM-DD, found {text!r}: {meant.hint()}")
        return parse_date(text, label)


class AmountParam(click.ParamType):
    """A plan figure on the command line, read as ``kamdocs check`` reads one in a plan: ``850.000`` or
    ``1'250'000`` is refused with the number meant, never taken as 850 or given up on without a hint."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, float):
            return value
        label = param.opts[0] if param is not None and param.opts else "number"
        text = str(value).strip()
        grouped = suspicious_float(text)
        if (grouped is None and _PLAIN_NUMBER.fullmatch(text)) or text.casefold().lstrip("+-") in ("inf", "nan"):
            return float(text)  # rollover judges its size, as for a figure in a plan
        meant = grouped or meant_number(text)
        hint = f": {meant.hint()}" if meant is not None else ""
        raise ConfigError(f"{label}: expected a number without separators or units, found {value!r}{hint}")


class SeverityParam(click.ParamType):
    """``RULE=error`` or ``RULE=warning``, split when the arguments are read; the rule and the level
    are judged with the configuration's own ``severity`` option, so both say the same."""

    name = "rule=level"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        rule, sep, level = str(value).partition("=")
        if not sep:
            raise ConfigError(f"--severity: expected RULE=error or RULE=warning, found {value!r}")
        return rule.strip(), level.strip()


DATE = DateParam()
AMOUNT = AmountParam()
_ISO_LIKE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]++(?:\.[0-9]*+)?|\.[0-9]++)(?:[eE][-+]?[0-9]++)?")
"""A number as float() reads it. Each run of digits is taken whole: ``[0-9]+\\.?[0-9]*`` split a run
between its two parts every way before failing, and 8,000 digits and a letter took seconds (issue 19)."""

today_option = click.option(
    "--today",
    type=DATE,
    metavar="YYYY-MM-DD",
    help="The date to judge freshness on. Default: SOURCE_DATE_EPOCH if set, otherwise the local date.",
)

written_today_option = click.option(
    "--today",
    type=DATE,
    metavar="YYYY-MM-DD",
    help="The date written into the new plans as their last review and the start of their goal period. "
    "Default: SOURCE_DATE_EPOCH if set, otherwise the local date.",
)


def _config(config_file: Path | None, severities: tuple[tuple[str, str], ...] = ()) -> Config:
    config = load_config(config_file)
    if config.notice:
        _echo(f"kamdocs: note: {config.notice}", err=True)
    if severities:
        config = replace(config, severity={**config.severity, **parse_severities(severities, "--severity")})
    return config


def _day(today: date | None, config: Config | None = None) -> date:
    """The one "today" of a command: ``--today``, else the configuration's ``today``, else the clock."""
    return today or resolve_today(config.today if config else None)


def _start_day(day: date) -> date:
    """Today, as the date ``init`` and ``new`` write into plans, which reach a year past it."""
    if day > LATEST_START:
        raise _fail(
            f"--today: expected a date on or before {LATEST_START} (the plans written reach a year ahead), found {day}"
        )
    return day


def _validator(config: Config) -> PlanValidator:
    return PlanValidator(config)


def _fail(message: str) -> click.exceptions.Exit:
    _echo(f"kamdocs: error: {message}", err=True)
    return click.exceptions.Exit(2)


def _refuse(message: str) -> click.exceptions.Exit:
    """A command that could not do its work on this input or file system: one line, exit 1."""
    _echo(f"kamdocs: error: {message}", err=True)
    return click.exceptions.Exit(1)


def _echo(message: str, *, err: bool = False, nl: bool = True, color: bool | None = None) -> None:
    """Every line kamdocs prints, with control and bidi characters written as escapes.

    The last guard for terminals and CI logs (:func:`kamdocs.escaping.terminal_text`): plan
    text cannot set a window title, clear the screen or start a GitHub workflow command. Only
    the colours of ``check``'s own text report, whose values are escaped, are let through.
    """
    click.echo(message if color else terminal_text(message), err=err, nl=nl, color=color)


class KamdocsCommand(click.Command):
    """A command whose line in ``kamdocs --help`` is the whole first sentence of its docstring.

    click cuts that line at 45 characters, or at the terminal's width, with "...", often mid-phrase
    ("Write the CODEOWNERS lines that make each plan's reviewer..."); the list wraps it instead.
    """

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.short_help or not self.help:
            return super().get_short_help_str(limit)
        return first_sentence(self.help)


def first_sentence(text: str) -> str:
    """The first sentence of a docstring's first paragraph, on one line: up to a full stop that ends a word
    (``review.last_reviewed`` and ``plans/ID.md`` inside it are no ends)."""
    paragraph = " ".join(inspect.cleandoc(text).split("\n\n", 1)[0].split())
    end = re.search(r"\.(?=\s|$)", paragraph)
    return paragraph[: end.end()] if end else paragraph


class KamdocsGroup(click.Group):
    """The command group that turns every failure into one line and a documented exit code.

    click's own usage errors (2) and ``sys.exit`` keep their codes. An ``OSError``
    (full disk, read-only file, missing folder) is exit 1 naming the path and the
    reason. Anything else is a bug in kamdocs: exit 3, with the traceback only
    under ``--debug``, so a user never sees a stack trace by surprise.
    """

    command_class = KamdocsCommand

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except (SystemExit, KeyboardInterrupt, GeneratorExit):
            raise
        except KamdocsError as exc:
            if ctx.params.get("debug"):
                raise
            _echo(f"kamdocs: error: {one_line(str(exc))}", err=True)
            raise click.exceptions.Exit(exc.exit_code) from None
        except OSError as exc:
            if ctx.params.get("debug") or exc.errno == errno.EPIPE:
                raise
            _echo(f"kamdocs: error: {one_line(describe(exc))}", err=True)
            raise click.exceptions.Exit(1) from None
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            message = one_line(str(exc))
            what = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
            _echo(f"kamdocs: internal error: {what} — run with --debug for the traceback", err=True)
            raise click.exceptions.Exit(3) from None


@click.group(cls=KamdocsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kamdocs")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error (exit 3) or a file error.")
def main(debug: bool) -> None:
    """Key account plans as code: check plans and publish them with MkDocs.

    Exit status: 0 success, 1 findings that fail or a file that cannot be read
    or written, 2 a usage or configuration problem, 3 an internal error.
    """
    # A message may quote a file name with bytes that are not UTF-8 (plans/lat\xe9/): shown as
    # that escape, never as the raw byte (C.UTF-8's surrogateescape) or a crash (a strict locale).
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=UNENCODABLE_AS_TEXT)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(CHECK_FORMATS.names),
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
    config = _config(config_file, severities)
    day = None if no_freshness else _day(today, config)
    _require_plans(paths, config)
    result = check_paths(list(paths), config, _validator(config), day, keep_plans=False, jobs=jobs)
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    color = output_format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    text = CHECK_FORMATS.text(output_format, CheckReport(result, color, -1 if quiet else int(verbose), strict))
    if text:
        _echo(text, color=color)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        _append_step_summary(summary_file, step_summary(result))
    failed = result.errors > 0 or (strict and result.warnings > 0)
    sys.exit(1 if failed else 0)


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
        _echo(f"kamdocs: error: {one_line(path)}: {exc.strerror or exc}", err=True)
        sys.exit(1)


def _safe_output(path: Path, config: Config, option: str, hint: str = "remove it, or write elsewhere") -> None:
    """Refuse an output file that is a plan, a symlink or a special file, before any work is done.

    Only new, review and rollover change plan files. And a pull request can
    add a symlink where CI writes (``.github/CODEOWNERS -> /etc/passwd``), or a
    FIFO that would block the writer: kamdocs writes through no link and into
    no special file (:func:`ensure_replaceable`, exit 2), wherever it leads,
    nor into a folder of the repository that is a link (``out -> /etc``).
    """
    try:
        target = Path(os.path.realpath(path))
        plans = {Path(os.path.realpath(p)) for p in discover([config.plans_path])}
    except (OSError, RuntimeError):
        plans = set()  # a folder that cannot be listed holds no plan to protect; the write reports its own error
    if target in plans:
        raise _fail(f"{option}: expected a file that is not a plan, found the plan {path}; write to another file")
    ensure_replaceable(path, hint=hint)
    absolute = Path(os.path.abspath(path))
    if absolute.parent.is_relative_to(config.root):  # a committed ``out -> /etc`` would take -o out/x.json there
        ensure_real_folder(absolute.parent, config.root, hint)


Edited = TypeVar("Edited")


def _edit_plan(plan: Path, config: Config, force: bool, edit: Callable[[bytes], tuple[bytes, Edited]]) -> Edited:
    """Run one of the commands that change a plan file: refuse a plan with errors
    unless ``force``, turn an edit that cannot be made safely into exit 1, and
    write the result atomically at the link's target (the link stays a link)."""
    validator = _validator(config)
    result = check_paths([plan], config, validator)
    if any(f.is_error for f in result.findings) and not force:
        _echo(CHECK_FORMATS.text("text", CheckReport(result)), err=True)
        _echo(f"kamdocs: {plan} has errors; fix them first, or use --force", err=True)
        sys.exit(1)
    raw = read_bounded(plan, config.max_bytes)  # a FIFO is refused, even with --force, instead of blocking
    updated, outcome = edit(raw)  # an EditError is one line and exit 1 (KamdocsGroup)
    if updated is not None:
        _refuse_new_errors(plan, updated, result.findings, config, validator)
        write_atomically(plan, updated, follow_links=True)  # the link was judged by _plan_argument
    return outcome


def _refuse_new_errors(
    plan: Path, updated: bytes, before: tuple[Finding, ...], config: Config, validator: PlanValidator
) -> None:
    """Never write a plan that ``kamdocs check`` would reject for what the edit did (even with --force).

    Errors the plan already had (allowed by --force) do not count; a new one,
    such as a date the calendar cannot carry a year on from, stops the edit.
    """
    known = {(f.rule, f.path) for f in before if f.is_error}
    after = check_bytes(updated, relative_name(plan, config.root), config, validator)
    new = [
        f for f in after if config.severity.get(f.rule, f.severity).value == "error" and (f.rule, f.path) not in known
    ]
    if new:
        for f in new:
            _echo(f"{one_line(f.file)}:{f.line}:{f.column}: error[{f.rule}] {one_line(f.message)}", err=True)
        _echo(f"kamdocs: error: the edit would make {plan} invalid; nothing was written", err=True)
        sys.exit(1)


def _plan_argument(text: str, config: Config) -> Path:
    """PLAN as given: a path to a plan file, or the id of a plan in the plans folder.

    A plan that is a symlink is edited at its target, which must be inside the
    repository: a link that leaves it is refused, as ``kamdocs check`` does.
    """
    path = Path(text)
    if not os.path.lexists(path):
        found = []
        if PLAN_ID.fullmatch(text) and config.plans_path.is_dir():
            found = [p for p in discover([config.plans_path]) if p.stem == text]
        if not found:
            raise _fail(f"PLAN: expected a plan file or the id of a plan in {config.plans_dir}/, found {text!r}")
        path = Path(os.path.relpath(found[0])) if found[0].is_relative_to(Path.cwd()) else found[0]
    if path.is_dir():
        raise _fail(f"PLAN: expected a plan file, found the folder {path}")
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a dangling link, or a link loop (RuntimeError before Python 3.13)
        raise _refuse(
            f"{path}: expected a regular file, found a link that leads nowhere (dangling or a loop)"
        ) from None
    root = config.root.resolve()
    through_link = real != Path(os.path.normpath(path.absolute()))
    if through_link and not real.is_relative_to(root):
        raise _refuse(f"{path} is a symlink to {real}, outside the repository {root}; edit the file there")
    if not real.is_file():
        raise _refuse(f"{path}: expected a regular file, found something else (a dangling link, FIFO or device)")
    return path


def _plain_text(label: str, value: str | None) -> None:
    """Refuse a value with a line break or control character: YAML could carry it,
    but a name with a hidden break or escape code is a typo, not a name."""
    if value is None:
        return
    if not value.strip():
        raise _fail(f"{label}: expected a value, found nothing")
    found = hidden_character(value)
    if found:
        raise _fail(f"{label}: expected text on one line without control characters, found {found} in {value!r}")


CODEOWNERS_MAX_BYTES = 3 * 1024 * 1024
"""GitHub ignores a CODEOWNERS file larger than 3 MB."""


def _existing_text(path: Path, max_bytes: int) -> str:
    """A file kamdocs updates in place (CODEOWNERS): its text, or "" when there is none yet.

    It must be a regular UTF-8 file: a FIFO would block the read, and a link
    to a device would swallow the write.
    """
    if not os.path.lexists(path):
        return ""
    try:
        return read_bounded(path, max_bytes).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OSError(
            0, f"expected UTF-8 text, found the byte 0x{exc.object[exc.start]:02x} at offset {exc.start}", str(path)
        ) from None


def _require_plans(paths: tuple[Path, ...], config: Config) -> None:
    if not paths and not config.plans_path.is_dir():
        raise _no_plans_folder(config)


def _no_plans_folder(config: Config) -> click.exceptions.Exit:
    """The one refusal of a command that needs a plans folder and finds none (exit 2)."""
    where = (
        f"set plans_dir in {config.source}"
        if config.source != "defaults"
        else "no mkdocs.yml here or above: run kamdocs in a plans repository, or pass --config"
    )
    return _fail(f"plans folder not found: {config.plans_path} ({where})")


@main.command()
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
    config = _config(config_file)
    document = _validator(config).self_contained()
    if for_editor:
        _echo(front_matter_json(document, config.plans_dir), nl=False)
    else:
        _echo(json.dumps(document, indent=2, ensure_ascii=False))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(STATUS_FORMATS.names),
    default=STATUS_FORMATS.default,
    show_default=True,
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
    today: date | None,
    config_file: Path | None,
) -> None:
    """Show every plan's freshness, most urgent first.

    One row per valid plan: owner, business area, last and next review,
    freshness, open and overdue commitments, goal progress and the last
    change in git. Plans with errors are counted, not shown: run
    'kamdocs check' for them.
    """
    config = _config(config_file)
    day = _day(today, config)
    _require_plans(paths, config)
    result, history, all_rows = roll_up(config, _validator(config), day, list(paths))
    rows = filter_rows(all_rows, owners, areas, states)
    invalid = sorted({f.file for f in result.findings if f.is_error})
    for warning in history.warnings:
        _echo(f"kamdocs: warning: {warning}", err=True)
    report = StatusReport(rows, day, history.warnings, invalid, width=_table_width())
    text = STATUS_FORMATS.text(output_format, report)
    _echo(text, nl=not text.endswith("\n"))


@main.command()
@click.argument("plan_args", nargs=-1, metavar="[PLAN]...")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(QUALITY_FORMATS.names),
    default=QUALITY_FORMATS.default,
    show_default=True,
)
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
    config = _config(config_file)
    day = _day(today, config)
    _require_plans((), config)
    validator = _validator(config)
    rows = roll_up(config, validator, day).rows
    by_file = {row.plan.file: row for row in rows}
    if plan_args:
        chosen = []
        for text in plan_args:
            rel = relative_name(_plan_argument(text, config), config.root)
            if rel not in by_file:
                raise _refuse(
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
    _echo(QUALITY_FORMATS.text(output_format, reports(chosen, config, validator, day, compared)), nl=False)


@main.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(BUDGET_FORMATS.names),
    default=BUDGET_FORMATS.default,
    show_default=True,
)
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
    config = _config(config_file)
    day = _day(today, config)
    _require_plans((), config)
    result = check_paths(None, config, _validator(config))
    wanted_areas = {a.casefold() for a in areas}
    wanted_years = {starting_in(y, config.fiscal_year_start) for y in years}
    plans = [
        p
        for p in result.plans
        if (not areas or p.business_area.casefold() in wanted_areas)
        and (not years or goal_fiscal_year(p, config.fiscal_year_start) in wanted_years)
    ]
    _warn_left_out(result)
    report = BudgetReport(build_budget(plans, config.fiscal_year_start), day, config.fiscal_year_start)
    text = BUDGET_FORMATS.text(output_format, report)
    _echo(text, nl=False)


@main.command()
@click.option(
    "--by",
    type=click.Choice(sorted(GROUPINGS)),
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
@click.option(
    "--format",
    "output_format",
    type=click.Choice(SCORECARD_FORMATS.names),
    default=SCORECARD_FORMATS.default,
    show_default=True,
)
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
    config = _config(config_file)
    day = _day(today, config)
    if fiscal_year is not None and (start or end):
        raise _fail("--period: expected either --period or --from and --to, found both")
    if bool(start) != bool(end):
        raise _fail(f"{'--to' if start else '--from'}: expected --from and --to together, found only one")
    if start and end:
        first, last = start, end
        if first > last:
            raise _fail(f"--from {first} is after --to {last}; expected a period that starts before it ends")
        period = Period(first, last, f"{first} to {last}")
    else:
        year = starting_in(fiscal_year, config.fiscal_year_start) if fiscal_year else None
        period = fiscal_period(year or fiscal_year_of(day, config.fiscal_year_start))
    _require_plans((), config)
    result, history, rows = roll_up(config, _validator(config), day)
    for warning in history.warnings:
        _echo(f"kamdocs: warning: {warning}", err=True)
    _warn_left_out(result)
    table_rows = build_scorecard(rows, by, period, day, config.default_interval, config.fiscal_year_start)
    _echo(SCORECARD_FORMATS.text(output_format, ScorecardReport(table_rows, by, period, day)), nl=False)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(STAKEHOLDER_FORMATS.names),
    default=STAKEHOLDER_FORMATS.default,
    show_default=True,
)
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
    config = _config(config_file)
    day = _day(today, config)
    _require_plans(paths, config)
    result = check_paths(list(paths), config, _validator(config))
    _warn_left_out(result)
    people = build_stakeholders(result.plans, day, config.default_interval)
    _echo(STAKEHOLDER_FORMATS.text(output_format, StakeholderReport(people, day)), nl=False)


def _base_files(config: Config, base: str | None) -> tuple[str, dict[str, bytes], dict[str, str]] | None:
    """The plan files at ``base`` (default: the merge-base), with renames since; None without a base to use."""
    try:
        repo = open_repository(config.root, config.plans_path)
        if base:
            sha, name = resolve(repo, base), base
        else:
            chosen = default_base(repo)
            sha, name = chosen.sha, chosen.sha[:10]
            if chosen.fallback:
                _echo(f"kamdocs: {chosen.description}", err=True)
        return name, files_at(repo, sha), renames(repo, sha, None)
    except RevisionError as exc:
        if base:
            raise
        _echo(f"kamdocs: warning: no base to compare with ({exc}); scores are shown without one", err=True)
        return None


def _working_files(config: Config) -> dict[str, bytes]:
    try:
        return working_tree_files(open_repository(config.root, config.plans_path))
    except RevisionError:
        return {}


def _warn_left_out(result: CheckResult) -> None:
    """Roll-ups and exports leave plans with errors out; say so, once, on standard error."""
    errors = sum(f.is_error for f in result.findings)
    if errors:
        _echo(f"kamdocs: warning: {plural(errors, 'error')} in the plans; plans with errors are left out", err=True)


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


@main.command()
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
    config = _config(config_file)
    plan = _plan_argument(plan_arg, config)
    day = _day(today, config)
    when = reviewed_on or day
    if when > day and not force:
        raise _fail(f"--date {when} is after today {day}; a review is recorded once it has happened (or --force)")
    if reviewer is not None and not reviewer.strip():
        raise _fail("--reviewer: expected a name, e-mail or handle, found nothing")
    _plain_text("--reviewer", reviewer)

    def edit(raw: bytes) -> tuple[bytes | None, list[Any]]:
        updated, changes = set_review(raw, str(plan), when, reviewer)
        return (updated if changes else None), changes

    changes = _edit_plan(plan, config, force, edit)
    if not changes:
        _echo(f"{plan}: already reviewed on {when}; nothing changed")
        return
    for change in changes:
        _echo(f"{plan}: review.{change.key}: {change.old or '(none)'} -> {change.new}")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--install",
    "install",
    metavar="SPEC",
    help="What the workflows install with pip: a requirement from your index (kamdocs==0.3.0), a git URL "
    "(kamdocs @ git+https://host/kamdocs.git@v0.3.0) or a wheel committed to the repository "
    "(tools/kamdocs-0.3.0-py3-none-any.whl, relative to the repository root). Default: kamdocs==VERSION, "
    "the version running; no public index serves it. What pip would refuse is refused (docs/install.md).",
)
@written_today_option
def init(directory: Path, install: str | None, today: date | None) -> None:
    """Scaffold a plans repository in DIRECTORY that works as it stands.

    It writes mkdocs.yml (Material and the plugin), a schema/ extension stub,
    plans/ with one example of each kind, the three GitHub workflows (their
    install step installs --install), .github/CODEOWNERS, a pre-commit
    configuration, a .gitignore and a README for plan authors. It refuses a
    directory that exists and is not empty. If a file cannot be written, what
    it created so far is removed again.
    """
    problem = None if install is None else install_spec_problem(install)
    if problem and problem.refused:
        raise _fail(problem.message())
    if os.path.lexists(directory) and not directory.is_dir():
        raise _fail(f"{directory} exists and is not a directory; kamdocs init writes into a new or empty directory")
    if directory.exists() and any(directory.iterdir()):
        raise _fail(
            f"{_folder_words(directory)} exists and is not empty; kamdocs init only writes into a new or empty folder"
        )
    day = _start_day(_day(today))
    created: list[Path] = []
    try:
        for rel, text in repository_files(day, install).items():
            target = directory / rel
            created += _make_folders(target.parent)
            write_atomically(target, text.encode("utf-8"), exclusive=True)
            created.append(target)
        config = load_config(directory / "mkdocs.yml")
        owners_path = _codeowners_path(config)
        _current, wanted, _owners = _codeowners_text(config, owners_path)
        write_atomically(owners_path, wanted.encode("utf-8"), exclusive=True)
        created.append(owners_path)
    except OSError:
        _remove(created)
        raise
    here = _is_current_folder(directory)
    _echo(f"Created a plans repository in {_folder_words(directory)}.")
    _say_install(install, directory)
    if problem:
        _echo(f"kamdocs: warning: {problem.message()}", err=True)
    _echo("Next:")
    for step in first_steps(None if here else str(directory)):
        _echo(f"  {step}")


def _is_current_folder(directory: Path) -> bool:
    """``init .``, or the current folder by another name."""
    return directory.resolve() == Path.cwd().resolve()


def _folder_words(directory: Path) -> str:
    """How ``init`` names DIRECTORY to the user: "the current folder" rather than ``.`` or its full name."""
    return "the current folder" if _is_current_folder(directory) else str(directory)


def _say_install(install: str | None, directory: Path) -> None:
    """Where kamdocs will come from in CI, and where to change it: no public index serves kamdocs."""
    spec = install or default_install()
    _echo(f"Its workflows install kamdocs with: {install_command(spec)}")
    if install is None:
        _echo(
            "  No public package index serves kamdocs. To install it from your index, a git URL or a wheel, "
            "change the 'Install kamdocs' step in .github/workflows/plans.yml, pages.yml and freshness.yml "
            f"(or run kamdocs init --install SPEC into an empty folder). See {INSTALL_DOCS}"
        )
    elif "@" not in spec and spec.endswith(".whl") and not os.path.isabs(spec):  # a path, not a URL
        wheel = directory / spec
        if not wheel.is_file():
            _echo(f"  Copy that wheel to {wheel} and commit it with the plans.")
    elif os.path.isabs(spec) or re.search(r"@\s*file:/", spec):  # a path, or a file URL, of this machine
        _echo(f"  {spec} is a path on this machine; a CI runner has its own files (see {INSTALL_DOCS})")


def _make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created, outermost first."""
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    created: list[Path] = []
    try:
        for path in reversed(missing):
            path.mkdir()
            created.append(path)
    except OSError:
        _remove(created)
        raise
    return created


def _remove(created: list[Path]) -> None:
    """Undo a command that failed part-way: remove what it created, newest first."""
    for path in reversed(created):
        try:
            path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
        except OSError:
            continue


def _write_new(path: Path, data: bytes, exclusive: bool = False, hint: str | None = None) -> None:
    """Write ``path`` atomically, creating missing folders, and remove those folders again on failure."""
    created = _make_folders(path.parent)
    try:
        write_atomically(path, data, exclusive=exclusive, hint=hint)
    except OSError:
        _remove(created)
        raise


@main.command()
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
    config = _config(config_file)
    if config.source == "defaults" and not config.plans_path.is_dir():
        raise _no_plans_folder(config)  # outside a plans repository: as check refuses, not a stray ./plans/
    if not PLAN_ID.fullmatch(plan_id):
        slug = re.sub(r"[^a-z0-9]+", "-", plan_id.lower()).strip("-")
        hint = f"; did you mean '{slug}'?" if slug else "; use lowercase letters, digits and hyphens"
        raise _fail(
            f"ID: expected a slug (lowercase letters and digits joined by single hyphens), found {plan_id!r}{hint}"
        )
    for label, value in (("--account", account), ("--owner", owner), ("--area", area), ("--reviewer", reviewer)):
        _plain_text(label, value)
    target = config.plans_path / f"{plan_id}.md"
    folder, root = Path(os.path.realpath(config.plans_path)), Path(os.path.realpath(config.root))
    if not folder.is_relative_to(root):  # check would call the new plan symlink-outside
        raise _refuse(f"{config.plans_dir} leads to {folder}, outside the repository {root}; create the plan there")
    existing = [p for p in discover([config.plans_path]) if p.stem == plan_id] if config.plans_path.is_dir() else []
    if target.exists() or existing:
        raise _fail(f"a plan with id {plan_id!r} already exists: {(existing or [target])[0]}")
    text = plan_text(NewPlan(plan_id, kind, account, owner, area, reviewer, _start_day(_day(today, config))))
    try:
        _write_new(target, text.encode("utf-8"), exclusive=True)
    except FileExistsError:
        raise _fail(f"a plan with id {plan_id!r} already exists: {target}") from None
    _echo(f"Created {target.relative_to(config.root) if target.is_relative_to(config.root) else target}; "
               "replace the TODO placeholders, then run kamdocs check.")  # fmt: skip
    _keep_codeowners_current(config)


@main.command()
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
    config = _config(config_file)
    start, end = period_start, period_end
    if start > end:
        raise _fail(f"--period-start {start} is after --period-end {end}; expected a period that starts before it ends")
    if actual is not None and not (
        math.isfinite(actual) and (MIN_MAGNITUDE <= abs(actual) <= MAX_MAGNITUDE or not actual)
    ):
        raise _fail(
            f"--actual: expected a number from {MIN_MAGNITUDE:g} to {MAX_MAGNITUDE:g} in size (or 0), found {actual:g}"
        )
    written = None if actual is None else number_text(Decimal(str(actual)))
    plan = _plan_argument(plan_arg, config)
    summary_ = _edit_plan(
        plan, config, force, lambda raw: run_rollover(raw, str(plan), start, end, force=force, actual=written)
    )
    now = "none yet" if summary_.actual is None else summary_.actual
    _echo(f"{plan}: goal period is now {start} to {end}; goal actual: {now}.")
    _echo(f"  carried forward: {', '.join(summary_.carried) or 'none'}")
    _echo(f"  closed and noted in the body: {', '.join(summary_.closed) or 'none'}")
    if summary_.unanswered:
        _echo(f"  left unanswered (--force): {', '.join(summary_.unanswered)}")
    result = check_paths([plan], config, _validator(config), _day(today, config))
    _echo(CHECK_FORMATS.text("text", CheckReport(result)))
    _keep_codeowners_current(config)


def _codeowners_path(config: Config) -> Path:
    """The CODEOWNERS file kamdocs manages: the one ``kamdocs codeowners`` writes without ``--file``."""
    return config.root / ".github" / "CODEOWNERS"


def _codeowners_text(config: Config, path: Path) -> tuple[str, str, Owners]:
    """The CODEOWNERS file at ``path`` as it is and as ``kamdocs codeowners`` would write it, from every plan."""
    result = check_paths(None, config, _validator(config))
    owners = owners_block(result.plans, config.github_handles)
    current = _existing_text(path, CODEOWNERS_MAX_BYTES)
    return current, merged(current, owners.block), owners


def _shown(path: Path, config: Config) -> Path:
    """``path`` relative to the repository root when it is inside it, as a user would type it there."""
    return path.relative_to(config.root) if path.is_relative_to(config.root) else path


def _keep_codeowners_current(config: Config) -> None:
    """After a plan was written: rewrite the CODEOWNERS file kamdocs manages, if the repository has one,
    as ``kamdocs codeowners`` would, so the pull-request check stays green. If that cannot be done, say
    the one command to run; the plan is written either way."""
    path = _codeowners_path(config)
    if not os.path.lexists(path):
        return
    shown = _shown(path, config)
    command = f"run: kamdocs codeowners, and commit {shown}"
    if os.path.islink(path):  # kamdocs codeowners judges where a link leads; an automatic update follows none
        _echo(f"kamdocs: warning: {shown} is a symlink and was not updated; {command}", err=True)
        return
    try:
        if path.is_relative_to(config.root):  # NotReplaceable is an OSError: the warning below
            ensure_real_folder(path.parent, config.root)
        current, wanted, _owners = _codeowners_text(config, path)
        if current != wanted:
            write_atomically(path, wanted.encode("utf-8"))
            _echo(f"Updated {shown}: each plan's reviewer must approve changes to it.")
    except OSError as exc:
        _echo(f"kamdocs: warning: {shown} was not updated ({one_line(describe(exc))}); {command}", err=True)


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
    path = owners_file or _codeowners_path(config)
    _safe_output(path, config, "--file")
    current, wanted, owners = _codeowners_text(config, path)
    for person in owners.unmapped:
        _echo(f"kamdocs: warning: no GitHub handle for reviewer {person!r}; add it to github_handles", err=True)
    for file in owners.unsafe:
        _echo(f"kamdocs: warning: '{one_line(file)}' cannot be written into CODEOWNERS safely; rename it", err=True)
    if current == wanted:
        _echo(f"{path} is up to date.")
        return
    if check_only:
        _echo(f"{path} is out of date; run: kamdocs codeowners, and commit {_shown(path, config)}", err=True)
        sys.exit(1)
    _write_new(path, wanted.encode("utf-8"))
    _echo(f"Wrote {path}.")


STDOUT_HINT = "remove it, or leave out -o to write to standard output"
"""What to do when ``export -o`` names a link or a device (``/dev/stdout``): the output has a way of its own."""


@main.command()
@click.option("--format", "output_format", type=click.Choice(EXPORT_FORMATS.names), required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of stdout; missing folders are created. Required for xlsx at a terminal.",
)
@click.option(
    "--include-confidential",
    is_flag=True,
    help="Keep what plans mark confidential (as publish_confidential does for the site); left out by default.",
)
@today_option
@config_option
def export(
    output_format: str, output: Path | None, include_confidential: bool, today: date | None, config_file: Path | None
) -> None:
    """Write plans.json, plans.csv, commitments.ics or plans.xlsx, as the site does, without building it.

    plans.xlsx has a sheet of plans, one of commitments and one of the budget
    roll-up, whose totals are formulas. Like the site, the exports leave out
    what plans mark confidential, unless --include-confidential is given or
    the configuration sets publish_confidential.
    """
    if output is not None and output.is_dir():
        raise _fail(f"-o: expected a file to write, found the folder {output}")
    if output_format in EXPORT_FORMATS.binary and output is None and sys.stdout.isatty():
        raise _fail("-o: expected a file for the xlsx workbook (it is binary), found the terminal; add -o plans.xlsx")
    config = _config(config_file)
    day = _day(today, config)
    _require_plans((), config)
    if output is not None:
        _safe_output(output, config, "-o", STDOUT_HINT)
    result, _, rows = roll_up(config, _validator(config), day)
    if include_confidential:
        config = replace(config, publish_confidential=True)
    rows, hidden = public_rows(rows, config, day)
    if hidden:
        _echo(f"Left out {hidden} plan(s) marked confidential; --include-confidential keeps them.", err=True)
    made = EXPORT_FORMATS.render(output_format, ExportInput(rows, day, config.fiscal_year_start))
    data = made if isinstance(made, bytes) else made.encode("utf-8")
    _warn_left_out(result)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        _write_new(output, data, hint=STDOUT_HINT)
        _echo(f"Wrote {output}.", err=True)


def _directory_urls(config: Config, given: bool | None) -> bool:
    """``--directory-urls`` if given, else ``use_directory_urls`` of mkdocs.yml, else on (MkDocs' default)."""
    if given is not None:
        return given
    value = site_document(config).get("use_directory_urls", True)
    return value if isinstance(value, bool) else True


def _site_verdict(verdict: SiteFindings) -> None:
    """Print a render's findings as the plugin logs them; stop (exit 1) where the plugin stops the build."""
    if verdict.stop:
        raise _refuse(verdict.stop)
    for f in verdict.warnings:
        _echo(f"kamdocs: {f.log_line()}", err=True)


def _freshness_log(renderer: SiteRenderer, config: Config) -> None:
    """Print a render's freshness as the plugin logs it: a line per rule and where the full list is
    (:mod:`kamdocs.report.build_log`), or with ``log_findings: all`` a line per finding."""
    freshness = renderer.verdict().freshness
    if config.log_findings == "all":
        lines = [f.log_line("freshness") for f in freshness]
    else:
        plans = [row.plan for row in renderer.rows.values()]
        lines = summary_lines(freshness_counts(freshness, plans, renderer.today, config), f"{config.url_prefix}/",
                              "log_findings: all")  # fmt: skip
    for line in lines:
        _echo(f"kamdocs: {line}", err=True)


@main.command()
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Write even though OUT_DIR holds files kamdocs render did not write.")
@click.option(
    "--directory-urls/--no-directory-urls",
    "directory_urls",
    default=None,
    help="Link pages as folder/ or as folder.html. Default: use_directory_urls of mkdocs.yml (on).",
)
@today_option
@config_option
def render(
    out_dir: Path, force: bool, directory_urls: bool | None, today: date | None, config_file: Path | None
) -> None:
    """Write the plans section as plain Markdown, assets and downloads into OUT_DIR.

    Any engine that builds Markdown with Python-Markdown (MkDocs, ProperDocs,
    Zensical) builds the result without kamdocs: put OUT_DIR at
    <docs_dir>/<url_prefix> and follow docs/engines.md. The pages are the
    plugin's own, with every computed part as an HTML block; the same plans
    and SOURCE_DATE_EPOCH give the same bytes. OUT_DIR must be empty or hold
    only what an earlier render wrote (listed in .kamdocs-render.json);
    --force writes anyway and leaves other files alone.
    """
    config = _config(config_file)
    day = _day(today, config)
    _require_plans((), config)
    out = Path(os.path.abspath(out_dir))
    plans = Path(os.path.realpath(config.plans_path))
    real = Path(os.path.realpath(out))
    if real.is_relative_to(plans) or plans.is_relative_to(real):
        raise _fail(f"OUT_DIR: expected a folder apart from the plans folder {config.plans_dir}, found {out_dir}")
    if out.parent.is_relative_to(config.root):  # a committed ``docs -> /elsewhere`` would take docs/plans there
        ensure_real_folder(out.parent, config.root, "render into a real folder")
    renderer = _rendered(config, day, directory_urls, log_freshness=False)
    done = write_rendered(out, renderer.files, force=force)
    pages = sum(name.endswith(".md") for name in renderer.files)
    _echo(
        f"Rendered {pages} pages and {len(renderer.files) - pages} other files into {out_dir}: "
        f"{len(done.written)} written, {done.unchanged} unchanged, {len(done.removed)} removed."
    )
    _freshness_log(renderer, config)


engine_option = click.option(
    "--engine",
    "engine_name",
    type=click.Choice(ENGINES),
    help="The site engine. Default: the first installed of mkdocs, properdocs, zensical (the plugin path first).",
)
render_option = click.option(
    "--render",
    "use_render",
    is_flag=True,
    help="Build MkDocs or ProperDocs from the rendered pages, without the plugin (Zensical always is).",
)
engine_command_option = click.option(
    "--engine-command",
    metavar="PATH",
    help="The engine's own executable, for one in a virtual environment of its own (.venv-zensical/bin/zensical).",
)


def _engine(name: str | None, use_render: bool, command: str | None, config: Config) -> Engine:
    if config.source == "defaults":
        raise _fail("no mkdocs.yml here or above; kamdocs build and serve start from one (kamdocs init makes one)")
    engine = find_engine(name, use_render, command)
    if engine.plugin and plugin_options(site_document(config), config.source) is None:
        raise _refuse(
            f"{config.source}: the plugin path needs a kamdocs entry under plugins (see docs/site.md), "
            "or add --render to build from the rendered pages"
        )
    return engine


def _rendered(
    config: Config,
    day: date,
    directory_urls: bool | None = None,
    log_freshness: bool = True,
    preview: bool = False,
) -> SiteRenderer:
    """The plans section rendered once: findings printed as the plugin logs them, invalid plans stop it.

    ``log_freshness`` off leaves the freshness lines to the caller (``render`` prints them once it has
    written the files, so a refusal of its folder stays one line). A ``preview`` (``serve``) is not
    stopped: it renders the valid plans, and the caller lists the errors on every page.
    """
    renderer = SiteRenderer(config, _validator(config), day, _directory_urls(config, directory_urls))
    verdict = renderer.full(preview)
    if preview and verdict.stop:
        _echo(f"kamdocs: {verdict.stop}\nkamdocs: the site shows the valid plans; every page lists the errors",
                   err=True)  # fmt: skip
    else:
        _site_verdict(verdict)
    if log_freshness:
        _freshness_log(renderer, config)
    return renderer


@main.command()
@engine_option
@render_option
@engine_command_option
@click.option("-d", "--site-dir", type=click.Path(path_type=Path), help="Default: site_dir of mkdocs.yml.")
@click.option("--strict", is_flag=True, help="Pass --strict to the engine: its warnings fail the build.")
@config_option
def build(
    engine_name: str | None,
    use_render: bool,
    engine_command: str | None,
    site_dir: Path | None,
    strict: bool,
    config_file: Path | None,
) -> None:
    """Build the site with MkDocs, ProperDocs or Zensical.

    On the plugin path (MkDocs, ProperDocs) the engine builds mkdocs.yml as it
    stands and the kamdocs plugin makes the pages. On the render path
    (Zensical, or --render) the plans are rendered into a temporary copy of
    the docs, with a copy of mkdocs.yml that lists the plans section and its
    assets, and the engine builds that into site_dir. The docs folder and
    mkdocs.yml are never changed. docs/engines.md compares the engines.
    """
    config = _config(config_file)
    engine = _engine(engine_name, use_render, engine_command, config)
    target = engine_site_dir(config, site_dir)
    check_site_dir(target, config)  # before the build: the engine replaces what is there
    if engine.plugin:
        args = ["-f", str(config.root / config.source), *(["--strict"] if strict else []), "-d", str(target)]
        sys.exit(run_engine(engine, "build", args, config.root))
    _require_plans((), config)
    renderer = _rendered(config, _day(None, config))
    with overlay_folder() as folder:
        overlay = make_overlay(config, renderer, folder, engine.name == "zensical")
        code = run_engine(engine, "build", engine_args(engine, overlay.config_file, strict), folder)
        if code:
            raise _refuse(f"{engine.name} build failed (exit {code}); its messages are above")
        publish(folder / "site", target)
    _echo(f"kamdocs: built the site with {engine.name} from the rendered pages into {target}", err=True)


@main.command()
@engine_option
@render_option
@engine_command_option
@click.option(
    "-a", "--dev-addr", metavar="IP:PORT", help="Where to serve. Default: dev_addr of mkdocs.yml, else 127.0.0.1:8000."
)
@config_option
def serve(
    engine_name: str | None,
    use_render: bool,
    engine_command: str | None,
    dev_addr: str | None,
    config_file: Path | None,
) -> None:
    """Serve the site and rebuild it when a plan or a docs page changes.

    On the plugin path the engine's own serve runs, and the plugin watches the
    plans. On the render path kamdocs watches the plans and the docs, and on
    a change re-renders only the pages that change can alter (the plan's own
    page, the roll-ups and the downloads); the engine sees the changed files
    and reloads the browser. While a plan is invalid, the pages keep the last
    plans that built (or show the valid ones) and list the errors at their top. Ctrl-C, kill PID or
    closing the terminal stops the engine too.
    """
    config = _config(config_file)
    engine = _engine(engine_name, use_render, engine_command, config)
    if dev_addr is None:  # as mkdocs serve: the address in mkdocs.yml, which the render path's copy keeps too
        configured = site_document(config).get("dev_addr")
        dev_addr = configured if isinstance(configured, str) and configured else "127.0.0.1:8000"
    if engine.plugin:
        args = ["-f", str(config.root / config.source), "-a", dev_addr]
        with supervised(engine, "serve", args, config.root) as run:
            run.wait()
        _served(run)
        return
    _require_plans((), config)
    renderer = _rendered(config, _day(None, config), preview=True)
    with overlay_folder() as folder:
        overlay = make_overlay(config, renderer, folder, engine.name == "zensical")
        show_errors(overlay, renderer.verdict().errors)  # started while a plan is invalid
        args = [*engine_args(engine, overlay.config_file, False), "-a", dev_addr]
        with supervised(engine, "serve", args, folder) as run:
            _echo(f"kamdocs: serving with {engine.name} at http://{dev_addr}/; watching {config.plans_dir}/", err=True)
            watch(
                [config.plans_path, overlay.docs_source],
                0.5,
                lambda changed: _changed(overlay, config, changed),
                lambda: not run.running(),
            )
    _served(run)


def _served(run: RunningEngine) -> None:
    """The end of ``serve``: exit 0 when a signal stopped it, 1 when the engine stopped by itself with an
    error (a busy port, a bad address)."""
    failure = run.failure()
    if failure is not None:
        raise _refuse(failure)
    if run.stopped_by is not None:
        with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
            _echo(f"kamdocs: stopped {run.engine.name} serve ({signal.Signals(run.stopped_by).name})", err=True)


def _changed(overlay: Overlay, config: Config, changed: list[Path]) -> None:
    """One round of ``serve``: re-render what the changed plans alter, copy changed docs pages."""
    started = time.perf_counter()
    plans_dir = config.plans_path
    plans = [
        p for p in changed if p.is_relative_to(plans_dir) and p.suffix == ".md" and not p.name.startswith(("_", "."))
    ]
    docs = [p for p in changed if p.is_relative_to(overlay.docs_source)]
    try:
        if plans:
            verdict = overlay.renderer.update(plans)
            if verdict.stop:
                _echo(
                    f"kamdocs: {verdict.stop}\nkamdocs: the site keeps the last pages that built; every page "
                    "lists the errors",
                    err=True,
                )
            else:
                show_errors(overlay, ())  # the pages as rendered, before they are compared with the manifest
                written = write_rendered(overlay.section, overlay.renderer.files, trusted=True)
                names = ", ".join(p.name for p in plans)
                _echo(
                    f"kamdocs: {names} changed: {len(written.written)} file(s) rendered again, "
                    f"{len(written.removed)} removed in {time.perf_counter() - started:.2f} s",
                    err=True,
                )
            errors = verdict.errors
        else:
            errors = overlay.renderer.verdict().errors
        if docs:
            sync_docs(overlay, docs, config)
        show_errors(overlay, errors)
    except (OSError, KamdocsError) as exc:
        _echo(f"kamdocs: error: {one_line(str(exc))}; the site keeps the last pages that built", err=True)


@main.command()
@click.argument("base", required=False)
@click.argument("head", required=False)
@click.option(
    "--format", "output_format", type=click.Choice(DIFF_FORMATS.names), default=DIFF_FORMATS.default, show_default=True
)
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
    config = _config(config_file)
    repo = open_repository(config.root, config.plans_path)  # a RevisionError is exit 2 (KamdocsGroup)
    if base:
        base_sha = resolve(repo, base)
    else:
        chosen = default_base(repo)
        base_sha = chosen.sha
        if chosen.fallback:
            _echo(f"kamdocs: {chosen.description}", err=True)
    head_sha = resolve(repo, head) if head else None
    old_files = files_at(repo, base_sha)
    new_files = files_at(repo, head_sha) if head_sha else working_tree_files(repo)
    moved = renames(repo, base_sha, head_sha)
    validator = _validator(config)
    day = _day(today, config)
    facts = {row.plan.id: row.delivery for row in roll_up(config, validator, day).rows}

    def score(plan: Plan) -> int:
        return quality_of(plan, day, config, facts.get(plan.id)).score

    plans = diff_trees(old_files, new_files, moved, validator, score, config.default_interval)
    _echo(DIFF_FORMATS.text(output_format, DiffReport(plans, base_sha, head_sha)), nl=False)
