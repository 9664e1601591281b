"""Plans over time: ``kamdocs history`` (a plan's figures at every version that changed them) and
``kamdocs show`` (a plan as it was on a day or at a commit, with the findings it had then).

Both read git as ``kamdocs diff`` does and see every plan whole, as ``status`` does: the public view is the
site's. Without a repository, or with ``git: false``, they stop with exit 2 and say why, as ``diff`` does.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import click

from kamdocs.cli.command import command
from kamdocs.cli.console import echo
from kamdocs.cli.context import command_config, command_day, plan_argument, plan_validator
from kamdocs.cli.options import DATE, Later, config_option, format_option
from kamdocs.cli.reports import _table_width
from kamdocs.errors import UsageError
from kamdocs.escaping import one_line, path_text, shell_word

if TYPE_CHECKING:
    from kamdocs.config import Config
    from kamdocs.findings import Finding
    from kamdocs.history.log import GitHistory
    from kamdocs.plan.model import Plan
    from kamdocs.report.figures import Figures
    from kamdocs.report.timeline import Judge, Version


class DayParam(click.ParamType):
    """A day as people here write one: ``2026-12-31``, ``31.12.2026``, ``31.12.26``, ``20261231`` or
    ``31 Dec 2026``. A date that reads two ways (``01/02/2027``) is refused with both readings; anything
    else that is no date with the forms it may take (exit 2)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        return parse_day(str(value), param.opts[0] if param is not None and param.opts else "date")


def parse_day(text: str, label: str) -> date:
    """The day ``text`` means (see :class:`DayParam`), or a ClockError naming ``label`` (exit 2)."""
    from kamdocs.calendar.clock import ClockError
    from kamdocs.plan.spellings import meant_date

    text = text.strip()
    meant = None
    if _ISO.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    else:
        meant = meant_date(text)
        if meant is not None and meant.other is None:
            return meant.value
    hint = f": {meant.hint()}" if meant is not None else ""
    raise ClockError(f"{label}: expected a date {_DATE_FORMS}, found {text!r}{hint}")


def _meant_day(text: str) -> date | None:
    """The one day ``text`` means, or None (not a date, or one that reads two ways)."""
    try:
        return parse_day(text, "")
    except UsageError:
        return None


DAY = DayParam()

working_today_option = click.option(
    "--today",
    type=DATE,
    metavar="YYYY-MM-DD",
    help="The day to judge the file as it is now on (changes not committed yet); each commit is judged on its "
    "own day. Default: SOURCE_DATE_EPOCH if set, otherwise the local date.",
)
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_FORMS = "YYYY-MM-DD or DD.MM.YYYY"


def _git_history(config: Config, what: str) -> GitHistory:
    """The plans' history, or exit 2 saying why there is none (``git: false``, no repository, no git)."""
    from kamdocs.history.log import read_history
    from kamdocs.history.revisions import RevisionError, open_repository

    if not config.git:
        raise UsageError(f"git: false in {config.source}: kamdocs reads no git history, so {what}")
    try:
        open_repository(config.root, config.plans_path)
    except RevisionError as exc:
        reason = str(exc).split(" (kamdocs diff", 1)[0]
        raise UsageError(f"{reason}, so {what}") from None
    history = read_history(config.root, config.plans_path)
    if not history.available:
        reason = history.warnings[0] if history.warnings else "git history unavailable"
        raise UsageError(f"{reason}; so {what}")
    return history


def _plan_file(text: str, config: Config) -> tuple[Path, str]:
    """PLAN (a file or an id) as a path and as the name git history knows it by."""
    from kamdocs.plan.loader import relative_name

    path = plan_argument(text, config)
    return path, relative_name(path, config.root)


def _check_today(path: Path, config: Config, day: date) -> tuple[Plan | None, tuple[Finding, ...], bytes]:
    """The plan file as ``kamdocs check`` checks it today: the plan (None with errors), findings and bytes."""
    from kamdocs.plan.loader import read_regular_file
    from kamdocs.rules.pipeline import CheckRun, check_files

    result = check_files([path], CheckRun(config, plan_validator(config), freshness=True, today=day))
    return (result.plans[0] if result.plans else None), result.findings, read_regular_file(path, config.max_bytes)


def _judge(config: Config) -> Judge:
    from kamdocs.report.timeline import Judge

    return Judge(config, plan_validator(config))


