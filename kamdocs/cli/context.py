"""What every command starts from: the configuration, today, the plans folder, a PLAN argument."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kamdocs.calendar.clock import resolve_today
from kamdocs.cli.console import echo
from kamdocs.errors import KamdocsError, UsageError
from kamdocs.system.paths import where_it_leads

if TYPE_CHECKING:
    from kamdocs.config import Config
    from kamdocs.plan.validation import PlanValidator
    from kamdocs.rules.pipeline import CheckResult


def command_config(config_file: Path | None, severities: tuple[tuple[str, str], ...] = ()) -> Config:
    """The configuration a command runs with: ``--config`` or the nearest mkdocs.yml, with ``--severity`` on top."""
    from kamdocs.config import load_config, parse_severities

    config = load_config(config_file)
    if config.notice:
        echo(f"kamdocs: note: {config.notice}", err=True)
    if severities:
        config = replace(config, severity={**config.severity, **parse_severities(severities, "--severity")})
    return config


def command_day(today: date | None, config: Config | None = None) -> date:
    """The one "today" of a command: ``--today``, else the configuration's ``today``, else the clock."""
    return today or resolve_today(config.today if config else None)


def start_day(day: date) -> date:
    """Today, as the date ``init`` and ``new`` write into plans, which reach a year past it."""
    from kamdocs.edit.scaffold import LATEST_START

    if day > LATEST_START:
        raise UsageError(
            f"--today: expected a date on or before {LATEST_START} (the plans written reach a year ahead), found {day}"
        )
    return day


def plan_validator(config: Config) -> PlanValidator:
    """The schema validator for this configuration's schema."""
    from kamdocs.plan.validation import PlanValidator

    return PlanValidator(config)


def require_plans(paths: tuple[Path, ...], config: Config) -> None:
    """Stop (exit 2) a command given no PATHS when there is no plans folder to default to."""
    if not paths and not config.plans_path.is_dir():
        raise no_plans_folder(config)


def no_plans_folder(config: Config) -> UsageError:
    """The one refusal of a command that needs a plans folder and finds none (exit 2)."""
    where = (
        f"set plans_dir in {config.source}"
        if config.source != "defaults"
        else "no mkdocs.yml here or above: run kamdocs in a plans repository, or pass --config"
    )
    return UsageError(f"plans folder not found: {config.plans_path} ({where})")


def warn_left_out(result: CheckResult) -> None:
    """Roll-ups and exports leave plans with errors out; say so, once, on standard error."""
    from kamdocs.findings import plural

    errors = sum(f.is_error for f in result.findings)
    if errors:
        echo(f"kamdocs: warning: {plural(errors, 'error')} in the plans; plans with errors are left out", err=True)


def plan_argument(text: str, config: Config) -> Path:
    """PLAN as given: a path to a plan file, or the id of a plan in the plans folder.

    A plan that is a symlink is edited at its target, which must be inside the
    repository: a link that leaves it is refused, as ``kamdocs check`` does.
    """
    from kamdocs.plan.loader import discover
    from kamdocs.plan.model import PLAN_ID

    path = Path(text)
    if not os.path.lexists(path):
        found = []
        if PLAN_ID.fullmatch(text) and config.plans_path.is_dir():
            found = [p for p in discover([config.plans_path]) if p.stem == text]
        if not found:
            raise UsageError(f"PLAN: expected a plan file or the id of a plan in {config.plans_dir}/, found {text!r}")
        path = Path(os.path.relpath(found[0])) if found[0].is_relative_to(Path.cwd()) else found[0]
    if path.is_dir():
        raise UsageError(f"PLAN: expected a plan file, found the folder {path}")
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a dangling link, or a link loop (RuntimeError before Python 3.13)
        raise KamdocsError(
            f"{path}: expected a regular file, found a link that leads nowhere (dangling or a loop)"
        ) from None
    through_link = real != Path(os.path.normpath(path.absolute()))
    where = where_it_leads(path, config.root)
    if through_link and not where.inside:
        raise KamdocsError(
            f"{path} is a symlink to {where.real}, outside the repository {where.root}; edit the file there"
        )
    if not real.is_file():
        raise KamdocsError(f"{path}: expected a regular file, found something else (a dangling link, FIFO or device)")
    return path