@command()
@click.argument("plan_arg", metavar="PLAN")
@format_option(Later("kamdocs.report.history_output", "HISTORY_FORMATS"))
@click.option("--since", type=DAY, metavar="DATE", help="Only versions from this day on (2026-01-31 or 31.01.2026).")
@click.option("--until", type=DAY, metavar="DATE", help="Only versions up to this day (2026-12-31 or 31.12.2026).")
@working_today_option
@config_option
def history(
    plan_arg: str,
    output_format: str,
    since: date | None,
    until: date | None,
    today: date | None,
    config_file: Path | None,
) -> None:
    """Show how PLAN's figures developed: one row per version that changed them.

    PLAN is a plan file or a plan id. Each row is a commit that changed
    something the figures depend on, judged on the day of that commit as
    'kamdocs check' and 'kamdocs quality' judged the plan then: the goal's
    actual and target, the quality score and band, freshness, open, overdue
    and done commitments, stale contacts and the KPIs' actuals. A version
    with errors says how many; uncommitted changes are the last row. Needs
    git; docs/history.md describes every column and the JSON.
    """
    from kamdocs.report.history_output import HISTORY_FORMATS, HistoryReport
    from kamdocs.report.timeline import timelines

    config = command_config(config_file)
    day = command_day(today, config)
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}; expected a period that starts before it ends")
    path, rel = _plan_file(plan_arg, config)
    history = _git_history(config, "there is no history to show; see kamdocs show for the plan as it is")
    plan, findings = _check_today(path, config, day)[:2]
    line = timelines([rel], history, _judge(config), current={rel: plan}, today=day)[rel]
    if plan is None and line.points and line.points[-1].sha is None:  # the working tree's errors, counted
        line = replace(line, points=(*line.points[:-1], replace(line.points[-1], figures=_invalid(findings))))
    committed = [p for p in line.points if p.sha is not None]
    points = [p for p in line.changes() if (since is None or p.day >= since) and (until is None or p.day <= until)]
    starts = committed[0].day if committed else None
    report = HistoryReport(rel, points, day, since, until, starts, line.shallow and bool(committed), _table_width())
    for note in report.notes if output_format in ("json", "csv") else ():
        echo(f"kamdocs: note: {note}", err=True)
    echo(HISTORY_FORMATS.text(output_format, report), nl=False)


@command()
@click.argument("plan_arg", metavar="PLAN")
@click.option(
    "--at",
    metavar="DATE|REV",
    help="The plan as it was at the end of DATE (2026-06-30 or 30.06.2026), or at the commit, branch or tag REV. "
    "Default: the file as it is now.",
)
@working_today_option
@config_option
def show(plan_arg: str, at: str | None, today: date | None, config_file: Path | None) -> None:
    """Print PLAN as it was, with the findings and figures it had on that day.

    PLAN is a plan file or a plan id. With --at, the newest version git
    holds on or before DATE, or the version in force at commit REV, checked
    and judged on the day of its commit; without it, the file as it is now,
    judged today. The text is printed as it was, then the findings in the
    form of 'kamdocs check', then one line of figures.
    """
    from kamdocs.report.history_output import figures_line

    config = command_config(config_file)
    day = command_day(today, config)
    path, rel = _plan_file(plan_arg, config)
    if at is None:
        plan, findings, raw = _check_today(path, config, day)
        head = f"{path_text(rel)} as it is on {day.isoformat()} (working tree)"
        _print_version(head, raw, findings, figures_line(_figures_now(rel, plan, findings, config, day)))
        return
    version = _version(rel, at, config)
    point = version.point
    assert point.sha is not None
    head = one_line(f"{path_text(point.file)} at {point.sha[:10]} of {point.day} by {point.author}: {point.subject}")
    _print_version(head, version.raw, _with_severities(version.findings, config), figures_line(point.figures))


def _figures_now(rel: str, plan: Plan | None, findings: tuple[Finding, ...], config: Config, day: date) -> Figures:
    """The file's figures today, as ``kamdocs history`` ends with them: its quality judged with the delivery
    git showed in every commit of it (none without git)."""
    from kamdocs.history.delivery import DeliveryFold
    from kamdocs.report.timeline import timelines

    if plan is None:
        return _invalid(findings)
    history = _optional_history(config) if config.git else None
    if history is None:
        return _judge(config).figures(plan, day, DeliveryFold())
    line = timelines([rel], _with_uncommitted(history, rel), _judge(config), current={rel: plan}, today=day)[rel]
    return line.points[-1].figures


def _invalid(findings: tuple[Finding, ...]) -> Figures:
    """A version with errors: no figures, only how many errors ``kamdocs check`` finds in it."""
    from kamdocs.report.figures import Figures

    return Figures("invalid", errors=max(1, sum(1 for f in findings if f.is_error)))


def _optional_history(config: Config) -> GitHistory | None:
    from kamdocs.history.log import read_history

    history = read_history(config.root, config.plans_path)
    return history if history.available else None


def _with_uncommitted(history: GitHistory, rel: str) -> GitHistory:
    """``history`` with ``rel`` marked as changed in the working tree, so that its timeline ends with the
    file as it is now, judged today with the delivery of every commit before it."""
    from kamdocs.history.log import FileHistory, GitHistory

    facts = history.of(rel) or FileHistory()
    files = {**history.files, rel: replace(facts, uncommitted=True)}
    return GitHistory(history.available, history.shallow, MappingProxyType(files), history.warnings)


def _with_severities(findings: tuple[Finding, ...], config: Config) -> tuple[Finding, ...]:
    """The findings with the configured severities, as ``kamdocs check`` reports them."""
    if not config.severity:
        return findings
    return tuple(replace(f, severity=config.severity[f.rule]) if f.rule in config.severity else f for f in findings)


def _print_version(head: str, raw: bytes, findings: tuple[Finding, ...], figures: str) -> None:
    """The version's heading, its text as it was, its findings as ``kamdocs check`` prints them, its figures."""
    from kamdocs.report.check_output import CheckReport, report_text
    from kamdocs.rules.pipeline import CheckResult

    text = raw.decode("utf-8", "replace")
    echo(f"# {head}")
    echo(text, nl=not text.endswith("\n"))
    echo("")
    echo(report_text(CheckReport(CheckResult((), findings, 1))))
    echo(figures)


def _version(rel: str, at: str, config: Config) -> Version:
    """The version of ``rel`` that ``--at`` names: the newest on or before a day, or the one in force at a
    commit; a one-line error with a hint (exit 2) when there is none."""
    from kamdocs.history.revisions import RevisionError, open_repository, resolve
    from kamdocs.report.timeline import DELETED, version_at

    wanted = f"a plan as it was at {at}"
    history = _git_history(config, f"it cannot show {wanted}")
    facts = history.of(rel)
    if facts is None or not facts.revisions:
        raise UsageError(
            f"{path_text(rel)} is in no commit yet, so it has no earlier version; "
            f"run: kamdocs show {shell_word(rel)} (without --at)"
        )
    first = facts.revisions[-1].date.date()
    listing = f"run: kamdocs history {shell_word(rel)} for its versions"
    judge = _judge(config)
    day = _meant_day(at)
    if day is not None:
        version = version_at(rel, history, judge, day=day)
        if version is None:
            if day < first:
                raise UsageError(
                    f"--at {at}: {path_text(rel)} has no version on or before {day.isoformat()}: "
                    f"its history starts on {first.isoformat()}; {listing}"
                )
            raise UsageError(f"--at {at}: {path_text(rel)} was deleted on that day; {listing}")
        return version
    if _looks_like_date(at):
        parse_day(at, "--at")  # an impossible or two-way date: its own message, with the readings
    try:
        repo = open_repository(config.root, config.plans_path)
        sha = resolve(repo, at)
        ancestors = set(repo.git("rev-list", sha).decode().split())
    except RevisionError as exc:
        raise UsageError(
            f"--at {at}: {exc}; expected a date ({_DATE_FORMS}) or a commit, branch or tag; {listing}"
        ) from None
    try:
        repo.git("merge-base", "--is-ancestor", sha, "HEAD")
    except RevisionError:  # the history read is HEAD's: another branch's versions of the plan are not in it
        raise UsageError(
            f"--at {at}: {sha[:10]} is not in the history of the checked-out branch (HEAD); "
            f"check out {shell_word(at)} and run kamdocs show there, or give a commit of this branch; {listing}"
        ) from None
    entries = [(r, b) for r, b in zip(facts.revisions, facts.blobs, strict=True) if r.sha in ancestors]
    if not entries:
        raise UsageError(
            f"--at {at}: {path_text(rel)} did not exist yet at {sha[:10]}: "
            f"its history starts on {first.isoformat()}; {listing}"
        )
    revision, blob = entries[0]
    version = None if blob == DELETED else version_at(rel, history, judge, sha=revision.sha)
    if version is None:
        raise UsageError(f"--at {at}: {path_text(rel)} was deleted at {sha[:10]}; {listing}")
    return version


def _looks_like_date(text: str) -> bool:
    """Digits with ``-``, ``.`` or ``/`` between them: meant as a date, not as a revision name."""
    return bool(re.fullmatch(r"[0-9]{1,4}[-./][0-9]{1,2}[-./][0-9]{2,4}", text.strip()))
